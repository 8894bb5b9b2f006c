"""Extending a request in one call (the API's ``POST /requests/{ticket}/extensions``): what the web's
*Prolonger* does at step 5, on the same services and rules.

No second implementation: the worker of the request extended goes through step 4's look-up and form
(still employed today, status and joint committee as step 4 proposes them), the type must still be one
step 5 offers and the request extended one *Prolonger* lists (open), the leave data start from what
``services.draft_save_extension`` prefills (the same form and details, the day after the request ends)
with the caller's values entered over them, then step 6's form and the rules (an extension: the same
type, contiguous), and filing goes through a draft and ``services.request_confirm`` like *Confirmer*.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from careerbreak.core.errors import NotFound
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import selectors, services
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.filing import (
    Filed,
    FilingRefused,
    Problem,
    _confirm,
    _finding_problems,
    _form_problems,
    _leave_form,
    _require_certification,
    _rules,
)
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.states import OPEN_STATUSES
from careerbreak.interruptions.step_forms import WorkerSelectForm, worker_form_data
from careerbreak.interruptions.types import LeaveForm, LeaveType, RequestKind, types_for


def extension_prefill(base: LeaveRequest) -> dict[str, Any]:
    """The leave values *Prolonger* starts step 6 with (as JSON): the request's form and details, from
    the day after it ends (``services.draft_save_extension``)."""
    return (
        LeaveData.from_json(base.details)
        .replace(form=LeaveForm(base.form), start=base.end_date + datetime.timedelta(days=1))
        .to_json()
    )


def request_extend(
    *, acting: Acting, ticket: str, leave: Mapping[str, Any], certified: bool, purpose: str = "api"
) -> Filed:
    """A new request extending ``ticket`` (kind *extension*, related to it), with the leave values
    ``leave`` entered over the prefilled ones.

    Raises NotFound (not a request of the enterprise ``acting`` acts for), FilingRefused (every problem:
    the request no longer open, the worker no longer employed, the type no longer offered, step 6's
    fields, the rules, the certification). Side effects are those of ``request_confirm`` for a new
    request (the request, its first version, the transition and its event, the audit; the PDF and the
    worker's messages after commit); nothing is written when it raises but the audit of the worker's
    look-up (as step 4).
    """
    user, enterprise = acting.employer()
    base = LeaveRequest.objects.select_related("worker").filter(enterprise=enterprise, ticket=ticket).first()
    if base is None:
        raise NotFound("request not found")
    if base.status not in OPEN_STATUSES:
        raise FilingRefused(
            [
                Problem(
                    code="not_extendable",
                    field="",
                    message=gettext(
                        "This request cannot be extended: it was refused or cancelled. File a new request."
                    ),
                )
            ]
        )
    today = timezone.localdate()
    found = selectors.worker_to_choose(acting=acting, niss=base.worker.niss, purpose=purpose, on=today)
    if found.problem:
        raise FilingRefused([Problem(code="worker_not_employed", field="", message=str(found.problem))])
    employment = found.employment
    status = employment.worker_status.code if employment and employment.worker_status else base.worker_status
    committee = (
        employment.joint_committee.number
        if employment and employment.joint_committee
        else base.joint_committee
    )
    worker_form = WorkerSelectForm(
        worker_form_data(base.worker.niss, status, committee), sector=enterprise.sector
    )
    if not worker_form.is_valid():
        raise FilingRefused(_form_problems(worker_form, "worker."))
    status = worker_form.cleaned_data["status"]
    if base.leave_type not in {spec.code.value for spec in types_for(enterprise.sector, status)}:
        raise FilingRefused(
            [
                Problem(
                    code="type_not_offered",
                    field="",
                    message=gettext("This type cannot be requested for this enterprise and worker."),
                )
            ]
        )
    leave_type = LeaveType(base.leave_type)
    form = _leave_form(enterprise, leave_type, {**extension_prefill(base), **leave})
    if not form.is_valid():
        raise FilingRefused(_form_problems(form, "leave."))
    values = LeaveData.from_json(form.relevant_values())
    worker = WorkerChoice(
        niss=base.worker.niss, status=status, joint_committee=worker_form.cleaned_data["joint_committee"]
    )
    content = DraftData(
        worker=worker,
        type=TypeChoice(leave_type=leave_type, kind=RequestKind.EXTENSION, related_ticket=base.ticket),
        leave=values,
    )
    findings = _rules(enterprise, user, content, today, found)
    problems = _finding_problems(findings)
    if problems:
        raise FilingRefused(problems)
    _require_certification(certified)
    with transaction.atomic():
        draft = services.draft_start(acting=acting)
        services.draft_save_worker(
            draft=draft, niss=worker.niss, status=worker.status, joint_committee=worker.joint_committee
        )
        services.draft_save_extension(draft=draft, base=base)
        services.draft_save_leave(draft=draft, values=values, complete=True)
        leave_request = _confirm(acting, draft, certified=certified)
    return Filed(request=leave_request, warnings=[f for f in findings if not f.is_error])
