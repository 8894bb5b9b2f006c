"""The CSRF failure page of whichever URLconf serves the request.

Django has one CSRF_FAILURE_VIEW for the whole project, but two URLconfs run from these settings: the
site (config.urls) and the development identity provider's own process (config.urls_devidp), which has
none of the portal's URLs that the site's page links to. As Django's ``handler404`` does, each URLconf may
name its own page (a module attribute ``csrf_failure``); the portal's is the default.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_urlconf

from careerbreak.portal.views import csrf_failure as portal_csrf_failure


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
    view = getattr(module, "csrf_failure", portal_csrf_failure)
    response: HttpResponse = view(request, reason=reason)
    return response
