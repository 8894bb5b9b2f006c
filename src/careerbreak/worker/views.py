"""The worker's side: their requests, "Mon eBox", and written notices sent online.

Every page shows only what belongs to the logged-in person's national number. The guard builds the
acting context (the person acting for themselves) that views pass to services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import DayMonthYearField, RadioChoiceField
from careerbreak.core.ratelimit import NOTICE_SEND_PER_USER, rate_limit
from careerbreak.identity.acting import Acting, ActingRequest
from careerbreak.identity.models import User
from careerbreak.identity.oidc import assurance_level
from careerbreak.identity.session_end import login_redirect
from careerbreak.interruptions import information, notices, worker_part
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.interruptions.selectors import requests_filed_for
from careerbreak.interruptions.states import NoticeStatus
from careerbreak.interruptions.types import LeaveForm
from careerbreak.mailbox import selectors as mailbox
from careerbreak.mailbox.services import ebox_attachment_download, ebox_mark_read
from careerbreak.registries.models import Person
from careerbreak.registries.sources import national_register
from careerbreak.vocabularies import type_and_form

View = Callable[..., HttpResponse]


# A request past ``citizen_required``: ``acting`` is the person acting for themselves.
CitizenRequest = ActingRequest


def citizen_required(view: View) -> View:
    """Logged in (eID, itsme): the person is the logged-in user's national number."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return login_redirect(request)
        request.acting = Acting.from_request(  # type: ignore[attr-defined]
            request, user=cast(User, request.user), assurance_level=assurance_level(request), access=None
        )
        return view(request, *args, **kwargs)

    return wrapped


# A notice's status in the worker's words: they sent it, their employer answers it.
WORKER_NOTICE_STATUS = {
    NoticeStatus.SENT: pgettext_lazy("worker notice status", "Sent"),
    NoticeStatus.ACCEPTED: pgettext_lazy("worker notice status", "Accepted by your employer"),
    NoticeStatus.REFUSED: pgettext_lazy("worker notice status", "Refused by your employer"),
    NoticeStatus.POSTPONEMENT_PROPOSED: pgettext_lazy(
        "worker notice status", "Your employer proposes a postponement"
    ),
}


def _notice_rows(notice_list: list[Any]) -> list[dict[str, Any]]:
    """The worker's notices, each with its status in their words and the request it produced, if any."""
    produced = notices.requests_from_notices(notice_list)
    return [
        {"notice": n, "status": WORKER_NOTICE_STATUS[NoticeStatus(n.status)], "request": produced.get(n.pk)}
        for n in notice_list
    ]


def _person(request: HttpRequest) -> Person:
    person = national_register().get_person(cast(User, request.user).niss)
    if person is None:
        raise Http404("person")
    return person


@require_GET
@citizen_required
def home(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "worker/home.html",
        {
            "person": person,
            "requests": requests_filed_for(worker=person),
            "unread": mailbox.ebox_unread_count(person.niss),
            "notices": _notice_rows(notices.notices_of_worker(worker=person)),
            "can_send_notice": bool(notices.employers_accepting_notices(worker=person)),
            "to_complete": worker_part.to_complete(acting=cast(CitizenRequest, request).acting),
            "questions": information.questions_of_worker(acting=cast(CitizenRequest, request).acting),
        },
    )


