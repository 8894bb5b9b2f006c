"""Steps 4 to 7 of the employer part: worker, request type, leave data, confirmation.

Every step loads the draft through a selector that only finds the user's own draft for the enterprise
they act for; a step not reached yet sends the user back to the step they are at. A confirmed draft is
closed: its steps lead to the request's ticket page, and a change posted to it (an old tab) is refused
with a message.

Every POST ends in a redirect (POST-redirect-GET), so that the browser's *Back* never offers to resend a
form nor shows a stale error page: a POST that cannot go on (errors, or step 4's search) keeps what was
posted, and the errors that only the POST could find, in the session for the one GET it redirects to,
which shows them again (`_stash_post`, `_recall_post`). A reload of that page shows the step as saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.ratelimit import NISS_LOOKUP, SEARCH_PER_USER, rate_limit
from careerbreak.employer.guards import EmployerRequest, enterprise_required
from careerbreak.employer.request_forms import (
    ConfirmForm,
    LeaveDataForm,
    TypeForm,
    WorkerSearchForm,
    WorkerSelectForm,
)
from careerbreak.interruptions import selectors, services
from careerbreak.interruptions.drafts import LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.models import Draft, LeaveRequest, RequestVersion
from careerbreak.interruptions.rules.base import Finding
from careerbreak.interruptions.states import EMPLOYER_EDITABLE, OPEN_STATUSES
from careerbreak.interruptions.types import CATALOGUE, LeaveType, RequestKind, types_for
from careerbreak.registries.models import Employment, Enterprise
from careerbreak.registries.sources import dimona, national_register, reference_data

# From this many workers under contract on, no Dimona list: search by number only (DOMAIN §2).
DIMONA_LIST_LIMIT = 100

STEP_URLS = {
    4: "employer:step_worker",
    5: "employer:step_type",
    6: "employer:step_leave",
    7: "employer:step_confirm",
}


DraftView = Callable[[HttpRequest, Draft], HttpResponse]


def draft_step(step: int) -> Callable[[DraftView], Callable[..., HttpResponse]]:
    """The view of one step: acting for an enterprise, on one's own live draft, that reached this step.

    Another user's draft, another enterprise's or an expired one: 404, the same for each. A step not
    reached yet: back to the step the draft is at.
    """

    def decorator(view: DraftView) -> Callable[..., HttpResponse]:
        @enterprise_required()
        @wraps(view)
        def wrapped(request: HttpRequest, draft_id: Any) -> HttpResponse:
            acting = cast(EmployerRequest, request).acting
            closed = selectors.closed_draft_request(acting=acting, draft_id=draft_id)
            if closed is not None:
                return _closed(request, closed)
            try:
                draft = selectors.draft_for(acting=acting, draft_id=draft_id)
            except NotFound as exc:
                raise Http404("draft") from exc
            if draft.step < step:
                messages.info(request, _("Complete this step first."))
                return redirect(STEP_URLS[draft.step], draft_id=draft.pk)
            return view(request, draft)

        return wrapped

    return decorator


def _closed(request: HttpRequest, leave_request: LeaveRequest) -> HttpResponse:
    """A step of a draft already confirmed: the ticket page, saying why (a change posted is not saved)."""
    if request.method == "POST":
        messages.error(
            request,
            _(
                "The request %(ticket)s has already been confirmed: this change was not saved. To change "
                "the request, use Modify on its page in Consultation."
            )
            % {"ticket": leave_request.ticket},
        )
    else:
        messages.info(
            request,
            _(
                "The request %(ticket)s has already been confirmed. To change it, use Modify on its page "
                "in Consultation."
            )
            % {"ticket": leave_request.ticket},
        )
    return redirect("employer:confirmation", ticket=leave_request.slug)


# The session key of a POST kept for the one GET it redirects to.
_STASH = "employer.step_post"


def _stash_post(
    request: HttpRequest, draft: Draft, step: int, *, errors: list[str] | None = None
) -> HttpResponse:
    """Keep the POST's values (and ``errors`` only the POST could find) for the GET of this step."""
    request.session[_STASH] = {
        "draft": str(draft.pk),
        "step": step,
        "data": {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"},
        "errors": errors or [],
    }
    return redirect(request.path)


def _recall_post(request: HttpRequest, draft: Draft, step: int) -> tuple[QueryDict | None, list[str]]:
    """The values a POST to this step kept (once: a reload shows the step as saved), and its errors."""
    stash = request.session.pop(_STASH, None)
    if not isinstance(stash, dict) or stash.get("draft") != str(draft.pk) or stash.get("step") != step:
        return None, []
    data = QueryDict(mutable=True)
    for key, values in dict(stash.get("data") or {}).items():
        data.setlist(key, [str(value) for value in values])
    return data, [str(error) for error in stash.get("errors") or []]


def _chosen_worker(draft: Draft) -> WorkerChoice:
    """The worker of a draft that reached step 5 (the step decorator made sure it did)."""
    worker = draft.content.worker
    if worker is None:
        raise Http404("worker")
    return worker


def _chosen_type(draft: Draft) -> TypeChoice:
    """The type of a draft that reached step 6 (the step decorator made sure it did)."""
    chosen = draft.content.type
    if chosen is None:
        raise Http404("type")
    return chosen


def _is_modification(draft: Draft) -> bool:
    return draft.content.is_modification


def _purpose(draft: Draft) -> str:
    """What a draft that changes or extends a request is, said on each of its steps ("" for a new one)."""
    chosen = draft.content.type
    if chosen is None or not chosen.related_ticket:
        return ""
    if chosen.kind == RequestKind.MODIFICATION:
        return _("Modification of request %(ticket)s") % {"ticket": chosen.related_ticket}
    if chosen.kind == RequestKind.EXTENSION:
        return _("Extension of request %(ticket)s") % {"ticket": chosen.related_ticket}
    return ""


@require_POST
@enterprise_required()
def draft_new(request: HttpRequest) -> HttpResponse:
    draft = services.draft_start(acting=cast(EmployerRequest, request).acting)
    return redirect("employer:step_worker", draft_id=draft.pk)


@require_POST
@draft_step(4)
def draft_delete(request: HttpRequest, draft: Draft) -> HttpResponse:
    services.draft_delete(acting=cast(EmployerRequest, request).acting, draft=draft)
    messages.success(request, _("The draft has been deleted."))
    return redirect("employer:company")


@require_http_methods(["GET", "POST"])
@draft_step(4)
@rate_limit(*NISS_LOOKUP, SEARCH_PER_USER, methods={"POST"})
def step_worker(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 4: find the worker by number (or in the Dimona list), then status and joint committee."""
    if _is_modification(draft):
        # A modification keeps its worker and type: only the leave data change.
        return redirect("employer:step_leave", draft_id=draft.pk)
    acting = cast(EmployerRequest, request).acting
    _user, enterprise = acting.employer()
    posting = request.method == "POST"
    if posting and request.POST.get("action") != "select":
        # The search is run by the GET it redirects to: its result page is then a plain page.
        return _stash_post(request, draft, 4)
    data = request.POST if posting else _recall_post(request, draft, 4)[0]
    search = WorkerSearchForm(prefix="search")
    select: WorkerSelectForm | None = None
    check = selectors.WorkerCheck(person=None, employment=None)
    action = data.get("action") if data is not None else None
    chosen = draft.content.worker
    if action == "search":
        search = WorkerSearchForm(data, prefix="search")
        if search.is_valid():
            niss = search.cleaned_data["niss"]
            check = selectors.worker_to_choose(acting=acting, niss=niss, purpose="worker_search")
            if check.problem:
                search.add_error("niss", check.problem)
            else:
                select = _select_form(draft, enterprise, niss, check.employment)
    elif action == "select":
        select_data = WorkerSelectForm(data, sector=enterprise.sector)
        select_data.is_valid()
        niss = select_data.cleaned_data.get("niss")
        if niss:
            check = selectors.worker_to_choose(acting=acting, niss=niss, purpose="worker_select")
        else:
            check = selectors.WorkerCheck(
                None, None, _("Search the worker again by national register number.")
            )
        if check.problem:
            # A number posted by hand that is not a worker here: start the search again, with the reason.
            search = WorkerSearchForm({"search-niss": select_data.data.get("niss", "")}, prefix="search")
            search.is_valid()
            search.add_error("niss", check.problem)
        elif not select_data.errors and posting:
            services.draft_save_worker(
                draft=draft,
                niss=select_data.cleaned_data["niss"],
                status=select_data.cleaned_data["status"],
                joint_committee=select_data.cleaned_data["joint_committee"],
            )
            return redirect("employer:step_type", draft_id=draft.pk)
        else:
            select = select_data
    elif chosen is not None and chosen.niss:
        check = selectors.worker_to_choose(acting=acting, niss=chosen.niss, purpose="draft")
        if not check.problem:
            select = _select_form(draft, enterprise, chosen.niss, check.employment)
    errors = bool(search.errors or (select is not None and select.errors))
    if posting:
        return _stash_post(request, draft, 4)
    return render(
        request,
        "employer/request/worker.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "search": search,
            "select": select,
            "person": None if check.problem else check.person,
            "employment": check.employment,
            "dimona_list": _dimona_list(enterprise),
            "list_limit": DIMONA_LIST_LIMIT,
            "page_error": errors,
            "form": search if search.errors else select,
        },
        status=400 if errors else 200,
    )


def _dimona_list(enterprise: Enterprise) -> list[Employment] | None:
    """The enterprise's workers under contract today, unless they are too many to list."""
    today = timezone.localdate()
    if dimona().workers_under_contract(enterprise, on=today) >= DIMONA_LIST_LIMIT:
        return None
    return list(dimona().employments_of(enterprise, on=today))


def _select_form(
    draft: Draft, enterprise: Enterprise, niss: str, employment: Employment | None
) -> WorkerSelectForm:
    """The status and joint committee of the worker: as chosen before for this worker, or from Dimona."""
    chosen = draft.content.worker
    if chosen is not None and chosen.niss == niss:
        status, committee = chosen.status, chosen.joint_committee
    else:
        status = _default_status(employment)
        committee = employment.joint_committee.number if employment and employment.joint_committee else ""
    return WorkerSelectForm(
        None,
        initial={"niss": niss, "status": status, "joint_committee": committee},
        sector=enterprise.sector,
    )


def _default_status(employment: Employment | None) -> str:
    if employment is not None and employment.worker_status is not None:
        return employment.worker_status.code
    return ""


def _offered_types(draft: Draft) -> list[tuple[str, str]]:
    status = _chosen_worker(draft).status
    return [(spec.code.value, str(spec.label)) for spec in types_for(draft.enterprise.sector, status)]


@require_http_methods(["GET", "POST"])
@draft_step(5)
def step_type(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 5: *Nouvelle demande* of a type offered for this sector and status, or *Prolonger* one."""
    if _is_modification(draft):
        # A modification keeps its worker and type: only the leave data change.
        return redirect("employer:step_leave", draft_id=draft.pk)
    acting = cast(EmployerRequest, request).acting
    person = selectors.draft_worker(acting=acting, draft=draft)
    if person is None:
        raise Http404("worker")
    existing = selectors.requests_of_worker(acting=acting, worker=person)
    offered = _offered_types(draft)
    posting = request.method == "POST"
    form = TypeForm(
        request.POST if posting else _recall_post(request, draft, 5)[0],
        offered=offered,
        initial={"leave_type": chosen.leave_type.value if (chosen := draft.content.type) else None},
    )
    if request.method == "POST" and request.POST.get("action") == "extend":
        ticket = request.POST.get("ticket", "")
        base = next((r for r in existing if r.ticket == ticket and r.status in OPEN_STATUSES), None)
        if base is None or base.leave_type not in dict(offered):
            raise Http404("request")
        services.draft_save_extension(draft=draft, base=base)
        return redirect("employer:step_leave", draft_id=draft.pk)
    if posting:
        if not form.is_valid():
            return _stash_post(request, draft, 5)
        services.draft_save_type(
            draft=draft, leave_type=form.cleaned_data["leave_type"], kind=RequestKind.NEW
        )
        return redirect("employer:step_leave", draft_id=draft.pk)
    return render(
        request,
        "employer/request/type.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "form": form,
            "person": person,
            "existing": existing,
            "open_statuses": OPEN_STATUSES,
            "editable_statuses": EMPLOYER_EDITABLE,
            "offered": dict(offered),
        },
        status=400 if form.errors else 200,
    )


def _leave_form(draft: Draft, data: Any = None) -> LeaveDataForm:
    enterprise = draft.enterprise
    content = draft.content
    leave_type = _chosen_type(draft).leave_type
    initial: dict[str, Any] = (content.leave or LeaveData()).as_values()
    if "weekly_hours" not in initial:
        employment = dimona().employment_of(enterprise, _chosen_worker(draft).niss)
        if employment is not None:
            initial.setdefault("weekly_hours", employment.weekly_hours)
            initial.setdefault("reference_hours", employment.reference_hours)
    if len(CATALOGUE[leave_type].forms) == 1:
        initial.setdefault("form", CATALOGUE[leave_type].forms[0].value)
    return LeaveDataForm(
        data,
        initial=initial,
        leave_type=leave_type,
        sector=enterprise.sector,
        reference_headcount=enterprise.reference_headcount,
    )


def _attach_findings(form: LeaveDataForm, findings: list[Finding]) -> list[Finding]:
    """Errors go on their field (or the form); warnings are returned to be shown beside the form."""
    warnings = []
    for finding in findings:
        if finding.is_error:
            form.add_error(finding.field if finding.field in form.fields else None, finding.message)
        else:
            warnings.append(finding)
    return warnings


@require_http_methods(["GET", "POST"])
@draft_step(6)
def step_leave(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 6: the leave data, checked by the rules; saved even when refused, so nothing typed is lost."""
    posting = request.method == "POST"
    form = _leave_form(draft, request.POST if posting else _recall_post(request, draft, 6)[0])
    warnings: list[Finding] = []
    if not posting and form.is_bound and form.is_valid():
        # The GET after a refused POST: the values were saved by the POST; the rules say again why.
        try:
            warnings = _attach_findings(form, services.draft_check(draft=draft))
        except DomainError as error:
            form.add_error(None, str(error.message))
    if posting:
        if form.is_valid():
            values = LeaveData.from_json(form.relevant_values())
            services.draft_save_leave(draft=draft, values=values, complete=False)
            try:
                findings = services.draft_check(draft=draft)
            except DomainError as error:
                form.add_error(None, str(error.message))
                findings = []
            warnings = _attach_findings(form, findings)
            if not form.errors:
                services.draft_save_leave(draft=draft, values=values, complete=True)
                return redirect("employer:step_confirm", draft_id=draft.pk)
        else:
            # Keep what was valid, so that a reload or a later visit finds it.
            partial = {k: v for k, v in form.cleaned_data.items() if v is not None}
            if partial:
                merged = (draft.content.leave or LeaveData()).merged(partial)
                services.draft_save_leave(draft=draft, values=merged, complete=False)
        return _stash_post(request, draft, 6)
    person = selectors.draft_worker(acting=cast(EmployerRequest, request).acting, draft=draft)
    return render(
        request,
        "employer/request/leave.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "form": form,
            "warnings": warnings,
            "person": person,
            "leave_type": _chosen_type(draft).leave_type,
            "children": list(person.children.all()) if person else [],
        },
        status=400 if form.errors else 200,
    )


def _summary(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    content = draft.content
    chosen = _chosen_type(draft)
    form = _leave_form(draft)
    values = (content.leave or LeaveData()).as_values()
    rows = []
    for name, field in form.fields.items():
        if name not in values:
            continue
        value = values[name]
        if hasattr(field, "choices"):
            value = dict(field.choices).get(
                value if not isinstance(value, bool) else ("yes" if value else "no"), value
            )
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        rows.append((field.label, value))
    worker = _chosen_worker(draft)
    committee = reference_data().joint_committee(worker.joint_committee)
    status = reference_data().worker_status(worker.status)
    return {
        "leave_type": chosen.leave_type,
        "kind": chosen.kind,
        "related_ticket": chosen.related_ticket,
        "rows": rows,
        "person": selectors.draft_worker(acting=cast(EmployerRequest, request).acting, draft=draft),
        "committee": committee,
        "status": status,
    }


@require_http_methods(["GET", "POST"])
@draft_step(7)
def step_confirm(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 7: the summary, the certification and *Confirmer*."""
    acting = cast(EmployerRequest, request).acting
    if request.method == "POST":
        if not ConfirmForm(request.POST).is_valid():
            return _stash_post(request, draft, 7)
        try:
            leave_request = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)
        except NotFound as exc:
            raise Http404("draft") from exc
        except DomainError as error:
            # The rules refused (their findings are shown again by the GET) or the request changed.
            return _stash_post(request, draft, 7, errors=[str(error.message)])
        # A second click or tab after this finds the draft closed, and the same ticket.
        return redirect("employer:confirmation", ticket=leave_request.slug)
    data, refusals = _recall_post(request, draft, 7)
    form = ConfirmForm(data)
    if data is not None:
        form.is_valid()
        for refusal in refusals:
            form.add_error(None, refusal)
    try:
        findings = services.draft_check(draft=draft)
    except DomainError:
        findings = []
    return render(
        request,
        "employer/request/confirm.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "form": form,
            "findings": findings,
            **_summary(request, draft),
            "blocking": any(f.is_error for f in findings),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@enterprise_required()
def confirmation(request: HttpRequest, ticket: str) -> HttpResponse:
    """The ticket and what happens next. Survives a reload; only for the enterprise that filed it."""
    try:
        leave_request = selectors.request_for(
            acting=cast(EmployerRequest, request).acting, ticket=ticket.replace("-", "/")
        )
    except NotFound as exc:
        raise Http404("request") from exc
    version = leave_request.versions.order_by("-number").first()
    return render(
        request,
        "employer/request/confirmation.html",
        {
            "leave_request": leave_request,
            "leave_type": LeaveType(leave_request.leave_type),
            "version": version,
            "modified": version is not None and version.kind == RequestVersion.Kind.MODIFICATION,
        },
    )


def draft_rows(drafts: list[Draft]) -> list[dict[str, Any]]:
    """What the list of drafts shows: the worker's name, the type, and where to resume."""
    contents = [(draft, draft.content) for draft in drafts]
    nisses = {content.worker.niss for _draft, content in contents if content.worker is not None}
    people = national_register().get_persons(nisses)
    rows = []
    for draft, content in contents:
        rows.append(
            {
                "draft": draft,
                "person": people.get(content.worker.niss) if content.worker is not None else None,
                "type_label": content.type.leave_type.label if content.type is not None else "",
                "resume": reverse(STEP_URLS.get(draft.step, STEP_URLS[4]), kwargs={"draft_id": draft.pk}),
            }
        )
    return rows
