"""``/requests``: file, validate, list, read, modify and cancel employer parts, and their PDFs.

Every call goes through the services the web uses (``interruptions.filing`` for steps 4 to 7,
``services.request_cancel``, ``services.request_read`` for the audited reads). A ticket stands in a path
as on the web (``2026-00000001-51``). Another enterprise's request and an unknown ticket answer the same
404.
"""

import datetime
import json
import logging
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from careerbreak.api.following import caller_of
from careerbreak.api.idempotency import idempotent
from careerbreak.api.problems import ProblemError, conflict, enterprise_not_allowed, invalid_request, problem
from careerbreak.api.problems import not_found as not_found_problem
from careerbreak.api.schemas import CancellationIn, ExtensionIn, ModificationIn, RequestIn
from careerbreak.core.audit import audit_with_the_call
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.documents.services import DocumentIntegrityError, DocumentStorageError, document_bytes
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions import filing, selectors, services
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.registries.identifiers import normalize_enterprise_number, normalize_niss

logger = logging.getLogger(__name__)

router = Router(tags=["requests"])

PAGE_MAX = 100
DOCUMENT_RETRY_AFTER_SECONDS = 60


def json_response(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), status=status, content_type="application/json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def refused(error: filing.FilingRefused) -> HttpResponse:
    return invalid_request([p.as_json() for p in error.problems], detail=str(error.message))  # type: ignore[misc]


def field_refused(error: ValidationError, field: str) -> HttpResponse:
    """The 422 problem of one identifier the web's field refused (its code and message)."""
    return invalid_request(
        [{"code": error.code or "invalid", "field": field, "message": str(error.messages[0])}]
    )


def not_found() -> HttpResponse:
    return not_found_problem(_("No such request for this client."))


def acting_or_problem(request: HttpRequest, enterprise: str) -> Acting | HttpResponse:
    """Who acts for ``enterprise`` (any punctuation), or the problem: 422 for a malformed number, 403 when
    the client may not act for it today."""
    try:
        number = normalize_enterprise_number(enterprise)
    except ValidationError as error:
        return field_refused(error, "enterprise")
    acting = caller_of(request).acting_for(number)
    return acting if acting is not None else enterprise_not_allowed()


def acting_for_ticket(request: HttpRequest, slug: str) -> tuple[Acting, str] | HttpResponse:
    """Who acts for the enterprise of the request ``slug``, with the ticket; 404 for any other."""
    ticket = slug.replace("-", "/")
    number = selectors.enterprise_number_of_ticket(ticket=ticket)
    acting = caller_of(request).acting_for(number) if number else None
    if acting is None:
        return not_found()
    return acting, ticket


def acting_to_write(request: HttpRequest, slug: str) -> tuple[Acting, str] | HttpResponse:
    """The preamble of a change to the request ``slug`` (a modification, a cancellation, an extension):
    the scope ``requests:write``, then who acts for its enterprise today, with the ticket (404 for any
    other, whether it exists or not)."""
    caller_of(request).require(ApiScope.REQUESTS_WRITE)
    return acting_for_ticket(request, slug)


class FileOnTicket(Protocol):
    def __call__(
        self, *, acting: Acting, ticket: str, leave: dict[str, Any], certified: bool
    ) -> filing.Filed: ...


def file_on_ticket(
    request: HttpRequest, slug: str, body: ModificationIn | ExtensionIn, service: FileOnTicket
) -> HttpResponse:
    """A filing about the request ``slug`` (``filing.request_modify``, ``extending.request_extend``)
    with the leave values and certification of ``body``: 201 with what was filed, or its problem."""
    found = acting_to_write(request, slug)
    if isinstance(found, HttpResponse):
        return found
    acting, ticket = found
    leave = {k: v for k, v in body.leave.model_dump().items() if v is not None}
    try:
        filed = service(acting=acting, ticket=ticket, leave=leave, certified=body.certified)
    except filing.FilingRefused as error:
        return refused(error)
    except NotFound:
        return not_found()
    return filed_response(filed)


def _links(leave_request: LeaveRequest) -> dict[str, str]:
    return {
        "self": reverse("api:request_detail", kwargs={"ticket": leave_request.slug}),
        "pdf": version_pdf_link(leave_request, leave_request.version),
    }


