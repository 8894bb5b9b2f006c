"""The worker answers the employment office's question (issue 13): the answer and any documents, check,
send. The text is kept in the session until it is sent; the documents are stored as they are attached
(removable until the answer is sent), with the worker part's checks.

Every view finds the request among those filed for the logged-in person only; anyone else's ticket is a
404, the same as an unknown one.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.uploads import uploads_too_large
from careerbreak.documents.services import DocumentStorageError
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import attachments, information
from careerbreak.interruptions.models import InformationRequest, LeaveRequest
from careerbreak.worker.part_views import removed
from careerbreak.worker.views import CitizenRequest, citizen_required

SESSION_KEY = "worker_information_answer"
ATTACH = "attach"


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=information.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Enter your answer to the question.")},
    )
    file = forms.FileField(label=gettext_lazy("Attach a document"), required=False, allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPEG or PNG, at most %(size)s MB each and %(count)s per answer."
        ) % {"size": attachments.megabytes(settings.ATTACHMENT_MAX_BYTES), "count": settings.ATTACHMENTS_MAX}


def _acting(request: HttpRequest) -> Acting:
    return cast(CitizenRequest, request).acting


def _open(request: HttpRequest, ticket: str) -> tuple[LeaveRequest, InformationRequest | None]:
    try:
        return information.open_question_for_worker(acting=_acting(request), ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc


def _drafts(request: HttpRequest) -> dict[str, str]:
    return cast(dict[str, str], request.session.get(SESSION_KEY, {}))


def _keep(request: HttpRequest, ticket: str, text: str) -> None:
    drafts = _drafts(request)
    drafts[ticket] = text
    request.session[SESSION_KEY] = drafts


def _files(question: InformationRequest) -> list[dict[str, Any]]:
    return [
        {"id": item.pk, "name": item.filename, "size": item.size}
        for item in information.answer_attachments(question)
    ]


def _attach(request: HttpRequest, form: AnswerForm, leave_request: LeaveRequest) -> bool:
    """Attach the chosen file, if any; False (with the error on the form) when refused."""
    too_large = uploads_too_large(request)
    if too_large:
        form.add_error("file", str(attachments.too_large_error(too_large[0]).message))
        return False
    upload = request.FILES.get("file")
    if upload is None:
        return True
    try:
        information.information_attachment_add(
            acting=_acting(request),
            ticket=leave_request.ticket,
            name=upload.name or "",
            content=upload.read(),
        )
    except DomainError as error:
        form.add_error("file", str(error.message))
        return False
    except DocumentStorageError:
        form.add_error("file", _("The file could not be stored now: try again in a few minutes."))
        return False
    messages.success(request, _("“%(name)s” is attached.") % {"name": upload.name})
    return True


@require_http_methods(["GET", "POST"])
@citizen_required
def information_answer(request: HttpRequest, ticket: str) -> HttpResponse:
    """The office's question, the answer and the documents; *Continue* goes to the check."""
    leave_request, question = _open(request, ticket)
    if question is None:
        return redirect("worker:part_request", ticket=leave_request.slug)
    if request.method == "POST":
        files = request.FILES  # parsing the body is what notes the files over the limit
        form = AnswerForm(request.POST, files)
        form.is_valid()
        _keep(request, leave_request.ticket, request.POST.get("answer", "")[: information.MAX_LENGTH])
        attached = _attach(request, form, leave_request)
        if request.POST.get("action") == ATTACH:
            # Only attaching: the answer may still be empty.
            form.errors.pop("answer", None)
            if attached and "file" in files:
                return redirect("worker:information_answer", ticket=leave_request.slug)
            if attached:
                form.add_error("file", _("Choose a file to attach."))
        elif attached and form.is_valid():
            return redirect("worker:information_check", ticket=leave_request.slug)
    else:
        form = AnswerForm(initial={"answer": _drafts(request).get(leave_request.ticket, "")})
    return render(
        request,
        "worker/information/answer.html",
        {
            "leave_request": leave_request,
            "question": question,
            "form": form,
            "files": _files(question),
            "room_left": len(_files(question)) < settings.ATTACHMENTS_MAX,
            "max_count": settings.ATTACHMENTS_MAX,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@citizen_required
def information_attachment_remove(request: HttpRequest, ticket: str, attachment_id: int) -> HttpResponse:
    """Remove a document from the answer before it is sent."""
    leave_request, _question = _open(request, ticket)
    return removed(
        request,
        leave_request,
        lambda: information.information_attachment_remove(
            acting=_acting(request), ticket=leave_request.ticket, attachment_id=attachment_id
        ),
        back="worker:information_answer",
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def information_check(request: HttpRequest, ticket: str) -> HttpResponse:
    """Check the answer and the documents; *Send my answer* sends them to the office."""
    leave_request, question = _open(request, ticket)
    if question is None:
        return redirect("worker:part_request", ticket=leave_request.slug)
    answer = _drafts(request).get(leave_request.ticket, "").strip()
    if not answer:
        messages.info(request, _("Enter your answer to the question."))
        return redirect("worker:information_answer", ticket=leave_request.slug)
    error = ""
    if request.method == "POST":
        try:
            information.information_answer(
                acting=_acting(request), ticket=leave_request.ticket, answer=answer
            )
        except DomainError as refused:
            error = str(refused.message)
        else:
            drafts = _drafts(request)
            drafts.pop(leave_request.ticket, None)
            request.session[SESSION_KEY] = drafts
            return redirect("worker:information_sent", ticket=leave_request.slug)
    return render(
        request,
        "worker/information/check.html",
        {
            "leave_request": leave_request,
            "question": question,
            "answer": answer,
            "files": _files(question),
            "page_error": error,
        },
        status=400 if error else 200,
    )


@require_GET
@citizen_required
def information_sent(request: HttpRequest, ticket: str) -> HttpResponse:
    """After *Send my answer*: the office has the answer; the request is under review again."""
    leave_request, question = _open(request, ticket)
    if question is not None:
        return redirect("worker:information_answer", ticket=leave_request.slug)
    if not information.has_answered(leave_request):
        return redirect("worker:part_request", ticket=leave_request.slug)
    return render(request, "worker/information/sent.html", {"leave_request": leave_request})
