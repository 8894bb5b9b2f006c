"""The review of one request (``office:review``) and its attachments, always downloads
(``office:attachment``). Reads go through ``interruptions.office_review`` (audited)."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from careerbreak.core.errors import NotFound
from careerbreak.core.http import download_response
from careerbreak.documents.services import DocumentIntegrityError, DocumentStorageError
from careerbreak.interruptions import attachments
from careerbreak.interruptions.documents import detail_rows
from careerbreak.interruptions.office_queue import QUEUE_STATUSES
from careerbreak.interruptions.office_review import request_review
from careerbreak.interruptions.states import Status
from careerbreak.office.guards import OfficeRequest, office_required
from careerbreak.vocabularies import type_and_form


@require_GET
@office_required()
def review(request: HttpRequest, ticket: str) -> HttpResponse:
    req = cast(OfficeRequest, request)
    try:
        found = request_review(acting=req.acting, ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc
    leave_request = found.leave_request
    user = req.acting.user
    holds = user is not None and leave_request.assigned_to_id == user.pk
    return render(
        request,
        "office/review.html",
        {
            "review": found,
            "leave_request": leave_request,
            "office_role": req.office_role,
            "holds": holds,
            "can_take": leave_request.status == Status.COMPLETE
            and leave_request.assigned_to_id in (None, user and user.pk),
            "can_reassign": req.office_role.is_supervisor and leave_request.status in QUEUE_STATUSES,
            **type_and_form(leave_request),
            "detail_rows": detail_rows(leave_request.details),
            "slug": leave_request.slug,
        },
    )


@require_GET
@office_required()
def attachment(request: HttpRequest, ticket: str, attachment_id: int) -> HttpResponse:
    """One attachment of a request in the agent's scope, always as a download (never shown inline)."""
    try:
        found = attachments.attachment_read(
            acting=cast(OfficeRequest, request).acting,
            ticket=ticket.replace("-", "/"),
            attachment_id=attachment_id,
        )
    except NotFound as exc:
        raise Http404("attachment") from exc
    except DocumentIntegrityError:
        return render(request, "office/attachment_unavailable.html", status=500)
    except DocumentStorageError:
        return render(request, "office/attachment_unavailable.html", status=503)
    return download_response(
        found.content, content_type=found.attachment.content_type, filename=found.download_name
    )
