"""The request's statuses and the one table of allowed transitions (from, to, who may trigger it).

Only services change a status, through ``transition_allowed``; each change writes a StatusTransition row
and an audit event in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    AWAITING_WORKER = "awaiting_worker", _("Awaiting the worker")
    COMPLETE = "complete", _("Complete")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Actor(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    WORKER = "worker", _("Worker")
    OFFICE = "office", _("Employment office")
    SYSTEM = "system", _("System")


# "" is the state before the request exists (a draft is not a request).
TRANSITIONS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("", Status.AWAITING_WORKER, Actor.EMPLOYER),
        (Status.AWAITING_WORKER, Status.COMPLETE, Actor.WORKER),
        (Status.COMPLETE, Status.UNDER_REVIEW, Actor.OFFICE),
        (Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED, Actor.OFFICE),
        (Status.INFORMATION_REQUESTED, Status.UNDER_REVIEW, Actor.WORKER),
        (Status.INFORMATION_REQUESTED, Status.UNDER_REVIEW, Actor.OFFICE),
        (Status.UNDER_REVIEW, Status.APPROVED, Actor.OFFICE),
        (Status.UNDER_REVIEW, Status.REFUSED, Actor.OFFICE),
        # The employer cancels until the office decides. A modification keeps the status and adds a
        # version (RequestVersion); it is allowed in the same statuses (EMPLOYER_EDITABLE).
        *(
            (s, Status.CANCELLED, Actor.EMPLOYER)
            for s in (
                Status.AWAITING_WORKER,
                Status.COMPLETE,
                Status.UNDER_REVIEW,
                Status.INFORMATION_REQUESTED,
            )
        ),
    }
)

EMPLOYER_EDITABLE = frozenset(
    {Status.AWAITING_WORKER, Status.COMPLETE, Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED}
)

OPEN_STATUSES = frozenset(
    {
        Status.AWAITING_WORKER,
        Status.COMPLETE,
        Status.UNDER_REVIEW,
        Status.INFORMATION_REQUESTED,
        Status.APPROVED,
    }
)


def transition_allowed(from_status: str, to_status: str, actor: str) -> bool:
    return (from_status, to_status, actor) in TRANSITIONS
