"""Who may see office pages: logged in at the highest assurance level, with an active office role.

The role is re-read on every request, so a revoked role takes effect at once. The guard builds the
acting context (``request.acting``, via OFFICE, with the role) that views pass to services and
selectors; which requests an agent may see is decided below the views (``office_scope``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from careerbreak.identity.acting import Acting, ActingRequest
from careerbreak.identity.models import OfficeRole, User
from careerbreak.identity.request_identity import active_office_role
from careerbreak.identity.session_end import login_required_at

View = Callable[..., HttpResponse]


class OfficeRequest(ActingRequest):
    """A request past the office guard (typing only)."""

    office_role: OfficeRole
    assurance_level: int


def office_required(*, supervisor_only: bool = False) -> Callable[[View], View]:
    """Logged in with at least MIN_ASSURANCE_LEVEL_OFFICE and holding an active office role."""

    def decorator(view: View) -> View:
        @login_required_at("MIN_ASSURANCE_LEVEL_OFFICE", refusal="assurance level too low for the office")
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            level = cast(OfficeRequest, request).assurance_level
            user = cast(User, request.user)
            role = active_office_role(user)  # read with the user, in the same query
            if role is None:
                raise PermissionDenied("no office role")
            if supervisor_only and not role.is_supervisor:
                raise PermissionDenied("supervisors only")
            request.office_role = role  # type: ignore[attr-defined]
            request.acting = Acting.for_office(  # type: ignore[attr-defined]
                user=user,
                role=role,
                assurance_level=level,
                ip_address=Acting.from_request(
                    request, user=user, assurance_level=level, access=None
                ).ip_address,
            )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
