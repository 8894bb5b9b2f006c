from django.urls import path

from careerbreak.devidp import views

app_name = "devidp"

urlpatterns = [
    path("", views.index, name="index"),
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("jwks", views.jwks, name="jwks"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
    path("userinfo", views.userinfo, name="userinfo"),
]
