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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.ratelimit import NISS_LOOKUP, SEARCH_PER_USER, rate_limit
from careerbreak.employer import leave_pages as pages
from careerbreak.employer.guards import EmployerRequest, enterprise_required
from careerbreak.employer.request_forms import (
    ConfirmForm,
    LeaveDataForm,
    TypeForm,
    WorkerSearchForm,
    WorkerSelectForm,
)
from careerbreak.interruptions import selectors, services
from careerbreak.interruptions.drafts import LeaveData, TypeChoice, ValueSource, WorkerChoice, field_label
from careerbreak.interruptions.models import Draft, LeaveRequest, RequestVersion
from careerbreak.interruptions.rules.base import Finding
from careerbreak.interruptions.states import EMPLOYER_EDITABLE, OPEN_STATUSES
from careerbreak.interruptions.step_forms import leave_form_data, reference_committee, reference_status
from careerbreak.interruptions.types import CATALOGUE, LeaveType, RequestKind, types_for
from careerbreak.registries.models import Employment, Enterprise
from careerbreak.registries.sources import dimona, employment_among, national_register

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
            try:
                draft = selectors.draft_or_closed(acting=acting, draft_id=draft_id)
            except NotFound as exc:
                raise Http404("draft") from exc
            if isinstance(draft, LeaveRequest):
                return _closed(request, draft)
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
    request: HttpRequest, draft: Draft, step: int, *, errors: list[str] | None = None, to: str = ""
) -> HttpResponse:
    """Keep the POST's values (and ``errors`` only the POST could find) for the GET of this step (``to``,
    or the address posted to without its query)."""
    request.session[_STASH] = {
        "draft": str(draft.pk),
        "step": step,
        "data": {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"},
        "errors": errors or [],
    }
    return redirect(to or request.path)


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


@require_http_methods(["GET", "POST"])
@draft_step(4)
def draft_delete(request: HttpRequest, draft: Draft) -> HttpResponse:
    """GET: which draft, and the question; POST: delete it (a deletion is never one click away)."""
    if request.method == "GET":
        return render(request, "employer/request/draft_delete.html", {"row": draft_rows([draft])[0]})
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
    if dimona().has_workers_under_contract(enterprise, DIMONA_LIST_LIMIT, on=today):
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
    hints = _type_hints(person, [code for code, _label in offered])
    return render(
        request,
        "employer/request/type.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "form": form,
            "type_radios": [(radio, hints.get(radio.data["value"])) for radio in form["leave_type"]],
            "person": person,
            "existing": existing,
            "open_statuses": OPEN_STATUSES,
            "editable_statuses": EMPLOYER_EDITABLE,
            "offered": dict(offered),
        },
        status=400 if form.errors else 200,
    )


def _type_hints(person: Any, offered: list[str]) -> dict[str, str]:
    """For a type about a child the register knows none of under its age limit: how the child will be
    declared (the type stays offered: the child may be adopted, in foster care or not registered yet)."""
    limited = [code for code in offered if LeaveType(code) in pages.CHILD_AGE_LIMITS]
    if not limited or person is None:
        return {}
    children = list(person.children.all())
    today = timezone.localdate()
    return {
        code: _(
            "No child under %(age)s is known to the national register for this worker: you will declare the "
            "child at the next step."
        )
        % {"age": pages.CHILD_AGE_LIMITS[LeaveType(code)]}
        for code in limited
        if not pages.young_child_known(children, LeaveType(code), today)
    }


def _leave_form(draft: Draft, data: Any = None, *, prefill: bool = True) -> LeaveDataForm:
    """Step 6's form over the draft's values; unbound and with ``prefill``, the working time not entered
    yet is Dimona's (a bound form shows what was posted, and the summary only reads the fields: Dimona
    is not asked for them)."""
    enterprise = draft.enterprise
    content = draft.content
    leave_type = _chosen_type(draft).leave_type
    initial: dict[str, Any] = (content.leave or LeaveData()).as_values()
    if data is None and prefill and "weekly_hours" not in initial:
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
    """Step 6: the leave data, a topic per page (``?page=``), each page saved as it is posted; after the
    last one the whole is checked by the form and the rules (as the API checks it). A POST of every field
    at once (no page named) is checked as a whole too."""
    if "page" not in request.GET:
        if request.method == "POST":
            return _step_leave_whole(request, draft)
        recalled = _recall_post(request, draft, 6)[0]
        if recalled is not None:
            return _step_leave_whole_refused(request, draft, recalled)
    return _step_leave_page(request, draft)


