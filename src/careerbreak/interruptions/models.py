"""The request aggregate: drafts of the employer part, confirmed requests with their ticket, transitions."""

from __future__ import annotations

import datetime
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.models import ChoiceLabels
from careerbreak.interruptions.drafts import DraftData
from careerbreak.interruptions.states import Actor, NoticeStatus, Status
from careerbreak.interruptions.worker_part_data import WorkerPartData
from careerbreak.vocabularies import LeaveForm, LeaveType


def draft_expiry() -> datetime.datetime:
    return timezone.now() + timedelta(days=settings.DRAFT_TTL_DAYS)


class DraftQuerySet(models.QuerySet["Draft"]):
    def live(self) -> DraftQuerySet:
        # A draft confirmed into a request, or into a version of one (a modification), is closed.
        return self.filter(expires_at__gt=timezone.now(), request__isnull=True, request_version__isnull=True)


class Draft(models.Model):
    """The employer part while it is being filled in: saved at every step, resumable, expiring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    enterprise = models.ForeignKey("registries.Enterprise", on_delete=models.CASCADE, related_name="+")
    # The step reached (4 worker, 5 type, 6 leave data, 7 confirmation) and the values entered so far.
    step = models.PositiveSmallIntegerField(default=4)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(default=draft_expiry, db_index=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "enterprise", "-updated_at"])]

    def __str__(self) -> str:
        return f"draft {self.id} ({self.step})"

    @property
    def content(self) -> DraftData:
        """The values entered, typed (`interruptions/drafts.py`); drafts saved in an older shape upgraded."""
        return DraftData.from_json(self.data)

    @content.setter
    def content(self, value: DraftData) -> None:
        self.data = value.to_json()


class TicketCounter(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class LeaveRequest(ChoiceLabels):
    """A confirmed employer part, identified by its ticket. Never deleted.

    Its columns hold the current version; every version (the original, each modification, the
    cancellation) is kept as a RequestVersion with its own PDF and eBox message.
    """

    ticket = models.CharField(_("ticket"), max_length=16, unique=True)
    # Confirming the same draft twice (double click, two tabs, resubmitted form) finds this row.
    draft = models.OneToOneField(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    enterprise = models.ForeignKey(
        "registries.Enterprise", on_delete=models.PROTECT, related_name="leave_requests"
    )
    worker = models.ForeignKey("registries.Person", on_delete=models.PROTECT, related_name="leave_requests")
    worker_status = models.CharField(_("worker status"), max_length=32)
    joint_committee = models.CharField(_("joint committee"), max_length=8)
    kind = models.CharField(_("kind of request"), max_length=16, default="new")
    extends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="extensions"
    )
    leave_type = models.CharField(_("type of interruption"), max_length=32, choices=LeaveType.choices)
    form = models.CharField(_("form of the interruption"), max_length=8, choices=LeaveForm.choices)
    notice_date = models.DateField(_("date of the written notice"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # Type-specific declarations (child, agreement, regime…) as entered in step 6.
    details = models.JSONField(default=dict)
    # Warnings the rules found at confirmation (errors block confirmation).
    findings = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    certified_at = models.DateTimeField()
    certification_text = models.TextField()
    certification_version = models.CharField(max_length=16)
    assurance_level = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The employment office that decides: the one of the worker's domicile when the request was filed
    # (registries.sources.office_for_postcode). None: the domicile is in no office's area.
    office = models.ForeignKey(
        "registries.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    # The agent who holds the file (took it with "Prendre en charge", or was given it by a supervisor).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # When the request became Complete (the worker sent their part): the office's work queue is in this
    # order, oldest first. Set once, by the move to Complete (worker_part._complete).
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "-created_at", "-id"]),
            models.Index(fields=["worker", "start_date"]),
            # The office's work queue (interruptions/office_queue.py): an agent's office, a supervisor's
            # every office, oldest first, only the statuses the queue shows (a small part of the table).
            models.Index(
                fields=["office", "queued_at", "id"],
                condition=Q(status__in=["complete", "under_review", "information_requested"]),
                name="office_queue",
            ),
            models.Index(
                fields=["queued_at", "id"],
                condition=Q(status__in=["complete", "under_review", "information_requested"]),
                name="office_queue_all",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="request_dates_ordered"
            ),
            # Two users confirming the same leave at once: the database keeps one.
            models.UniqueConstraint(
                fields=["worker", "leave_type", "start_date"],
                condition=~Q(status=Status.CANCELLED),
                name="one_open_request_per_worker_type_start",
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def slug(self) -> str:
        """The ticket as it stands in URLs: 2026-00000001-51."""
        return self.slug_of(self.ticket)

    @staticmethod
    def slug_of(ticket: str) -> str:
        return ticket.replace("/", "-")


class RequestVersion(models.Model):
    """One version of the employer part as certified: what was declared, by whom, with which assurance."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original request")
        MODIFICATION = "modification", _("Modification")
        CANCELLATION = "cancellation", _("Cancellation")

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    # The draft a modification was confirmed from: confirming it again finds this version.
    draft = models.OneToOneField(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="request_version"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The declared data of this version (type, form, dates, details, worker status, joint committee).
    snapshot = models.JSONField()
    findings = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assurance_level = models.PositiveSmallIntegerField()
    # The API client that filed this version (by its client_id), when it came through the API: the
    # document names it and its enterprise instead of a login's assurance level.
    api_client = models.ForeignKey(
        "identity.ApiClient",
        to_field="client_id",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    certification_text = models.TextField()
    certification_version = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="one_version_number_per_request")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} v{self.number} ({self.kind})"


