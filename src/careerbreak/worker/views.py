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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import DayMonthYearField
from careerbreak.core.ratelimit import NOTICE_SEND_PER_USER, rate_limit
from careerbreak.identity.acting import Acting, ActingRequest
from careerbreak.identity.models import User
from careerbreak.identity.oidc import assurance_level
from careerbreak.identity.session_end import login_redirect
from careerbreak.interruptions import information, notices, worker_part
from careerbreak.interruptions.selectors import requests_filed_for
from careerbreak.interruptions.types import LeaveForm
from careerbreak.mailbox import selectors as mailbox
from careerbreak.mailbox.services import ebox_attachment_download, ebox_mark_read
from careerbreak.registries.models import Person
from careerbreak.registries.sources import national_register

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
            "notices": notices.notices_of_worker(worker=person),
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
    enterprise = forms.ChoiceField(label=gettext_lazy("Employer"))
    leave_type = forms.ChoiceField(label=gettext_lazy("Type of interruption"))
    form = forms.ChoiceField(
        label=gettext_lazy("Form of the interruption"),
        choices=LeaveForm.choices,
        widget=forms.RadioSelect,
    )
    start_date = DayMonthYearField(label=gettext_lazy("Start date"))
    months = forms.IntegerField(label=gettext_lazy("Duration in months"), min_value=1, max_value=60)
    message = forms.CharField(
        label=gettext_lazy("Message to your employer"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, employers: list[Any], types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["enterprise"]).choices = [(e.number, e.name) for e in employers]
        cast(forms.ChoiceField, self.fields["leave_type"]).choices = types


@require_http_methods(["GET", "POST"])
@citizen_required
@rate_limit(NOTICE_SEND_PER_USER, methods={"POST"})
def notice_new(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    employers = notices.employers_accepting_notices(worker=person)
    if not employers:
        return render(request, "worker/notice_unavailable.html", status=200)
    types: dict[str, str] = {}
    for employer in employers:
        types.update(dict(notices.notice_types(employer)))
    form = NoticeForm(
        request.POST if request.method == "POST" else None, employers=employers, types=list(types.items())
    )
    if request.method == "POST" and form.is_valid():
        enterprise = next(e for e in employers if e.number == form.cleaned_data["enterprise"])
        try:
            notices.notice_send(
                worker=person,
                enterprise=enterprise,
                leave_type=form.cleaned_data["leave_type"],
                form=form.cleaned_data["form"],
                start_date=form.cleaned_data["start_date"],
                months=form.cleaned_data["months"],
                message=form.cleaned_data["message"],
                acting=cast(CitizenRequest, request).acting,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Your notice has been sent to your employer."))
            return redirect("worker:home")
    return render(request, "worker/notice_new.html", {"form": form}, status=400 if form.errors else 200)