def version_pdf_link(leave_request: LeaveRequest, number: int) -> str:
    return reverse("api:request_version_pdf", kwargs={"ticket": leave_request.slug, "number": number})


def request_json(leave_request: LeaveRequest) -> dict[str, Any]:
    """The request as the API answers it; the worker is named by number only, their part never shown."""
    return {
        "ticket": leave_request.ticket,
        "id": leave_request.slug,
        "status": leave_request.status,
        "version": leave_request.version,
        "enterprise": leave_request.enterprise.number,
        "worker": {
            "niss": leave_request.worker.niss,
            "status": leave_request.worker_status,
            "joint_committee": leave_request.joint_committee,
        },
        "type": leave_request.leave_type,
        "kind": leave_request.kind,
        "form": leave_request.form,
        "notice_date": leave_request.notice_date.isoformat() if leave_request.notice_date else None,
        "start_date": leave_request.start_date.isoformat(),
        "end_date": leave_request.end_date.isoformat(),
        "details": leave_request.details,
        "created_at": leave_request.created_at.isoformat(),
        "links": _links(leave_request),
    }


def filed_response(filed: filing.Filed) -> HttpResponse:
    """201 with the request filed (or its new version), its warnings and its ``Location``."""
    answer = {**request_json(filed.request), "warnings": [w.as_warning_json() for w in filed.warnings]}
    return json_response(answer, status=201, headers={"Location": answer["links"]["self"]})


def _filing_input(body: RequestIn) -> filing.FilingInput:
    return filing.FilingInput.from_json(body.model_dump())[1]


@router.post("", url_name="requests", response={201: dict[str, Any]})
@idempotent
def file_request(request: HttpRequest, body: RequestIn) -> HttpResponse:
    """File one employer part (steps 4 to 7 of the web in one call); 201 with the ticket."""
    caller_of(request).require(ApiScope.REQUESTS_WRITE)
    acting = acting_or_problem(request, body.enterprise)
    if isinstance(acting, HttpResponse):
        return acting
    try:
        filed = filing.request_file(acting=acting, data=_filing_input(body), certified=body.certified)
    except filing.FilingRefused as error:
        return refused(error)
    return filed_response(filed)


@router.post("/validate", url_name="requests_validate", response={200: dict[str, Any]})
@idempotent
def validate_request(request: HttpRequest, body: RequestIn) -> HttpResponse:
    """The same checks as filing, nothing filed: 200 with the warnings, or 422 with the problems."""
    audit_with_the_call()  # nothing is written but the look-up's audit row: it goes with the call's
    caller_of(request).require(ApiScope.REQUESTS_WRITE)
    acting = acting_or_problem(request, body.enterprise)
    if isinstance(acting, HttpResponse):
        return acting
    try:
        checked = filing.request_check(acting=acting, data=_filing_input(body))
    except filing.FilingRefused as error:
        return refused(error)
    return json_response({"valid": True, "warnings": [w.as_warning_json() for w in checked.warnings]})


@router.get("", url_name="requests_list", response={200: dict[str, Any]})
def list_requests(
    request: HttpRequest,
    enterprise: str,
    status: str = "",
    type: str = "",
    worker: str = "",
    updated_since: datetime.datetime | None = None,
    cursor: str = "",
    limit: int = 25,
) -> HttpResponse:
    """The enterprise's requests of the last two years, newest first, a page at a time (``next``)."""
    caller_of(request).require(ApiScope.REQUESTS_READ)
    acting = acting_or_problem(request, enterprise)
    if isinstance(acting, HttpResponse):
        return acting
    niss = ""
    if worker:
        try:
            niss = normalize_niss(worker)
        except ValidationError as error:
            return field_refused(error, "worker")
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=datetime.UTC)
    filters = selectors.RequestFilters(
        status=status, leave_type=type, worker_niss=niss, updated_since=updated_since
    )
    page = selectors.requests_page(
        acting=acting, filters=filters, after=cursor, limit=max(1, min(limit, PAGE_MAX))
    )
    items = [request_json(item) for item in page.items]
    next_link = ""
    if page.has_next:
        next_link = f"{request.path}?{_query(request, cursor=page.next_cursor)}"
    return json_response({"items": items, "next_cursor": page.next_cursor, "next": next_link})


