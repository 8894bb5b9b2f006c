"""Workers' written notices sent electronically ("Avertissements à traiter"), and the employer's answer.

A worker may send one only to an employer that opted in and employs them today. The employer accepts
(the employer part then starts prefilled), refuses with a reason, or proposes a postponement with a new
start date; the worker receives the answer in their eBox.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
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
from careerbreak.interruptions.models import Draft, NoticeSettings, WorkerNotice
from careerbreak.interruptions.notifications import in_every_language
from careerbreak.interruptions.states import Actor, NoticeStatus
from careerbreak.interruptions.transitions import NOTICE, transition
from careerbreak.interruptions.types import CATALOGUE, LeaveForm, LeaveType, RequestKind, types_for
from careerbreak.mailbox.services import message_enqueue
from careerbreak.registries.lookups import person_lookup
from careerbreak.registries.models import Enterprise, Person
from careerbreak.registries.sources import dimona

# A notice is about a leave to come: not more than this far ahead.
MAX_DAYS_AHEAD = 2 * 366


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


def notice_send(
    *,
    worker: Person,
    enterprise: Enterprise,
    leave_type: str,
    form: str,
    start_date: datetime.date,
    months: int,
    message: str = "",
    acting: Acting,
) -> WorkerNotice:
    """Send a written notice to an employer. Raises DomainError (with ``field``) when it cannot be sent.

    ``worker`` is the person ``acting`` for themselves (the worker's guard looked them up)."""
    today = timezone.localdate()
    if enterprise not in employers_accepting_notices(worker=worker, on=today):
        raise DomainError(
            _("This employer does not receive notices online. Give your notice in writing."),
            field="enterprise",
        )
    if leave_type not in dict(notice_types(enterprise)):
        raise DomainError(
            _("This type of interruption is not open in your employer's sector."), field="leave_type"
        )
    if form not in {f.value for f in CATALOGUE[LeaveType(leave_type)].forms}:
        raise DomainError(_("This form is not possible for this type."), field="form")
    if start_date <= today:
        raise DomainError(
            _("The start date must be after today: a notice comes before the leave."), field="start_date"
        )
    if start_date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            _("The start date is more than two years away: check the year."), field="start_date"
        )
    if not 1 <= months <= 60:
        raise DomainError(_("Enter a duration between 1 and 60 months."), field="months")
    with transaction.atomic():
        notice = WorkerNotice(
            worker=worker,
            enterprise=enterprise,
            leave_type=leave_type,
            form=form,
            start_date=start_date,
            months=months,
            message=message.strip(),
        )
        transition(notice, NoticeStatus.SENT, actor=Actor.WORKER, acting=acting)
    return notice


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
        if decision == NoticeStatus.POSTPONEMENT_PROPOSED:
            if proposed_start_date is None or proposed_start_date <= notice.start_date:
                raise DomainError(
                    _("Propose a new start date after the one the worker asked for."),
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
            "type": str(LeaveType(notice.leave_type).label),
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
