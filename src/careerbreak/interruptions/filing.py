"""Filing an employer part in one call (the API, its batches): the checks of steps 4 to 6, then step 7.

No second implementation: the worker is looked up as step 4 looks them up (``worker_to_choose``), their
status and joint committee go through step 4's form, the type must be one step 5 offers, the leave
data go through step 6's form (``step_forms.LeaveDataForm``) and the rules, and filing goes through a
draft and ``services.request_confirm`` like the *Confirmer* button. A refusal lists every problem found,
each with its code, the field (as a path in the caller's body: ``worker.niss``, ``leave.start``), the
message in the active language and, for the rules, the legal reference.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.interruptions import selectors, services
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.facts import DraftWorker, build_facts, worker_with_periods
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.interruptions.rules.base import Finding, Severity
from careerbreak.interruptions.rules.engine import check
from careerbreak.interruptions.step_forms import (
    LeaveDataForm,
    WorkerSelectForm,
    leave_form_data,
    leave_form_shape,
    worker_form_data,
)
from careerbreak.interruptions.types import LeaveType, RequestKind, type_codes_offered
from careerbreak.registries.identifiers import NissField
from careerbreak.registries.models import Employment, Enterprise


@dataclass(frozen=True)
class Problem:
    """One reason a filing is refused: a stable code, the field path in the body, the message, and the
    legal reference where a rule gives one."""

    code: str
    field: str
    message: str
    reference: str = ""

    def as_json(self) -> dict[str, str]:
        out = {"code": self.code, "field": self.field, "message": self.message}
        if self.reference:
            out["legal_reference"] = self.reference
        return out

    def as_warning_json(self) -> dict[str, str]:
        """A warning as the API answers it: every key, the legal reference even when empty."""
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "legal_reference": self.reference,
        }


class FilingRefused(DomainError):
    """The input was refused; ``problems`` says every reason found (nothing was written)."""

    code = "invalid_request"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The request was refused. See the problems for each field."))
        self.problems = problems


@dataclass(frozen=True)
class FilingInput:
    """An employer part as a caller sends it in one piece: the worker (status and joint committee from
    Dimona when left empty), the type and the raw leave values (JSON: dates, numbers, booleans)."""

    niss: str
    leave_type: str
    leave: Mapping[str, Any] = field(default_factory=dict)
    status: str = ""
    joint_committee: str | None = None

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> tuple[str, FilingInput, bool]:
        """A request body in the API's shape (``{"enterprise", "worker": {"niss", "status",
        "joint_committee"}, "type", "leave": {…}, "certified"}``, checked by its schema) as the enterprise
        number, the input and the certification."""
        worker = body.get("worker") or {}
        return (
            str(body.get("enterprise") or ""),
            cls(
                niss=str(worker.get("niss") or ""),
                status=str(worker.get("status") or ""),
                joint_committee=worker.get("joint_committee"),
                leave_type=str(body.get("type") or ""),
                leave={k: v for k, v in (body.get("leave") or {}).items() if v is not None},
            ),
            bool(body.get("certified")),
        )


@dataclass(frozen=True)
class Checked:
    """Input that passed every check: the draft content it makes and the rules' warnings."""

    content: DraftData
    warnings: list[Problem]
    # The worker's Dimona periods at the enterprise step 4's look-up read (the confirmation uses them).
    periods: tuple[Employment, ...] = ()


def _form_problems(form: Any, prefix: str) -> list[Problem]:
    problems = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            assert isinstance(error, ValidationError)
            message = error.message % error.params if error.params else error.message
            problems.append(
                Problem(code=error.code or "invalid", field=f"{prefix}{name}", message=str(message))
            )
    return problems


def _finding_problem(finding: Finding, prefix: str = "leave.") -> Problem:
    return Problem(
        code=finding.code,
        field=f"{prefix}{finding.field}" if finding.field else "",
        message=finding.message,
        reference=finding.reference,
    )


def _finding_problems(findings: list[Finding], prefix: str = "leave.") -> list[Problem]:
    return [_finding_problem(f, prefix) for f in findings if f.is_error]


def _warnings(findings: list[Finding]) -> list[Problem]:
    return [_finding_problem(f) for f in findings if not f.is_error]


def _stored_warnings(leave_request: LeaveRequest) -> list[Problem]:
    """The warnings ``request_confirm`` found and stored with the request (in the active language)."""
    return [
        Problem(
            code=f["code"],
            field=f"leave.{f['field']}" if f.get("field") else "",
            message=f["message"],
            reference=f.get("reference", ""),
        )
        for f in leave_request.findings
        if f.get("severity") == Severity.WARNING
    ]