def _query(request: HttpRequest, **changes: str) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@router.get("/{ticket}", url_name="request_detail", response={200: dict[str, Any]})
def request_detail(request: HttpRequest, ticket: str) -> HttpResponse:
    """One request: its versions (each with its PDF), its status history; audited as a read."""
    caller_of(request).require(ApiScope.REQUESTS_READ)
    found = acting_for_ticket(request, ticket)
    if isinstance(found, HttpResponse):
        return found
    acting, full_ticket = found
    try:
        leave_request = selectors.request_detail(acting=acting, ticket=full_ticket)
    except NotFound:
        return not_found()
    services.request_read(acting=acting, leave_request=leave_request, action=AuditAction.REQUEST_VIEWED)
    sent = getattr(leave_request, "worker_part_sent_at", None)
    answer = {
        **request_json(leave_request),
        "worker_part_sent_at": sent.isoformat() if sent else None,
        "versions": [
            {
                "number": version.number,
                "kind": version.kind,
                "created_at": version.created_at.isoformat(),
                "reason": version.reason,
                "snapshot": version.snapshot,
                "links": {"pdf": version_pdf_link(leave_request, version.number)},
            }
            for version in leave_request.versions.all()
        ],
        "history": [
            {
                "from": transition.from_status,
                "to": transition.to_status,
                "actor": transition.actor,
                "at": transition.occurred_at.isoformat(),
                "reason": transition.reason,
            }
            for transition in leave_request.transitions.all()
        ],
    }
    return json_response(answer)


@router.post("/{ticket}/modifications", url_name="request_modifications", response={201: dict[str, Any]})
@idempotent
def modify_request(request: HttpRequest, ticket: str, body: ModificationIn) -> HttpResponse:
    """A new version with these leave data (the worker and the type stay), until the office decides."""
    return file_on_ticket(request, ticket, body, filing.request_modify)


@router.post("/{ticket}/cancellation", url_name="request_cancellation", response={200: dict[str, Any]})
@idempotent
def cancel_request(request: HttpRequest, ticket: str, body: CancellationIn) -> HttpResponse:
    """Cancel the request with the reason, before the office decides (a cancellation version)."""
    found = acting_to_write(request, ticket)
    if isinstance(found, HttpResponse):
        return found
    acting, full_ticket = found
    try:
        leave_request = services.request_cancel(acting=acting, ticket=full_ticket, reason=body.reason)
    except NotFound:
        return not_found()
    except DomainError as error:
        errors: list[ProblemError] = [
            {"code": error.code, "field": error.field or "", "message": str(error.message)}
        ]
        if error.field is None:
            return conflict(errors, detail=str(error.message))
        return invalid_request(errors, detail=str(error.message))
    return json_response(request_json(leave_request))


@router.get("/{ticket}/versions/{number}/pdf", url_name="request_version_pdf", response={200: bytes})
def version_pdf(request: HttpRequest, ticket: str, number: int) -> HttpResponse:
    """The PDF of one version, as Consultation serves it; audited as a download."""
    caller_of(request).require(ApiScope.REQUESTS_READ)
    found = acting_for_ticket(request, ticket)
    if isinstance(found, HttpResponse):
        return found
    acting, full_ticket = found
    try:
        leave_request = selectors.request_for(acting=acting, ticket=full_ticket)
    except NotFound:
        return not_found()
    version = leave_request.versions.filter(number=number).first()
    if version is None:
        return not_found()
    try:
        document = employer_part_document(version)
        content = document_bytes(document)
    except DocumentIntegrityError:
        logger.exception("Document of %s version %s failed its integrity check", leave_request.ticket, number)
        return problem(
            status=500, type_="document-unavailable", title=_("Document unavailable"), detail=_("Contact us.")
        )
    except DocumentStorageError:
        return problem(
            status=503,
            type_="document-unavailable",
            title=_("Document unavailable"),
            detail=_("Try again later."),
            headers={"Retry-After": str(DOCUMENT_RETRY_AFTER_SECONDS)},
        )
    services.request_read(
        acting=acting,
        leave_request=leave_request,
        action=AuditAction.DOCUMENT_DOWNLOADED,
        version=number,
        sha256=document.sha256,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{leave_request.slug}-v{number}-{document.language}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
