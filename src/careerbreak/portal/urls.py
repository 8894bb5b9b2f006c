from django.urls import path

from careerbreak.portal import verification, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("enterprise/services/", views.enterprise_services, name="enterprise_services"),
    path("language/", views.switch_language, name="switch_language"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    # The public verification of issued documents (printed on each of them: SEAL_VERIFICATION_URL).
    path("verify/", verification.verify, name="verify"),
    path("verify/file/", verification.verify_upload, name="verify_file"),
]