def _leave_form(enterprise: Enterprise, leave_type: LeaveType, leave: Mapping[str, Any]) -> LeaveDataForm:
    sector, headcount = enterprise.sector, enterprise.reference_headcount
    shape = leave_form_shape(leave_type, sector=sector, reference_headcount=headcount)
    # Only validated, never drawn: the kept fields, not copies (ADR 0034).
    return LeaveDataForm(
        leave_form_data(shape, leave),
        leave_type=leave_type,
        sector=sector,
        reference_headcount=headcount,
        copy_fields=False,
    )


def _rules(
    enterprise: Enterprise,
    user: Any,
    content: DraftData,
    today: datetime.date,
    found: selectors.WorkerCheck | None = None,
) -> list[Finding]:
    """The rules over ``content`` as step 6 runs them on a draft (one not saved: nothing is written).

    ``found``: the worker, employment and periods step 4's look-up just read for the same worker,
    enterprise and day (what ``worker_with_periods`` would read again); without it they are read here.
    """
    # The draft carries the enterprise; its content is handed to the facts typed, not through its JSON.
    draft = Draft(owner=user, enterprise=enterprise, step=7)
    worker: DraftWorker
    if found is not None and found.employment is not None and found.periods:
        worker = DraftWorker(found.employment.worker, found.employment, found.periods)
    else:
        draft.content = content
        worker = worker_with_periods(draft, today=today)
    if worker.person is None:
        raise FilingRefused(
            [Problem(code="worker_missing", field="worker.niss", message=gettext("Choose the worker again."))]
        )
    return check(
        build_facts(
            draft,
            today=today,
            person=worker.person,
            employment=worker.employment,
            periods=worker.periods,
            content=content,
        )
    )


# Step 4's field for the number typed, made once: a field keeps nothing of what it cleans (ADR 0034).
_NISS_FIELD = NissField()


def request_check(
    *, acting: Acting, data: FilingInput, purpose: str = "api", rules: bool = True, extends: str = ""
) -> Checked:
    """Steps 4 to 6 over ``data`` for the enterprise ``acting`` acts for: the worker under contract there,
    a status and committee step 4 accepts, a type step 5 offers, step 6's fields and (unless ``rules`` is
    False: ``request_file``, whose confirmation runs them) the rules; with ``extends``, for an extension of
    that ticket (*Prolonger*: ``interruptions.extending``).

    Raises FilingRefused with every problem found. Writes nothing but the audit of the worker look-up
    (as step 4 does).
    """
    user, enterprise = acting.employer()
    today = timezone.localdate()
    try:
        niss = _NISS_FIELD.clean(data.niss)
    except ValidationError as error:
        raise FilingRefused(
            [Problem(code=error.code or "invalid", field="worker.niss", message=str(error.messages[0]))]
        ) from error
    found = selectors.worker_to_choose(acting=acting, niss=niss, purpose=purpose, on=today)
    if found.problem:
        raise FilingRefused(
            [Problem(code="worker_not_employed", field="worker.niss", message=str(found.problem))]
        )
    employment = found.employment
    status = data.status or (
        employment.worker_status.code if employment and employment.worker_status is not None else ""
    )
    committee = data.joint_committee
    if committee is None:
        committee = employment.joint_committee.number if employment and employment.joint_committee else ""
    worker_form = WorkerSelectForm(
        worker_form_data(niss, status, committee), sector=enterprise.sector, copy_fields=False
    )
    if not worker_form.is_valid():
        raise FilingRefused(_form_problems(worker_form, "worker."))
    status = worker_form.cleaned_data["status"]
    if data.leave_type not in type_codes_offered(enterprise.sector, status):
        raise FilingRefused(
            [
                Problem(
                    code="type_not_offered",
                    field="type",
                    message=gettext("This type cannot be requested for this enterprise and worker."),
                )
            ]
        )
    form = _leave_form(enterprise, LeaveType(data.leave_type), data.leave)
    if not form.is_valid():
        raise FilingRefused(_form_problems(form, "leave."))
    content = DraftData(
        worker=WorkerChoice(
            niss=niss, status=status, joint_committee=worker_form.cleaned_data["joint_committee"]
        ),
        type=TypeChoice(
            leave_type=LeaveType(data.leave_type),
            kind=RequestKind.EXTENSION if extends else RequestKind.NEW,
            related_ticket=extends,
        ),
        leave=LeaveData.from_json(form.relevant_values()),
    )
    if not rules:
        return Checked(content=content, warnings=[], periods=found.periods)
    findings = _rules(enterprise, user, content, today, found)
    problems = _finding_problems(findings)
    if problems:
        raise FilingRefused(problems)
    return Checked(content=content, warnings=_warnings(findings), periods=found.periods)


