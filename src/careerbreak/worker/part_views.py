"""The worker part: the employer part read-only, one page per topic, the summary and *Confirmer*.

Every view finds the request among those filed for the logged-in person's national number only
(`interruptions.worker_part.request_of_worker`); anyone else's ticket is a 404, the same as an unknown one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.http import download_response
from careerbreak.core.uploads import uploads_too_large
from careerbreak.documents.services import DocumentIntegrityError, DocumentStorageError
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import attachments, information
from careerbreak.interruptions import worker_part as service
from careerbreak.interruptions.acknowledgement import (
    activity_rows,
    household_rows,
    identity_rows,
    needs_rows,
    payment_rows,
)
from careerbreak.interruptions.changes import changes_since_part
from careerbreak.interruptions.documents import detail_rows
from careerbreak.interruptions.models import LeaveRequest, WorkerPart
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.worker_part_data import (
    ACTIVITIES,
    HOUSEHOLD,
    IDENTITY,
    NEEDS,
    PAGES,
    PAYMENT,
    WorkerPartData,
)
from careerbreak.registries.sources import national_register
from careerbreak.vocabularies import LeaveType, type_and_form
from careerbreak.worker.part_forms import (
    ActivitiesForm,
    AttachmentForm,
    HouseholdForm,
    IdentityForm,
    NeedsForm,
    PaymentForm,
    WorkerConfirmForm,
)
from careerbreak.worker.views import CitizenRequest, citizen_required

PAGE_TITLES = {
    IDENTITY: gettext_lazy("Identity and domicile"),
    HOUSEHOLD: gettext_lazy("Household"),
    NEEDS: gettext_lazy("What this leave needs"),
    ACTIVITIES: gettext_lazy("Other activities and income"),
    PAYMENT: gettext_lazy("Payment"),
}
ATTACHMENTS_TITLE = gettext_lazy("Attachments")
PAGE_TEMPLATES = {
    IDENTITY: "worker/part/identity.html",
    HOUSEHOLD: "worker/part/household.html",
    NEEDS: "worker/part/needs.html",
    ACTIVITIES: "worker/part/activities.html",
    PAYMENT: "worker/part/payment.html",
}


def _acting(request: HttpRequest) -> Acting:
    """The worker acting for themselves, as ``citizen_required`` built it."""
    return cast(CitizenRequest, request).acting


def _request_or_404(acting: Acting, ticket: str) -> LeaveRequest:
    try:
        return service.request_of_worker(acting=acting, ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc


def _request_and_part(acting: Acting, ticket: str) -> tuple[LeaveRequest, WorkerPart | None]:
    """The worker's request (or 404) and their part of it, if they started it."""
    leave_request = _request_or_404(acting, ticket)
    return leave_request, service.worker_part_of(leave_request)


def _deadlines(leave_request: LeaveRequest) -> dict[str, Any]:
    today = timezone.localdate()
    start = leave_request.start_date
    return {
        "sendable_from": service.sendable_from(start),
        "deadline": service.deadline(start),
        "too_early": today < service.sendable_from(start),
        "late": service.is_late(start, today),
    }


def _next_page(part: WorkerPart | None) -> int:
    """The first page not answered yet (the summary when all are)."""
    content = part.content if part is not None else WorkerPartData()
    for page in PAGES:
        if not content.answered(page):
            return page
    return PAGES[-1] + 1


@require_GET
@citizen_required
def part_request(request: HttpRequest, ticket: str) -> HttpResponse:
    """The employer part as filed, read-only, with the deadlines and what to do if it is wrong."""
    acting = _acting(request)
    leave_request, part = _request_and_part(acting, ticket)
    return render(
        request,
        "worker/part/request.html",
        {
            "leave_request": leave_request,
            **type_and_form(leave_request),
            "detail_rows": detail_rows(leave_request.details),
            "awaiting": leave_request.status == Status.AWAITING_WORKER,
            "part": part,
            "changes": changes_since_part(leave_request),
            "started": part is not None,
            "next_page": _next_page(part),
            "question": information.open_question_for_worker(acting=acting, ticket=leave_request.ticket)[1],
            **_deadlines(leave_request),
        },
    )


def _form_for(
    page: int, leave_request: LeaveRequest, content: WorkerPartData, acting: Acting, data: Any = None
) -> Any:
    if page == IDENTITY:
        initial = IdentityForm.initial_from(content.identity) or service.domicile_prefill(acting)
        return IdentityForm(data, initial=initial)
    if page == HOUSEHOLD:
        return HouseholdForm(data, initial=HouseholdForm.initial_from(content.household))
    if page == NEEDS:
        person = national_register().get_person(acting.niss)
        children = list(person.children.order_by("birth_date")) if person is not None else []
        default_child = str(leave_request.details.get("child_niss") or "")
        return NeedsForm(
            data,
            kind=service.needs_of(leave_request.leave_type),
            children=children,
            initial=NeedsForm.initial_from(content.needs, default_child=default_child),
        )
    if page == ACTIVITIES:
        return ActivitiesForm(data, initial=ActivitiesForm.initial_from(content.activities))
    return PaymentForm(data, initial=PaymentForm.initial_from(content.payment))


