"""The office's cast for decision tests: an office with two agents (Anne holds the file, Bert is her
colleague), an agent of another office (Olga), a supervisor (Sam), and Sophie Lambert's parental leave
under review, held by Anne, with the demo's provisional rates loaded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.rates import DEMO_RATES, rates_import
from careerbreak.registries.identifiers import build_niss
from tests.factories import OfficeFactory, acting_office, office_role, put_under_review, user_for

ANNE_NISS = build_niss(datetime.date(1970, 3, 3), 101)
BERT_NISS = build_niss(datetime.date(1971, 4, 4), 103)
OLGA_NISS = build_niss(datetime.date(1972, 5, 5), 105)
SAM_NISS = build_niss(datetime.date(1973, 6, 6), 107)


@dataclass
class Office:
    request: LeaveRequest
    anne: User
    bert: User
    olga: User
    sam: User
    anne_acts: Acting
    bert_acts: Acting
    olga_acts: Acting
    sam_acts: Acting


def _user(niss: str, first: str) -> User:
    user = user_for(niss)
    user.first_name, user.last_name = first, "Agent"
    user.save()
    return user


@pytest.fixture
def office(filed: LeaveRequest) -> Office:
    namur, liege = OfficeFactory(code="NAM"), OfficeFactory(code="LIE")
    LeaveRequest.objects.filter(pk=filed.pk).update(office=namur)
    anne, bert, olga, sam = (
        _user(ANNE_NISS, "Anne"),
        _user(BERT_NISS, "Bert"),
        _user(OLGA_NISS, "Olga"),
        _user(SAM_NISS, "Sam"),
    )
    roles = (
        office_role(ANNE_NISS, office=namur),
        office_role(BERT_NISS, office=namur),
        office_role(OLGA_NISS, office=liege),
        office_role(SAM_NISS, supervisor=True),
    )
    rates_import(acting=Acting.system(), text=DEMO_RATES.read_text(encoding="utf-8"))
    leave_request = put_under_review(filed, anne)
    return Office(
        leave_request,
        anne,
        bert,
        olga,
        sam,
        *(acting_office(user, role) for user, role in zip((anne, bert, olga, sam), roles, strict=True)),
    )


def status_of(leave_request: LeaveRequest) -> str:
    """The request's status as the database has it now."""
    return LeaveRequest.objects.get(pk=leave_request.pk).status
