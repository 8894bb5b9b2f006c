from django.urls import path

from careerbreak.worker import views

app_name = "worker"

urlpatterns = [
    path("", views.home, name="home"),
    path("ebox/", views.ebox, name="ebox"),
    path("ebox/<str:message_id>/", views.ebox_message, name="ebox_message"),
    path("ebox/<str:message_id>/document", views.ebox_attachment, name="ebox_attachment"),
    path("notices/new/", views.notice_new, name="notice_new"),
]
