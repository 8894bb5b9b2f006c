from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse

from careerbreak.core import health


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The administration has no passwords: administrators log in with eID or itsme like everyone."""
    if request.user.is_authenticated:
        # Logged in but not staff: refuse, rather than send them round the login again.
        raise PermissionDenied("not an administrator")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("identity:login"))


admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    # Health checks for the process manager and the load balancer (docs/deployment.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Before the site's pages: the URL resolver tries the patterns in order, and an API call (the busiest
    # address of a payroll provider's batch day) then skips the portal's (docs/performance.md).
    path("api/v1/", include("careerbreak.api.urls")),
    path("", include("careerbreak.portal.urls")),
    path("auth/", include("careerbreak.identity.urls")),
    path("employer/", include("careerbreak.employer.urls")),
    path("worker/", include("careerbreak.worker.urls")),
    path("office/", include("careerbreak.office.urls")),
    path("admin/", admin.site.urls),
]
# In tests the provider is mounted in-process (config.urls_test); in `make run` it is its own process
# (config.urls_devidp).
