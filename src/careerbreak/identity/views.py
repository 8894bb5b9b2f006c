"""OpenID Connect login views (placeholder until the relying party lands)."""

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


def login_start(request: HttpRequest) -> HttpResponse:
    return HttpResponseBadRequest("not yet")


def login_callback(request: HttpRequest) -> HttpResponse:
    return HttpResponseBadRequest("not yet")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")
