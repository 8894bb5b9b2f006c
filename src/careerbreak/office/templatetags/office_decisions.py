"""What the decision actions of a request need on any office page (office/includes/decision_actions.html)."""

from __future__ import annotations

from django import template

from careerbreak.interruptions import decisions
from careerbreak.interruptions.models import Decision, LeaveRequest

register = template.Library()


@register.simple_tag
def pending_refusal_of(leave_request: LeaveRequest) -> Decision | None:
    """The refusal of this request that awaits a second agent's confirmation, if any."""
    return decisions.pending_refusal(leave_request)


@register.simple_tag
def final_decision_of(leave_request: LeaveRequest) -> Decision | None:
    return decisions.final_decision(leave_request)
