"""The work queue (``office:queue``), *Prendre en charge* (``office:take``) and a supervisor's
reassignment (``office:reassign``). Reads and writes go through ``interruptions.office_queue``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.forms import ticket_or_niss_field
from careerbreak.core.ratelimit import SEARCH_PER_USER, rate_limit
from careerbreak.core.searches import recalled_search, remember_search
from careerbreak.interruptions import office_queue
from careerbreak.interruptions.office_queue import HeldBy, QueueFilters
from careerbreak.interruptions.selectors import request_for_office
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.tickets import ticket_or_niss
from careerbreak.interruptions.types import LeaveForm, LeaveType
from careerbreak.office.guards import OfficeRequest, office_required

PAGE_SIZE = 25
SESSION_SEARCHES = "office_queue_searches"
FILTER_FIELDS = ("q", "status", "leave_type", "late", "held_by")


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", gettext_lazy("All")), *choices]


class _FilterChoiceField(forms.ChoiceField):
    """A filter's selection whose accepted values are the keys of its choices, read once per process: the
    choices are given as a function (ADR 0031), which Django's ``valid_value`` calls on every check to
    build the list of choices with their labels; the keys are the code's constants (statuses, types),
    the same in every language."""

    @functools.cached_property
    def _values(self) -> frozenset[str]:
        choices: Any = self.choices  # normalized by the field: (key, label) pairs, no groups here
        return frozenset(str(key) for key, _label in choices)

    def valid_value(self, value: Any) -> bool:
        return str(value) in self._values


class _SharedFields(dict[str, forms.Field]):
    """The filter form's declared fields, given to each form as they are instead of deep-copied (Django
    copies a form's fields for each form, so that one form may change its own: this one changes none,
    and a field keeps nothing of what it validates or draws; the API's forms do the same, ADR 0034).
    Copying the five fields, their widgets and choices was about a tenth of a millisecond a page."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class QueueFilterForm(forms.Form):
    # Drawn by the project's form renderer (core.form_renderer, ADR 0026) and kept per language and
    # selection ({% queue_filter_fields %}, ADR 0028). The choices are given as functions, read only when
    # a field is drawn (ADR 0031); a value is checked against the choices' keys kept by the field
    # (``_FilterChoiceField``). The fields are shared by every form, never changed (``_SharedFields``).
    q = ticket_or_niss_field()
    status = _FilterChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=lambda: _all((s.value, s.label) for s in office_queue.QUEUE_STATUSES),
    )
    leave_type = _FilterChoiceField(
        label=gettext_lazy("Type of interruption"), required=False, choices=lambda: _all(LeaveType.choices)
    )
    held_by = _FilterChoiceField(
        label=gettext_lazy("Held by"), required=False, choices=lambda: _all(HeldBy.CHOICES)
    )
    late = _FilterChoiceField(
        label=gettext_lazy("Worker part"),
        required=False,
        choices=lambda: _all([("late", gettext_lazy("Only the late ones"))]),
    )

    def clean_q(self) -> dict[str, str]:
        return ticket_or_niss(self.cleaned_data.get("q") or "")

    def filters(self) -> QueueFilters:
        data = self.cleaned_data
        q = data.get("q") or {}
        return QueueFilters(
            leave_type=data.get("leave_type") or "",
            status=data.get("status") or "",
            late=data.get("late") == "late",
            held_by=data.get("held_by") or "",
            worker_niss=q.get("worker_niss", ""),
            ticket=q.get("ticket", ""),
        )


QueueFilterForm.base_fields = _SharedFields(QueueFilterForm.base_fields)


@dataclass(slots=True)
class QueueRow:
    """One line of the work queue, every text already in the reader's language: the template only places
    them (a row drawn from the model through ``get_…_display`` and template tags cost 0.3 ms, most of a
    page of 25; docs/performance.md). Not ``frozen``: a frozen dataclass sets each of its 13 fields
    through ``object.__setattr__``, about 8 µs a row (0.2 ms a page) against 2 µs; nothing changes a row
    once made."""

    ticket: str
    review_url: str
    take_url: str
    office_name: str
    worker_name: str
    worker_niss: str
    type_label: str
    form_label: str
    status_label: str
    held: str
    age: str
    notes: tuple[tuple[str, bool], ...]
    rules: str


