"""*Avertissements à traiter*: workers' notices sent online; accept, refuse or propose a postponement."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import DayMonthYearField, needed_when
from careerbreak.core.ratelimit import NOTICE_ANSWER_PER_USER, rate_limit
from careerbreak.employer.guards import EmployerRequest, enterprise_required
from careerbreak.interruptions import notices
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.vocabularies import type_and_form


@require_GET
@enterprise_required()
def notice_list(request: HttpRequest) -> HttpResponse:
    req = cast(EmployerRequest, request)
    notice_list = notices.notices_for(acting=req.acting)
    produced = notices.requests_from_notices(notice_list)
    return render(
        request,
        "employer/notices.html",
        {
            # Each notice with the request it produced once accepted, if it was filed.
            "rows": [{"notice": n, "request": produced.get(n.pk)} for n in notice_list],
            "accepts": notices.accepts_notices(req.enterprise_access.enterprise),
            "can_manage": req.enterprise_access.can_manage_access,
        },
    )


# The session key of a refused answer, kept for the one GET its POST redirects to.
_REFUSED_ANSWER = "employer.notice_answer_refused"

ANSWER_LABELS = {
    WorkerNotice.Status.ACCEPTED: gettext_lazy("Accept"),
    WorkerNotice.Status.REFUSED: gettext_lazy("Refuse"),
    WorkerNotice.Status.POSTPONEMENT_PROPOSED: gettext_lazy("Propose a postponement"),
}


class AnswerForm(forms.Form):
    # Only the answers the law allows for the notice's type (notices.answers_allowed).
    decision = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose an answer."),
            "invalid_choice": gettext_lazy("The law does not allow this answer to this notice."),
        },
    )
    reason = needed_when(
        forms.CharField(
            label=gettext_lazy("Reason (for a refusal or a postponement)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        gettext_lazy("Needed for a refusal or a postponement: the worker reads it."),
    )
    proposed_start_date = needed_when(
        DayMonthYearField(label=gettext_lazy("Proposed new start date"), required=False),
        gettext_lazy("Needed for a postponement."),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            (answer, ANSWER_LABELS[WorkerNotice.Status(answer)]) for answer in allowed
        ]


@require_http_methods(["GET", "POST"])
@enterprise_required()
@rate_limit(NOTICE_ANSWER_PER_USER, methods={"POST"})
def notice_answer(request: HttpRequest, notice_id: int) -> HttpResponse:
    acting = cast(EmployerRequest, request).acting
    # Reading the notice (GET) is audited: it shows the worker's plans.
    read = notices.notice_read if request.method == "GET" else notices.notice_for
    try:
        notice = read(acting=acting, notice_id=notice_id)
    except NotFound as exc:
        raise Http404("notice") from exc
    posting = request.method == "POST"
    # A refused answer is shown by the GET it redirects to, once (POST-redirect-GET), with the service's
    # own refusal kept beside the form's.
    stash = None if posting else request.session.pop(_REFUSED_ANSWER, None)
    refused = stash if isinstance(stash, dict) and stash.get("notice") == notice.pk else None
    form = AnswerForm(
        request.POST if posting else (refused["data"] if refused else None),
        allowed=notices.answers_allowed(notice),
    )
    if refused:
        form.is_valid()
        for field, message in refused["errors"]:
            form.add_error(field if field in form.fields else None, message)
    domain_errors: set[tuple[str, str]] = set()
    if posting and form.is_valid():
        try:
            answered = notices.notice_answer(
                acting=acting,
                notice_id=notice.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                proposed_start_date=form.cleaned_data["proposed_start_date"],
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
            domain_errors.add((field or "__all__", str(error.message)))
        else:
            messages.success(request, _("Your answer has been sent to the worker's eBox."))
            if answered.draft_id:
                return redirect(
                    "employer:step_leave"
                    if answered.draft and answered.draft.step >= 6
                    else "employer:step_worker",
                    draft_id=answered.draft_id,
                )
            return redirect("employer:notices")
    if posting:
        request.session[_REFUSED_ANSWER] = {
            "notice": notice.pk,
            "data": {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"},
            # Only what the service refused: the form finds its own errors again on the GET.
            "errors": [
                (None if field == "__all__" else field, str(message))
                for field, messages_ in form.errors.items()
                for message in messages_
                if (field, message) in domain_errors
            ],
        }
        return redirect("employer:notice_answer", notice_id=notice.pk)
    context: dict[str, Any] = {
        "notice": notice,
        "form": form,
        **type_and_form(notice),
    }
    return render(request, "employer/notice_answer.html", context, status=400 if form.errors else 200)


@require_POST
@enterprise_required(managers_only=True)
def notice_settings(request: HttpRequest) -> HttpResponse:
    accepts = request.POST.get("accepts") == "yes"
    notices.notice_settings_set(acting=cast(EmployerRequest, request).acting, accepts=accepts)
    messages.success(
        request,
        _("Your workers can now send their notices online.")
        if accepts
        else _("Your workers can no longer send their notices online."),
    )
    return redirect("employer:notices")
