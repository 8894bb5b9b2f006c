"""Idempotency-Key: a call still running under a key, a key older than the keeping time, a bad key."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from careerbreak.api.idempotency import body_fingerprint
from careerbreak.identity.idempotency import IDEMPOTENCY_MIN_HOURS as IDEMPOTENCY_KEEP_HOURS
from careerbreak.identity.idempotency import idempotency_begin
from careerbreak.identity.models import ApiClient, IdempotencyKey
from careerbreak.interruptions.models import LeaveRequest
from tests.api.conftest import ApiCaller, body
from tests.factories import api_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REQUESTS = "/api/v1/requests"


def test_a_duplicate_that_arrives_while_the_first_call_runs_is_told_to_retry(
    bakery: ApiCaller, bakery_client: ApiClient
) -> None:
    # The first call claimed the key and has not answered yet.
    claim = idempotency_begin(
        client=bakery_client,
        key="k-run",
        operation=f"POST {REQUESTS}",
        fingerprint=body_fingerprint(json.dumps(body()).encode()),
    )
    assert claim.outcome == "new"
    response = bakery.post(REQUESTS, body(), **{"Idempotency-Key": "k-run"})
    assert response.status_code == 409 and response["Retry-After"]
    assert not LeaveRequest.objects.exists()


def test_a_key_older_than_the_keeping_time_starts_afresh(bakery: ApiCaller) -> None:
    assert bakery.post(f"{REQUESTS}/validate", body(), **{"Idempotency-Key": "k-old"}).status_code == 200
    IdempotencyKey.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_KEEP_HOURS, minutes=1)
    )
    response = bakery.post(
        f"{REQUESTS}/validate", body(leave__end="2027-01-01"), **{"Idempotency-Key": "k-old"}
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/api/v1/problems/invalid-request"  # run, not refused as reused


def test_a_key_kept_a_day_still_replays(bakery: ApiCaller) -> None:
    bakery.post(f"{REQUESTS}/validate", body(), **{"Idempotency-Key": "k-day"})
    IdempotencyKey.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=IDEMPOTENCY_KEEP_HOURS - 1)
    )
    response = bakery.post(f"{REQUESTS}/validate", body(), **{"Idempotency-Key": "k-day"})
    assert response["Idempotent-Replayed"] == "true"


def test_a_key_too_long_is_refused(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body(), **{"Idempotency-Key": "k" * 256})
    assert response.status_code == 400
    assert not LeaveRequest.objects.exists()


def test_a_failed_scope_check_frees_the_key(bakery_client: ApiClient) -> None:
    reader = ApiCaller(api_token(bakery_client, "requests:read"))
    assert reader.post(REQUESTS, body(), **{"Idempotency-Key": "k-scope"}).status_code == 403
    assert not IdempotencyKey.objects.exists()
