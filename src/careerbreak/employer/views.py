"""Employer interface, steps 1–3 and access management. Thin: parse, check who asks, call, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from careerbreak.core.errors import DomainError
from careerbreak.core.http import safe_next
from careerbreak.core.ratelimit import NISS_LOOKUP, SEARCH_PER_USER, rate_limit
from careerbreak.employer.forms import (
    ChooseEnterpriseForm,
    FindAccessManagersForm,
    GrantAccessForm,
    HeadcountForm,
)
from careerbreak.employer.guards import (
    SESSION_ENTERPRISE,
    SESSION_SEVERAL,
    EmployerRequest,
    enterprise_required,
    login_required_employer,
)
from careerbreak.employer.limits import is_query
from careerbreak.employer.request_views import draft_rows
from careerbreak.identity import access as access_service
from careerbreak.identity.models import User
from careerbreak.interruptions.notices import notices_to_handle
from careerbreak.interruptions.selectors import drafts_for
from careerbreak.interruptions.services import company_data_check
from careerbreak.registries.headcounts import headcount_for, reference_year
from careerbreak.registries.identifiers import format_niss
from careerbreak.registries.sources import dimona, enterprise_register, national_register


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Step 2: the application's start page."""
    return render(request, "employer/start.html")


@require_GET
@login_required_employer
def logged_in(request: HttpRequest) -> HttpResponse:
    """After login: who is logged in, and *Continuer*."""
    return render(request, "employer/logged_in.html")


@require_http_methods(["GET", "POST"])
@login_required_employer
@rate_limit(SEARCH_PER_USER, methods={"GET"}, when=is_query)
def choose_enterprise(request: HttpRequest) -> HttpResponse:
    """The enterprise to act for: direct grants and mandated employers. Skipped when there is one.

    A secretariat with many mandates gets a search (name or enterprise number) and at most
    CHOICE_LIMIT enterprises at a time, not a list of a thousand radio buttons.
    """
    user = cast(User, request.user)
    accesses = access_service.enterprise_accesses(user=user)
    if not accesses:
        return redirect("employer:no_access")
    request.session[SESSION_SEVERAL] = len(accesses) > 1
    next_url = safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("employer:company")
    )
    if len(accesses) == 1 and request.method == "GET":
        request.session[SESSION_ENTERPRISE] = accesses[0].enterprise.number
        return HttpResponseRedirect(next_url)
    query = (request.GET.get("q") or "").strip()[:100]
    shown = _matching(accesses, query)
    form = ChooseEnterpriseForm(request.POST if request.method == "POST" else None, accesses=accesses)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_ENTERPRISE] = form.cleaned_data["enterprise"]
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "employer/choose_enterprise.html",
        {
            "form": form,
            "accesses": shown[:CHOICE_LIMIT],
            "more": max(0, len(shown) - CHOICE_LIMIT),
            "searchable": len(accesses) > CHOICE_LIMIT,
            "query": query,
            "next": next_url,
            "current": request.session.get(SESSION_ENTERPRISE),
        },
        status=400 if form.errors else 200,
    )


# Above this many enterprises, the choice page searches instead of listing them all.
CHOICE_LIMIT = 25


def _matching(
    accesses: list[access_service.EnterpriseAccess], query: str
) -> list[access_service.EnterpriseAccess]:
    if not query:
        return accesses
    digits = "".join(ch for ch in query if ch.isdigit())
    needle = query.casefold()
    return [
        a
        for a in accesses
        if needle in a.enterprise.name.casefold() or (len(digits) >= 3 and digits in a.enterprise.number)
    ]


