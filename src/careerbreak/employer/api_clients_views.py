"""The enterprise's API clients, for its main access manager: list, register, replace the credentials,
revoke. A secret is shown once, in the answer to the POST that made it (never stored, never shown again)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.employer.forms import ApiClientForm, ApiClientKeysForm
from careerbreak.employer.guards import EmployerRequest, enterprise_required
from careerbreak.identity import api_clients as service
from careerbreak.identity.models import ApiClient, ApiScope

View = Callable[..., HttpResponse]


def main_manager_required(view: View) -> View:
    """As ``enterprise_required``, and the main access manager of that enterprise (nobody else)."""

    @enterprise_required()
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cast(EmployerRequest, request).enterprise_access.is_main_access_manager:
            raise PermissionDenied("not the main access manager")
        return view(request, *args, **kwargs)

    return wrapped


def _secret_page(request: HttpRequest, client: ApiClient, secret: str) -> HttpResponse:
    response = render(
        request,
        "employer/api_client_secret.html",
        {"client": client, "secret": secret, "token_url": request.build_absolute_uri(reverse("api:token"))},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
@main_manager_required
def api_clients(request: HttpRequest) -> HttpResponse:
    """The enterprise's API clients, active and revoked."""
    acting = cast(EmployerRequest, request).acting
    rows = [
        (client, ", ".join(str(ApiScope(scope).label) for scope in client.scopes if scope in ApiScope.values))
        for client in service.api_clients_for(acting=acting)
    ]
    return render(request, "employer/api_clients.html", {"rows": rows, "access": acting.access})


@require_http_methods(["GET", "POST"])
@main_manager_required
def api_client_new(request: HttpRequest) -> HttpResponse:
    """Register a client; a secret client's secret is shown on the answer, once."""
    acting = cast(EmployerRequest, request).acting
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = service.api_client_register(
                acting=acting,
                name=data["name"],
                auth_method=data["auth_method"],
                scopes=data["scopes"],
                jwks=data["jwks"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            if secret:
                return _secret_page(request, client, secret)
            messages.success(request, _("The API client is registered."))
            return redirect("employer:api_clients")
    return render(request, "employer/api_client_new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@main_manager_required
def api_client_rotate(request: HttpRequest, client_id: str) -> HttpResponse:
    """Replace a client's secret (shown once) or its public keys; its live tokens stop working."""
    acting = cast(EmployerRequest, request).acting
    try:
        client = service.api_client_for(acting=acting, client_id=client_id)
    except NotFound:
        raise Http404("no such client") from None
    uses_keys = client.auth_method == ApiClient.AuthMethod.PRIVATE_KEY_JWT
    form = ApiClientKeysForm(request.POST if request.method == "POST" and uses_keys else None)
    if request.method == "POST" and (not uses_keys or form.is_valid()):
        try:
            client, secret = service.api_client_rotate(
                acting=acting, client_id=client_id, jwks=form.cleaned_data["jwks"] if uses_keys else None
            )
        except NotFound:
            raise Http404("no such client") from None
        if secret:
            return _secret_page(request, client, secret)
        messages.success(request, _("The client's public keys are replaced."))
        return redirect("employer:api_clients")
    return render(
        request,
        "employer/api_client_rotate.html",
        {"client": client, "form": form if uses_keys else None},
        status=400 if form.errors else 200,
    )


@require_POST
@main_manager_required
def api_client_revoke(request: HttpRequest, client_id: str) -> HttpResponse:
    try:
        service.api_client_revoke(acting=cast(EmployerRequest, request).acting, client_id=client_id)
    except NotFound:
        raise Http404("no such client") from None
    messages.success(request, _("The API client is revoked: its tokens no longer work."))
    return redirect("employer:api_clients")