def _step_leave_whole(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Every step-6 field posted at once: saved even when refused, so nothing typed is lost; a refusal is
    shown by the GET it redirects to (POST-redirect-GET)."""
    form = _leave_form(draft, request.POST)
    if form.is_valid():
        values = LeaveData.from_json(form.relevant_values())
        typed = dict.fromkeys(values.as_values(), ValueSource.EMPLOYER)
        _check_leave(draft, form, values, sources=typed)
        if not form.errors:
            return redirect("employer:step_confirm", draft_id=draft.pk)
    else:
        # Keep what was valid, so that a reload or a later visit finds it.
        partial = {k: v for k, v in form.cleaned_data.items() if v is not None}
        if partial:
            merged = (draft.content.leave or LeaveData()).merged(partial)
            typed = dict.fromkeys(partial, ValueSource.EMPLOYER)
            services.draft_save_leave(draft=draft, values=merged, complete=False, sources=typed)
    return _stash_post(request, draft, 6)


def _step_leave_whole_refused(request: HttpRequest, draft: Draft, recalled: QueryDict) -> HttpResponse:
    """The GET after a refused POST of every field: what was typed, its errors, and the rules' again (the
    values were saved by the POST)."""
    form = _leave_form(draft, recalled)
    warnings: list[Finding] = []
    if form.is_valid():
        try:
            warnings = _attach_findings(form, services.draft_check(draft=draft))
        except DomainError as error:
            form.add_error(None, str(error.message))
    person = selectors.draft_worker(acting=cast(EmployerRequest, request).acting, draft=draft)
    return _render_leave_page(request, draft, form, pages.PERIOD, [], person=person, warnings=warnings)


def _check_leave(
    draft: Draft, form: LeaveDataForm, values: LeaveData, *, sources: dict[str, ValueSource] | None = None
) -> list[Finding]:
    """Save the leave data, run the rules: errors onto ``form``; without any, the draft reaches step 7.
    Returns the warnings."""
    services.draft_save_leave(draft=draft, values=values, complete=False, sources=sources)
    try:
        findings = services.draft_check(draft=draft)
    except DomainError as error:
        form.add_error(None, str(error.message))
        findings = []
    warnings = _attach_findings(form, findings)
    if not form.errors:
        services.draft_save_leave(draft=draft, values=values, complete=True)
    return warnings


def _bare_leave_form(draft: Draft, data: Any = None, initial: dict[str, Any] | None = None) -> LeaveDataForm:
    enterprise = draft.enterprise
    return LeaveDataForm(
        data,
        initial=initial,
        leave_type=_chosen_type(draft).leave_type,
        sector=enterprise.sector,
        reference_headcount=enterprise.reference_headcount,
    )


def _step_leave_page(request: HttpRequest, draft: Draft) -> HttpResponse:
    acting = cast(EmployerRequest, request).acting
    person = selectors.draft_worker(acting=acting, draft=draft)
    content = draft.content
    leave = content.leave or LeaveData()
    leave_type = _chosen_type(draft).leave_type
    slug = request.GET.get("page") or pages.PERIOD.slug
    # The register's children decide the pages after the period's (and where the period page leads).
    checking = request.method == "GET" and request.GET.get("check") == "1"
    needs_children = request.method == "POST" or slug != pages.PERIOD.slug or checking
    children = (
        list(person.children.all())
        if needs_children and person is not None and pages.asks_child(leave_type)
        else []
    )
    shown = pages.pages_for(
        _bare_leave_form(draft),
        leave,
        children=children,
        sources=content.sources,
        another_child=slug == pages.OTHER_CHILD.slug,
    )
    page = next((p for p in shown if p.slug == slug), None)
    if page is None:
        return redirect("employer:step_leave", draft_id=draft.pk)
    if checking:
        # The GET after the last page's POST found the whole refused: the page that asks the field, with
        # the form's and the rules' messages, computed again from the saved draft (POST-redirect-GET).
        return _finish_leave(request, draft, shown, children, person, redirect_errors=False)
    initial, initial_sources = _page_initial(draft, page, leave, children)
    posting = request.method == "POST"
    # The GET after a refused POST of this page shows what was typed with its errors (POST-redirect-GET:
    # a reload or *Back* shows the page as saved, never a resubmission prompt).
    recalled = None if posting else _recall_post(request, draft, 6)[0]
    form = pages.restrict(
        _bare_leave_form(draft, request.POST if posting else recalled, initial),
        page,
        leave,
        children,
    )
    if posting and not form.is_valid():
        return _stash_post(request, draft, 6, to=f"{request.path}?page={page.slug}")
    if posting and form.is_valid():
        values, sources, another = _page_values(form, page, leave, children, initial, initial_sources)
        services.draft_save_leave(draft=draft, values=values, complete=False, sources=sources)
        draft.refresh_from_db()
        if another:
            return _redirect_page(draft, pages.OTHER_CHILD)
        after = pages.pages_for(
            _bare_leave_form(draft),
            values,
            children=children,
            sources=draft.content.sources,
        )
        slugs = [p.slug for p in after]
        position = slugs.index(page.slug) if page.slug in slugs else len(slugs) - 1
        if position + 1 < len(after):
            return _redirect_page(draft, after[position + 1])
        return _finish_leave(request, draft, after, children, person, redirect_errors=True)
    return _render_leave_page(request, draft, form, page, shown, person=person)


def _redirect_page(draft: Draft, page: pages.LeavePage) -> HttpResponse:
    return redirect(f"{reverse('employer:step_leave', args=[draft.pk])}?page={page.slug}")


def _page_initial(
    draft: Draft, page: pages.LeavePage, leave: LeaveData, children: list[Any]
) -> tuple[dict[str, Any], dict[str, ValueSource]]:
    """What the page shows before the employer types: what the draft holds, else what the registries
    hold (the working time from Dimona, the hours during the leave computed), with where it came from."""
    content = draft.content
    initial: dict[str, Any] = leave.as_values()
    sources = {name: content.source_of(name) for name in initial}
    leave_type = _chosen_type(draft).leave_type
    if len(CATALOGUE[leave_type].forms) == 1:
        initial.setdefault("form", CATALOGUE[leave_type].forms[0].value)
    if page is pages.CHILD:
        chosen = pages.register_child(children, leave, content.sources)
        if chosen is not None:
            initial[pages.CHILD_CHOICE] = chosen.niss
        elif leave.child_birth_date is not None:
            initial[pages.CHILD_CHOICE] = pages.ANOTHER_CHILD
    if page is pages.WORK:
        niss = _chosen_worker(draft).niss
        # The employment among the worker's periods (one question to Dimona); the periods count only
        # once the notice or the start is known.
        all_periods = dimona().periods_of(draft.enterprise, niss)
        employment = employment_among(all_periods, timezone.localdate())
        periods = all_periods if leave.notice_date or leave.start else []
        for name, (value, source) in pages.prefills(leave, employment=employment, periods=periods).items():
            if name not in initial:
                initial[name] = value
                sources[name] = source
    return initial, sources


def _page_values(
    form: LeaveDataForm,
    page: pages.LeavePage,
    leave: LeaveData,
    children: list[Any],
    initial: dict[str, Any],
    initial_sources: dict[str, ValueSource],
) -> tuple[LeaveData, dict[str, ValueSource], bool]:
    """The draft's leave data with this page's answers, where each answer came from, and whether the
    employer chose "another child" (whose birth date and number the next page asks)."""
    cleaned = dict(form.cleaned_data)
    choice = cleaned.pop(pages.CHILD_CHOICE, None)
    asked = set(form.fields) - {pages.CHILD_CHOICE}
    kept = {key: value for key, value in leave.to_json().items() if key not in asked}
    answers = {key: value for key, value in cleaned.items() if value is not None}
    sources: dict[str, ValueSource] = {}
    for name, value in answers.items():
        same = name in initial_sources and pages.same_value(value, initial.get(name))
        sources[name] = initial_sources[name] if same else ValueSource.EMPLOYER
    another = False
    if page is pages.CHILD:
        if (
            pages.register_child(children, leave, initial_sources) is not None
            or choice != pages.ANOTHER_CHILD
        ):
            # The register's child replaces whatever child was named before.
            for name in ("child_birth_date", "child_niss", "child_adopted_on"):
                kept.pop(name, None)
        if choice == pages.ANOTHER_CHILD:
            another = True
        else:
            child = next(c for c in children if c.niss == choice)
            answers["child_niss"] = child.niss
            sources["child_niss"] = ValueSource.REGISTER
            if child.birth_date is not None:
                answers["child_birth_date"] = child.birth_date
                sources["child_birth_date"] = ValueSource.REGISTER
    values = LeaveData.from_json(kept).merged(answers)
    return values, sources, another


def _finish_leave(
    request: HttpRequest,
    draft: Draft,
    shown: list[pages.LeavePage],
    children: list[Any],
    person: Any,
    *,
    redirect_errors: bool,
) -> HttpResponse:
    """After the last page: the whole bound as the API binds it, then the rules. An error sends the
    employer to the page that asks the field, with the message on it: after a POST (``redirect_errors``)
    by a redirect to that page's ``?check=1``, whose GET comes back here to show it."""
    content = draft.content
    leave = content.leave or LeaveData()
    data = leave_form_data(_bare_leave_form(draft), leave.to_json())
    whole = _bare_leave_form(draft, data)
    warnings: list[Finding] = []
    if whole.is_valid():
        relevant = whole.relevant_values()
        if pages.register_child(children, leave, content.sources) is not None:
            relevant["child_niss"] = leave.child_niss
        values = LeaveData.from_json(relevant).replace(other=leave.other)
        warnings = _check_leave(draft, whole, values)
        if not whole.errors:
            return redirect("employer:step_confirm", draft_id=draft.pk)
    # The first page that asks a field in error (the period's for an error of the whole).
    from_register = pages.register_child(children, leave, content.sources) is not None
    target = shown[0]
    for page in shown:
        names = set(pages.page_fields(page, whole, leave))
        if page is pages.CHILD and from_register:
            names |= {"child_birth_date", "child_niss"}
        if names & set(whole.errors):
            target = page
            break
    if redirect_errors:
        return redirect(f"{reverse('employer:step_leave', args=[draft.pk])}?page={target.slug}&check=1")
    page_data = data.copy()
    if target is pages.CHILD:
        chosen = pages.register_child(children, leave, content.sources)
        page_data[pages.CHILD_CHOICE] = chosen.niss if chosen is not None else pages.ANOTHER_CHILD
    form = pages.restrict(_bare_leave_form(draft, page_data), target, leave, children)
    form.is_valid()
    for name, errors in whole.errors.items():
        if name in ("child_birth_date", "child_niss") and target is pages.CHILD and from_register:
            name = pages.CHILD_CHOICE
        if name != "__all__" and name not in form.fields:
            # Asked on another page: said here too, with the field's name, so that no problem is hidden.
            for message in errors:
                form.add_error(
                    None, _("%(field)s: %(message)s") % {"field": field_label(name), "message": message}
                )
            continue
        for message in errors:
            if message not in form.errors.get(name, []):
                form.add_error(None if name == "__all__" else name, str(message))
    return _render_leave_page(request, draft, form, target, shown, person=person, warnings=warnings)