class Transition(models.Model):
    """One change of status of an aggregate: from, to, by whom (role and person), why. Written by
    ``interruptions.transitions.transition`` only, in the transaction of the change."""

    from_status = models.CharField(max_length=32, blank=True)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    actor_niss = models.CharField(max_length=11, blank=True)
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]


class StatusTransition(Transition):
    """The request's transitions (interruptions/states.py, ``TRANSITIONS``)."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="transitions")
    to_status = models.CharField(max_length=32, choices=Status.choices)

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '∅'} → {self.to_status}"


class NoticeSettings(models.Model):
    """An employer's choice to receive workers' written notices electronically (opt-in)."""

    enterprise = models.OneToOneField(
        "registries.Enterprise", on_delete=models.CASCADE, related_name="notice_settings"
    )
    accepts_electronic_notices = models.BooleanField(_("accepts electronic notices"), default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by_niss = models.CharField(max_length=11, blank=True)

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.accepts_electronic_notices}"


class WorkerNotice(models.Model):
    """A worker's written notice sent electronically to the employer ("Avertissements à traiter")."""

    Status = NoticeStatus

    worker = models.ForeignKey("registries.Person", on_delete=models.PROTECT, related_name="notices")
    enterprise = models.ForeignKey("registries.Enterprise", on_delete=models.PROTECT, related_name="notices")
    leave_type = models.CharField(_("type of interruption"), max_length=32, choices=LeaveType.choices)
    form = models.CharField(_("form of the interruption"), max_length=8, choices=LeaveForm.choices)
    start_date = models.DateField(_("start date"))
    months = models.PositiveSmallIntegerField(_("duration in months"))
    message = models.TextField(_("message to the employer"), blank=True, max_length=2000)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SENT, db_index=True)
    answer_reason = models.TextField(blank=True)
    proposed_start_date = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_niss = models.CharField(max_length=11, blank=True)
    # The draft of the employer part started when the employer accepted.
    draft = models.OneToOneField(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "status", "-sent_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(months__gte=1) & Q(months__lte=60), name="notice_months_range")
        ]

    def __str__(self) -> str:
        return f"notice {self.pk} {self.leave_type} {self.start_date}"

    @property
    def end_date(self) -> datetime.date:
        """The last day of the leave asked for: ``months`` calendar months from the start."""
        from fractions import Fraction

        from careerbreak.interruptions.rules.dates import end_for

        return end_for(self.start_date, Fraction(self.months))


