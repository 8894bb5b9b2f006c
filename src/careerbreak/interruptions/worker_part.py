"""The worker part of a request (DOMAIN §3): reads and writes for the worker who completes it.

Selectors take the acting worker and only ever find requests filed for their own national number.
``worker_part_save`` keeps the answers of one page (a draft resumable after a new login);
``worker_part_submit`` certifies them, moves the request from *Awaiting the worker* to *Complete* and
sends the acknowledgement to the worker's eBox, in one transaction.

Deadlines (domain-research §3): the worker part cannot be sent earlier than 6 months before the start of
the leave; it must reach the office within 2 months after the start. A later part is still accepted and
marked late: the allowance then starts only on the day it was sent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import LeaveRequest, WorkerPart
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.interruptions.worker_part_data import (
    ACTIVITIES,
    HOUSEHOLD,
    IDENTITY,
    NEEDS,
    PAGES,
    PAYMENT,
    Activity,
    ActivityKind,
    DomicileZone,
    Household,
    HouseholdAnswer,
    Identity,
    Needs,
    Payment,
    WorkerPartData,
)
from careerbreak.vocabularies import LeaveForm, LeaveType

# The certification the worker ticks before *Confirmer*. A new wording is a new version.
CERTIFICATION_TEXT = _(
    "I certify on my honour that the data entered are accurate and complete, and I undertake to report "
    "any change to the employment office."
)
CERTIFICATION_VERSION = "2026-1"

SEND_FROM_MONTHS = 6
DEADLINE_MONTHS = 2

# What page 3 asks for, by type of leave.
CHILD, PATIENT, HELPED, TRAINING = "child", "patient", "helped", "training"
NEEDS_BY_TYPE: dict[str, str] = {
    LeaveType.PARENTAL: CHILD,
    LeaveType.TC_CHILD_CARE: CHILD,
    LeaveType.TC_DISABLED_CHILD: CHILD,
    LeaveType.TC_SERIOUSLY_ILL_MINOR: CHILD,
    LeaveType.MEDICAL_ASSISTANCE: PATIENT,
    LeaveType.PALLIATIVE: PATIENT,
    LeaveType.TC_PALLIATIVE: PATIENT,
    LeaveType.TC_SERIOUS_ILLNESS: PATIENT,
    LeaveType.CAREGIVER: HELPED,
    LeaveType.TC_TRAINING: TRAINING,
}
# The thematic leaves, for which a single parent receives a higher allowance.
THEMATIC = frozenset(
    {LeaveType.PARENTAL, LeaveType.MEDICAL_ASSISTANCE, LeaveType.PALLIATIVE, LeaveType.CAREGIVER}
)

_Section = Identity | HouseholdAnswer | Needs | tuple[Activity, ...] | Payment
_FIELD_OF_PAGE = {
    IDENTITY: "identity",
    HOUSEHOLD: "household",
    NEEDS: "needs",
    ACTIVITIES: "activities",
    PAYMENT: "payment",
}


def needs_of(leave_type: str) -> str:
    """What page 3 asks for this type ("" when the type needs nothing more)."""
    return NEEDS_BY_TYPE.get(leave_type, "")


# -- deadlines ---------------------------------------------------------------------------------------


def sendable_from(start: datetime.date) -> datetime.date:
    """The first day the worker part can be sent: 6 months before the start."""
    return add_months(start, -SEND_FROM_MONTHS)


def deadline(start: datetime.date) -> datetime.date:
    """The last day the worker part reaches the office in time: 2 months after the start."""
    return add_months(start, DEADLINE_MONTHS)


def is_late(start: datetime.date, on: datetime.date) -> bool:
    return on > deadline(start)


# -- what the worker is told before confirming ----------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Something the worker must know before confirming, on the page it concerns."""

    page: int
    message: str
    # It rules the allowance out (not only limits it or informs).
    no_allowance: bool = False


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def notices_for(
    leave_request: LeaveRequest, content: WorkerPartData, *, today: datetime.date
) -> list[Notice]:
    """What the answers mean for the allowance, with the rule (domain-research §1.5, §3), in the active
    language."""
    out: list[Notice] = []
    identity = content.identity
    if identity is not None and not identity.allowance_possible:
        out.append(
            Notice(
                IDENTITY,
                gettext(
                    "Your domicile is outside Belgium, the European Economic Area and Switzerland: your "
                    "leave can go on, but no interruption allowance is paid (an allowance requires a "
                    "domicile in Belgium, the EEA or Switzerland)."
                ),
                no_allowance=True,
            )
        )
    household = content.household
    if (
        household is not None
        and household.situation == Household.ONLY_CHILDREN
        and leave_request.leave_type in THEMATIC
    ):
        out.append(
            Notice(
                HOUSEHOLD,
                gettext(
                    "You live only with your dependent children: for this thematic leave, the allowance "
                    "of a single parent is higher."
                ),
            )
        )
    for activity in content.activities or ():
        notice = _activity_notice(leave_request, activity)
        if notice is not None:
            out.append(notice)
    if is_late(leave_request.start_date, today):
        out.append(
            Notice(
                0,
                gettext(
                    "The worker part had to reach the office by %(deadline)s (2 months after the start of "
                    "the leave). You can still send it, but it is late: the allowance then starts only on "
                    "the day you send it."
                )
                % {"deadline": _day(deadline(leave_request.start_date))},
            )
        )
    return out


