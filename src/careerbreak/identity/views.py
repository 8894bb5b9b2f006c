"""Login through OpenID Connect (the Federal Authentication Service) and logout."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.http import safe_next
from careerbreak.core.ratelimit import LOGIN_CALLBACK_PER_IP, LOGIN_START_PER_IP, rate_limit
from careerbreak.identity import oidc
from careerbreak.identity.models import User
from careerbreak.identity.oidc import Identity, LoginRefused
from careerbreak.identity.services import SESSION_LANGUAGE_CHOSEN, user_language_set
from careerbreak.identity.session_end import forget_logged_in, mark_logged_in
from careerbreak.registries.sources import national_register

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Explanation:
    title: str | Promise
    text: str | Promise
    status: int = 400


# What each refusal tells the user: what happened and what to do.
EXPLANATIONS: dict[str, Explanation] = {
    "state_invalid": Explanation(
        _("This login can no longer be completed"),
        _(
            "The answer of the authentication service does not match a login started in this browser, "
            "or it was already used. This happens after using the back button, opening an old link or "
            "logging in from another tab. Start the login again."
        ),
    ),
    "flow_expired": Explanation(
        _("The login took too long"),
        _("For your safety a login must be completed within ten minutes. Start the login again."),
    ),
    "cancelled": Explanation(
        _("You cancelled the login"),
        _(
            "You stopped the login at the authentication service. Nothing was saved. "
            "You can log in again now."
        ),
    ),
    "provider_error": Explanation(
        _("The authentication service did not log you in"),
        _(
            "The authentication service ended the login without confirming your identity. "
            "Start the login again; if it keeps failing, try another means such as your eID card or itsme."
        ),
    ),
    "provider_unavailable": Explanation(
        _("The authentication service cannot be reached"),
        _(
            "The Federal Authentication Service did not answer. This is usually temporary: "
            "try again in a few minutes."
        ),
        status=503,
    ),
    "code_rejected": Explanation(
        _("The login could not be confirmed"),
        _(
            "The authentication service did not accept the confirmation of this login: it was already used "
            "or it expired. Start the login again."
        ),
    ),
    "token_error": Explanation(
        _("The authentication service refused to confirm the login"),
        _(
            "The authentication service did not accept this site's request. This is a problem on our side, "
            "not with your means of login. Try again later; if it keeps failing, contact the helpdesk."
        ),
    ),
    "token_invalid": Explanation(
        _("The confirmation of your identity is not valid"),
        _(
            "The confirmation received from the authentication service could not be read. "
            "For your safety you were not logged in. Start the login again."
        ),
    ),
    "token_expired": Explanation(
        _("The confirmation of your identity has expired"),
        _(
            "The confirmation from the authentication service arrived too late to be accepted. "
            "For your safety you were not logged in. Start the login again."
        ),
    ),
    "signature_invalid": Explanation(
        _("The confirmation of your identity could not be verified"),
        _(
            "The confirmation does not carry a valid signature of the authentication service. "
            "For your safety you were not logged in. Start the login again; if this happens again, "
            "contact the helpdesk."
        ),
    ),
    "issuer_invalid": Explanation(
        _("The confirmation comes from an unknown service"),
        _(
            "The confirmation of your identity was not issued by the Federal Authentication Service. "
            "For your safety you were not logged in. Start the login again."
        ),
    ),
    "audience_invalid": Explanation(
        _("The confirmation was meant for another site"),
        _(
            "The confirmation of your identity was issued for another application. "
            "For your safety you were not logged in. Start the login again."
        ),
    ),
    "nonce_invalid": Explanation(
        _("The confirmation does not belong to this login"),
        _(
            "The confirmation of your identity was issued for another login. "
            "For your safety you were not logged in. Start the login again."
        ),
    ),
    "configuration_error": Explanation(
        _("Logging in is not possible because of a problem on our side"),
        _(
            "This site's connection to the authentication service is not set up correctly. This is not a "
            "problem with your means of login and our operators have been alerted. Try again later."
        ),
        status=503,
    ),
    "acr_missing": Explanation(
        _("The authentication service did not say how securely you logged in"),
        _(
            "This service needs to know the assurance level of your login (for example eID or itsme) and "
            "the authentication service did not send it. Start the login again; if this keeps happening, "
            "contact the helpdesk."
        ),
    ),
    "acr_unknown": Explanation(
        _("This means of login is not accepted"),
        _(
            "The authentication service did not say how you logged in, or used a means this service does not "
            "accept. Log in with your electronic identity card (eID) or with itsme."
        ),
    ),
    "niss_missing": Explanation(
        _("Your national register number was not received"),
        _(
            "This service needs your national register number to identify you, and the authentication "
            "service did not send a valid one. Start the login again and agree to share it."
        ),
    ),
    "person_unknown": Explanation(
        _("You are not known to the national register"),
        _(
            "Your national register number was not found in the national register, so this service "
            "cannot identify you. If you have a BIS number or recently received your number, contact the "
            "helpdesk of the National Employment Office."
        ),
        status=403,
    ),
    "account_disabled": Explanation(
        _("Your access to this service is blocked"),
        _(
            "Your account on this service has been deactivated. "
            "Contact the helpdesk of the National Employment Office."
        ),
        status=403,
    ),
}


def _refuse(request: HttpRequest, refusal: LoginRefused) -> HttpResponse:
    explanation = EXPLANATIONS[refusal.reason]
    logger.warning("Login refused: %s", refusal)
    data = {"reason": refusal.reason}
    if refusal.detail:
        data["detail"] = refusal.detail[:200]
    audit_log(action=AuditAction.LOGIN_REFUSED, actor_niss=refusal.niss, request=request, data=data)
    next_url = safe_next(request, refusal.next_url)
    retry_url = reverse("identity:login")
    if next_url:
        retry_url = f"{retry_url}?{urlencode({'next': next_url})}"
    context = {
        "title": explanation.title,
        "explanation": explanation.text,
        "reason": refusal.reason,
        "retry_url": retry_url,
        "page_error": True,
    }
    return render(request, "identity/login_refused.html", context, status=explanation.status)


@never_cache
@require_GET
@rate_limit(LOGIN_START_PER_IP)
def login_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider; ``?next=`` is where to go after login (this site only)."""
    next_url = safe_next(request, request.GET.get("next"))
    try:
        authorization_url = oidc.begin_login(request, next_url=next_url)
    except LoginRefused as refusal:
        refusal.next_url = next_url
        return _refuse(request, refusal)
    return HttpResponseRedirect(authorization_url)