def _render_leave_page(
    request: HttpRequest,
    draft: Draft,
    form: LeaveDataForm,
    page: pages.LeavePage,
    shown: list[pages.LeavePage],
    *,
    person: Any,
    warnings: list[Finding] | None = None,
) -> HttpResponse:
    position = next((i for i, p in enumerate(shown) if p.slug == page.slug), 0)
    if position > 0:
        back = f"{reverse('employer:step_leave', args=[draft.pk])}?page={shown[position - 1].slug}"
    else:
        back = _before_leave_url(draft)
    return render(
        request,
        "employer/request/leave.html",
        {
            "draft": draft,
            "purpose": _purpose(draft),
            "modification": _is_modification(draft),
            "form": form,
            "page": page,
            "action": f"?page={page.slug}",
            "back": back,
            "warnings": warnings or [],
            "person": person,
            "leave_type": _chosen_type(draft).leave_type,
        },
        status=400 if form.errors else 200,
    )


def _before_leave_url(draft: Draft) -> str:
    """Where *Retour* leads from the first page of step 6: the type, or the request a modification changes."""
    chosen = _chosen_type(draft)
    if chosen.kind == RequestKind.MODIFICATION and chosen.related_ticket:
        return reverse("employer:request_detail", args=[chosen.related_ticket.replace("/", "-")])
    return reverse("employer:step_type", args=[draft.pk])


def last_leave_page_url(draft: Draft) -> str:
    """The last page of step 6 (where *Retour* leads from step 7): never a child page, so no register
    question is needed to know it."""
    leave = draft.content.leave or LeaveData()
    shown = pages.pages_for(_bare_leave_form(draft), leave, children=[], sources=draft.content.sources)
    return f"{reverse('employer:step_leave', args=[draft.pk])}?page={shown[-1].slug}"


def _summary(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    content = draft.content
    chosen = _chosen_type(draft)
    form = _leave_form(draft, prefill=False)  # its fields' labels and choices
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
            value = date_format(value, "SHORT_DATE_FORMAT")
        source = content.source_of(name)
        # Where a value came from, when not from the employer: worth a check before confirming.
        rows.append((field.label, value, source.label if source is not ValueSource.EMPLOYER else ""))
    worker = _chosen_worker(draft)
    committee = reference_committee(worker.joint_committee)
    status = reference_status(worker.status)
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
            "back": last_leave_page_url(draft),
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
