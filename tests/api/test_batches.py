"""The API's /batches: up to 10,000 requests filed by the task workers, each item on its own."""

from __future__ import annotations

import pytest

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.batches import batch_process
from careerbreak.interruptions.models import Batch, BatchItem, LeaveRequest
from tests.api.conftest import ApiCaller, body
from tests.factories import api_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BATCHES = "/api/v1/batches"


def items() -> list[dict]:
    return [
        body(),  # filed
        {**body(), "colour": "blue"},  # malformed: refused by the schema
        body(leave__child_birth_date="2013-06-01", leave__child_niss=None),  # refused by the rules
        body(enterprise=demo_data.LOGISTIQUE_MEUSE_NUMBER),  # not an enterprise the client acts for
    ]


def test_a_batch_is_accepted_then_filed_item_by_item_and_a_bad_item_sinks_no_other(
    secupay: ApiCaller, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = secupay.post(BATCHES, {"items": items()})
    assert response.status_code == 202
    accepted = response.json()
    assert response["Location"] == accepted["links"]["self"]
    progress = secupay.get(response["Location"]).json()
    assert progress["state"] == "done"
    assert progress["progress"] == {"pending": 0, "filed": 1, "refused": 3, "processed": 4}
    first, malformed, too_old, forbidden = progress["items"]
    assert first["ticket"] == LeaveRequest.objects.get().ticket
    assert malformed["problems"][0]["field"] == "colour"
    [rule] = [p for p in too_old["problems"] if p["code"] == "parental.child_too_old"]
    assert rule["field"] == "leave.child_birth_date" and rule["legal_reference"]
    assert forbidden["problems"] == [
        {
            "code": "forbidden_enterprise",
            "field": "enterprise",
            "message": "Ce client ne peut pas agir pour cette entreprise aujourd'hui.",
        }
    ]


def test_running_the_task_twice_files_nothing_twice(
    bakery: ApiCaller, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = bakery.post(BATCHES, {"items": [body()]})
    batch_id = response.json()["id"]
    assert batch_process(batch_id=batch_id) == 0
    assert LeaveRequest.objects.count() == 1
    assert BatchItem.objects.get().state == "filed"


def test_the_same_batch_sent_twice_with_one_key_is_processed_once(
    bakery: ApiCaller, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        first = bakery.post(BATCHES, {"items": [body()]}, **{"Idempotency-Key": "batch-1"})
        second = bakery.post(BATCHES, {"items": [body()]}, **{"Idempotency-Key": "batch-1"})
    assert first.json()["id"] == second.json()["id"]
    assert Batch.objects.count() == 1 and LeaveRequest.objects.count() == 1


def test_a_batch_is_seen_only_by_its_client(bakery: ApiCaller, garage: ApiCaller) -> None:
    response = bakery.post(BATCHES, {"items": [body()]})
    assert garage.get(response["Location"]).status_code == 404
    assert garage.get(f"{BATCHES}/not-a-uuid").status_code == 404


def test_a_batch_needs_the_write_scope_a_token_and_between_1_and_10000_items(bakery_client) -> None:  # type: ignore[no-untyped-def]
    reader = ApiCaller(api_token(bakery_client, ApiScope.REQUESTS_READ))
    assert reader.post(BATCHES, {"items": [body()]}).status_code == 403
    assert ApiCaller(None).post(BATCHES, {"items": [body()]}).status_code == 401
    writer = ApiCaller(api_token(bakery_client))
    assert writer.post(BATCHES, {"items": []}).status_code == 422
    assert writer.post(BATCHES, {"items": [{}] * 10_001}).status_code == 422
    assert writer.post(BATCHES, {"items": [body()], "priority": 1}).status_code == 422
    assert not Batch.objects.exists()
