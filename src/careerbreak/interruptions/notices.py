"""Workers' written notices sent electronically ("Avertissements à traiter"), and the employer's answer.

A worker may send one only to an employer that opted in and employs them today; a receipt with the date
the notice reached the employer (which starts the notice term) goes to their eBox. The employer accepts
(the employer part then starts prefilled), refuses with a reason, or proposes a postponement with a new
start date, where the law allows that answer for the type (``answers_allowed``); the worker receives the
answer in their eBox.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.access import organisation_scope
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions.documents import document_language
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.models import Draft, LeaveRequest, NoticeSettings, WorkerNotice
from careerbreak.interruptions.notifications import in_every_language, send_to_worker
from careerbreak.interruptions.rules import medical_assistance, time_credit
from careerbreak.interruptions.rules.base import in_force
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.states import Actor, NoticeStatus
from careerbreak.interruptions.transitions import NOTICE, transition
from careerbreak.interruptions.types import (
    CATALOGUE,
    LeaveFamily,
    LeaveForm,
    LeaveType,
    RequestKind,
    types_for,
)
from careerbreak.mailbox.services import message_enqueue
from careerbreak.registries.lookups import person_lookup
from careerbreak.registries.models import Enterprise, Person
from careerbreak.registries.sources import dimona

# A notice is about a leave to come: not more than this far ahead.
MAX_DAYS_AHEAD = 2 * 366
# A postponement moves the start by at most this many months (CCT 103 for time credit; RD 29.10.1997
# art. 6 for parental leave).
MAX_POSTPONEMENT_MONTHS = 6


def accepts_notices(enterprise: Enterprise) -> bool:
    settings_row = NoticeSettings.objects.filter(enterprise=enterprise).first()
    return bool(settings_row and settings_row.accepts_electronic_notices)


def notice_settings_set(*, acting: Acting, accepts: bool) -> None:
    """The employer opts in or out of electronic notices (an access manager's choice, audited)."""
    user, enterprise = acting.employer()
    with transaction.atomic():
        NoticeSettings.objects.update_or_create(
            enterprise=enterprise,
            defaults={"accepts_electronic_notices": accepts, "changed_by_niss": user.niss},
        )
        audit_log(
            action=AuditAction.NOTICE_SETTINGS_OPTED_IN if accepts else AuditAction.NOTICE_SETTINGS_OPTED_OUT,
            acting=acting,
        )


def employers_accepting_notices(*, worker: Person, on: datetime.date | None = None) -> list[Enterprise]:
    """The worker's current employers that accept electronic notices."""
    day = on or timezone.localdate()
    return [e for e in dimona().employers_of(worker.niss, on=day) if accepts_notices(e)]


def notice_types(enterprise: Enterprise) -> list[tuple[str, str]]:
    """Every type a worker of this sector may ask for (the status is the employer's to state later)."""
    offered: dict[str, str] = {}
    for status in ("PRIVATE_WHITE_COLLAR", "PRIVATE_BLUE_COLLAR", "PUBLIC_CONTRACTUAL", "PUBLIC_STATUTORY"):
        for spec in types_for(enterprise.sector, status):
            offered.setdefault(spec.code.value, str(spec.label))
    return list(offered.items())


def notice_check(notice: WorkerNotice) -> None:
    """Whether this notice (not saved yet) can be sent: DomainError (with ``field``) saying why not.
    Writes nothing; the worker's check-your-answers page comes after it, ``notice_send`` checks again."""
    today = timezone.localdate()
    enterprise, leave_type, start_date = notice.enterprise, notice.leave_type, notice.start_date
    if enterprise not in employers_accepting_notices(worker=notice.worker, on=today):
        raise DomainError(
            _("This employer does not receive notices online. Give your notice in writing."),
            field="enterprise",
        )
    if leave_type not in dict(notice_types(enterprise)):
        raise DomainError(
            _("This type of interruption is not open in your employer's sector."), field="leave_type"
        )
    if notice.form not in {f.value for f in CATALOGUE[LeaveType(leave_type)].forms}:
        raise DomainError(_("This form is not possible for this type."), field="form")
    if start_date <= today:
        raise DomainError(
            _("The start date must be after today: a notice comes before the leave."), field="start_date"
        )
    if start_date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            _("The start date is more than two years away: check the year."), field="start_date"
        )
    if not 1 <= notice.months <= 60:
        raise DomainError(_("Enter a duration between 1 and 60 months."), field="months")


