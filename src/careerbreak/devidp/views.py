"""Endpoints of the development identity provider (a stand-in for the Federal Authentication Service)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.devidp import protocol
from careerbreak.devidp.clients import Client
from careerbreak.devidp.forms import DEMO_PIN, CitizenLoginForm
from careerbreak.devidp.keys import SIGNING_ALGORITHM, public_jwks
from careerbreak.devidp.protocol import (
    AuthorizationRequest,
    AuthorizationRequestError,
    Means,
    TokenError,
    UntrustedClientError,
)


def issuer(request: HttpRequest) -> str:
    """The issuer identifier: settings.DEVIDP_ISSUER if set, else this provider's address as reached.

    Deriving it from the request lets the same code serve http://testserver/devidp in tests and
    http://127.0.0.1:8001/devidp as its own process.
    """
    configured: str = getattr(settings, "DEVIDP_ISSUER", "")
    return (configured or request.build_absolute_uri(reverse("devidp:index"))).rstrip("/")


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "devidp/index.html", {"issuer": issuer(request)})


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = issuer(request)
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": [SIGNING_ALGORITHM],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(protocol.SCOPES_SUPPORTED),
            "claims_supported": list(protocol.CLAIMS_SUPPORTED),
            "acr_values_supported": [means.acr for means in Means],
        }
    )


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_jwks())


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def _allow_redirect_to_client(response: HttpResponse, client: Client) -> HttpResponse:
    # Browsers apply form-action to the redirect that follows a form submission: the login form
    # ends with a redirect to the client, so its origins are allowed on the page with the form.
    origins = sorted({_origin(uri) for uri in client.redirect_uris})
    response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    try:
        auth_request = protocol.parse_authorization_request(data)
    except UntrustedClientError as refusal:
        return render(
            request, "devidp/error.html", {"message": refusal.message, "page_error": True}, status=400
        )
    except AuthorizationRequestError as refusal:
        return HttpResponseRedirect(refusal.redirect_url())

    if request.method == "POST" and data.get("action") == "cancel":
        return HttpResponseRedirect(
            protocol.error_redirect_url(
                auth_request.redirect_uri,
                auth_request.state,
                "access_denied",
                "The user cancelled the login.",
            )
        )

    means = next((m for m in auth_request.allowed_means if m.value == data.get("means")), None)
    if means is None:
        return _render_login(request, auth_request, means=None, form=None)

    form = CitizenLoginForm(data if request.method == "POST" else None, means=means)
    if request.method == "POST" and form.is_valid():
        code = protocol.issue_code(auth_request, niss=form.chosen_niss, means=means)
        return HttpResponseRedirect(protocol.success_redirect_url(auth_request, code))
    return _render_login(request, auth_request, means=means, form=form)


def _render_login(
    request: HttpRequest,
    auth_request: AuthorizationRequest,
    *,
    means: Means | None,
    form: CitizenLoginForm | None,
) -> HttpResponse:
    query = urlencode(auth_request.params)
    means_links = [
        {
            "means": m.value,
            "url": f"{reverse('devidp:authorize')}?{query}&{urlencode({'means': m.value})}",
            "label": _("Electronic identity card (eID)") if m is Means.EID else "itsme",
        }
        for m in auth_request.allowed_means
    ]
    context: dict[str, Any] = {
        "form": form,
        "means": means.value if means else "",
        "means_links": means_links,
        "choose_means_url": f"{reverse('devidp:authorize')}?{query}",
        "hidden_params": sorted(auth_request.params.items()),
        "demo_pin": DEMO_PIN,
    }
    response = render(request, "devidp/authorize.html", context)
    return _allow_redirect_to_client(response, auth_request.client)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponseBase:
    try:
        client = protocol.authenticate_client(request.headers.get("Authorization", ""))
        if request.POST.get("grant_type") != "authorization_code":
            raise TokenError("unsupported_grant_type", "Only grant_type=authorization_code is supported.")
        code = request.POST.get("code", "")
        if not code:
            raise TokenError("invalid_request", "The code is missing.")
        result = protocol.redeem_code(
            client=client,
            code=code,
            redirect_uri=request.POST.get("redirect_uri", ""),
            code_verifier=request.POST.get("code_verifier", ""),
            issuer=issuer(request),
        )
    except TokenError as refusal:
        response = JsonResponse(refusal.as_dict(), status=refusal.status)
        if refusal.status == 401:
            response["WWW-Authenticate"] = 'Basic realm="devidp"'
        return _no_store(response)
    return _no_store(JsonResponse(result))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> HttpResponseBase:
    scheme, _sep, access_token = request.headers.get("Authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not access_token.strip():
            raise TokenError("invalid_token", "A bearer access token is required.", status=401)
        claims = protocol.userinfo(access_token.strip())
    except TokenError as refusal:
        response = JsonResponse(refusal.as_dict(), status=refusal.status)
        response["WWW-Authenticate"] = f'Bearer error="{refusal.error}"'
        return _no_store(response)
    return _no_store(JsonResponse(claims))


# The provider's own process serves none of the portal's URLs, so the portal's error pages (whose layout
# links to the portal) cannot be rendered there: a CSRF failure or a 404 ended in a server error.
# These pages use the provider's own layout; config.urls_devidp names them.


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, {"page_error": True}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, "devidp/csrf_failure.html", 403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "devidp/bad_request.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "devidp/permission_denied.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "devidp/page_not_found.html", 404)
