"""Who may see employer pages: logged in, with enough assurance, acting for an enterprise they may act for.

Access is re-checked on every request, so a revoked grant or an expired mandate takes effect at once.
The guards build the one acting context (``request.acting``: who, at which assurance level, for which
enterprise and how) that views pass to services and selectors; nothing below the views sees the request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from careerbreak.identity.access import EnterpriseAccess, enterprise_accesses, has_several_enterprises
from careerbreak.identity.acting import Acting, ActingRequest
from careerbreak.identity.models import User
from careerbreak.identity.request_identity import SESSION_ENTERPRISE as SESSION_ENTERPRISE
from careerbreak.identity.request_identity import session_enterprise_access
from careerbreak.identity.session_end import login_required_at

View = Callable[..., HttpResponse]


class EmployerRequest(ActingRequest):
    """A request past the employer guards: ``acting`` is what views hand to services and selectors."""

    enterprise_access: EnterpriseAccess
    assurance_level: int


def login_required_employer(view: View) -> View:
    """Logged in with at least MIN_ASSURANCE_LEVEL_EMPLOYER; no enterprise needed yet."""

    @login_required_at("MIN_ASSURANCE_LEVEL_EMPLOYER", refusal="assurance level too low")
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # No enterprise yet: the person acts for themselves until enterprise_required says for which.
        request.acting = Acting.from_request(  # type: ignore[attr-defined]
            request,
            user=cast(User, request.user),
            assurance_level=cast(EmployerRequest, request).assurance_level,
            access=None,
        )
        return view(request, *args, **kwargs)

    return wrapped


SESSION_SEVERAL = "several_enterprises"


def several_enterprises(request: HttpRequest, user: User) -> bool:
    """Whether to offer "Change enterprise": noted when the user chose, computed once otherwise.

    Only a link depends on it; access itself is checked on every request.
    """
    if SESSION_SEVERAL not in request.session:
        request.session[SESSION_SEVERAL] = has_several_enterprises(user=user)
    return bool(request.session[SESSION_SEVERAL])


def enterprise_required(*, managers_only: bool = False) -> Callable[[View], View]:
    """As login_required_employer, and acting for an enterprise chosen in this session."""

    def decorator(view: View) -> View:
        @login_required_employer
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = cast(User, request.user)
            number = request.session.get(SESSION_ENTERPRISE)
            # The grant there was read with the user, in the same query (identity.request_identity).
            access = session_enterprise_access(user=user, enterprise_number=number) if number else None
            if access is None:
                if not enterprise_accesses(user=user):
                    return redirect("employer:no_access")
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('employer:choose_enterprise')}?{query}")
            if managers_only and not access.can_manage_access:
                raise PermissionDenied("not an access manager")
            request.enterprise_access = access  # type: ignore[attr-defined]
            level = cast(EmployerRequest, request).assurance_level
            request.acting = Acting.from_request(  # type: ignore[attr-defined]
                request, user=user, assurance_level=level, access=access
            )
            request.acting_enterprise = access.enterprise  # type: ignore[attr-defined]
            request.can_switch_enterprise = SimpleLazyObject(  # type: ignore[attr-defined]
                lambda: several_enterprises(request, user)
            )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
