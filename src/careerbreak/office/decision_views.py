"""The office's decisions: approve (with the allowance computed from the rate table, or without one and
why), refuse (reasons from the catalogue, a second agent confirms), and the page of a request's decision.

Each action has a check page: the first POST validates the form and shows what will be decided (the
periods and amounts, or the reasons with their legal references); the second POST (``confirm``) decides.
The services (``interruptions.decisions``) check again who may decide; a refusal they give is shown on the
page, in the agent's language, beside the field it concerns.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import decisions
from careerbreak.interruptions.allowance import Category, NoAllowanceReason
from careerbreak.interruptions.decision_letter import format_amount
from careerbreak.interruptions.models import Decision, LeaveRequest
from careerbreak.interruptions.refusals import BY_CODE, CATALOGUE
from careerbreak.interruptions.selectors import request_for_office
from careerbreak.office.decision_forms import ApproveForm, RefuseForm, SendBackForm
from careerbreak.office.guards import OfficeRequest, office_required
from careerbreak.vocabularies import type_and_form


def _acting(request: HttpRequest) -> Acting:
    return cast(OfficeRequest, request).acting


def _request_or_404(request: HttpRequest, ticket: str) -> LeaveRequest:
    try:
        return request_for_office(acting=_acting(request), ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc


def back_url(leave_request: LeaveRequest) -> str:
    """The review page of the request."""
    return reverse("office:review", args=[leave_request.slug])


def _context(leave_request: LeaveRequest, **extra: Any) -> dict[str, Any]:
    return {
        "leave_request": leave_request,
        **type_and_form(leave_request),
        "back_url": back_url(leave_request),
        **extra,
    }


def _periods(periods: Any) -> list[dict[str, Any]]:
    return [
        {"start": period.start, "end": period.end, "amount": format_amount(period.monthly_amount)}
        for period in periods
    ]


def _add_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@require_http_methods(["GET", "POST"])
@office_required()
def approve(request: HttpRequest, ticket: str) -> HttpResponse:
    """*Approuver*: with or without the allowance; the check page shows the periods and amounts."""
    leave_request = _request_or_404(request, ticket)
    form = ApproveForm(request.POST if request.method == "POST" else None)
    checking = False
    preview: decisions.AllowancePreview | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["with_allowance"]:
                preview = decisions.allowance_preview(leave_request=leave_request)
            if "confirm" in request.POST:
                decisions.request_approve(
                    acting=_acting(request),
                    ticket=leave_request.ticket,
                    with_allowance=data["with_allowance"],
                    no_allowance_reason=data["no_allowance_reason"],
                    note=data["note"],
                )
                messages.success(
                    request, _("The request is approved. The decision is sent to the worker's eBox.")
                )
                return redirect("office:review", ticket=leave_request.slug)
            checking = True
        except DomainError as error:
            _add_error(form, error)
            checking = False
    reason = form.cleaned_data.get("no_allowance_reason", "") if checking else ""
    return render(
        request,
        "office/decision/approve_check.html" if checking else "office/decision/approve.html",
        _context(
            leave_request,
            form=form,
            periods=_periods(preview.periods) if preview else [],
            category=Category(preview.category).label if preview else "",
            first_paid_day=preview.first_paid_day if preview else None,
            no_allowance_label=NoAllowanceReason(reason).label if reason else "",
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@office_required()
def refuse(request: HttpRequest, ticket: str) -> HttpResponse:
    """*Refuser*: reasons with their legal references and a note; a second agent confirms it."""
    leave_request = _request_or_404(request, ticket)
    form = RefuseForm(request.POST if request.method == "POST" else None)
    checking = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                decisions.refusal_propose(
                    acting=_acting(request),
                    ticket=leave_request.ticket,
                    reasons=data["reasons"],
                    note=data["note"],
                )
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _("The refusal is proposed. A second agent must confirm it before it is sent."),
                )
                return redirect("office:review", ticket=leave_request.slug)
        else:
            checking = True
    chosen = [BY_CODE[code] for code in form.cleaned_data.get("reasons", [])] if checking else []
    return render(
        request,
        "office/decision/refuse_check.html" if checking else "office/decision/refuse.html",
        _context(leave_request, form=form, catalogue=CATALOGUE, chosen=chosen),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@office_required()
def refusal_confirm(request: HttpRequest, ticket: str) -> HttpResponse:
    """The second agent: sees the proposed refusal, confirms it or sends it back with why."""
    leave_request = _request_or_404(request, ticket)
    pending = decisions.pending_refusal(leave_request)
    send_back = SendBackForm(request.POST if request.POST.get("action") == "send_back" else None)
    page_error = ""
    if request.method == "POST" and pending is not None:
        acting = _acting(request)
        try:
            if request.POST.get("action") == "confirm":
                decisions.refusal_confirm(acting=acting, ticket=leave_request.ticket)
                messages.success(
                    request, _("The refusal is confirmed. The decision is sent to the worker's eBox.")
                )
                return redirect("office:review", ticket=leave_request.slug)
            if send_back.is_valid():
                decisions.refusal_send_back(
                    acting=acting,
                    ticket=leave_request.ticket,
                    reason=send_back.cleaned_data["sent_back_reason"],
                )
                messages.success(request, _("The refusal is sent back to the agent who holds the file."))
                return redirect("office:review", ticket=leave_request.slug)
        except DomainError as error:
            if error.field in send_back.fields:
                _add_error(send_back, error)
            else:
                page_error = str(error.message)
    elif request.method == "POST":
        page_error = _("No refusal of this request awaits confirmation.")
    user = cast(OfficeRequest, request).user
    return render(
        request,
        "office/decision/refusal_confirm.html",
        _context(
            leave_request,
            pending=pending,
            reasons=[BY_CODE[code] for code in pending.refusal_reasons if code in BY_CODE] if pending else [],
            own_proposal=pending is not None and pending.decided_by_id == user.pk,
            form=send_back,
            page_error=page_error,
        ),
        status=400 if (send_back.errors or page_error) else 200,
    )


@require_GET
@office_required()
def decision(request: HttpRequest, ticket: str) -> HttpResponse:
    """The request's decision as the office sees it: the final one with its allowance, a refusal awaiting
    confirmation, the refusals sent back."""
    leave_request = _request_or_404(request, ticket)
    every = decisions.decisions_of(leave_request)
    final = next((item for item in every if item.state == Decision.State.FINAL), None)
    return render(
        request,
        "office/decision/decision.html",
        _context(
            leave_request,
            final=final,
            periods=[
                {"start": row.start_date, "end": row.end_date, "amount": format_amount(row.monthly_amount)}
                for row in decisions.periods_of(final)
            ]
            if final
            else [],
            no_allowance_label=(
                NoAllowanceReason(final.no_allowance_reason).label
                if final and final.no_allowance_reason in NoAllowanceReason.values
                else ""
            ),
            reasons=[BY_CODE[code] for code in final.refusal_reasons if code in BY_CODE] if final else [],
            pending=next(
                (item for item in every if item.state == Decision.State.AWAITING_CONFIRMATION), None
            ),
            sent_back=[item for item in every if item.state == Decision.State.SENT_BACK],
            holds=leave_request.assigned_to_id == cast(OfficeRequest, request).user.pk,
            office_role=cast(OfficeRequest, request).office_role,
        ),
    )