@require_http_methods(["GET", "POST"])
@login_required_employer
@rate_limit(SEARCH_PER_USER, methods={"POST"})
def no_access(request: HttpRequest) -> HttpResponse:
    """No access to any enterprise: who can grant it, and nothing else."""
    user = cast(User, request.user)
    if access_service.enterprise_accesses(user=user):
        return redirect("employer:choose_enterprise")
    form = FindAccessManagersForm(request.POST if request.method == "POST" else None)
    managers: list[tuple[str, str]] | None = None
    enterprise = None
    if request.method == "POST" and form.is_valid():
        enterprise = enterprise_register().get_enterprise(form.cleaned_data["enterprise_number"])
        if enterprise is None:
            form.add_error(
                "enterprise_number",
                _("No enterprise with this number is known to the Crossroads Bank for Enterprises."),
            )
        elif not access_service.is_tied_to(user=user, enterprise=enterprise):
            # Names of access managers are personal data: only for their own workers and former users.
            form.add_error(
                "enterprise_number",
                _(
                    "We show the access managers of an enterprise only to the people it employs or gave "
                    "access before. Ask your employer who its access managers are."
                ),
            )
            enterprise = None
        else:
            managers = access_service.access_managers(enterprise=enterprise)
    return render(
        request,
        "employer/no_access.html",
        {"form": form, "managers": managers, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@enterprise_required()
def company(request: HttpRequest) -> HttpResponse:
    """Step 3: the enterprise's data from the registries, read-only but for the headcount on 30 June of
    the previous year, which the employer confirms or corrects; *Suivant* confirms the check."""
    req = cast(EmployerRequest, request)
    enterprise = req.enterprise_access.enterprise
    today = timezone.localdate()
    year = reference_year(today)
    headcount = headcount_for(enterprise, year=year, today=today)
    form = HeadcountForm(request.POST if request.method == "POST" else None, initial={"headcount": headcount})
    if form.is_bound and form.is_valid():
        draft = company_data_check(acting=req.acting, year=year, headcount=form.cleaned_data["headcount"])
        return redirect("employer:step_worker", draft_id=draft.pk)
    return render(
        request,
        "employer/company.html",
        {
            "enterprise": enterprise,
            "access": req.enterprise_access,
            "workers_today": dimona().workers_under_contract(enterprise, on=today),
            "reference_year": year,
            "headcount": headcount,
            "form": form,
            "notices_to_handle": notices_to_handle(acting=req.acting),
            "drafts": draft_rows(list(drafts_for(acting=req.acting)[:20])),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@enterprise_required()
def corrections(request: HttpRequest) -> HttpResponse:
    """How to have wrong registry data corrected at the source."""
    return render(request, "employer/corrections.html")


@require_http_methods(["GET", "POST"])
@enterprise_required(managers_only=True)
@rate_limit(*NISS_LOOKUP, methods={"POST"})
def access_manage(request: HttpRequest) -> HttpResponse:
    """Grant access by national number; list and revoke current access."""
    req = cast(EmployerRequest, request)
    access = req.enterprise_access
    roles = access_service.grantable_roles(access=access)
    form = GrantAccessForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            grant = access_service.access_grant(
                acting=req.acting,
                niss=form.cleaned_data["niss"],
                last_name=form.cleaned_data["last_name"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request,
                _("Access granted to %(person)s. Role: %(role)s.")
                % {"person": _person_named(grant.niss), "role": grant.get_role_display()},
            )
            return redirect("employer:access")
    register = national_register()
    grants = [
        (
            grant,
            register.get_person(grant.niss),
            access_service.may_revoke(acting=req.acting, niss=grant.niss, role=grant.role),
            format_niss(grant.niss),
        )
        for grant in access_service.active_grants(enterprise=access.enterprise)
    ]
    return render(
        request,
        "employer/access.html",
        {"form": form, "grants": grants, "access": access},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@enterprise_required(managers_only=True)
def access_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    """GET: whose access, and the question; POST: revoke it, and say whose it was."""
    acting = cast(EmployerRequest, request).acting
    if request.method == "GET":
        grant = access_service.grant_to_revoke(acting=acting, grant_id=grant_id)
        if grant is None:
            raise Http404("grant")
        return render(
            request,
            "employer/access_revoke.html",
            {
                "grant": grant,
                "person": national_register().get_person(grant.niss),
                "niss": format_niss(grant.niss),
                "access": cast(EmployerRequest, request).enterprise_access,
            },
        )
    try:
        grant = access_service.access_revoke(acting=acting, grant_id=grant_id)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Access of %(person)s revoked.") % {"person": _person_named(grant.niss)},
        )
    return redirect("employer:access")


def _person_named(niss: str) -> str:
    """The person's name and national number as a message names them."""
    person = national_register().get_person(niss)
    number = format_niss(niss)
    return f"{person.full_name} ({number})" if person is not None else number
