"""*Consultation*: the enterprise's requests of the last two years, one request's detail, *Modifier* and
*Annuler*. Every read goes through a selector filtered by the enterprise the user acts for."""

from __future__ import annotations

import logging
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import DayMonthYearField, ticket_or_niss_field
from careerbreak.core.ratelimit import NISS_LOOKUP, SEARCH_PER_USER, rate_limit
from careerbreak.core.searches import recalled_search, remember_search
from careerbreak.documents.services import DocumentIntegrityError, DocumentStorageError, document_bytes
from careerbreak.employer.guards import EmployerRequest, enterprise_required
from careerbreak.employer.limits import is_niss_lookup, is_search
from careerbreak.interruptions import selectors, services
from careerbreak.interruptions.documents import detail_rows, employer_part_document
from careerbreak.interruptions.states import EMPLOYER_EDITABLE, Status
from careerbreak.interruptions.tickets import ticket_or_niss
from careerbreak.interruptions.types import LeaveType
from careerbreak.mailbox.selectors import outbox_messages_for
from careerbreak.registries.lookups import lookup_audit
from careerbreak.registries.sources import dimona
from careerbreak.vocabularies import type_and_form

logger = logging.getLogger(__name__)
# When to ask again for a document whose storage could not be reached.
DOCUMENT_RETRY_AFTER_SECONDS = 300

# From this many workers under contract on, a search form instead of the full list (DOMAIN §2).
SEARCH_ONLY_FROM = 100
PAGE_SIZE = 25


