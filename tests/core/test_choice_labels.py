"""``get_<field>_display()`` of the models with ``core.models.ChoiceLabels`` gives what Django's gives, in
each language (the labels stay lazy), and the stored value itself when it is not among the choices."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils.translation import override

from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.states import Status
from careerbreak.vocabularies import LeaveForm, LeaveType


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_labels_are_django_s_in_each_language(language: str) -> None:
    with override(language):
        for leave_type in [*LeaveType, "UNKNOWN"]:
            for form in [*LeaveForm, ""]:
                for status in [*Status, "<b>"]:
                    request = LeaveRequest(leave_type=leave_type, form=form, status=status)
                    for name in ("leave_type", "form", "status"):
                        field = LeaveRequest._meta.get_field(name)
                        assert getattr(request, f"get_{name}_display")() == models.Model._get_FIELD_display(
                            request, field
                        )
        assert LeaveRequest(status="<b>").get_status_display() == "<b>"
        assert LeaveRequest(status=Status.APPROVED).get_status_display() == str(Status.APPROVED.label)