def _activity_notice(leave_request: LeaveRequest, activity: Activity) -> Notice | None:
    if activity.kind == ActivityKind.PENSION:
        return Notice(
            ACTIVITIES,
            gettext(
                "An interruption allowance cannot be combined with a pension (a survivor's pension only "
                "for 12 months, once). Unless your benefit is a survivor's pension, no allowance is paid "
                "while you receive it."
            ),
            no_allowance=True,
        )
    if activity.kind != ActivityKind.SELF_EMPLOYED:
        return None
    if leave_request.form == LeaveForm.FULL:
        return Notice(
            ACTIVITIES,
            gettext(
                "With a full suspension, the allowance can be combined with a complementary self-employed "
                "activity for at most 12 months (for a time credit, the activity must have existed for a "
                "year before the start)."
            ),
        )
    if activity.start > add_months(leave_request.start_date, -12):
        return Notice(
            ACTIVITIES,
            gettext(
                "With a partial interruption, the allowance can be combined with a complementary "
                "self-employed activity only if it existed for 12 months before the start of the leave. "
                "Yours started on %(start)s: no allowance is paid while you carry it on."
            )
            % {"start": _day(activity.start)},
            no_allowance=True,
        )
    months = 24 if leave_request.form == LeaveForm.HALF else 60
    return Notice(
        ACTIVITIES,
        gettext(
            "With this partial interruption, the allowance can be combined with your complementary "
            "self-employed activity for at most %(months)s months."
        )
        % {"months": months},
    )


# -- selectors ---------------------------------------------------------------------------------------


def requests_to_complete(*, acting: Acting) -> list[LeaveRequest]:
    """The employer parts filed for the acting person that await their part, oldest start first."""
    return list(
        LeaveRequest.objects.filter(worker__niss=acting.niss, status=Status.AWAITING_WORKER)
        .select_related("enterprise")
        .order_by("start_date", "id")
    )


@dataclass(frozen=True)
class ToComplete:
    """A request awaiting the worker's part, with its deadlines, for the worker's home."""

    request: LeaveRequest
    sendable_from: datetime.date
    deadline: datetime.date
    started: bool
    late: bool


def to_complete(*, acting: Acting, today: datetime.date | None = None) -> list[ToComplete]:
    """ "Requests to complete": every employer part filed for the acting person that awaits their part."""
    day = today or timezone.localdate()
    requests = requests_to_complete(acting=acting)
    started = set(WorkerPart.objects.filter(request__in=requests).values_list("request_id", flat=True))
    return [
        ToComplete(
            request=item,
            sendable_from=sendable_from(item.start_date),
            deadline=deadline(item.start_date),
            started=item.pk in started,
            late=is_late(item.start_date, day),
        )
        for item in requests
    ]


def request_of_worker(*, acting: Acting, ticket: str) -> LeaveRequest:
    """One request filed for the acting person; NotFound for anyone else's (the same for each)."""
    leave_request = (
        LeaveRequest.objects.select_related("enterprise", "worker")
        .filter(worker__niss=acting.niss, ticket=ticket)
        .first()
    )
    if leave_request is None or not acting.niss:
        raise NotFound("request not found")
    return leave_request


def worker_part_of(leave_request: LeaveRequest) -> WorkerPart | None:
    return WorkerPart.objects.filter(request=leave_request).first()


# -- writes ------------------------------------------------------------------------------------------


def worker_part_save(*, acting: Acting, ticket: str, page: int, section: _Section) -> WorkerPart:
    """Keep the answers of one page; the draft is created with the first page saved.

    Raises NotFound (not the acting person's request), DomainError (the request no longer awaits the
    worker). Audited (which page, not its values).
    """
    if page not in PAGES:
        raise ValueError(f"No page {page} in the worker part.")
    with transaction.atomic():
        leave_request = request_of_worker(acting=acting, ticket=ticket)
        leave_request = LeaveRequest.objects.select_for_update().get(pk=leave_request.pk)
        if leave_request.status != Status.AWAITING_WORKER:
            raise DomainError(
                _("This request no longer awaits your part: it was completed or cancelled."),
                code="not_awaiting",
            )
        part, _created = WorkerPart.objects.get_or_create(request=leave_request)
        part.content = part.content.replace(**{_FIELD_OF_PAGE[page]: section})
        part.step = max(part.step, page + 1)
        part.save(update_fields=["data", "step", "updated_at"])
        audit_log(
            action=AuditAction.WORKER_PART_SAVED,
            acting=acting,
            subject_niss=acting.niss,
            object_type="leave_request",
            object_id=leave_request.ticket,
            data={"page": page},
        )
    return part


