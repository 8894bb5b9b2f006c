"""The employment office's pages (agents and supervisors), under /office/.

Views live in modules of this package by topic: queue_views (work queue, take charge, reassign),
review_views (the review page, attachments), decision_views (approve, refuse, confirm a refusal),
information_views (ask the worker), dashboard_views (supervisors' figures).
"""

from django.urls import path  # noqa: F401

app_name = "office"

urlpatterns: list = []
