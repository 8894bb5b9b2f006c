from django.urls import path

from careerbreak.identity import views

app_name = "identity"

urlpatterns = [
    path("login/", views.login_start, name="login"),
    path("callback", views.login_callback, name="callback"),
    path("logout/", views.logout_view, name="logout"),
    path("session-ended/", views.session_ended, name="session_ended"),
]
