"""The statuses of the request and of the worker's notice, and their tables of allowed transitions.

Each table maps (from, to, who may trigger it) to the audit code the change writes. Only services change a
status, through ``interruptions.transitions.transition``, which checks the table and writes the status,
its transition row and its audit event in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careerbreak.core.audit_actions import AuditAction


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


# The employer modifies (a new version, the status kept) or cancels until the office decides.
EMPLOYER_EDITABLE = frozenset(
    {Status.AWAITING_WORKER, Status.COMPLETE, Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED}
)

# "" is the state before the request exists (a draft is not a request).
TRANSITIONS: Mapping[tuple[str, str, str], AuditAction] = {
    ("", Status.AWAITING_WORKER, Actor.EMPLOYER): AuditAction.REQUEST_CONFIRMED,
    (Status.AWAITING_WORKER, Status.COMPLETE, Actor.WORKER): AuditAction.REQUEST_COMPLETED,
    (Status.COMPLETE, Status.UNDER_REVIEW, Actor.OFFICE): AuditAction.REQUEST_REVIEW_STARTED,
    (
        Status.UNDER_REVIEW,
        Status.INFORMATION_REQUESTED,
        Actor.OFFICE,
    ): AuditAction.REQUEST_INFORMATION_REQUESTED,
    (
        Status.INFORMATION_REQUESTED,
        Status.UNDER_REVIEW,
        Actor.WORKER,
    ): AuditAction.REQUEST_INFORMATION_SUPPLIED,
    (Status.INFORMATION_REQUESTED, Status.UNDER_REVIEW, Actor.OFFICE): AuditAction.REQUEST_REVIEW_RESUMED,
    (Status.UNDER_REVIEW, Status.APPROVED, Actor.OFFICE): AuditAction.REQUEST_APPROVED,
    (Status.UNDER_REVIEW, Status.REFUSED, Actor.OFFICE): AuditAction.REQUEST_REFUSED,
    # The employer cancels until the office decides (a modification keeps the status: no transition).
    **{(s, Status.CANCELLED, Actor.EMPLOYER): AuditAction.REQUEST_CANCELLED for s in EMPLOYER_EDITABLE},
}

OPEN_STATUSES = frozenset(
    {
        Status.AWAITING_WORKER,
        Status.COMPLETE,
        Status.UNDER_REVIEW,
        Status.INFORMATION_REQUESTED,
        Status.APPROVED,
    }
)


class NoticeStatus(models.TextChoices):
    """A worker's notice to the employer (``WorkerNotice``)."""

    # A context of their own: in French a notice ("avertissement") is masculine, a request feminine.
    SENT = "sent", pgettext_lazy("notice status", "To handle")
    ACCEPTED = "accepted", pgettext_lazy("notice status", "Accepted")
    REFUSED = "refused", pgettext_lazy("notice status", "Refused")
    POSTPONEMENT_PROPOSED = "postponement_proposed", pgettext_lazy("notice status", "Postponement proposed")


# The worker sends; the employer answers once (reading a notice is audited, it does not change its status).
NOTICE_TRANSITIONS: Mapping[tuple[str, str, str], AuditAction] = {
    ("", NoticeStatus.SENT, Actor.WORKER): AuditAction.NOTICE_SENT,
    (NoticeStatus.SENT, NoticeStatus.ACCEPTED, Actor.EMPLOYER): AuditAction.NOTICE_ACCEPTED,
    (NoticeStatus.SENT, NoticeStatus.REFUSED, Actor.EMPLOYER): AuditAction.NOTICE_REFUSED,
    (NoticeStatus.SENT, NoticeStatus.POSTPONEMENT_PROPOSED, Actor.EMPLOYER): (
        AuditAction.NOTICE_POSTPONEMENT_PROPOSED
    ),
}
