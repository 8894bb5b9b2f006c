"""The surface (demo data, the owners' objects, a client per actor) for the security tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.oidc_fixtures import (  # noqa: F401
    ProviderStub,
    devidp_key_path,
    oidc_login_as,
    oidc_provider,
)
from tests.request_fixtures import TODAY
from tests.security.surface import Surface, build_surface


@pytest.fixture
def surface(
    db: None,
    login_as: Any,
    django_capture_on_commit_callbacks: Any,
    oidc_provider: ProviderStub,  # noqa: F811
) -> Iterator[Surface]:
    # The demo's "today": the draft's and the notice's dates are valid on that day.
    with time_machine.travel(TODAY, tick=False):
        yield build_surface(login_as, django_capture_on_commit_callbacks)