@require_http_methods(["GET", "POST"])
@citizen_required
def part_page(request: HttpRequest, ticket: str, page: int) -> HttpResponse:
    """One topic of the worker part; *Suivant* saves it and goes on, *Retour* goes back."""
    acting = _acting(request)
    leave_request = _request_or_404(acting, ticket)
    if page not in PAGES:
        raise Http404("page")
    if leave_request.status != Status.AWAITING_WORKER:
        return redirect("worker:part_request", ticket=leave_request.slug)
    part = service.worker_part_of(leave_request)
    content = part.content if part is not None else WorkerPartData()
    if page > _next_page(part):
        messages.info(request, _("Answer this page first."))
        return redirect("worker:part_page", ticket=leave_request.slug, page=_next_page(part))
    form = _form_for(page, leave_request, content, acting, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.worker_part_save(
                acting=acting, ticket=leave_request.ticket, page=page, section=form.section()
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            if page == PAGES[-1]:
                return redirect("worker:part_attachments", ticket=leave_request.slug)
            return redirect("worker:part_page", ticket=leave_request.slug, page=page + 1)
    notices = [
        notice
        for notice in service.notices_for(leave_request, content, today=timezone.localdate())
        if notice.page == page
    ]
    return render(
        request,
        PAGE_TEMPLATES[page],
        {
            "leave_request": leave_request,
            "leave_type": LeaveType(leave_request.leave_type),
            "form": form,
            "page": page,
            "pages": len(PAGES),
            "title": PAGE_TITLES[page],
            "back": page - 1 if page > 1 else None,
            "notices": notices,
            "needs": service.needs_of(leave_request.leave_type),
        },
        status=400 if form.errors else 200,
    )


def _summary(leave_request: LeaveRequest, part: WorkerPart) -> list[dict[str, Any]]:
    content = part.content
    return [
        {"page": IDENTITY, "title": PAGE_TITLES[IDENTITY], "rows": identity_rows(part, content)},
        {"page": HOUSEHOLD, "title": PAGE_TITLES[HOUSEHOLD], "rows": household_rows(content)},
        {
            "page": NEEDS,
            "title": PAGE_TITLES[NEEDS],
            "rows": needs_rows(part, content) or [(_("For this type of leave"), _("Nothing to add"))],
        },
        {"page": ACTIVITIES, "title": PAGE_TITLES[ACTIVITIES], "rows": activity_rows(content)},
        {"page": PAYMENT, "title": PAGE_TITLES[PAYMENT], "rows": payment_rows(content)},
    ]


def _answered_part(
    request: HttpRequest, acting: Acting, ticket: str
) -> tuple[LeaveRequest, WorkerPart] | HttpResponse:
    """The request and its part once every page is answered; otherwise where to go instead (the "sent"
    page, the request, or the first page to answer)."""
    leave_request, part = _request_and_part(acting, ticket)
    if part is not None and part.submitted_at is not None:
        return redirect("worker:part_sent", ticket=leave_request.slug)
    if leave_request.status != Status.AWAITING_WORKER:
        return redirect("worker:part_request", ticket=leave_request.slug)
    if part is None or not part.content.complete:
        messages.info(request, _("Answer this page first."))
        return redirect("worker:part_page", ticket=leave_request.slug, page=_next_page(part))
    return leave_request, part


@require_http_methods(["GET", "POST"])
@citizen_required
def part_check(request: HttpRequest, ticket: str) -> HttpResponse:
    """Check your answers: every topic with its *Modifier* link, what it means for the allowance, the
    certification and *Confirmer*."""
    acting = _acting(request)
    found = _answered_part(request, acting, ticket)
    if isinstance(found, HttpResponse):
        return found
    leave_request, part = found
    form = WorkerConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.worker_part_submit(
                acting=acting, ticket=leave_request.ticket, certified=form.cleaned_data["certified"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect("worker:part_sent", ticket=leave_request.slug)
    return render(
        request,
        "worker/part/check.html",
        {
            "leave_request": leave_request,
            "leave_type": LeaveType(leave_request.leave_type),
            "sections": _summary(leave_request, part),
            "attachments": attachment_rows(part),
            "missing": attachments.missing_attachments(part),
            "notices": service.notices_for(leave_request, part.content, today=timezone.localdate()),
            "form": form,
            **_deadlines(leave_request),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@citizen_required
def part_sent(request: HttpRequest, ticket: str) -> HttpResponse:
    """After *Confirmer*: the request is complete; the acknowledgement is on its way to the eBox."""
    leave_request, part = _request_and_part(_acting(request), ticket)
    if part is None or part.submitted_at is None:
        return redirect("worker:part_request", ticket=leave_request.slug)
    return render(request, "worker/part/sent.html", {"leave_request": leave_request, "part": part})


# -- attachments (interruptions/attachments.py) ------------------------------------------------------------


def _attachment_kinds(requirements: list[attachments.Requirement]) -> list[tuple[str, str]]:
    kinds = [(r.kind.value, r.label) for r in requirements]
    return [*kinds, (attachments.AttachmentKind.OTHER.value, str(attachments.AttachmentKind.OTHER.label))]


def attachment_rows(part: WorkerPart) -> list[dict[str, Any]]:
    """The attached files, for the attachments page and the summary."""
    return [
        {
            "id": item.pk,
            "name": item.filename,
            "kind": str(attachments.AttachmentKind(item.kind).label)
            if item.kind in attachments.AttachmentKind.values
            else "–",
            "size": item.size,
        }
        for item in attachments.attachments_of(part)
    ]


@require_http_methods(["GET", "POST"])
@citizen_required
def part_attachments(request: HttpRequest, ticket: str) -> HttpResponse:
    """After *Payment*: the attachments the type requires (and why), any others, one file at a time;
    *Suivant* goes to the summary."""
    acting = _acting(request)
    found = _answered_part(request, acting, ticket)
    if isinstance(found, HttpResponse):
        return found
    leave_request, part = found
    requirements = attachments.required_attachments(leave_request, part.content)
    kinds = _attachment_kinds(requirements)
    if request.method == "POST":
        files = request.FILES  # parsing the body is what notes the files over the limit
        too_large = uploads_too_large(request)
        form = AttachmentForm(request.POST, None if too_large else files, kinds=kinds)
        valid = form.is_valid()
        if too_large:
            form.errors.pop("file", None)
            form.add_error("file", str(attachments.too_large_error(too_large[0]).message))
        elif valid:
            upload = form.cleaned_data["file"]
            try:
                attachments.attachment_add(
                    acting=acting,
                    ticket=leave_request.ticket,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    content=upload.read(),
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            except DocumentStorageError:
                form.add_error(None, _("The file could not be stored now: try again in a few minutes."))
            else:
                messages.success(request, _("“%(name)s” is attached.") % {"name": upload.name})
                return redirect("worker:part_attachments", ticket=leave_request.slug)
    else:
        form = AttachmentForm(kinds=kinds)
    attached = {item.kind for item in attachments.attachments_of(part)}
    return render(
        request,
        "worker/part/attachments.html",
        {
            "leave_request": leave_request,
            "leave_type": LeaveType(leave_request.leave_type),
            "form": form,
            "page": PAGES[-1] + 1,
            "pages": len(PAGES) + 1,
            "back": PAGES[-1],
            "title": ATTACHMENTS_TITLE,
            "requirements": [
                {"label": r.label, "reason": r.reason, "attached": r.kind.value in attached}
                for r in requirements
            ],
            "attachments": attachment_rows(part),
            "room_left": part.attachments.count() < settings.ATTACHMENTS_MAX,
            "max_count": settings.ATTACHMENTS_MAX,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@citizen_required
def part_attachment_remove(request: HttpRequest, ticket: str, attachment_id: int) -> HttpResponse:
    """Remove an attachment before confirming."""
    acting = _acting(request)
    leave_request = _request_or_404(acting, ticket)
    return removed(
        request,
        leave_request,
        lambda: attachments.attachment_remove(
            acting=acting, ticket=leave_request.ticket, attachment_id=attachment_id
        ),
        back="worker:part_attachments",
    )


def removed(
    request: HttpRequest, leave_request: LeaveRequest, remove: Callable[[], str], *, back: str
) -> HttpResponse:
    """Run ``remove`` (a service removing one attachment, returning its name) and say so on the page
    ``back``; an attachment not found is a 404; one no longer removable: back to the request, with why."""
    try:
        name = remove()
    except NotFound as exc:
        raise Http404("attachment") from exc
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("worker:part_request", ticket=leave_request.slug)
    messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return redirect(back, ticket=leave_request.slug)


@require_GET
@citizen_required
def part_attachment(request: HttpRequest, ticket: str, attachment_id: int) -> HttpResponse:
    """One attachment, always as a download (never shown in the browser), audited."""
    try:
        found = attachments.attachment_read(
            acting=_acting(request), ticket=ticket.replace("-", "/"), attachment_id=attachment_id
        )
    except NotFound as exc:
        raise Http404("attachment") from exc
    except DocumentIntegrityError:
        # Gone or altered since it was stored (logged where found): never served.
        return render(request, "worker/part/attachment_unavailable.html", status=500)
    except DocumentStorageError:
        return render(request, "worker/part/attachment_unavailable.html", status=503)
    return download_response(
        found.content, content_type=found.attachment.content_type, filename=found.download_name
    )
