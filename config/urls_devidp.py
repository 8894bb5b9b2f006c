"""URLs of the development identity provider process (CAREERBREAK_URLCONF=config.urls_devidp)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from django.views.i18n import set_language

if not settings.DEVIDP_ENABLED:
    raise ImproperlyConfigured("The development identity provider is disabled (DEVIDP_ENABLED=false).")

# Only now: the provider's views need its app, which is not installed when it is disabled.
from careerbreak.devidp import views

urlpatterns = [
    path("devidp/", include("careerbreak.devidp.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

# Its own error pages: the site's link to the portal, whose URLs this process does not serve.
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
csrf_failure = views.csrf_failure  # config.errors.csrf_failure picks it (CSRF_FAILURE_VIEW)
