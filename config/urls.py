from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("careerbreak.portal.urls")),
    path("auth/", include("careerbreak.identity.urls")),
    path("employer/", include("careerbreak.employer.urls")),
    path("worker/", include("careerbreak.worker.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEVIDP_ENABLED and settings.TESTING:
    # In tests the provider is mounted in-process; in `make run` it is its own process (config.urls_devidp).
    urlpatterns.append(path("devidp/", include("careerbreak.devidp.urls")))