def _save_user(identity: Identity) -> User:
    # Users log in through the identity provider only: no usable password.
    user, _created = User.objects.select_for_update().get_or_create(
        niss=identity.niss, defaults={"password": make_password(None)}
    )
    changed: list[str] = []
    # An attribute the provider did not send keeps its last known value.
    for field, value in (
        ("first_name", identity.given_name),
        ("last_name", identity.surname),
        ("email", identity.email),
    ):
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if not user.language and identity.language:
        user.language = identity.language
        changed.append("language")
    if changed:
        user.save(update_fields=changed)
    return user


@never_cache
@require_GET
@rate_limit(LOGIN_CALLBACK_PER_IP)
def login_callback(request: HttpRequest) -> HttpResponse:
    """Where the identity provider sends the browser back, with a code (or an error) and the state."""
    try:
        identity, flow = oidc.complete_login(request)
        if national_register().get_person(identity.niss) is None:
            raise LoginRefused(
                "person_unknown", "not in the national register", niss=identity.niss, next_url=flow.next_url
            )
    except LoginRefused as refusal:
        return _refuse(request, refusal)

    with transaction.atomic():
        user = _save_user(identity)
        if not user.is_active:
            return _refuse(request, LoginRefused("account_disabled", "inactive user", niss=identity.niss))
        # Rotates the session key (no fixation) and keeps the session's other data.
        login(request, user, backend="careerbreak.identity.request_identity.IdentityBackend")
        request.session[oidc.SESSION_ASSURANCE_LEVEL] = identity.assurance_level
        request.session[oidc.SESSION_AUTH_MEANS] = identity.auth_means
        if identity.id_token:
            request.session[oidc.SESSION_ID_TOKEN] = identity.id_token
        # The language chosen before the login (on the portal, the start page) wins over the one
        # remembered from an earlier visit: login() kept the session's data, the choice included.
        chosen = request.session.pop(SESSION_LANGUAGE_CHOSEN, None)
        if chosen in oidc.LANGUAGES:
            user_language_set(user=user, language=chosen)
        audit_log(
            action=AuditAction.LOGIN_SUCCEEDED,
            actor_niss=user.niss,
            assurance_level=identity.assurance_level,
            request=request,
            data={"auth_means": identity.auth_means, "acr": identity.acr},
        )

    # A URL, never a view name: redirect() would try to reverse a "next" such as "-1".
    response = HttpResponseRedirect(safe_next(request, flow.next_url) or reverse("employer:start"))
    if user.language in oidc.LANGUAGES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    mark_logged_in(response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET: the question "Log out?" with the button; POST: end the session here, then at the identity
    provider when it offers RP-initiated logout."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect("portal:home")
        back = safe_next(request, request.GET.get("next"))
        return render(request, "identity/logout_confirm.html", {"back": back})
    id_token = request.session.get(oidc.SESSION_ID_TOKEN)
    logout(request)
    provider_logout = oidc.end_session_url(request, id_token=id_token if isinstance(id_token, str) else "")
    response = HttpResponseRedirect(provider_logout) if provider_logout else redirect("portal:home")
    forget_logged_in(response)
    return response


@never_cache
@require_GET
def session_ended(request: HttpRequest) -> HttpResponse:
    """The session ended (or was never there) when a page needed it: say so, and offer the login that
    brings the user back to ``next``, the page they were on (a link: a GET the CSP lets through)."""
    if request.user.is_authenticated:
        # Logged in again meanwhile (another tab): straight back.
        return HttpResponseRedirect(safe_next(request, request.GET.get("next"), reverse("portal:home")))
    back = safe_next(request, request.GET.get("next"))
    login_url = reverse("identity:login")
    if back:
        login_url = f"{login_url}?{urlencode({'next': back})}"
    response = render(request, "identity/session_ended.html", {"login_url": login_url})
    forget_logged_in(response)
    return response
