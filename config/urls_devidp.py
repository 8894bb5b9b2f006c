"""URLs of the development identity provider process (CAREERBREAK_URLCONF=config.urls_devidp)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from django.views.i18n import set_language

if not settings.DEVIDP_ENABLED:
    raise ImproperlyConfigured("The development identity provider is disabled (DEVIDP_ENABLED=false).")

urlpatterns = [
    path("devidp/", include("careerbreak.devidp.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]