def worker_part_submit(
    *, acting: Acting, ticket: str, certified: bool, today: datetime.date | None = None
) -> LeaveRequest:
    """Certify the worker part: the request goes from *Awaiting the worker* to *Complete*.

    Idempotent: submitting a part already submitted returns the request as it is (a double click sends
    one acknowledgement). Raises NotFound (not the acting person's request), DomainError (not certified,
    a page not answered, too early — before 6 months before the start —, or the request no longer awaits
    the worker). In one transaction: the part's certification, the transition row, the audit event and
    the acknowledgement message in the outbox (its PDF is rendered when it is delivered).
    """
    if not certified:
        raise DomainError(
            _("Tick the box to certify that the data are accurate and complete."),
            code="not_certified",
            field="certified",
        )
    day = today or timezone.localdate()
    with transaction.atomic():
        leave_request = request_of_worker(acting=acting, ticket=ticket)
        leave_request = (
            LeaveRequest.objects.select_for_update()
            .select_related("enterprise", "worker")
            .get(pk=leave_request.pk)
        )
        part = WorkerPart.objects.select_for_update().filter(request=leave_request).first()
        if part is not None and part.submitted_at is not None:
            return leave_request
        if part is None or not part.content.complete:
            raise DomainError(_("Answer every page before confirming."), code="incomplete")
        from careerbreak.interruptions.attachments import missing_attachments

        missing = missing_attachments(part)
        if missing:
            raise DomainError(
                _("Attach the documents this request requires before confirming: %(names)s.")
                % {"names": "; ".join(requirement.label for requirement in missing)},
                code="attachment_missing",
            )
        if day < sendable_from(leave_request.start_date):
            raise DomainError(
                _("The worker part can be sent from %(date)s (6 months before the start of the leave).")
                % {"date": _day(sendable_from(leave_request.start_date))},
                code="too_early",
            )
        part.submitted_at = timezone.now()
        part.late = is_late(leave_request.start_date, day)
        # Kept in its source wording (the message id), whatever language the worker used: the
        # acknowledgement translates it into the worker's language (a Dutch page must not leave Dutch text
        # in a French acknowledgement).
        with translation.override("en"):
            part.certification_text = str(CERTIFICATION_TEXT)
        part.certification_version = CERTIFICATION_VERSION
        part.assurance_level = acting.assurance_level
        part.step = max(part.step, PAGES[-1] + 1)
        part.save()
        _complete(leave_request, acting=acting, late=part.late)
        from careerbreak.interruptions.acknowledgement import send_acknowledgement

        send_acknowledgement(part)
    return leave_request


def _complete(leave_request: LeaveRequest, *, acting: Acting, late: bool) -> None:
    """*Awaiting the worker* → *Complete* by the worker, through the transition table (``transition()``:
    the status, its row and its audit event; inside the caller's transaction, row locked). The request
    then enters the office's work queue, in the order of ``queued_at``."""
    leave_request.queued_at = timezone.now()
    transition(
        leave_request,
        Status.COMPLETE,
        actor=Actor.WORKER,
        acting=acting,
        update_fields=["queued_at"],
        data={"late": late},
    )


def domicile_prefill(acting: Acting) -> dict[str, Any]:
    """Page 1's first values: the domicile the national register knows for the acting person."""
    from careerbreak.registries.sources import national_register

    person = national_register().get_person(acting.niss)
    if person is None:
        return {}
    country = (person.country or "BE").upper()
    zone = (
        DomicileZone.BELGIUM
        if country == "BE"
        else DomicileZone.EEA
        if country in EEA_CH
        else DomicileZone.OUTSIDE
    )
    return {
        "zone": zone.value,
        "street": person.street,
        "postal_code": person.postal_code,
        "city": person.city,
        "country": "" if country == "BE" else country,
    }


# The EEA (the EU, Iceland, Liechtenstein, Norway) and Switzerland, as ISO 3166 codes.
EEA_CH = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO", "CH"),
    }
)
# The countries of the Single Euro Payments Area (IBAN prefixes).
SEPA = EEA_CH | frozenset(
    {"GB", "MC", "SM", "VA", "AD", "AL", "MD", "ME", "MK", "GI", "GG", "JE", "IM", "PM"}
)
