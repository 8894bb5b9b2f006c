from django.urls import path

from careerbreak.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("enterprise/services/", views.enterprise_services, name="enterprise_services"),
    path("language/", views.switch_language, name="switch_language"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
]
