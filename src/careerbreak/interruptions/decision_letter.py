"""The decision letter (C62): a PDF/UA-1 in the worker's language with the decision, the period, the form,
the allowance per month and per period (or why none is paid), the reasons of a refusal with their legal
references, and how and within which time to appeal; delivered to the worker's eBox through the outbox.

`send_decision(decision)` is called inside the decision's transaction: the eBox message (and the e-mail
where an address is known) are outbox rows of that transaction; the PDF is rendered and stored once, with
its SHA-256, when the mailbox delivers it (`decision_attachment`, named by dotted path), like the
acknowledgement of the worker part.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from careerbreak.documents.models import Document
from careerbreak.documents.wording import written_date
from careerbreak.interruptions.allowance import NoAllowanceReason
from careerbreak.interruptions.documents import pdf_attachment, worker_document
from careerbreak.interruptions.models import Decision
from careerbreak.interruptions.notifications import send_worker_document
from careerbreak.interruptions.refusals import APPEAL_REFERENCE, BY_CODE
from careerbreak.vocabularies import LeaveForm, LeaveType

KIND = "decision_c62"
TEMPLATE = "documents/decision.html"
PROVIDER = "careerbreak.interruptions.decision_letter.decision_attachment"


def format_amount(amount: Decimal) -> str:
    """An amount in euros in the active language: 1 527,70 € (fr), € 1.527,70 (nl), €1,527.70 (en)."""
    return gettext("%(amount)s €") % {
        "amount": number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    }


def _day(value: Any) -> str:
    return written_date(value)


def decided_at(decision: Decision) -> Any:
    """When the decision became final: a refusal when it was confirmed, an approval when it was made."""
    return decision.confirmed_at or decision.decided_at


def decision_context(decision: Decision) -> dict[str, Any]:
    """What the letter shows, formatted in the active language."""
    leave_request = decision.request
    approved = decision.outcome == Decision.Outcome.APPROVED
    periods = list(decision.periods.select_related("rate"))
    office = leave_request.office
    request_rows = [
        (gettext("Ticket"), leave_request.ticket),
        (gettext("Worker"), leave_request.worker.full_name),
        (gettext("Employer"), leave_request.enterprise.name),
        (gettext("Type of interruption"), str(LeaveType(leave_request.leave_type).label)),
        (gettext("Form of the interruption"), str(LeaveForm(leave_request.form).label)),
        (
            gettext("Period"),
            gettext("from %(start)s to %(end)s")
            % {"start": _day(leave_request.start_date), "end": _day(leave_request.end_date)},
        ),
    ]
    decision_rows = [
        (gettext("Decision"), gettext("Approved") if approved else gettext("Refused")),
        (gettext("Date of the decision"), _day(timezone.localtime(decided_at(decision)))),
    ]
    if office is not None:
        decision_rows.append((gettext("Employment office"), office.name))
    if approved and not decision.with_allowance:
        reason = decision.no_allowance_reason
        label = NoAllowanceReason(reason).label if reason in NoAllowanceReason.values else "–"
        decision_rows.append(
            (gettext("Allowance"), gettext("No allowance is paid: %(reason)s") % {"reason": label})
        )
    reasons = [
        (str(BY_CODE[code].text), BY_CODE[code].reference)
        for code in decision.refusal_reasons
        if code in BY_CODE
    ]
    return {
        "approved": approved,
        # The office that decided signs the letter (its name under the issuer, at the top).
        "issuer_office": office.name if office is not None else "",
        "ticket": leave_request.ticket,
        "created": decided_at(decision),
        "request_rows": request_rows,
        "decision_rows": decision_rows,
        "with_allowance": approved and decision.with_allowance,
        "periods": [
            (_day(period.start_date), _day(period.end_date), format_amount(period.monthly_amount))
            for period in periods
        ],
        "provisional": any(period.rate.provisional for period in periods),
        "reasons": reasons,
        "note": decision.note,
        "appeal_reference": APPEAL_REFERENCE,
    }


def decision_title(decision: Decision) -> str:
    return gettext("Decision on your request %(ticket)s (C62)") % {"ticket": decision.request.ticket}


def decision_document(decision: Decision) -> Document:
    """The C62 PDF, rendered and stored the first time (in the worker's language)."""
    return worker_document(
        decision.request,
        kind=KIND,
        template=TEMPLATE,
        build=lambda: (decision_context(decision), decision_title(decision)),
    )


def _decision(key: str) -> Decision:
    if not key.isdigit():
        raise ValueError(f"A decision key is its id, not {key!r}.")
    return Decision.objects.select_related("request__enterprise", "request__worker", "request__office").get(
        pk=int(key), state=Decision.State.FINAL
    )


def decision_attachment(key: str) -> tuple[str, bytes, str]:
    """The mailbox's attachment provider: (file name, PDF bytes, media type) for a final decision's id."""
    decision = _decision(key)
    return pdf_attachment(decision_document(decision), f"{decision.request.slug}-decision")


def _texts(decision: Decision) -> tuple[str, str]:
    leave_request = decision.request
    values = {"ticket": leave_request.ticket, "type": str(LeaveType(leave_request.leave_type).label)}
    if decision.outcome == Decision.Outcome.APPROVED:
        subject = gettext("Your request %(ticket)s has been approved") % values
        body = (
            gettext(
                "The employment office has approved your request %(ticket)s (%(type)s). The decision "
                "attached states the period, the form and the allowance."
            )
            % values
        )
    else:
        subject = gettext("Your request %(ticket)s has been refused") % values
        body = (
            gettext(
                "The employment office has refused your request %(ticket)s (%(type)s). The decision "
                "attached states the reasons and how to appeal."
            )
            % values
        )
    return subject, body


def send_decision(decision: Decision) -> None:
    """The C62 to the worker's eBox (and by e-mail where known), as outbox rows of the caller's
    transaction."""
    send_worker_document(
        decision.request, kind=KIND, texts=lambda: _texts(decision), provider=PROVIDER, key=str(decision.pk)
    )
