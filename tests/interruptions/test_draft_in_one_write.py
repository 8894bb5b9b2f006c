"""The API files through a draft written once at step 7 (``services.draft_start_filled``): the same draft
the web's steps 4 to 6 leave on a new draft, for a new request and for *Prolonger*."""

from __future__ import annotations

import datetime

import pytest

from careerbreak.demo import data as demo_data
from careerbreak.interruptions import services
from careerbreak.interruptions.drafts import LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.interruptions.types import LeaveType, RequestKind
from tests.factories import acting_for
from tests.request_fixtures import confirm, jean_at_the_bakery, make_draft

pytestmark = pytest.mark.django_db

WORKER = WorkerChoice(
    niss=demo_data.SOPHIE_LAMBERT_NISS, status="PRIVATE_WHITE_COLLAR", joint_committee="118"
)
LEAVE = LeaveData.from_json(
    {
        "form": "1/5",
        "notice_date": "2026-11-20",
        "start": "2027-02-01",
        "end": "2027-06-30",
        "weekly_hours": "38",
    }
)


def stepwise(draft: Draft, *, base: LeaveRequest | None = None) -> Draft:
    services.draft_save_worker(draft=draft, niss=WORKER.niss, status=WORKER.status, joint_committee="118")
    if base is not None:
        services.draft_save_extension(draft=draft, base=base)
    else:
        services.draft_save_type(draft=draft, leave_type=LeaveType.PARENTAL, kind=RequestKind.NEW)
    services.draft_save_leave(draft=draft, values=LEAVE, complete=True)
    return Draft.objects.get(pk=draft.pk)


def same(one: Draft, other: Draft) -> None:
    assert (one.step, one.data, one.owner_id, one.enterprise_id) == (
        other.step,
        other.data,
        other.owner_id,
        other.enterprise_id,
    )
    assert abs(one.expires_at - other.expires_at) < datetime.timedelta(minutes=1)


def test_a_new_request_s_draft_is_the_one_the_steps_leave(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user, bakery = jean_at_the_bakery()
    acting = acting_for(user, bakery)
    expected = stepwise(services.draft_start(acting=acting))
    chosen = TypeChoice(leave_type=LeaveType.PARENTAL, kind=RequestKind.NEW)
    with django_assert_num_queries(1):
        draft = services.draft_start_filled(acting=acting, worker=WORKER, chosen=chosen, leave=LEAVE)
    same(Draft.objects.get(pk=draft.pk), expected)


def test_an_extension_s_draft_is_the_one_prolonger_leaves() -> None:
    user, bakery = jean_at_the_bakery()
    acting = acting_for(user, bakery)
    base = confirm(user, bakery, make_draft(user, bakery))
    expected = stepwise(services.draft_start(acting=acting), base=base)
    assert expected.content.type is not None and expected.content.type.kind == RequestKind.EXTENSION
    chosen = TypeChoice(leave_type=LeaveType.PARENTAL, kind=RequestKind.EXTENSION, related_ticket=base.ticket)
    draft = services.draft_start_filled(acting=acting, worker=WORKER, chosen=chosen, leave=LEAVE, base=base)
    same(Draft.objects.get(pk=draft.pk), expected)
