"""The employment office's pages (agents and supervisors), under /office/.

Views live in modules of this package by topic: queue_views (work queue, take charge, reassign),
review_views (the review page, attachments), decision_views (approve, refuse, confirm a refusal),
information_views (ask the worker), dashboard_views (supervisors' figures).
"""

from django.urls import path

from careerbreak.office import decision_views

app_name = "office"

urlpatterns: list = [
    # Decisions (office/decision_views.py); the ticket as in the worker's URLs: 2026-00000001-51.
    path("requests/<str:ticket>/decision/", decision_views.decision, name="decision"),
    path("requests/<str:ticket>/approve/", decision_views.approve, name="approve"),
    path("requests/<str:ticket>/refuse/", decision_views.refuse, name="refuse"),
    path("requests/<str:ticket>/refusal/", decision_views.refusal_confirm, name="refusal_confirm"),
]
