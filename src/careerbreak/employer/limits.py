"""Which employer requests count in which rate-limit scope (the scopes: careerbreak/core/ratelimit.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from careerbreak.registries.identifiers import normalize_niss


def _value(request: HttpRequest, name: str) -> str:
    return str(request.POST.get(name) or request.GET.get(name) or "").strip()


def is_search(request: HttpRequest) -> bool:
    """Consultation filtered or paged: any query or posted form (the bare first page is not a search)."""
    return bool(request.GET) or request.method == "POST"


def is_query(request: HttpRequest) -> bool:
    """The enterprise choice with something typed in its search."""
    return bool(_value(request, "q"))


def is_niss_lookup(request: HttpRequest) -> bool:
    """Consultation searched by a national number (a ticket or the filters alone are not look-ups)."""
    value = _value(request, "q")
    if not value:
        return False
    try:
        normalize_niss(value)
    except ValidationError:
        return False
    return True
