from django.urls import path

from careerbreak.worker import information_views, part_views, rights_views, views

app_name = "worker"

urlpatterns = [
    path("", views.home, name="home"),
    path("ebox/", views.ebox, name="ebox"),
    path("ebox/<str:message_id>/", views.ebox_message, name="ebox_message"),
    path("ebox/<str:message_id>/document", views.ebox_attachment, name="ebox_attachment"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/new/check/", views.notice_check, name="notice_check"),
    # The worker part of a request filed for the logged-in person (worker/part_views.py).
    path("requests/<str:ticket>/", part_views.part_request, name="part_request"),
    path("requests/<str:ticket>/part/<int:page>/", part_views.part_page, name="part_page"),
    path("requests/<str:ticket>/part/attachments/", part_views.part_attachments, name="part_attachments"),
    path(
        "requests/<str:ticket>/part/attachments/<int:attachment_id>/",
        part_views.part_attachment,
        name="part_attachment",
    ),
    path(
        "requests/<str:ticket>/part/attachments/<int:attachment_id>/remove/",
        part_views.part_attachment_remove,
        name="part_attachment_remove",
    ),
    path("requests/<str:ticket>/part/check/", part_views.part_check, name="part_check"),
    path("requests/<str:ticket>/part/sent/", part_views.part_sent, name="part_sent"),
    # The answer to the employment office's question (worker/information_views.py).
    path(
        "requests/<str:ticket>/information/",
        information_views.information_answer,
        name="information_answer",
    ),
    path(
        "requests/<str:ticket>/information/attachments/<int:attachment_id>/remove/",
        information_views.information_attachment_remove,
        name="information_attachment_remove",
    ),
    path(
        "requests/<str:ticket>/information/check/",
        information_views.information_check,
        name="information_check",
    ),
    path(
        "requests/<str:ticket>/information/sent/", information_views.information_sent, name="information_sent"
    ),
    # "Mes droits": rights used and left, and the attestation of the periods used (worker/rights_views.py).
    path("rights/", rights_views.my_rights, name="rights"),
    path("rights/attestation.pdf", rights_views.rights_attestation, name="rights_attestation"),
]
