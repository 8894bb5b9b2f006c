"""The employment office's pages (agents and supervisors), under /office/.

Views live in modules of this package by topic: queue_views (work queue, take charge, reassign),
review_views (the review page, attachments), decision_views (approve, refuse, confirm a refusal),
information_views (ask the worker), dashboard_views (supervisors' figures).
"""

from django.urls import path

from careerbreak.office import (
    dashboard_views,
    decision_views,
    information_views,
    queue_views,
    review_views,
)

app_name = "office"

urlpatterns: list = [
    path("", queue_views.queue, name="queue"),
    path("requests/<str:ticket>/", review_views.review, name="review"),
    path("requests/<str:ticket>/take/", queue_views.take, name="take"),
    path("requests/<str:ticket>/reassign/", queue_views.reassign, name="reassign"),
    path(
        "requests/<str:ticket>/attachments/<int:attachment_id>/",
        review_views.attachment,
        name="attachment",
    ),
    path("requests/<str:ticket>/information/", information_views.information_ask, name="information_ask"),
    path(
        "requests/<str:ticket>/information/check/",
        information_views.information_check,
        name="information_check",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    # Decisions (office/decision_views.py); the ticket as in the worker's URLs: 2026-00000001-51.
    path("requests/<str:ticket>/decision/", decision_views.decision, name="decision"),
    path("requests/<str:ticket>/approve/", decision_views.approve, name="approve"),
    path("requests/<str:ticket>/refuse/", decision_views.refuse, name="refuse"),
    path("requests/<str:ticket>/refusal/", decision_views.refusal_confirm, name="refusal_confirm"),
]
