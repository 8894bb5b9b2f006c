"""``/notices``: the workers' written notices to the enterprises a client acts for, and the answers
(acceptance, refusal, postponement), on the same services and rules as *Avertissements à traiter*
(``interruptions.notices``). Scope ``notices``. A notice of an enterprise the client may not act for
today (another enterprise's, an ended mandate) is not found."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from careerbreak.api.following import (
    MAX_ID,
    MAX_PAGE,
    Strict,
    caller_of,
    filter_enterprise,
    is_row_id,
    missing_scope,
    private_no_store,
    refused,
)
from careerbreak.api.problems import invalid_request, not_found
from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.interruptions.notices import (
    answers_allowed,
    notice_answer,
    notice_enterprise_number,
    notice_read,
    notices_of_organisation,
)
from careerbreak.interruptions.states import NoticeStatus

router = Router(tags=["notices"])
router.add_decorator(private_no_store, mode="view")


class WorkerOut(Schema):
    niss: str
    first_name: str
    last_name: str


class NoticeOut(Schema):
    id: int
    enterprise: str
    status: str
    worker: WorkerOut
    leave_type: str
    form: str
    start_date: datetime.date
    months: int
    end_date: datetime.date
    message: str
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None
    answer_reason: str
    proposed_start_date: datetime.date | None
    # The answers the law allows to this notice (its type, the enterprise's headcount): an answer not
    # listed is refused (422, ``answer_not_allowed``).
    answers_allowed: list[str]


class NoticePage(Schema):
    items: list[NoticeOut]
    next: str | None


class NoticeFilters(Schema):
    enterprise: str = ""
    status: str = ""
    cursor: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class Acceptance(Strict):
    pass


# As the employer's form (employer/notices_views.AnswerForm).
MAX_REASON = 2000


class Refusal(Strict):
    reason: str = Field(max_length=MAX_REASON)


class Postponement(Strict):
    proposed_start_date: datetime.date
    reason: str = Field(max_length=MAX_REASON)


def notice_out(notice: WorkerNotice) -> NoticeOut:
    worker = notice.worker
    return NoticeOut(
        id=notice.pk,
        enterprise=notice.enterprise.number,
        status=notice.status,
        worker=WorkerOut(niss=worker.niss, first_name=worker.first_name, last_name=worker.last_name),
        leave_type=notice.leave_type,
        form=notice.form,
        start_date=notice.start_date,
        months=notice.months,
        end_date=notice.end_date,
        message=notice.message,
        sent_at=notice.sent_at,
        answered_at=notice.answered_at,
        answer_reason=notice.answer_reason,
        proposed_start_date=notice.proposed_start_date,
        answers_allowed=[str(answer) for answer in answers_allowed(notice)],
    )


@router.get("", response=NoticePage, url_name="notices")
def list_notices(request: HttpRequest, filters: Query[NoticeFilters]) -> NoticePage | HttpResponse:
    """The notices to your enterprise and to the employers whose mandate you hold, newest first."""
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.NOTICES):
        return denied
    enterprise = filter_enterprise(caller, filters.enterprise)
    if isinstance(enterprise, HttpResponse):
        return enterprise
    if filters.status and filters.status not in NoticeStatus.values:
        return invalid_request(
            [{"code": "unknown_status", "field": "status", "message": ", ".join(NoticeStatus.values)}],
            detail=_("Unknown status."),
        )
    limit = filters.limit
    notices = notices_of_organisation(
        organisation=caller.client.enterprise,
        enterprise=enterprise,
        status=filters.status,
        before=filters.cursor,
        limit=limit,
    )
    next_url = None
    if len(notices) == limit:
        query = request.GET.copy()
        query["cursor"] = str(notices[-1].pk)
        next_url = f"{request.path}?{query.urlencode()}"
    return NoticePage(items=[notice_out(n) for n in notices], next=next_url)


def _acting_for_notice(request: HttpRequest, notice_id: int) -> Acting | HttpResponse:
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.NOTICES):
        return denied
    if not is_row_id(notice_id):
        return not_found(_("No notice with this id for your enterprises."))
    number = notice_enterprise_number(organisation=caller.client.enterprise, notice_id=notice_id)
    acting = caller.acting_for(number) if number else None
    return acting if acting is not None else not_found(_("No notice with this id for your enterprises."))


@router.get("/{int:notice_id}", response=NoticeOut, url_name="notice")
def get_notice(request: HttpRequest, notice_id: int) -> NoticeOut | HttpResponse:
    """One notice (reading it is audited: it shows the worker's plans)."""
    acting = _acting_for_notice(request, notice_id)
    if isinstance(acting, HttpResponse):
        return acting
    return notice_out(notice_read(acting=acting, notice_id=notice_id))


def _answer(
    request: HttpRequest,
    notice_id: int,
    decision: str,
    reason: str = "",
    proposed_start_date: datetime.date | None = None,
) -> NoticeOut | HttpResponse:
    acting = _acting_for_notice(request, notice_id)
    if isinstance(acting, HttpResponse):
        return acting
    try:
        notice = notice_answer(
            acting=acting,
            notice_id=notice_id,
            decision=decision,
            reason=reason,
            proposed_start_date=proposed_start_date,
        )
    except DomainError as error:
        return refused(error)
    return notice_out(notice)


@router.post("/{int:notice_id}/acceptance", response=NoticeOut, url_name="notice_acceptance")
def accept_notice(
    request: HttpRequest, notice_id: int, body: Acceptance | None = None
) -> NoticeOut | HttpResponse:
    """Accept the notice: the worker is told in their eBox; the employer part is then to file."""
    return _answer(request, notice_id, NoticeStatus.ACCEPTED)


@router.post("/{int:notice_id}/refusal", response=NoticeOut, url_name="notice_refusal")
def refuse_notice(request: HttpRequest, notice_id: int, body: Refusal) -> NoticeOut | HttpResponse:
    """Refuse the notice with a reason, which the worker reads."""
    return _answer(request, notice_id, NoticeStatus.REFUSED, reason=body.reason)


@router.post("/{int:notice_id}/postponement", response=NoticeOut, url_name="notice_postponement")
def postpone_notice(request: HttpRequest, notice_id: int, body: Postponement) -> NoticeOut | HttpResponse:
    """Propose a later start date, with the reason."""
    return _answer(
        request,
        notice_id,
        NoticeStatus.POSTPONEMENT_PROPOSED,
        reason=body.reason,
        proposed_start_date=body.proposed_start_date,
    )