@functools.cache
def _choice_labels(language: str | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The types', forms' and statuses' labels in ``language`` (the active one, which the caller passes
    as the key): cast once per language and process, not on every page (translations do not change while
    the process runs)."""
    return (
        {value: str(label) for value, label in LeaveType.choices},
        {value: str(label) for value, label in LeaveForm.choices},
        {value: str(label) for value, label in Status.choices},
    )


def _queue_rows(
    items: list[office_queue.QueueItem], *, user_pk: int | None, supervisor: bool
) -> list[QueueRow]:
    review = reverse("office:review", args=["SLUG"])
    take = reverse("office:take", args=["SLUG"])
    type_labels, form_labels, status_labels = _choice_labels(get_language())
    # The texts a row may carry, translated once per page rather than once per row.
    held_by_you = _("held by you")
    late_part = (_("Late worker part"), True)
    awaiting_second = (_("Refusal awaiting a second agent"), False)
    to_confirm = (_("Refusal to confirm"), True)
    overdue = (_("Question unanswered past its deadline"), True)
    no_warning = _("No warning")
    ages: dict[int, str] = {}  # an age's and a count of warnings' texts, once per page
    rules: dict[int, str] = {}
    rows = []
    for item in items:
        slug = item.slug
        if item.assigned_to_id is None:
            held = ""
        elif item.assigned_to_id == user_pk:
            held = held_by_you
        else:
            name = item.assigned_to.get_full_name() if item.assigned_to else ""
            held = _("held by %(name)s") % {"name": name}
        notes: list[tuple[str, bool]] = []
        if item.part_late:
            notes.append(late_part)
        if item.refusal_proposed_by:
            notes.append(awaiting_second if item.refusal_proposed_by == user_pk else to_confirm)
        if item.question_overdue:
            notes.append(overdue)
        warnings = item.warnings
        takeable = item.status == Status.COMPLETE and item.assigned_to_id in (None, user_pk)
        days = item.age_days
        if days not in ages:
            ages[days] = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
        if warnings not in rules:
            rules[warnings] = (
                ngettext("%(count)s warning", "%(count)s warnings", warnings) % {"count": warnings}
                if warnings
                else no_warning
            )
        rows.append(
            QueueRow(
                ticket=item.ticket,
                review_url=review.replace("SLUG", slug),
                take_url=take.replace("SLUG", slug) if takeable else "",
                office_name=item.office.name if supervisor and item.office else "",
                worker_name=item.worker.full_name,
                worker_niss=item.worker.formatted_niss,
                type_label=type_labels.get(item.leave_type, ""),
                form_label=form_labels.get(item.form, ""),
                status_label=status_labels.get(item.status, ""),
                held=held,
                age=ages[days],
                notes=tuple(notes),
                rules=rules[warnings],
            )
        )
    return rows


def _filter_data(data: Any) -> dict[str, str]:
    return {key: str(data.get(key, ""))[:100] for key in data if key in FILTER_FIELDS}


def _owner(request: OfficeRequest) -> str:
    return f"office:{request.acting.niss}"


@require_http_methods(["GET", "POST"])
@office_required()
@rate_limit(SEARCH_PER_USER, methods=["POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue and its filters. Filters are POSTed, kept in the session, and the list is read
    (GET) as ``?s=<search id>&after=<cursor>``: no national number in any address."""
    req = cast(OfficeRequest, request)
    if request.method == "POST":
        raw = _filter_data(request.POST)
        form = QueueFilterForm(raw)
        if form.is_valid():
            search_id = remember_search(request, SESSION_SEARCHES, _owner(req), raw)
            return redirect(f"{reverse('office:queue')}?{urlencode({'s': search_id})}")
    else:
        search_id = request.GET.get("s", "")
        recalled = recalled_search(request, SESSION_SEARCHES, search_id, _owner(req)) if search_id else None
        if search_id and recalled is None:
            messages.info(request, _("This search is no longer available: search again."))
        form = QueueFilterForm(recalled or {})
    page = None
    next_query = ""
    if form.is_valid():
        page = office_queue.queue_page(
            acting=req.acting, filters=form.filters(), after=request.GET.get("after", ""), limit=PAGE_SIZE
        )
        if page.has_next:
            search = {"s": request.GET["s"]} if request.GET.get("s") else {}
            next_query = urlencode({**search, "after": page.next_cursor})
    return render(
        request,
        "office/queue.html",
        {
            "form": form,
            "page": page,
            "rows": _queue_rows(
                page.items,
                user_pk=req.acting.user.pk if req.acting.user else None,
                supervisor=req.office_role.is_supervisor,
            )
            if page
            else [],
            "next_query": next_query,
            "office_role": req.office_role,
            "nav": "queue",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@office_required()
def take(request: HttpRequest, ticket: str) -> HttpResponse:
    """*Prendre en charge*: the file is the agent's, under review; the loser of a race is told so."""
    req = cast(OfficeRequest, request)
    try:
        leave_request = office_queue.request_take(acting=req.acting, ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("office:queue")
    messages.success(
        request, _("You hold request %(ticket)s: it is under review.") % {"ticket": leave_request.ticket}
    )
    return redirect("office:review", ticket=leave_request.slug)


class ReassignForm(forms.Form):
    agent = forms.ChoiceField(
        label=gettext_lazy("Agent"),
        error_messages={
            "required": gettext_lazy("Choose the agent who will hold the file."),
            "invalid_choice": gettext_lazy("Choose one of the agents of the request's office."),
        },
    )

    def __init__(self, *args: Any, agents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agent"]).choices = [("", _("Choose an agent")), *agents]


@require_http_methods(["GET", "POST"])
@office_required(supervisor_only=True)
def reassign(request: HttpRequest, ticket: str) -> HttpResponse:
    """A supervisor gives the file to an agent of the request's office."""
    req = cast(OfficeRequest, request)
    try:
        leave_request = request_for_office(acting=req.acting, ticket=ticket.replace("-", "/"))
    except NotFound as exc:
        raise Http404("request") from exc
    agents = office_queue.agent_choices(acting=req.acting, leave_request=leave_request)
    form = ReassignForm(request.POST if request.method == "POST" else None, agents=agents)
    if request.method == "POST" and form.is_valid():
        try:
            office_queue.request_reassign(
                acting=req.acting, ticket=leave_request.ticket, agent_niss=form.cleaned_data["agent"]
            )
        except DomainError as error:
            form.add_error("agent" if error.field == "agent" else None, str(error.message))
        else:
            messages.success(request, _("The file has been given to the agent you chose."))
            return redirect("office:review", ticket=leave_request.slug)
    return render(
        request,
        "office/reassign.html",
        {"form": form, "leave_request": leave_request, "office_role": req.office_role},
        status=400 if form.errors else 200,
    )
