"""``{% information_panel %}``: the questions asked to the worker on the request in the page's context
(``leave_request``), for the review page and the ask page alike. Reads through
``interruptions.information`` with the acting context the office guard built."""

from __future__ import annotations

from typing import Any

from django import template

from careerbreak.interruptions import information

register = template.Library()


@register.inclusion_tag("office/includes/information_panel.html", takes_context=True)
def information_panel(context: template.Context) -> dict[str, Any]:
    leave_request = context["leave_request"]
    acting = context["request"].acting
    questions = information.questions_for_office(acting=acting, leave_request=leave_request)
    return {
        "leave_request": leave_request,
        "questions": [
            {
                "item": question,
                "overdue": information.is_overdue(question),
                "files": list(question.attachments.all()),
            }
            for question in questions
        ],
        "may_ask": information.may_ask(acting=acting, leave_request=leave_request),
    }
