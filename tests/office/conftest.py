"""The office's cast: the demo agent (Liège office, where Sophie Lambert lives), a second agent of the same
office, an agent of the Brussels office and the demo supervisor, each with their user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from careerbreak.demo import data as demo_data
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole, User
from tests.factories import acting_office, office_role_for, user_for

SECOND_AGENT_NISS = "80020312326"
BRUSSELS_AGENT_NISS = "82030437782"


@dataclass
class Member:
    user: User
    role: OfficeRole

    @property
    def acting(self) -> Acting:
        return acting_office(self.user, self.role)


def _member(niss: str, first: str, last: str, **role: Any) -> Member:
    user = User.objects.create_user(niss, first_name=first, last_name=last)
    return Member(user, office_role_for(niss, **role))


@dataclass
class Office:
    agent: Member
    colleague: Member
    brussels: Member
    supervisor: Member


@pytest.fixture
def office(db: None) -> Office:
    return Office(
        agent=_member(demo_data.OFFICE_AGENT_NISS, "Julien", "Moreau"),
        colleague=_member(SECOND_AGENT_NISS, "Claire", "Fontaine"),
        brussels=_member(BRUSSELS_AGENT_NISS, "Hugo", "Lenoir", office="BXL"),
        supervisor=_member(demo_data.OFFICE_SUPERVISOR_NISS, "Anne", "Delcourt", kind="supervisor"),
    )


def client_of(member: Member, *, level: int = 500) -> Client:
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["assurance_level"] = level
    session.save()
    return client


__all__ = ["client_of", "office", "user_for"]
