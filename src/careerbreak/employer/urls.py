from django.urls import path

from careerbreak.employer import views

app_name = "employer"

urlpatterns = [
    path("", views.start, name="start"),
    path("enterprise/", views.start, name="choose_enterprise"),
]
