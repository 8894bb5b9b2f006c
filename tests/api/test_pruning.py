"""``manage.py prune_api``: what the API's old rows are, which are deleted and which are kept, at the
boundaries; the counts printed; one audit row as a system action."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from careerbreak.core.models import AuditEvent
from careerbreak.identity.api_clients import LEEWAY
from careerbreak.identity.api_tokens import issue_access_token
from careerbreak.identity.models import ApiAccessToken, ApiAssertionJti, ApiClient, IdempotencyKey
from careerbreak.interruptions.models import Batch, BatchItem, RequestEvent
from careerbreak.interruptions.pruning import api_prune
from tests.factories import ApiClientFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def api_client(db: None) -> ApiClient:
    client: ApiClient = ApiClientFactory()
    return client


def token_expiring(client: ApiClient, at: datetime.datetime) -> ApiAccessToken:
    _, row = issue_access_token(client=client, scopes=client.scopes)
    ApiAccessToken.objects.filter(pk=row.pk).update(expires_at=at)
    return row


def key_created(client: ApiClient, name: str, at: datetime.datetime) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        client=client, key=name, operation="POST /api/v1/requests", fingerprint="f", status=201, created_at=at
    )


def event_at(at: datetime.datetime, ticket: str) -> RequestEvent:
    return RequestEvent.objects.create(
        enterprise=EnterpriseFactory(),
        type="request.filed",
        ticket=ticket,
        occurred_at=at,
        occurred_on=at.date(),
    )


def batch_finished(client: ApiClient, at: datetime.datetime | None) -> Batch:
    batch = Batch.objects.create(client=client, total=1, state="done" if at else "processing", finished_at=at)
    BatchItem.objects.create(
        batch=batch,
        index=0,
        payload={"worker": {"niss": "90061512202"}},
        state=BatchItem.State.REFUSED,
        problems=[{"code": "worker_not_employed", "field": "worker.niss", "message": "…"}],
    )
    return batch


def test_expired_tokens_are_deleted_and_live_ones_kept(api_client: ApiClient) -> None:
    expired = token_expiring(api_client, NOW)
    live = token_expiring(api_client, NOW + SECOND)
    assert api_prune(now=NOW)["access_tokens"] == 1
    assert list(ApiAccessToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert expired.pk != live.pk


def test_a_jti_is_kept_while_an_assertion_carrying_it_could_still_be_accepted(api_client: ApiClient) -> None:
    # The token endpoint accepts an assertion until exp + LEEWAY: its jti must still refuse a replay.
    boundary = NOW - datetime.timedelta(seconds=LEEWAY)
    ApiAssertionJti.objects.create(client=api_client, jti="gone", expires_at=boundary - SECOND)
    ApiAssertionJti.objects.create(client=api_client, jti="kept", expires_at=boundary)
    ApiAssertionJti.objects.create(client=api_client, jti="live", expires_at=NOW + HOUR)
    assert api_prune(now=NOW)["assertion_jtis"] == 1
    assert set(ApiAssertionJti.objects.values_list("jti", flat=True)) == {"kept", "live"}


def test_idempotency_keys_are_kept_24_hours_and_deleted_after(api_client: ApiClient) -> None:
    key_created(api_client, "old", NOW - 24 * HOUR - SECOND)
    key_created(api_client, "day", NOW - 24 * HOUR)
    key_created(api_client, "new", NOW - HOUR)
    assert api_prune(now=NOW)["idempotency_keys"] == 1
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"day", "new"}


def test_the_keeping_time_of_idempotency_keys_is_a_setting_never_under_24_hours(
    api_client: ApiClient, settings: Any
) -> None:
    key_created(api_client, "30h", NOW - 30 * HOUR)
    key_created(api_client, "2h", NOW - 2 * HOUR)
    settings.API_IDEMPOTENCY_KEEP_HOURS = 48
    assert api_prune(now=NOW)["idempotency_keys"] == 0
    settings.API_IDEMPOTENCY_KEEP_HOURS = 1  # counts as 24: what the API promises
    assert api_prune(now=NOW)["idempotency_keys"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["2h"]


def test_a_key_past_its_keeping_time_is_a_new_call_to_the_live_code_too(api_client: ApiClient) -> None:
    """The pruning rule is the live rule: the store takes an old key over, so deleting it changes nothing."""
    from careerbreak.identity.idempotency import idempotency_begin

    with time_machine.travel(NOW, tick=False):
        key_created(api_client, "k", timezone.now() - 24 * HOUR - SECOND)
        claim = idempotency_begin(client=api_client, key="k", operation="POST /x", fingerprint="other")
    assert claim.outcome == "new"


def test_events_older_than_their_keeping_time_are_deleted(settings: Any) -> None:
    settings.API_EVENTS_KEEP_DAYS = 30
    event_at(NOW - 30 * DAY - SECOND, "2026-00000001-51")
    event_at(NOW - 30 * DAY, "2026-00000002-54")
    assert api_prune(now=NOW)["events"] == 1
    assert list(RequestEvent.objects.values_list("ticket", flat=True)) == ["2026-00000002-54"]


def test_the_bodies_of_batches_finished_long_ago_are_emptied_their_outcomes_kept(
    api_client: ApiClient, settings: Any
) -> None:
    settings.API_BATCH_PAYLOADS_KEEP_DAYS = 7
    old = batch_finished(api_client, NOW - 7 * DAY - SECOND)
    recent = batch_finished(api_client, NOW - 7 * DAY)
    running = batch_finished(api_client, None)
    Batch.objects.filter(pk=running.pk).update(created_at=NOW - 60 * DAY)
    assert api_prune(now=NOW)["batch_payloads"] == 1
    item = BatchItem.objects.get(batch=old)
    assert item.payload == {}
    assert item.problems[0]["code"] == "worker_not_employed" and item.state == BatchItem.State.REFUSED
    assert BatchItem.objects.get(batch=recent).payload != {}
    assert BatchItem.objects.get(batch=running).payload != {}
    # Emptied once: the next run counts nothing more.
    assert api_prune(now=NOW)["batch_payloads"] == 0


def test_a_batch_whose_bodies_were_emptied_still_answers_its_outcome(api_client: ApiClient) -> None:
    from tests.factories import api_bearer

    batch = batch_finished(api_client, NOW - 30 * DAY)
    api_prune(now=NOW)
    response = Client().get(f"/api/v1/batches/{batch.pk}", **api_bearer(api_client))
    assert response.status_code == 200, response.content
    assert response.json()["items"][0]["problems"][0]["code"] == "worker_not_employed"


def test_the_command_prints_the_counts_and_audits_a_system_action(api_client: ApiClient) -> None:
    with time_machine.travel(NOW, tick=False):
        token_expiring(api_client, NOW - HOUR)
        key_created(api_client, "old", NOW - 25 * HOUR)
        out = StringIO()
        call_command("prune_api", stdout=out)
    assert out.getvalue().strip() == (
        "Pruned the API: 1 expired access token(s), 0 expired assertion jti(s), 1 idempotency key(s), "
        "0 event(s), 0 finished batch item bod(ies) emptied."
    )
    audit = AuditEvent.objects.get(action="careerbreak.api.pruned")
    assert (audit.actor_niss, audit.enterprise_number) == ("", "")
    assert audit.data == {
        "access_tokens": 1,
        "assertion_jtis": 0,
        "idempotency_keys": 1,
        "events": 0,
        "batch_payloads": 0,
    }
