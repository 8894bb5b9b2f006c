"""request_confirm: one request per draft, serialised per worker, nothing half-written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions import services
from careerbreak.interruptions.models import Draft, LeaveRequest, StatusTransition
from careerbreak.registries.models import Enterprise
from tests.concurrency import needs_postgres, race
from tests.factories import demo_cast
from tests.request_fixtures import TODAY, confirm, make_draft

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def setup(db: None) -> Any:
    demo_cast()
    jean = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS)
    luc = User.objects.create_user(demo_data.LUC_JANSSENS_NISS)
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    return jean, luc, bakery


@pytest.mark.django_db
def test_confirming_writes_the_request_its_transition_and_an_audit_event(setup: Any) -> None:
    jean, _luc, bakery = setup
    leave_request = confirm(jean, bakery, make_draft(jean, bakery))
    assert leave_request.status == "awaiting_worker"
    assert StatusTransition.objects.filter(request=leave_request).count() == 1
    assert (
        AuditEvent.objects.filter(
            action="careerbreak.request.confirmed", object_id=leave_request.ticket
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_refused_confirmation_writes_nothing(setup: Any) -> None:
    jean, _luc, bakery = setup
    draft = make_draft(jean, bakery, child_birth_date="2013-06-01", child_niss="")
    with pytest.raises(services.RulesRefused) as refused:
        confirm(jean, bakery, draft)
    assert any(f.field == "child_birth_date" for f in refused.value.findings)
    assert not LeaveRequest.objects.exists()
    assert not StatusTransition.objects.exists()
    assert not AuditEvent.objects.filter(action="careerbreak.request.confirmed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("confirmer", "change", "error"),
    [
        pytest.param("luc", {}, NotFound, id="someone else's draft is not found"),
        pytest.param("jean", {"expires_at": TODAY - datetime.timedelta(seconds=1)}, NotFound, id="expired"),
        pytest.param("jean", {"step": 6}, DomainError, id="incomplete"),
    ],
)
def test_a_draft_that_is_not_the_confirmer_s_or_not_ready_cannot_be_confirmed(
    setup: Any, confirmer: str, change: dict[str, Any], error: type[Exception]
) -> None:
    jean, luc, bakery = setup
    draft = make_draft(jean, bakery)
    if change:
        Draft.objects.filter(pk=draft.pk).update(**change)
    with pytest.raises(error):
        confirm({"jean": jean, "luc": luc}[confirmer], bakery, draft)


@pytest.mark.django_db
def test_a_second_overlapping_request_for_the_same_worker_is_stopped_naming_the_first_ticket(
    setup: Any,
) -> None:
    jean, luc, bakery = setup
    first = confirm(jean, bakery, make_draft(jean, bakery))
    with pytest.raises(services.RulesRefused) as refused:
        confirm(luc, bakery, make_draft(luc, bakery, start="2027-03-01", end="2027-07-31"))
    assert any(first.ticket in f.message for f in refused.value.findings)


@needs_postgres()
@pytest.mark.django_db(transaction=True)
def test_the_same_draft_confirmed_at_once_in_two_tabs_gives_one_ticket(setup: Any) -> None:
    jean, _luc, bakery = setup
    draft = make_draft(jean, bakery)
    results = race([lambda: confirm(jean, bakery, draft) for _ in range(4)])
    assert all(isinstance(r, LeaveRequest) for r in results), results
    assert len({r.ticket for r in results}) == 1
    assert LeaveRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="careerbreak.request.confirmed").count() == 1


@needs_postgres()
@pytest.mark.django_db(transaction=True)
def test_two_users_confirming_the_same_leave_at_once_give_one_request(setup: Any) -> None:
    jean, luc, bakery = setup
    drafts = [make_draft(jean, bakery), make_draft(luc, bakery)]
    results = race([lambda: confirm(jean, bakery, drafts[0]), lambda: confirm(luc, bakery, drafts[1])])
    assert sum(isinstance(r, LeaveRequest) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert LeaveRequest.objects.count() == 1
