"""``/api/v1/webhooks``: a client registers an HTTPS address and receives each event there, through the
outbox (retried, never lost, kept once per delivery id by the receiver) and signed with a secret shown
once (HMAC-SHA256 over ``timestamp.body``); tested against a receiver on a real socket."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope, Webhook
from careerbreak.identity.webhooks import open_secret
from careerbreak.interruptions import services
from careerbreak.interruptions.models import LeaveRequest, RequestEvent
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.mailbox.services import deliver_due, outbox_sweep
from careerbreak.mailbox.transports import webhook_signature
from tests.api.conftest import Caller
from tests.api.test_events import file_leave, jean_acting
from tests.api.webhook_receiver import Receiver, receiver, verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

BASE = "/api/v1/webhooks"


@pytest.fixture(autouse=True)
def local_http_and_quick_retries(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.MAILBOX_BACKOFF_BASE_SECONDS = 0


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


def register(caller: Caller, hook: Receiver) -> dict[str, Any]:
    answer = caller.post(BASE, {"url": hook.url})
    assert answer.status_code == 201, answer.content
    hook.secret = answer.json()["secret"]
    return dict(answer.json())


def file_and_deliver(django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    """File a leave; its events are posted once the transaction commits, as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        return file_leave()


def test_a_registered_webhook_receives_each_event_signed(
    bakery_api: Caller, hook: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    register(bakery_api, hook)
    filed = file_and_deliver(django_capture_on_commit_callbacks)
    [delivery] = OutboxMessage.objects.filter(channel="webhook")
    assert delivery.status == "delivered"
    assert hook.bad_signatures == 0
    assert list(hook.events) == [str(delivery.id)]
    event = hook.events[str(delivery.id)]
    assert (event["type"], event["ticket"]) == ("request.filed", filed.ticket)
    assert event["id"] == RequestEvent.objects.get().pk
    # The same shape as the feed gives.
    assert bakery_api.get("/api/v1/events").json()["items"] == [event]


def test_a_receiver_that_fails_first_gets_the_same_delivery_again_and_keeps_it_once(
    secupay_api: Caller, hook: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    register(secupay_api, hook)
    hook.fail_first = 2
    filed = file_and_deliver(django_capture_on_commit_callbacks)
    delivery = OutboxMessage.objects.get(channel="webhook")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "503" in delivery.last_error
    assert deliver_due() == {"retry": 1}
    assert deliver_due() == {"delivered": 1}
    assert deliver_due() == {}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert hook.attempts == [str(delivery.id)] * 3
    assert [e["ticket"] for e in hook.events.values()] == [filed.ticket]


def test_every_event_reaches_every_entitled_webhook_once_and_no_other(
    bakery_api: Caller,
    secupay_api: Caller,
    outsider_api: Caller,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with receiver() as own, receiver() as secretariat, receiver() as outsider:
        register(bakery_api, own)
        register(secupay_api, secretariat)
        register(outsider_api, outsider)
        own.fail_first = 1
        filed = file_and_deliver(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.request_cancel(acting=jean_acting(), ticket=filed.ticket, reason="Renonce.")
        while deliver_due():
            pass
        events = list(RequestEvent.objects.values_list("pk", flat=True))
        for hook in (own, secretariat):
            assert sorted(e["id"] for e in hook.events.values()) == events
            assert hook.bad_signatures == 0
        assert outsider.attempts == []
    assert OutboxMessage.objects.filter(channel="webhook").exclude(status="delivered").count() == 0
    assert OutboxMessage.objects.filter(channel="webhook").count() == 2 * len(events)


def test_a_tampered_body_or_another_secret_fails_verification() -> None:
    body = b'{"id": 1}'
    signature = webhook_signature("whsec_right", 1_800_000_000, body)
    headers = {"Webhook-Timestamp": "1800000000", "Webhook-Signature": signature}
    assert signature.startswith("v1=") and len(signature) == 3 + 64
    with time_machine.travel(1_800_000_010, tick=False):
        assert verify("whsec_right", headers, body)
        assert not verify("whsec_right", headers, b'{"id": 2}')
        assert not verify("whsec_wrong", headers, body)
    with time_machine.travel(1_800_000_000 + 3600, tick=False):
        assert not verify("whsec_right", headers, body)  # replayed an hour later


def test_the_secret_is_shown_once_and_kept_encrypted(bakery_api: Caller, hook: Receiver) -> None:
    created = register(bakery_api, hook)
    assert created["secret"].startswith("whsec_")
    listed = bakery_api.get(BASE)
    assert listed["Cache-Control"] == "private, no-store"
    assert listed.json() == [{"id": created["id"], "url": hook.url, "created_at": created["created_at"]}]
    row = Webhook.objects.get()
    assert created["secret"] not in row.secret_encrypted
    assert open_secret(row.secret_encrypted) == created["secret"]
    audit = AuditEvent.objects.get(action="careerbreak.webhook.registered")
    assert audit.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert audit.actor_niss == demo_data.JEAN_DUBOIS_NISS


@pytest.mark.parametrize(
    "url",
    [
        "http://payroll.example/hooks",
        "ftp://payroll.example/hooks",
        "payroll.example",
        "https://u:p@x.example/",
    ],
)
def test_only_an_https_address_is_accepted(bakery_api: Caller, url: str) -> None:
    answer = bakery_api.post(BASE, {"url": url})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "url"
    assert not Webhook.objects.exists()


def test_http_on_localhost_is_refused_outside_development(bakery_api: Caller, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    assert bakery_api.post(BASE, {"url": "http://127.0.0.1:9/hooks"}).status_code == 422
    assert bakery_api.post(BASE, {"url": "https://payroll.example/hooks"}).status_code == 201


def test_a_client_has_at_most_five_webhooks(bakery_api: Caller) -> None:
    for n in range(5):
        assert bakery_api.post(BASE, {"url": f"https://payroll.example/{n}"}).status_code == 201
    sixth = bakery_api.post(BASE, {"url": "https://payroll.example/6"})
    assert sixth.status_code == 422
    assert sixth.json()["errors"][0]["code"] == "limit"


def test_a_deleted_webhook_gets_nothing_more(
    bakery_api: Caller, hook: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    created = register(bakery_api, hook)
    hook.fail_first = 1
    file_and_deliver(django_capture_on_commit_callbacks)
    assert bakery_api.delete(f"{BASE}/{created['id']}").status_code == 204
    assert bakery_api.get(BASE).json() == []
    assert deliver_due() == {"failed": 1}
    assert "deleted" in OutboxMessage.objects.get(channel="webhook").last_error
    assert hook.events == {}
    assert bakery_api.delete(f"{BASE}/{created['id']}").status_code == 404
    assert AuditEvent.objects.filter(action="careerbreak.webhook.deleted").count() == 1


def test_a_receiver_that_refuses_with_a_4xx_is_not_tried_again(
    bakery_api: Caller, hook: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    register(bakery_api, hook)
    hook.fail_first, hook.fail_status = 1, 410
    file_and_deliver(django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get(channel="webhook").status == "failed"
    assert deliver_due() == {}


def test_another_client_cannot_see_or_delete_the_webhook(
    bakery_api: Caller, outsider_api: Caller, secupay_api: Caller, hook: Receiver
) -> None:
    created = register(bakery_api, hook)
    for other in (outsider_api, secupay_api):
        assert other.get(BASE).json() == []
        answer = other.delete(f"{BASE}/{created['id']}")
        assert answer.status_code == 404
        assert answer.json()["type"] == "/api/v1/problems/not-found"
    assert Webhook.objects.active().count() == 1


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_webhooks_need_the_requests_read_scope(bakery_api: Caller, hook: Receiver, method: str) -> None:
    created = register(bakery_api, hook)
    caller = bakery_api.only(ApiScope.NOTICES)
    if method == "get":
        answer = caller.get(BASE)
    elif method == "post":
        answer = caller.post(BASE, {"url": hook.url})
    else:
        answer = caller.delete(f"{BASE}/{created['id']}")
    assert answer.status_code == 403
    assert Webhook.objects.active().count() == 1


def test_a_field_the_api_does_not_know_is_refused(bakery_api: Caller) -> None:
    answer = bakery_api.post(BASE, {"url": "https://payroll.example/", "events": ["all"]})
    assert answer.status_code == 422
    assert not Webhook.objects.exists()


def test_a_delivery_left_half_sent_by_a_dead_worker_is_swept_and_delivered_once(
    bakery_api: Caller, hook: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    register(bakery_api, hook)
    with django_capture_on_commit_callbacks(execute=False):
        file_leave()
    # A worker claimed it and died before sending: its lease ran out.
    OutboxMessage.objects.filter(channel="webhook").update(
        status="sending", attempts=1, leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert hook.attempts == []
    assert outbox_sweep() >= 1
    delivery = OutboxMessage.objects.get(channel="webhook")
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert list(hook.events) == [str(delivery.id)]
    assert outbox_sweep() == 0
