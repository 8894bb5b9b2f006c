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
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext

from careerbreak.core.errors import NotFound
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.drafts import LeaveData
from careerbreak.interruptions.filing import (
    Filed,
    FilingInput,
    FilingRefused,
    Problem,
    request_file,
)
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.states import OPEN_STATUSES
from careerbreak.interruptions.types import LeaveForm


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
    _, enterprise = acting.employer()
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
    # Steps 4 to 6 as for a new request, with step 4's status and committee (from Dimona), the type of
    # the request extended, and the rules of an extension of it.
    data = FilingInput(
        niss=base.worker.niss, leave_type=base.leave_type, leave={**extension_prefill(base), **leave}
    )
    try:
        return request_file(acting=acting, data=data, certified=certified, purpose=purpose, extends=base)
    except FilingRefused as refused:
        # The caller sent neither the worker nor the type: a problem with them names no field.
        sent = ("leave.", "certified")
        raise FilingRefused(
            [p if p.field.startswith(sent) else replace(p, field="") for p in refused.problems]
        ) from refused
