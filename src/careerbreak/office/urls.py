"""The employment office's pages (agents and supervisors), under /office/.

Views live in modules of this package by topic: queue_views (work queue, take charge, reassign),
review_views (the review page, attachments), decision_views (approve, refuse, confirm a refusal),
information_views (ask the worker), dashboard_views (supervisors' figures).
"""

from django.urls import path

from careerbreak.office import dashboard_views, information_views

app_name = "office"

urlpatterns: list = [
    path("requests/<str:ticket>/information/", information_views.information_ask, name="information_ask"),
    path(
        "requests/<str:ticket>/information/check/",
        information_views.information_check,
        name="information_check",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