@dataclass(frozen=True)
class Filed:
    request: LeaveRequest
    warnings: list[Problem]


def _require_certification(certified: bool) -> None:
    if not certified:
        raise FilingRefused(
            [
                Problem(
                    code="not_certified",
                    field="certified",
                    message=gettext("Tick the box to certify that the data are accurate and complete."),
                )
            ]
        )


def _confirm(
    acting: Acting, draft: Draft, *, certified: bool, periods: tuple[Employment, ...] = ()
) -> LeaveRequest:
    """``request_confirm`` of ``draft``, which the caller wrote in the transaction this runs in (not read
    again), with the worker's ``periods`` its check just read (not read again either)."""
    try:
        return services.request_confirm(
            acting=acting, draft_id=draft.pk, certified=certified, written=draft, periods=periods
        )
    except services.RulesRefused as refused:
        raise FilingRefused(_finding_problems(refused.findings)) from refused
    except DomainError as error:
        if isinstance(error, FilingRefused):
            raise
        raise FilingRefused(
            [Problem(code=error.code, field=error.field or "", message=str(error.message))]
        ) from error


def request_file(
    *,
    acting: Acting,
    data: FilingInput,
    certified: bool,
    purpose: str = "api",
    extends: LeaveRequest | None = None,
) -> Filed:
    """File the employer part in one call: ``request_check``, then a draft taken through steps 4 to 7
    (``draft_save_*`` and ``request_confirm``), in one transaction; with ``extends``, step 5 is
    *Prolonger* of that request (``interruptions.extending``).

    Raises FilingRefused (every problem: the input, the certification, the rules at confirmation, a
    concurrent identical request). Side effects are those of ``request_confirm`` (the request, its first
    version, the transition, the audit; the PDF and the worker's messages after commit); nothing is
    written when it raises.

    The rules run once, in ``request_confirm`` (under the worker's lock, as for the *Confirmer* button):
    their refusal undoes the draft, and the warnings are those it stored with the request.
    """
    # Not certified: the rules' problems first, as before any filing (nothing will be confirmed).
    checked = request_check(
        acting=acting,
        data=data,
        purpose=purpose,
        rules=not certified,
        extends=extends.ticket if extends else "",
    )
    _require_certification(certified)
    content = checked.content
    assert content.worker is not None and content.type is not None and content.leave is not None
    with transaction.atomic():
        # Steps 4 to 6 as one write (the draft the web's steps would leave), then step 7.
        draft = services.draft_start_filled(
            acting=acting, worker=content.worker, chosen=content.type, leave=content.leave, base=extends
        )
        leave_request = _confirm(acting, draft, certified=certified, periods=checked.periods)
    return Filed(request=leave_request, warnings=_stored_warnings(leave_request))


def request_modify(*, acting: Acting, ticket: str, leave: Mapping[str, Any], certified: bool) -> Filed:
    """A new version of the request ``ticket`` with the leave data ``leave`` (the worker and the type
    stay): the modification draft the *Modifier* link starts, step 6's form and rules, step 7.

    Raises NotFound (not a request of the enterprise), FilingRefused (every problem, or no longer
    modifiable). Side effects: those of ``request_confirm`` for a modification; nothing when it raises.
    """
    user, enterprise = acting.employer()
    with transaction.atomic():
        try:
            draft = services.draft_start_modification(acting=acting, ticket=ticket)
        except DomainError as error:
            if error.code == "not_found":
                raise
            raise FilingRefused([Problem(code=error.code, field="", message=str(error.message))]) from error
        content = draft.content
        assert content.type is not None
        form = _leave_form(enterprise, content.type.leave_type, leave)
        if not form.is_valid():
            raise FilingRefused(_form_problems(form, "leave."))
        values = LeaveData.from_json(form.relevant_values())
        services.draft_save_leave(draft=draft, values=values, complete=True)
        findings = _rules(enterprise, user, draft.content, timezone.localdate())
        problems = _finding_problems(findings)
        if problems:
            raise FilingRefused(problems)
        _require_certification(certified)
        leave_request = _confirm(acting, draft, certified=certified)
    return Filed(request=leave_request, warnings=_warnings(findings))
