from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def acting_enterprise(request: HttpRequest) -> dict[str, Any]:
    """The enterprise the user acts for, set by the employer interface's middleware-free helpers."""
    return {
        "acting_enterprise": getattr(request, "acting_enterprise", None),
        "can_switch_enterprise": getattr(request, "can_switch_enterprise", False),
    }