def notice_send(*, notice: WorkerNotice, acting: Acting) -> WorkerNotice:
    """Send a written notice (built, not saved) to its employer, and its receipt to the worker's eBox (the
    date it reached the employer counts for the notice term). Raises DomainError (with ``field``) when it
    cannot be sent.

    ``notice.worker`` is the person ``acting`` for themselves (the worker's guard looked them up)."""
    if notice.pk is not None:
        raise ValueError("notice_send sends a new notice.")
    notice_check(notice)
    notice.message = notice.message.strip()
    with transaction.atomic():
        transition(notice, NoticeStatus.SENT, actor=Actor.WORKER, acting=acting)
        _receipt(notice)
    return notice


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _receipt(notice: WorkerNotice) -> None:
    """The worker's proof of their notice: to whom, what, and the day and time it reached the employer."""
    sent = timezone.localtime(notice.sent_at)

    def texts() -> tuple[str, str]:
        subject = _("Receipt of your written notice to %(enterprise)s") % {
            "enterprise": notice.enterprise.name
        }
        body = _(
            "Your written notice reached %(enterprise)s on %(date)s at %(time)s. This date counts for the "
            "notice term: keep this message.\n\n"
            "Type of interruption: %(type)s\n"
            "Form of the interruption: %(form)s\n"
            "Start date: %(start)s\n"
            "Duration in months: %(months)s\n\n"
            "Your employer answers in your eBox."
        ) % {
            "enterprise": notice.enterprise.name,
            "date": _day(sent.date()),
            "time": formats.time_format(sent.time(), "TIME_FORMAT"),
            "type": str(LeaveType(notice.leave_type).label),
            "form": str(LeaveForm(notice.form).label),
            "start": _day(notice.start_date),
            "months": notice.months,
        }
        return subject, body

    send_to_worker(notice.worker, kind="notice_sent", reference=f"notice-{notice.pk}", version=1, texts=texts)


def _latest_postponed_start(notice: WorkerNotice) -> datetime.date | None:
    """The latest start a postponement may propose, where the law sets one (time credit, parental leave)."""
    leave_type = LeaveType(notice.leave_type)
    if CATALOGUE[leave_type].family is LeaveFamily.TIME_CREDIT or leave_type is LeaveType.PARENTAL:
        return add_months(notice.start_date, MAX_POSTPONEMENT_MONTHS)
    return None


def answers_allowed(notice: WorkerNotice) -> tuple[NoticeStatus, ...]:
    """The answers the law allows to a notice of this type, in this enterprise (DOMAIN §4, domain-research
    §1): accepting always; refusing where the leave needs the employer's agreement (time credit in an
    enterprise of 10 workers or fewer, medical assistance below 50 workers, parental leave 1/10, the
    public sector's career break); proposing a postponement where the employer may put the start off
    (time credit, parental leave, the public career break). Palliative care and caregiver leave are
    rights: accepted only. An unknown headcount is not a small enterprise."""
    leave_type = LeaveType(notice.leave_type)
    family = CATALOGUE[leave_type].family
    day = timezone.localdate(notice.sent_at) if notice.sent_at else timezone.localdate()
    headcount = notice.enterprise.reference_headcount
    refuse = postpone = False
    if family is LeaveFamily.TIME_CREDIT:
        maximum = in_force(time_credit.AGREEMENT_MAX_HEADCOUNT, day)
        refuse = headcount is not None and headcount <= maximum
        postpone = True
    elif family is LeaveFamily.PUBLIC_CAREER_BREAK:
        refuse = postpone = True
    elif leave_type is LeaveType.PARENTAL:
        refuse = notice.form == LeaveForm.ONE_TENTH
        postpone = True
    elif leave_type is LeaveType.MEDICAL_ASSISTANCE:
        refuse = headcount is not None and headcount < in_force(medical_assistance.REFUSAL, day).limited_below
    allowed = [NoticeStatus.ACCEPTED]
    if refuse:
        allowed.append(NoticeStatus.REFUSED)
    if postpone:
        allowed.append(NoticeStatus.POSTPONEMENT_PROPOSED)
    return tuple(allowed)


def notices_for(*, acting: Acting, limit: int = 200) -> list[WorkerNotice]:
    """The notices workers sent to the enterprise the user acts for, newest first."""
    _user, enterprise = acting.employer()
    return list(WorkerNotice.objects.filter(enterprise=enterprise).select_related("worker")[:limit])


