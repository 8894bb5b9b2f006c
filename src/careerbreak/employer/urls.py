from django.urls import path

from careerbreak.employer import api_clients_views, consultation_views, notices_views, request_views, views

app_name = "employer"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.logged_in, name="logged_in"),
    path("enterprise/", views.choose_enterprise, name="choose_enterprise"),
    path("no-access/", views.no_access, name="no_access"),
    path("company/", views.company, name="company"),
    path("company/corrections/", views.corrections, name="corrections"),
    path("requests/new/", request_views.draft_new, name="draft_new"),
    path("requests/<uuid:draft_id>/worker/", request_views.step_worker, name="step_worker"),
    path("requests/<uuid:draft_id>/type/", request_views.step_type, name="step_type"),
    path("requests/<uuid:draft_id>/leave/", request_views.step_leave, name="step_leave"),
    path("requests/<uuid:draft_id>/confirm/", request_views.step_confirm, name="step_confirm"),
    path("requests/<uuid:draft_id>/delete/", request_views.draft_delete, name="draft_delete"),
    path("tickets/<str:ticket>/", request_views.confirmation, name="confirmation"),
    path("consultation/", consultation_views.consultation, name="consultation"),
    path("consultation/<str:ticket>/", consultation_views.request_detail, name="request_detail"),
    path("consultation/<str:ticket>/modify/", consultation_views.request_modify, name="request_modify"),
    path("consultation/<str:ticket>/cancel/", consultation_views.request_cancel, name="request_cancel"),
    path("consultation/<str:ticket>/v<int:version>.pdf", consultation_views.request_pdf, name="request_pdf"),
    path("notices/", notices_views.notice_list, name="notices"),
    path("notices/<int:notice_id>/", notices_views.notice_answer, name="notice_answer"),
    path("notices/settings/", notices_views.notice_settings, name="notice_settings"),
    path("access/", views.access_manage, name="access"),
    path("access/<int:grant_id>/revoke/", views.access_revoke, name="access_revoke"),
    path("api-clients/", api_clients_views.api_clients, name="api_clients"),
    path("api-clients/new/", api_clients_views.api_client_new, name="api_client_new"),
    path(
        "api-clients/<str:client_id>/rotate/", api_clients_views.api_client_rotate, name="api_client_rotate"
    ),
    path(
        "api-clients/<str:client_id>/revoke/", api_clients_views.api_client_revoke, name="api_client_revoke"
    ),
]