class NoticeTransition(Transition):
    """A notice's transitions (interruptions/states.py, ``NOTICE_TRANSITIONS``)."""

    notice = models.ForeignKey(WorkerNotice, on_delete=models.CASCADE, related_name="transitions")
    to_status = models.CharField(max_length=24, choices=NoticeStatus.choices)

    def __str__(self) -> str:
        return f"notice {self.notice_id}: {self.from_status or '∅'} → {self.to_status}"


class WorkerPart(models.Model):
    """The worker part of a request: a draft saved at every page, then submitted once (DOMAIN §3).

    ``data`` holds the worker's answers as `interruptions.worker_part.WorkerPartData` writes them (typed,
    versioned); they are the worker's private data: the employer sees only that the part is complete and
    when (``submitted_at``).
    """

    request = models.OneToOneField(LeaveRequest, on_delete=models.CASCADE, related_name="worker_part")
    # The page reached (1 identity, 2 household, 3 the type's needs, 4 activities, 5 payment, 6 summary).
    step = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Sent more than 2 months after the start: the allowance starts only on the day it was sent.
    late = models.BooleanField(default=False)
    certification_text = models.TextField(blank=True)
    certification_version = models.CharField(max_length=16, blank=True)
    assurance_level = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"worker part of {self.request_id} ({'submitted' if self.submitted_at else self.step})"

    @property
    def content(self) -> WorkerPartData:
        """The answers, typed (`interruptions/worker_part_data.py`); older shapes upgraded on read."""
        return WorkerPartData.from_json(self.data)

    @content.setter
    def content(self, value: WorkerPartData) -> None:
        self.data = value.to_json()


class AttachmentImmutable(Exception):
    """Someone tried to change a stored attachment (it can only be removed, before the part is sent)."""


class Attachment(models.Model):
    """A file the worker attached to their part (a certificate, an attestation): PDF, JPEG or PNG,
    recognised by its content (`interruptions/attachments.py`), stored once with its SHA-256 like the
    documents. The worker's private data: never shown to the employer."""

    part = models.ForeignKey(WorkerPart, on_delete=models.CASCADE, related_name="attachments")
    # Sent with the answer to the office's question (None: sent with the worker part itself).
    information_request = models.ForeignKey(
        "InformationRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    # What it proves (`interruptions.attachments.AttachmentKind`): a required attestation or "other".
    kind = models.CharField(max_length=32)
    # The name the worker gave the file, only to show it back (never used to find or serve it).
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=32)
    # Through the default storage, like the documents (a folder, or object storage with DOCUMENTS_STORAGE=s3).
    file = models.FileField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["part", "sha256"], name="one_attachment_per_content"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_shape"
            ),
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk} of worker part {self.part_id} ({self.kind})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AttachmentImmutable("A stored attachment is never changed: remove it and attach another.")
        super().save(*args, **kwargs)


class AllowanceRate(models.Model):
    """One line of the versioned rate table: the gross monthly allowance for a scheme, a form and a
    category, from a date (indexation adds lines, never changes one). Loaded by
    ``manage.py import_allowance_rates``."""

    # Which allowance: the leave type's family (``interruptions.allowance``) and its form.
    scheme = models.CharField(_("scheme"), max_length=32)
    form = models.CharField(_("form of the interruption"), max_length=8, choices=LeaveForm.choices)
    # Who: "standard", "single_parent", an age band, … (``interruptions.allowance.Category``).
    category = models.CharField(_("category"), max_length=32)
    monthly_amount = models.DecimalField(_("gross monthly amount"), max_digits=9, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    # Figures not confirmed against the official table (the demo's, domain-research §4).
    provisional = models.BooleanField(_("provisional"), default=False)
    source = models.CharField(_("source"), max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "form", "category", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "form", "category", "valid_from"],
                name="one_rate_per_scheme_form_category_day",
            ),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.form} {self.category} from {self.valid_from}: {self.monthly_amount}"


