"""The acknowledgement of the worker part: a PDF (PDF/UA-1, in the worker's language, every declared datum)
and the message that carries it to the worker's eBox.

`send_acknowledgement(part)` is called inside the transaction of the submission: the eBox message is an
outbox row of that transaction; its PDF is rendered and stored (once) when the mailbox delivers it, through
`acknowledgement_attachment`, the attachment provider named by dotted path.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from stdnum import iban as iban_number

from careerbreak.documents.models import Document
from careerbreak.documents.wording import written_date, written_datetime
from careerbreak.interruptions.documents import (
    detail_rows,
    format_niss,
    login_means_label,
    pdf_attachment,
    worker_document,
    written_day,
)
from careerbreak.interruptions.models import WorkerPart
from careerbreak.interruptions.notifications import send_worker_document
from careerbreak.interruptions.worker_part import CHILD, HELPED, PATIENT, TRAINING, deadline, needs_of
from careerbreak.interruptions.worker_part_data import DomicileZone, WorkerPartData
from careerbreak.vocabularies import LeaveForm, LeaveType

KIND = "worker_part"
TEMPLATE = "documents/worker_part.html"
PROVIDER = "careerbreak.interruptions.acknowledgement.acknowledgement_attachment"


def _day(value: Any) -> str:
    return written_date(value) if value else "–"


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def identity_rows(part: WorkerPart, content: WorkerPartData) -> list[tuple[str, str]]:
    worker = part.request.worker
    rows = [
        (gettext("Name"), worker.full_name),
        (gettext("National register number"), worker.formatted_niss),
    ]
    identity = content.identity
    if identity is not None:
        place = " ".join(p for p in (identity.postal_code, identity.city) if p)
        address = ", ".join(p for p in (identity.street, place, identity.country) if p)
        rows += [
            (gettext("Domicile"), str(DomicileZone(identity.zone).label)),
            (gettext("Address"), address or "–"),
        ]
    return rows


def household_rows(content: WorkerPartData) -> list[tuple[str, str]]:
    household = content.household
    if household is None:
        return []
    return [
        (gettext("Household"), str(household.situation.label)),
        (gettext("Number of dependent children"), str(household.dependent_children)),
    ]


def needs_rows(part: WorkerPart, content: WorkerPartData) -> list[tuple[str, str]]:
    needs = content.needs
    kind = needs_of(part.request.leave_type)
    if needs is None or not kind:
        return []
    if kind == CHILD:
        if needs.child_niss:
            from careerbreak.registries.sources import national_register

            child = national_register().get_person(needs.child_niss)
            name = child.full_name if child is not None else ""
            return [
                (
                    gettext("Child"),
                    f"{name} ({format_niss(needs.child_niss)})" if name else format_niss(needs.child_niss),
                )
            ]
        return [
            (gettext("Child"), needs.child_name),
            (gettext("Date of birth of the child"), _day(needs.child_birth_date)),
            (gettext("Date of registration of the child in the household"), _day(needs.child_registered_on)),
        ]
    if kind in (PATIENT, HELPED):
        label = gettext("Person cared for") if kind == PATIENT else gettext("Person helped")
        rows = [(label, needs.person_name)]
        if needs.person_niss:
            rows.append((gettext("National register number"), format_niss(needs.person_niss)))
        rows.append((gettext("Relation to you"), str(needs.relation.label) if needs.relation else "–"))
        return rows
    if kind == TRAINING:
        return [(gettext("Hours of training a year"), str(needs.training_hours or "–"))]
    return []


def activity_rows(content: WorkerPartData) -> list[tuple[str, str]]:
    if not content.activities:
        return [(gettext("Other activities and income"), gettext("None"))]
    rows = []
    for activity in content.activities:
        period = (
            gettext("from %(start)s to %(end)s") % {"start": _day(activity.start), "end": _day(activity.end)}
            if activity.end
            else gettext("from %(start)s") % {"start": _day(activity.start)}
        )
        value = f"{period} – {activity.detail}" if activity.detail else period
        rows.append((str(activity.kind.label), value))
    return rows


def payment_rows(content: WorkerPartData) -> list[tuple[str, str]]:
    payment = content.payment
    if payment is None:
        return []
    rows = [(gettext("Account number (IBAN)"), iban_number.format(payment.iban))]
    if payment.bic:
        rows.append((gettext("BIC"), payment.bic))
    rows.append((gettext("I hold this account, alone or jointly"), _yes_no(payment.holder_confirmed)))
    return rows


def attachment_rows(part: WorkerPart) -> list[tuple[str, str, str]]:
    """Each attached file: its name, what it is, its SHA-256 (by which the office tells it is the file
    sent)."""
    from careerbreak.interruptions.attachments import AttachmentKind, attachments_of

    return [
        (
            item.filename,
            str(AttachmentKind(item.kind).label) if item.kind in AttachmentKind.values else "–",
            item.sha256,
        )
        for item in attachments_of(part)
    ]


def request_rows(part: WorkerPart) -> list[tuple[str, str]]:
    leave_request = part.request
    return [
        (gettext("Ticket"), leave_request.ticket),
        (gettext("Employer"), leave_request.enterprise.name),
        (gettext("Type of interruption"), str(LeaveType(leave_request.leave_type).label)),
        (gettext("Form of the interruption"), str(LeaveForm(leave_request.form).label)),
        (gettext("Start date"), _day(leave_request.start_date)),
        (gettext("End date"), _day(leave_request.end_date)),
    ]


def acknowledgement_context(part: WorkerPart) -> dict[str, Any]:
    """Every declared datum, formatted in the active language."""
    content = part.content
    leave_request = part.request
    submitted = timezone.localtime(part.submitted_at) if part.submitted_at else None
    return {
        "ticket": leave_request.ticket,
        "created": part.submitted_at,
        "request_rows": request_rows(part),
        "employer_detail_rows": detail_rows(leave_request.details, day=written_day),
        "identity_rows": identity_rows(part, content),
        "household_rows": household_rows(content),
        "needs_rows": needs_rows(part, content),
        "activity_rows": activity_rows(content),
        "payment_rows": payment_rows(content),
        "attachment_rows": attachment_rows(part),
        "late": part.late,
        "deadline": _day(deadline(leave_request.start_date)),
        "certification_rows": [
            (gettext("Sent on"), written_datetime(submitted) if submitted else "–"),
            (
                gettext("Logged in with"),
                login_means_label(part.assurance_level) if part.assurance_level else "–",
            ),
            (gettext("Text certified"), gettext(part.certification_text) if part.certification_text else "–"),
        ],
    }


def acknowledgement_title(part: WorkerPart) -> str:
    return gettext("Acknowledgement of your worker part, request %(ticket)s") % {
        "ticket": part.request.ticket
    }


def acknowledgement_document(part: WorkerPart) -> Document:
    """The acknowledgement PDF, rendered and stored the first time (in the worker's language)."""
    return worker_document(
        part.request,
        kind=KIND,
        template=TEMPLATE,
        build=lambda: (acknowledgement_context(part), acknowledgement_title(part)),
    )


def acknowledgement_attachment(key: str) -> tuple[str, bytes, str]:
    """The mailbox's attachment provider: (file name, PDF bytes, media type) for a worker part's id."""
    if not key.isdigit():
        raise ValueError(f"A worker part key is its id, not {key!r}.")
    part = WorkerPart.objects.select_related("request__enterprise", "request__worker").get(pk=int(key))
    return pdf_attachment(acknowledgement_document(part), f"{part.request.slug}-worker-part")


def _texts(part: WorkerPart) -> tuple[str, str]:
    leave_request = part.request
    values = {
        "ticket": leave_request.ticket,
        "type": str(LeaveType(leave_request.leave_type).label),
        "enterprise": leave_request.enterprise.name,
    }
    subject = gettext("Your worker part of request %(ticket)s has been sent") % values
    body = (
        gettext(
            "You have completed and certified your part of the request %(ticket)s (%(type)s) filed by "
            "%(enterprise)s. The request is complete and goes to the employment office. The document "
            "attached lists everything you declared."
        )
        % values
    )
    if part.late:
        body += " " + gettext("It was sent late: the allowance starts only on the day it was sent.")
    return subject, body


def send_acknowledgement(part: WorkerPart) -> None:
    """The acknowledgement to the worker's eBox (and by e-mail where known), as outbox rows of the caller's
    transaction."""
    send_worker_document(
        part.request, kind=KIND, texts=lambda: _texts(part), provider=PROVIDER, key=str(part.pk)
    )
