from django.urls import path

from careerbreak.employer import views

app_name = "employer"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.logged_in, name="logged_in"),
    path("enterprise/", views.choose_enterprise, name="choose_enterprise"),
    path("no-access/", views.no_access, name="no_access"),
    path("company/", views.company, name="company"),
    path("company/corrections/", views.corrections, name="corrections"),
    path("worker/", views.worker, name="worker"),
    path("consultation/", views.consultation, name="consultation"),
    path("access/", views.access_manage, name="access"),
    path("access/<int:grant_id>/revoke/", views.access_revoke, name="access_revoke"),
]
