"""Ready-made requests for tests: the demo's cast, a confirmed parental leave for Sophie Lambert, and the
employer's steps as the browser posts them."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions import services
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.registries.models import Enterprise
from tests.factories import acting_for, demo_cast

# The demo's "today" for request tests: notices and starts below are valid on that day.
TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)

PARENTAL_FIFTH = {
    "notice_date": "2026-11-20",
    "start": "2027-02-01",
    "end": "2027-06-30",
    "form": "1/5",
    "weekly_hours": "38",
    "reference_hours": "38",
    "regime_12_months": "full_time",
    "months_of_contract_last_15": "15",
    "child_birth_date": "2024-02-10",
    "child_niss": demo_data.SOPHIE_LAMBERT_CHILD_NISS,
    "child_disabled": False,
    "employer_agreement": True,
}

# A worker's written notice as the form of worker:notice_new posts it: a parental leave 1/5 at the bakery.
NOTICE_FORM = {
    "enterprise": demo_data.BOULANGERIE_DUBOIS_NUMBER,
    "leave_type": "PARENTAL",
    "form": "1/5",
    "start_date_0": "1",
    "start_date_1": "2",
    "start_date_2": "2027",
    "months": "5",
}


def send_notice(client: Any, data: dict[str, str] | None = None) -> Any:
    """The worker's notice as sent online: the form, then *Send* on the check page (the last response)."""
    posted = client.post(reverse("worker:notice_new"), NOTICE_FORM if data is None else data)
    assert posted.status_code == 302 and posted["Location"] == reverse("worker:notice_check"), posted
    return client.post(reverse("worker:notice_check"))


def date_parts(name: str, value: datetime.date) -> dict[str, str]:
    """A date as the three fields (day, month, year) of the forms' date widget post it."""
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def parental_fifth(**overrides: Any) -> dict[str, str]:
    """Step 6 as posted for ``PARENTAL_FIFTH`` (Sophie Lambert's parental leave 1/5), with overrides."""
    data = {
        **date_parts("notice_date", datetime.date(2026, 11, 20)),
        **date_parts("start", datetime.date(2027, 2, 1)),
        **date_parts("end", datetime.date(2027, 6, 30)),
        "form": "1/5",
        "weekly_hours": "38",
        "reference_hours": "38",
        "days_per_week": "5",
        "hours_during_leave": "30,4",
        "regime_12_months": "full_time",
        "months_of_contract_last_15": "15",
        **date_parts("child_birth_date", datetime.date(2024, 2, 10)),
        "child_niss": demo_data.SOPHIE_LAMBERT_CHILD_NISS,
        "child_disabled": "no",
        "employer_agreement": "yes",
    }
    data.update(overrides)
    return data


def step_7_draft(
    owner: User,
    enterprise: Enterprise,
    worker_niss: str,
    leave: dict[str, Any],
    *,
    status: str = "PRIVATE_WHITE_COLLAR",
    committee: str = "118",
) -> Draft:
    """A draft at step 7 for a new parental leave of this worker, with these step-6 values."""
    return Draft.objects.create(
        owner=owner,
        enterprise=enterprise,
        step=7,
        data={
            "worker": {"niss": worker_niss, "status": status, "joint_committee": committee},
            "type": {"leave_type": "PARENTAL", "kind": "new", "related_ticket": ""},
            "leave": leave,
        },
    )


def make_draft(
    owner: User, enterprise: Enterprise, worker_niss: str = demo_data.SOPHIE_LAMBERT_NISS, **leave: Any
) -> Draft:
    """A draft at step 7: a parental leave 1/5 for Sophie Lambert's child, with ``leave`` overrides."""
    return step_7_draft(owner, enterprise, worker_niss, {**PARENTAL_FIFTH, **leave})


def jean_at_the_bakery() -> tuple[User, Enterprise]:
    """The demo's cast, and Jean Dubois's user with his bakery, as a request test starts."""
    demo_cast()
    jean = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS, first_name="Jean", last_name="Dubois")
    return jean, Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)


def file_sophie_s_leave() -> LeaveRequest:
    """Sophie Lambert's parental leave, filed by Jean Dubois for his bakery."""
    jean, bakery = jean_at_the_bakery()
    return confirm(jean, bakery, make_draft(jean, bakery))


def confirm(user: User, enterprise: Enterprise, draft: Draft) -> LeaveRequest:
    return services.request_confirm(acting=acting_for(user, enterprise), draft_id=draft.pk, certified=True)


# --- The employer's steps as the browser posts them ---------------------------------------------------


def start_draft(client: Client) -> Draft:
    """Step 3's *Next*: a new draft, at the worker step."""
    response = client.post(reverse("employer:company"))
    assert response.status_code == 302
    return Draft.objects.get(pk=response["Location"].split("/")[-3])


def choose_worker(
    client: Client,
    draft: Draft,
    niss: str = demo_data.SOPHIE_LAMBERT_NISS,
    status: str = "PRIVATE_WHITE_COLLAR",
    follow: bool = False,
) -> Any:
    return client.post(
        reverse("employer:step_worker", args=[draft.pk]),
        {"action": "select", "niss": niss, "status": status, "joint_committee": "118"},
        follow=follow,
    )


def search_worker(
    client: Client, draft: Draft, niss: str = demo_data.SOPHIE_LAMBERT_NISS, *, follow: bool = False
) -> Any:
    """Step 4's search by number (``follow``: to the page the search redirects to, which runs it)."""
    search = {"action": "search", "search-niss": niss}
    return client.post(reverse("employer:step_worker", args=[draft.pk]), search, follow=follow)


def choose_type(client: Client, draft: Draft, leave_type: str, follow: bool = False) -> Any:
    return client.post(
        reverse("employer:step_type", args=[draft.pk]),
        {"action": "new", "leave_type": leave_type},
        follow=follow,
    )


def draft_at_the_leave_step(client: Client, leave_type: str) -> Draft:
    """A new draft for Sophie Lambert with ``leave_type`` chosen: the leave step comes next."""
    draft = start_draft(client)
    choose_worker(client, draft)
    choose_type(client, draft, leave_type)
    return draft