class Decision(models.Model):
    """The office's decision on a request (the C62 letter). An approval is final at once; a refusal is
    proposed by one agent and becomes final when a second agent confirms it (four eyes)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class State(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting a second agent's confirmation")
        FINAL = "final", _("Final")
        # The second agent did not confirm the proposed refusal: the file is back under review.
        SENT_BACK = "sent_back", _("Sent back")

    request = models.ForeignKey(LeaveRequest, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    state = models.CharField(max_length=24, choices=State.choices)
    # Approved: with an allowance (its periods below), or without one and why
    # (``interruptions.allowance.NoAllowanceReason``).
    with_allowance = models.BooleanField(default=True)
    no_allowance_reason = models.CharField(max_length=32, blank=True)
    # Refused: the codes of ``interruptions.refusals`` (each with its legal reference).
    refusal_reasons = models.JSONField(default=list)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A refusal the second agent did not confirm (``confirmed_by`` is then who sent it back): why.
    sent_back_reason = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["request", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(state="final"), name="one_final_decision_per_request"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state="awaiting_confirmation"),
                name="one_pending_decision_per_request",
            ),
            # Four eyes: whoever confirms a refusal is not whoever proposed it.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("decided_by")),
                name="decision_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"decision {self.pk} on {self.request_id}: {self.outcome} ({self.state})"


class AllowancePeriod(models.Model):
    """A stretch of an approved leave paid at one monthly amount (a rate change splits the leave)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="periods")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    monthly_amount = models.DecimalField(_("gross monthly amount"), max_digits=9, decimal_places=2)
    rate = models.ForeignKey(AllowanceRate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decision", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="allowance_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}: {self.monthly_amount}"


class InformationRequest(models.Model):
    """The office's question to the worker, with a deadline; the worker answers on their pages (text
    and attachments) and the file returns to review."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.PROTECT, related_name="information_requests")
    question = models.TextField(_("question"), max_length=4000)
    deadline = models.DateField(_("answer by"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(answered_at__isnull=True),
                name="one_open_question_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"question {self.pk} on {self.request_id} (by {self.deadline})"


class Batch(models.Model):
    """Employer parts an API client sent in one call (``POST /batches``), filed one by one by a task.

    Each item is independent: a refused item keeps its problems, the others are filed. Who acts is
    rebuilt for each item from the client and the item's enterprise (the mandate is checked on the day
    the item is filed)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PROCESSING = "processing", _("Processing")
        DONE = "done", _("Done")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("identity.ApiClient", on_delete=models.PROTECT, related_name="batches")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class BatchItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        FILED = "filed", _("Filed")
        REFUSED = "refused", _("Refused")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    index = models.PositiveIntegerField()
    # The item as sent (the body of POST /requests).
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    request = models.ForeignKey(
        LeaveRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    problems = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "index"]
        indexes = [models.Index(fields=["batch", "state", "index"])]
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="one_item_per_batch_index")]

    def __str__(self) -> str:
        return f"{self.batch_id} #{self.index}"


class RequestEvent(models.Model):
    """Something that happened to a request or a notice of an enterprise, as API clients follow it
    (``GET /events``, webhooks): written by the service that made it happen, in its transaction
    (``interruptions.events.record_event``; ADR 0021). Never amounts, never a person's data: the
    client reads the request itself for that."""

    id = models.BigAutoField(primary_key=True)
    enterprise = models.ForeignKey("registries.Enterprise", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    ticket = models.CharField(max_length=32, blank=True)
    notice = models.ForeignKey(
        WorkerNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)
    # The local day, to compare with a mandate's dates.
    occurred_on = models.DateField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["enterprise", "id"], name="event_enterprise_id")]

    def __str__(self) -> str:
        return f"event {self.pk} {self.type} {self.ticket or self.notice_id}"