@require_GET
@citizen_required
def ebox(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    language = (request.LANGUAGE_CODE or "fr")[:2]
    messages_list = [
        (message, message.text_in(language)) for message in mailbox.ebox_messages_for(person.niss)[:100]
    ]
    return render(request, "worker/ebox.html", {"messages_list": messages_list})


@require_GET
@citizen_required
def ebox_message(request: HttpRequest, message_id: str) -> HttpResponse:
    person = _person(request)
    try:
        message = mailbox.ebox_message_for(person.niss, message_id)
    except NotFound as exc:
        raise Http404("message") from exc
    if message.read_at is None:
        ebox_mark_read(acting=cast(CitizenRequest, request).acting, message_id=message.pk)
    language = (request.LANGUAGE_CODE or "fr")[:2]
    return render(
        request,
        "worker/ebox_message.html",
        {
            "message": message,
            "text": message.text_in(language),
        },
    )


@require_GET
@citizen_required
def ebox_attachment(request: HttpRequest, message_id: str) -> HttpResponse:
    _person(request)
    try:
        attachment = ebox_attachment_download(
            acting=cast(CitizenRequest, request).acting, message_id=message_id
        )
    except NotFound as exc:
        raise Http404("attachment") from exc
    response = HttpResponse(attachment.content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="{attachment.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class NoticeForm(forms.Form):
    # Each field says what is wrong with it in its own words (never a posted code); the type is chosen,
    # never preselected.
    enterprise = RadioChoiceField(
        label=gettext_lazy("Employer"),
        required_message=gettext_lazy("Choose your employer."),
        invalid_message=gettext_lazy(
            "This employer does not receive notices online. Give your notice in writing."
        ),
    )
    leave_type = RadioChoiceField(
        label=gettext_lazy("Type of interruption"),
        required_message=gettext_lazy("Choose the type of interruption."),
        invalid_message=gettext_lazy("This type of interruption is not open in your employer's sector."),
    )
    form = RadioChoiceField(
        label=gettext_lazy("Form of the interruption"),
        choices=LeaveForm.choices,
        required_message=gettext_lazy("Choose the form of the interruption."),
        invalid_message=gettext_lazy("This form is not possible for this type."),
    )
    start_date = DayMonthYearField(label=gettext_lazy("Start date"))
    months = forms.IntegerField(
        label=gettext_lazy("Duration in months"),
        min_value=1,
        max_value=60,
        error_messages={
            "required": gettext_lazy("Enter the duration in months."),
            "invalid": gettext_lazy("Enter the duration in whole months, for example 4."),
            "min_value": gettext_lazy("Enter a duration between 1 and 60 months."),
            "max_value": gettext_lazy("Enter a duration between 1 and 60 months."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message to your employer"), required=False, max_length=2000, widget=forms.Textarea
    )

    def notice(self, worker: Person) -> WorkerNotice:
        """The notice as entered (valid), not saved."""
        values = self.cleaned_data
        return WorkerNotice(
            worker=worker,
            enterprise=next(e for e in self.employers if e.number == values["enterprise"]),
            leave_type=values["leave_type"],
            form=values["form"],
            start_date=values["start_date"],
            months=values["months"],
            message=values["message"],
        )

    def __init__(self, *args: Any, employers: list[Any], types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employers = employers
        cast(forms.ChoiceField, self.fields["enterprise"]).choices = [(e.number, e.name) for e in employers]
        cast(forms.ChoiceField, self.fields["leave_type"]).choices = types


# The session key of the notice checked and not sent yet (the check-your-answers page sends it).
_PENDING_NOTICE = "worker.notice_pending"
_REFUSED_NOTICE = "worker.notice_refused"


def _notice_form(person: Person, data: Any = None) -> NoticeForm | None:
    """The notice form for the worker's employers that receive notices online (None: there are none)."""
    employers = notices.employers_accepting_notices(worker=person)
    if not employers:
        return None
    types: dict[str, str] = {}
    for employer in employers:
        types.update(dict(notices.notice_types(employer)))
    return NoticeForm(data, employers=employers, types=list(types.items()))


@require_http_methods(["GET", "POST"])
@citizen_required
@rate_limit(NOTICE_SEND_PER_USER, methods={"POST"})
def notice_new(request: HttpRequest) -> HttpResponse:
    """The notice, checked field by field; then the check-your-answers page, which sends it."""
    person = _person(request)
    posting = request.method == "POST"
    # A refused POST is shown by the GET it redirects to, once (POST-redirect-GET: *Back* and a reload never
    # resubmit); back from the check page (*Change*), the values posted are shown again.
    refused = None if posting else request.session.pop(_REFUSED_NOTICE, None)
    pending = None if posting else request.session.get(_PENDING_NOTICE)
    form = _notice_form(person, request.POST if posting else (refused or pending))
    if form is None:
        return render(request, "worker/notice_unavailable.html", status=200)
    if (posting or refused) and form.is_valid():
        try:
            notices.notice_check(form.notice(person))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
    if posting:
        posted = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
        if form.errors:
            request.session[_REFUSED_NOTICE] = posted
            return redirect("worker:notice_new")
        request.session[_PENDING_NOTICE] = posted
        return redirect("worker:notice_check")
    return render(request, "worker/notice_new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@citizen_required
def notice_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then *Send*: the notice goes to the employer, the receipt to the eBox."""
    person = _person(request)
    pending = request.session.get(_PENDING_NOTICE)
    form = _notice_form(person, pending) if isinstance(pending, dict) else None
    if form is None or not form.is_valid():
        # Nothing checked to send (sent already, or the employer stopped receiving notices): the form.
        request.session.pop(_PENDING_NOTICE, None)
        return redirect("worker:notice_new")
    notice = form.notice(person)
    if request.method == "POST":
        try:
            notices.notice_send(notice=notice, acting=cast(CitizenRequest, request).acting)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("worker:notice_new")
        request.session.pop(_PENDING_NOTICE, None)
        messages.success(
            request, _("Your notice has been sent to your employer. Its receipt is in your eBox.")
        )
        return redirect("worker:home")
    return render(
        request,
        "worker/notice_check.html",
        {
            "notice": notice,
            **type_and_form(notice),
        },
    )