def notices_to_handle(*, acting: Acting) -> int:
    """How many notices to the enterprise the user acts for wait for an answer."""
    _user, enterprise = acting.employer()
    return WorkerNotice.objects.filter(enterprise=enterprise, status=WorkerNotice.Status.SENT).count()


def notices_of_worker(*, worker: Person, limit: int = 20) -> list[WorkerNotice]:
    """The notices the worker sent, newest first (their own page)."""
    return list(WorkerNotice.objects.filter(worker=worker).select_related("enterprise")[:limit])


def requests_from_notices(notice_list: list[WorkerNotice]) -> dict[int, LeaveRequest]:
    """The request each accepted notice produced (its draft confirmed), by notice id; one query."""
    drafts = {n.draft_id: n.pk for n in notice_list if n.draft_id is not None}
    if not drafts:
        return {}
    produced = LeaveRequest.objects.filter(draft_id__in=drafts).select_related("enterprise")
    return {drafts[r.draft_id]: r for r in produced if r.draft_id is not None}


def notices_of_organisation(
    *,
    organisation: Enterprise,
    enterprise: Enterprise | None = None,
    status: str = "",
    before: int | None = None,
    limit: int = 50,
) -> list[WorkerNotice]:
    """The notices to the enterprises an API client of ``organisation`` acts for today (its own, the
    employers whose mandate it holds), newest first, before the notice ``before`` (cursor pages)."""
    rows = WorkerNotice.objects.filter(
        organisation_scope(organisation=organisation, enterprise_field="enterprise")
    )
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if status:
        rows = rows.filter(status=status)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return list(rows.select_related("worker", "enterprise").order_by("-pk")[:limit])


def notice_enterprise_number(*, organisation: Enterprise, notice_id: int) -> str | None:
    """The enterprise number of a notice an API client of ``organisation`` may handle today, or None
    (no such notice, another enterprise's, a mandate that ended)."""
    rows = WorkerNotice.objects.filter(
        organisation_scope(organisation=organisation, enterprise_field="enterprise"), pk=notice_id
    )
    return rows.values_list("enterprise__number", flat=True).first()


def notice_for(*, acting: Acting, notice_id: int) -> WorkerNotice:
    """One notice to the enterprise the user acts for; NotFound for any other."""
    _user, enterprise = acting.employer()
    notice = WorkerNotice.objects.select_related("worker").filter(enterprise=enterprise, pk=notice_id).first()
    if notice is None:
        raise NotFound("notice not found")
    return notice


def notice_read(*, acting: Acting, notice_id: int) -> WorkerNotice:
    """``notice_for``, audited: the notice shows the worker's plans, so who read it is on their record."""
    notice = notice_for(acting=acting, notice_id=notice_id)
    audit_log(
        action=AuditAction.NOTICE_VIEWED,
        acting=acting,
        subject_niss=notice.worker.niss,
        object_type="worker_notice",
        object_id=notice.pk,
    )
    return notice


ANSWERS = {
    NoticeStatus.ACCEPTED: (
        gettext_lazy("Your employer has accepted your notice"),
        gettext_lazy(
            "%(enterprise)s has accepted your notice for %(type)s from %(start)s (%(months)s months). "
            "Your employer now files the employer part; you will receive it in your eBox."
        ),
    ),
    NoticeStatus.REFUSED: (
        gettext_lazy("Your employer has refused your notice"),
        gettext_lazy(
            "%(enterprise)s has refused your notice for %(type)s from %(start)s. Reason: %(reason)s"
        ),
    ),
    NoticeStatus.POSTPONEMENT_PROPOSED: (
        gettext_lazy("Your employer proposes to postpone your leave"),
        gettext_lazy(
            "%(enterprise)s proposes that your %(type)s starts on %(proposed)s instead of %(start)s. "
            "Reason: %(reason)s"
        ),
    ),
}