class ConsultationFilterForm(forms.Form):
    q = ticket_or_niss_field()
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    leave_type = forms.ChoiceField(label=gettext_lazy("Type of interruption"), required=False)
    period_from = DayMonthYearField(label=gettext_lazy("Leave running on or after"), required=False)
    period_to = DayMonthYearField(label=gettext_lazy("Leave running on or before"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", gettext_lazy("All"))
        cast(forms.ChoiceField, self.fields["status"]).choices = [everything, *Status.choices]
        cast(forms.ChoiceField, self.fields["leave_type"]).choices = [
            everything,
            *LeaveType.choices,
        ]

    def clean_q(self) -> dict[str, str]:
        return ticket_or_niss(self.cleaned_data.get("q") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period must be on or after its start."))
        return cleaned

    def filters(self) -> selectors.RequestFilters:
        data = self.cleaned_data
        q = data.get("q") or {}
        return selectors.RequestFilters(
            status=data.get("status") or "",
            leave_type=data.get("leave_type") or "",
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            worker_niss=q.get("worker_niss", ""),
            ticket=q.get("ticket", ""),
        )


# Searches are kept in the session under an opaque id (core.searches): the address carries ``?s=<id>``,
# never the national number typed.
SESSION_SEARCHES = "consultation_searches"
FILTER_FIELDS = ("q", "status", "leave_type")
# The date filters arrive as their day, month and year inputs (period_from_0, _1, _2).
DATE_FILTER_PREFIXES = ("period_from", "period_to")


def _filter_data(data: Any) -> dict[str, str]:
    """The posted (or queried) values of the filter form only, as plain strings."""
    return {
        key: str(data.get(key, ""))[:100]
        for key in data
        if key in FILTER_FIELDS or key.startswith(DATE_FILTER_PREFIXES)
    }


def _remember_search(request: HttpRequest, enterprise_number: str, data: dict[str, str]) -> str:
    return remember_search(request, SESSION_SEARCHES, enterprise_number, data)


def _recalled_search(request: HttpRequest, search_id: str, enterprise_number: str) -> dict[str, str] | None:
    return recalled_search(request, SESSION_SEARCHES, search_id, enterprise_number)


@require_http_methods(["GET", "POST"])
@enterprise_required()
@rate_limit(SEARCH_PER_USER, when=is_search)
@rate_limit(*NISS_LOOKUP, when=is_niss_lookup)
def consultation(request: HttpRequest) -> HttpResponse:
    """The list and its filters. The filters are POSTed, kept in the session, and the list is then read
    (GET) as ``?s=<search id>&after=<cursor>``, so that the keyset pages and the back button keep working
    without a national number in any address."""
    req = cast(EmployerRequest, request)
    enterprise = req.enterprise_access.enterprise
    search_only = dimona().has_workers_under_contract(enterprise, SEARCH_ONLY_FROM, on=timezone.localdate())
    raw = _filter_data(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" or any(raw.values()):
        # A search posted, or filters in the address (an old bookmark or link): remember them and send
        # the browser to an address without them (post/redirect/get).
        form = ConsultationFilterForm(raw)
        if form.is_valid():
            search_id = _remember_search(request, enterprise.number, raw)
            return redirect(f"{reverse('employer:consultation')}?{urlencode({'s': search_id})}")
    else:
        search_id = request.GET.get("s", "")
        recalled = _recalled_search(request, search_id, enterprise.number) if search_id else None
        if search_id and recalled is None:
            messages.info(request, _("This search is no longer available: search again."))
        form = ConsultationFilterForm(recalled)
    page = None
    if form.is_bound and form.is_valid():
        filters = form.filters()
        if filters.any or not search_only:
            page = selectors.requests_page(
                acting=req.acting, filters=filters, after=request.GET.get("after", ""), limit=PAGE_SIZE
            )
            if filters.worker_niss:
                lookup_audit(
                    acting=req.acting,
                    enterprise=enterprise,
                    niss=filters.worker_niss,
                    purpose="consultation_search",
                    source="requests",
                    found=bool(page.items),
                )
    elif not form.is_bound and not search_only:
        page = selectors.requests_page(
            acting=req.acting,
            filters=selectors.RequestFilters(),
            after=request.GET.get("after", ""),
            limit=PAGE_SIZE,
        )
    next_query = ""
    if page is not None and page.has_next:
        # The next page of the same search (its id), or of the unfiltered list.
        search = {"s": request.GET["s"]} if form.is_bound and request.GET.get("s") else {}
        next_query = urlencode({**search, "after": page.next_cursor})
    return render(
        request,
        "employer/consultation.html",
        {
            "form": form,
            "page": page,
            "search_only": search_only,
            "search_only_from": SEARCH_ONLY_FROM,
            "next_query": next_query,
        },
        status=400 if form.errors else 200,
    )


def _request_or_404(request: HttpRequest, ticket: str) -> Any:
    try:
        return selectors.request_detail(
            acting=cast(EmployerRequest, request).acting, ticket=ticket.replace("-", "/")
        )
    except NotFound as exc:
        raise Http404("request") from exc


@require_GET
@enterprise_required()
def request_detail(request: HttpRequest, ticket: str) -> HttpResponse:
    leave_request = _request_or_404(request, ticket)
    services.request_read(
        acting=cast(EmployerRequest, request).acting,
        leave_request=leave_request,
        action=AuditAction.REQUEST_VIEWED,
    )
    return render(
        request,
        "employer/request_detail.html",
        {
            "leave_request": leave_request,
            **type_and_form(leave_request),
            "versions": list(leave_request.versions.all()),
            "transitions": list(leave_request.transitions.all()),
            "editable": leave_request.status in EMPLOYER_EDITABLE,
            "deliveries": list(outbox_messages_for(reference=leave_request.ticket)),
            "detail_rows": detail_rows(leave_request.details),
            "slug": leave_request.slug,
        },
    )


@require_POST
@enterprise_required()
def request_modify(request: HttpRequest, ticket: str) -> HttpResponse:
    """*Modifier*: a draft at step 6, prefilled; confirming it adds a version to the request."""
    leave_request = _request_or_404(request, ticket)
    try:
        draft = services.draft_start_modification(
            acting=cast(EmployerRequest, request).acting, ticket=leave_request.ticket
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("employer:request_detail", ticket=ticket)
    return redirect("employer:step_leave", draft_id=draft.pk)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the cancellation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Give the reason for the cancellation.")},
    )


@require_http_methods(["GET", "POST"])
@enterprise_required()
def request_cancel(request: HttpRequest, ticket: str) -> HttpResponse:
    """*Annuler*: with a reason, until the office decides."""
    leave_request = _request_or_404(request, ticket)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_cancel(
                acting=cast(EmployerRequest, request).acting,
                ticket=leave_request.ticket,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request, _("The request has been cancelled. The worker is informed in their eBox.")
            )
            return redirect("employer:request_detail", ticket=ticket)
    return render(
        request,
        "employer/request_cancel.html",
        {
            "form": form,
            "leave_request": leave_request,
            "leave_type": LeaveType(leave_request.leave_type),
            "slug": ticket,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@enterprise_required()
def request_pdf(request: HttpRequest, ticket: str, version: int) -> HttpResponse:
    """The PDF of one version, rendered now (once) if the task has not run yet."""
    leave_request = _request_or_404(request, ticket)
    version_row = leave_request.versions.filter(number=version).first()
    if version_row is None:
        raise Http404("version")
    try:
        document = employer_part_document(version_row)
        content = document_bytes(document)
    except DocumentIntegrityError:
        # The stored file was altered or lost: never serve it, tell the user, alert the operators.
        logger.exception(
            "Document of %s version %s failed its integrity check", leave_request.ticket, version
        )
        return render(request, "employer/document_unavailable.html", status=500)
    except DocumentStorageError:
        # The storage is down (logged where it failed): a failure that passes, said as such.
        response = render(request, "employer/document_unavailable.html", {"temporary": True}, status=503)
        response["Retry-After"] = str(DOCUMENT_RETRY_AFTER_SECONDS)
        return response
    services.request_read(
        acting=cast(EmployerRequest, request).acting,
        leave_request=leave_request,
        action=AuditAction.DOCUMENT_DOWNLOADED,
        version=version,
        sha256=document.sha256,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{leave_request.slug}-v{version}-{document.language}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
