"""URLs of the test suite (config.settings_test): the product's, plus the development identity provider
mounted in-process under /devidp/, so that a test client logs in without a second server."""

from django.conf import settings
from django.urls import include, path

from config.urls import urlpatterns as product_urlpatterns

urlpatterns = list(product_urlpatterns)
if settings.DEVIDP_ENABLED:
    urlpatterns.append(path("devidp/", include("careerbreak.devidp.urls")))
