"""Ask the worker for information (issue 13): the question and its deadline, check, then ask.

The question is kept in the session between the form and the check page; nothing is written until the
agent confirms on the check page (``interruptions.information.information_ask``).
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import DayMonthYearField
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import information
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.selectors import request_for_office
from careerbreak.office.guards import OfficeRequest, office_required

SESSION_KEY = "office_information_draft"


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question to the worker"),
        max_length=information.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("The worker reads it on their pages; say what to send or explain."),
    )
    deadline = DayMonthYearField(label=gettext_lazy("Answer by"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "question" in data and "deadline" in data:
            try:
                data["question"] = information.check_question(data["question"], data["deadline"])
            except DomainError as error:
                self.add_error(error.field if error.field in self.fields else None, str(error.message))
        return data


def _acting(request: HttpRequest) -> Acting:
    return cast(OfficeRequest, request).acting


def _request_or_404(acting: Acting, ticket: str) -> LeaveRequest:
    try:
        return request_for_office(acting=acting, ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc


def _drafts(request: HttpRequest) -> dict[str, dict[str, str]]:
    return cast(dict[str, dict[str, str]], request.session.get(SESSION_KEY, {}))


def back_url(leave_request: LeaveRequest) -> str:
    """The review page of the request."""
    return reverse("office:review", args=[leave_request.slug])


def _context(acting: Acting, leave_request: LeaveRequest) -> dict[str, Any]:
    return {
        "leave_request": leave_request,
        "may_ask": information.may_ask(acting=acting, leave_request=leave_request),
        "back_url": back_url(leave_request),
        "min_days": information.MIN_DAYS,
        "max_days": information.MAX_DAYS,
    }


@require_http_methods(["GET", "POST"])
@office_required()
def information_ask(request: HttpRequest, ticket: str) -> HttpResponse:
    """The question and its deadline (proposed: ``DEFAULT_DAYS`` from today); *Continue* goes to the check."""
    acting = _acting(request)
    leave_request = _request_or_404(acting, ticket)
    context = _context(acting, leave_request)
    if not context["may_ask"]:
        return render(request, "office/information/ask.html", {**context, "form": None})
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            drafts = _drafts(request)
            drafts[leave_request.ticket] = {
                "question": form.cleaned_data["question"],
                "deadline": form.cleaned_data["deadline"].isoformat(),
            }
            request.session[SESSION_KEY] = drafts
            return redirect("office:information_check", ticket=leave_request.slug)
    else:
        draft = _drafts(request).get(leave_request.ticket)
        deadline = datetime.date.fromisoformat(draft["deadline"]) if draft else information.default_deadline()
        form = QuestionForm(initial={"question": draft["question"] if draft else "", "deadline": deadline})
    return render(
        request,
        "office/information/ask.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@office_required()
def information_check(request: HttpRequest, ticket: str) -> HttpResponse:
    """Check the question before it is sent; *Send the question* asks it."""
    acting = _acting(request)
    leave_request = _request_or_404(acting, ticket)
    drafts = _drafts(request)
    draft = drafts.get(leave_request.ticket)
    if draft is None:
        return redirect("office:information_ask", ticket=leave_request.slug)
    deadline = datetime.date.fromisoformat(draft["deadline"])
    error = ""
    if request.method == "POST":
        try:
            information.information_ask(
                acting=acting, ticket=leave_request.ticket, question=draft["question"], deadline=deadline
            )
        except DomainError as refused:
            error = str(refused.message)
        else:
            drafts.pop(leave_request.ticket, None)
            request.session[SESSION_KEY] = drafts
            messages.success(request, _("The question has been sent to the worker's eBox."))
            return redirect("office:review", ticket=leave_request.slug)
    return render(
        request,
        "office/information/check.html",
        {
            "leave_request": leave_request,
            "question": draft["question"],
            "deadline": deadline,
            "page_error": error,
        },
        status=400 if error else 200,
    )