def notice_answer(
    *,
    acting: Acting,
    notice_id: int,
    decision: str,
    reason: str = "",
    proposed_start_date: datetime.date | None = None,
) -> WorkerNotice:
    """Answer a notice once. Accepting starts a prefilled draft of the employer part (``notice.draft``).

    Raises NotFound (another enterprise's notice), DomainError (already answered, reason or date missing).
    Writes the answer, an audit event, and the message to the worker's eBox in one transaction.
    """
    user, enterprise = acting.employer()
    if decision not in ANSWERS:
        raise DomainError(_("Choose an answer."), field="decision")
    reason = reason.strip()
    if decision != NoticeStatus.ACCEPTED and not reason:
        raise DomainError(_("Give the reason, the worker will read it."), field="reason")
    with transaction.atomic():
        notice = (
            WorkerNotice.objects.select_for_update()
            .select_related("worker", "enterprise")
            .filter(enterprise=enterprise, pk=notice_id)
            .first()
        )
        if notice is None:
            raise NotFound("notice not found")
        NOTICE.check(notice, decision, Actor.EMPLOYER)
        if decision not in answers_allowed(notice):
            raise DomainError(
                _("The law does not allow this answer to a notice for %(type)s in your enterprise.")
                % {"type": LeaveType(notice.leave_type).in_sentence},
                code="answer_not_allowed",
                field="decision",
            )
        if decision == NoticeStatus.POSTPONEMENT_PROPOSED:
            if proposed_start_date is None or proposed_start_date <= notice.start_date:
                raise DomainError(
                    _("Propose a new start date after the one the worker asked for."),
                    field="proposed_start_date",
                )
            latest = _latest_postponed_start(notice)
            if latest is not None and proposed_start_date > latest:
                raise DomainError(
                    _(
                        "A postponement moves the start by %(months)s months at most: propose %(latest)s "
                        "or earlier."
                    )
                    % {"months": MAX_POSTPONEMENT_MONTHS, "latest": _day(latest)},
                    field="proposed_start_date",
                )
            notice.proposed_start_date = proposed_start_date
        notice.answer_reason = reason
        notice.answered_at = timezone.now()
        notice.answered_by_niss = user.niss
        if decision == NoticeStatus.ACCEPTED:
            notice.draft = _draft_from_notice(notice, user, acting=acting)
        transition(
            notice,
            decision,
            actor=Actor.EMPLOYER,
            acting=acting,
            reason=reason,
            update_fields=[
                "answer_reason",
                "answered_at",
                "answered_by_niss",
                "proposed_start_date",
                "draft",
            ],
            data={"reason": reason},
        )
        _tell_worker(notice)
    return notice


def _draft_from_notice(notice: WorkerNotice, user: User, *, acting: Acting) -> Draft:
    employment = person_lookup(
        acting=acting,
        enterprise=notice.enterprise,
        niss=notice.worker.niss,
        purpose="notice_accepted",
        employed_only=True,
    ).employment
    status = employment.worker_status.code if employment and employment.worker_status else ""
    committee = employment.joint_committee.number if employment and employment.joint_committee else ""
    content = DraftData(
        worker=WorkerChoice(niss=notice.worker.niss, status=status, joint_committee=committee),
        type=TypeChoice(leave_type=LeaveType(notice.leave_type), kind=RequestKind.NEW),
        leave=LeaveData(
            form=LeaveForm(notice.form),
            notice_date=timezone.localtime(notice.sent_at).date(),
            start=notice.start_date,
            end=notice.end_date,
        ),
    )
    # Without a status the employer confirms the worker step first.
    return Draft.objects.create(
        owner=user, enterprise=notice.enterprise, step=6 if status else 4, data=content.to_json()
    )


def _tell_worker(notice: WorkerNotice) -> None:
    subject_text, body_text = ANSWERS[NoticeStatus(notice.status)]

    def texts() -> tuple[str, str]:
        values = {
            "enterprise": notice.enterprise.name,
            "type": LeaveType(notice.leave_type).in_sentence,
            "start": date_format(notice.start_date, "SHORT_DATE_FORMAT"),
            "months": notice.months,
            "reason": notice.answer_reason,
            "proposed": (
                date_format(notice.proposed_start_date, "SHORT_DATE_FORMAT")
                if notice.proposed_start_date
                else ""
            ),
            "form": LeaveForm(notice.form).in_sentence,
        }
        return str(subject_text), str(body_text) % values

    subjects, bodies = in_every_language(texts)
    worker = notice.worker
    message_enqueue(
        channel="ebox",
        recipient_niss=worker.niss,
        kind="notice_answer",
        reference=f"notice-{notice.pk}",
        version=1,
        subjects=subjects,
        bodies=bodies,
        language=document_language(worker),
    )
