"""The API's /batches: up to 10,000 requests filed by the task workers, each item on its own."""

from __future__ import annotations

import re

import pytest

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.batches import batch_process
from careerbreak.interruptions.models import Batch, BatchItem, LeaveRequest, RequestVersion
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


class _Enqueued:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def enqueue(self, batch_id: str) -> None:
        self.calls.append(batch_id)


@pytest.mark.parametrize(("size", "runs"), [(1, 1), (3, 2), (4, 2), (5, 3), (50, 4)])
def test_a_batch_is_shared_by_one_run_of_the_task_per_chunk_of_items_at_most_four(
    bakery_client, monkeypatch, django_capture_on_commit_callbacks, size: int, runs: int
) -> None:  # type: ignore[no-untyped-def]
    from careerbreak.interruptions import batches, tasks

    enqueued = _Enqueued()
    monkeypatch.setattr(tasks, "process_batch", enqueued)
    monkeypatch.setattr(batches, "CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.batch_create(client=bakery_client, items=[{}] * size, ip_address=None, language="")
    assert enqueued.calls == [str(batch.pk)] * runs


def test_a_run_that_finds_the_last_items_held_by_another_leaves_the_batch_for_that_run_to_close(
    bakery: ApiCaller, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from careerbreak.interruptions import batches, tasks

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    batch_id = bakery.post(BATCHES, {"items": [body()]}).json()["id"]
    held = monkeypatch.context()
    with held as patch:  # another run holds the item (FOR UPDATE SKIP LOCKED skips it)
        patch.setattr(batches, "_next_item", lambda batch: None)
        assert batch_process(batch_id=batch_id) == 0
    assert Batch.objects.get().state == "processing"
    assert batch_process(batch_id=batch_id) == 1
    assert Batch.objects.get().state == "done"
    assert BatchItem.objects.get().state == "filed"


def test_filing_a_batch_item_stays_within_its_queries(bakery: ApiCaller, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careerbreak.interruptions import tasks

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    bakery.post(f"{BATCHES}", {"items": [body(leave__start="2027-09-01", leave__end="2027-12-31")]})
    batch_process(batch_id=str(Batch.objects.get().pk))  # the first item's first reads
    batch_id = bakery.post(BATCHES, {"items": [body()]}).json()["id"]
    with CaptureQueriesContext(connection) as queries:
        assert batch_process(batch_id=batch_id) == 1
    assert BatchItem.objects.get(batch_id=batch_id).state == "filed"
    # The rules run once (in the confirmation), the step-4 reference lists are not read again.
    rule_reads = [q for q in queries.captured_queries if 'FROM "registries_priorleave"' in q["sql"]]
    assert len(rule_reads) == 1
    # The draft in one insert, the ticket in one statement, the employment among the periods, the
    # worker's requests and the enterprise's on time credit in one read; the draft just written neither
    # read again nor looked for among the confirmed, the periods the look-up read not read again, no
    # savepoint of the confirmation's own inside the filing's, each outbox row one statement.
    # The rules' reads in one statement (ADR 0046, -3; 31 before).
    assert len(queries.captured_queries) <= 28, len(queries.captured_queries)
    # The periods' read (registries.sources' periods_of, in SQL since ADR 0030; the ORM's form would
    # be counted too) is the one query that reads the employments joined to their workers (the rules'
    # reads, one statement since ADR 0046, join the earlier leaves' subjects, not the employments').
    periods_reads = [
        q
        for q in queries.captured_queries
        if re.search(r'FROM "registries_employment"( m)? INNER JOIN "registries_person"', q["sql"])
    ]
    assert len(periods_reads) == 1


@pytest.mark.django_db(transaction=True)  # each item commits: its tasks are queued after
def test_the_items_pdfs_and_deliveries_are_queued_together_not_two_tasks_an_item(
    bakery: ApiCaller, monkeypatch, database_queue
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from careerbreak.documents.models import Document
    from careerbreak.interruptions import batches, tasks
    from careerbreak.mailbox.models import OutboxMessage
    from tests.task_worker import run_database_worker

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    later = body(leave__start="2027-09-01", leave__end="2028-01-31")
    batch_id = bakery.post(BATCHES, {"items": [body(), later]}).json()["id"]
    assert batch_process(batch_id=batch_id) == 2
    assert list(BatchItem.objects.values_list("problems", flat=True)) == [[], []]
    [render] = DBTaskResult.objects.filter(task_path__endswith="render_employer_part")
    versions = sorted(LeaveRequest.objects.values_list("versions__pk", flat=True))
    assert sorted(render.args_kwargs["args"]) == versions
    [deliver] = DBTaskResult.objects.filter(task_path__endswith="deliver_message")
    messages = OutboxMessage.objects.filter(kind="employer_part")
    assert sorted(deliver.args_kwargs["args"]) == sorted(
        str(pk) for pk in messages.values_list("pk", flat=True)
    )
    assert {str(task_id) for task_id in messages.values_list("task_id", flat=True)} == {str(deliver.pk)}
    assert render.priority == deliver.priority == batches.FOLLOW_UP_PRIORITY < 0  # after every other task
    run_database_worker()
    render.refresh_from_db()
    assert render.status == "SUCCESSFUL"
    tickets = set(LeaveRequest.objects.values_list("ticket", flat=True))
    assert set(Document.objects.values_list("reference", flat=True)) == tickets  # both rendered


@pytest.mark.django_db(transaction=True)  # each item commits: its tasks are queued after
def test_a_run_files_its_slice_then_queues_the_rest_behind_other_tasks_and_the_pdfs_after_everything(
    bakery: ApiCaller, monkeypatch, database_queue
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from careerbreak.documents.models import Document
    from careerbreak.interruptions import batches
    from careerbreak.interruptions.models import RequestVersion
    from careerbreak.interruptions.tasks import render_employer_part
    from tests.task_worker import run_database_worker

    monkeypatch.setattr(batches, "RUN_ITEMS", 1)
    later = body(leave__start="2027-09-01", leave__end="2028-01-31")
    batch_id = bakery.post(BATCHES, {"items": [body(), later]}).json()["id"]  # queues one run
    assert batch_process(batch_id=batch_id) == 1  # that run, in a worker: one item, then its rest queued
    assert Batch.objects.get().state == "processing"
    # A web user's PDF, queued after the run (outside any batch): its own priority.
    ordinary = render_employer_part.enqueue(RequestVersion.objects.get().pk)

    def name(result: DBTaskResult) -> tuple[str, int]:
        return result.task_path.rsplit(".", 1)[1], result.priority

    # The order in which the database worker takes them: the batch's runs and everyone else's tasks
    # first (in the order queued), the PDF and delivery of the item filed after everything.
    order = [name(result) for result in DBTaskResult.objects.ready()]
    assert order[:3] == [("process_batch", 0), ("process_batch", 0), ("render_employer_part", 0)]
    follow_ups = [
        ("render_employer_part", batches.FOLLOW_UP_PRIORITY),
        ("deliver_message", batches.FOLLOW_UP_PRIORITY),
    ]
    assert sorted(order[3:]) == sorted(follow_ups)
    assert str(DBTaskResult.objects.ready()[2].pk) == str(ordinary.id)
    run_database_worker()
    assert Batch.objects.get().state == "done"
    assert list(BatchItem.objects.values_list("state", flat=True)) == ["filed", "filed"]
    assert set(Document.objects.values_list("reference", flat=True)) == set(
        LeaveRequest.objects.values_list("ticket", flat=True)
    )
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


# The bakery's worker's leave in three blocks of five months that do not overlap.
BLOCKS = [
    body(),
    body(leave__start="2027-07-01", leave__end="2027-11-30"),
    body(leave__start="2027-12-01", leave__end="2028-04-30"),
]


def test_a_run_reads_each_employer_s_mandate_and_webhooks_once_and_tells_every_event(
    secupay: ApiCaller, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careerbreak.identity.models import ApiClient, Webhook
    from careerbreak.identity.webhooks import seal_secret
    from careerbreak.interruptions import tasks
    from careerbreak.mailbox.models import OutboxMessage

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    client = ApiClient.objects.get(enterprise__number=demo_data.SECUPAY_NUMBER)
    hook = Webhook.objects.create(
        client=client, url="https://hooks.example/in", secret_encrypted=seal_secret("s")
    )
    batch_id = secupay.post(BATCHES, {"items": BLOCKS}).json()["id"]
    with CaptureQueriesContext(connection) as queries:
        assert batch_process(batch_id=batch_id) == 3
    assert list(BatchItem.objects.values_list("state", flat=True)) == ["filed"] * 3
    sql = [q["sql"] for q in queries.captured_queries]
    # The mandate: once for the acting context (the version takes it, ADR 0037), not again per item.
    assert len([q for q in sql if q.startswith('SELECT "identity_mandate"')]) == 1
    # The webhooks that receive the employer's events (the secretariat's, through that mandate): once.
    assert len([q for q in sql if 'FROM "identity_webhook"' in q]) == 1
    events = OutboxMessage.objects.filter(channel="webhook", endpoint=f"webhook:{hook.pk}")
    assert events.count() == 3  # each item's event told to the secretariat's webhook
    for version in RequestVersion.objects.all():
        assert version.snapshot["secretariat"]["mandate_from"]


def test_a_mandate_ended_between_two_runs_stops_the_next_run_s_items(secupay: ApiCaller, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from django.utils import timezone

    from careerbreak.identity.models import Mandate
    from careerbreak.interruptions import batches, tasks

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    monkeypatch.setattr(batches, "RUN_ITEMS", 1)
    batch_id = secupay.post(BATCHES, {"items": BLOCKS[:2]}).json()["id"]
    assert batch_process(batch_id=batch_id) == 1
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Mandate.objects.filter(employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER).update(valid_until=yesterday)
    assert batch_process(batch_id=batch_id) == 1
    first, second = BatchItem.objects.order_by("index")
    assert (first.state, second.state) == ("filed", "refused")
    assert [problem["code"] for problem in second.problems] == ["forbidden_enterprise"]


def test_a_mandate_that_ends_at_midnight_stops_the_items_a_run_files_after_it(
    secupay: ApiCaller, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import datetime

    import time_machine
    from django.utils import timezone

    from careerbreak.identity.models import Mandate
    from careerbreak.interruptions import batches, tasks

    monkeypatch.setattr(tasks, "process_batch", _Enqueued())
    today = timezone.localdate()
    Mandate.objects.filter(employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER).update(valid_until=today)
    batch_id = secupay.post(BATCHES, {"items": BLOCKS[:2]}).json()["id"]
    process = batches._process_next_item
    calls: list[int] = []

    def the_second_item_after_midnight(batch, reads):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            return process(batch, reads)
        with time_machine.travel(today + datetime.timedelta(days=1), tick=False):
            return process(batch, reads)

    monkeypatch.setattr(batches, "_process_next_item", the_second_item_after_midnight)
    assert batch_process(batch_id=batch_id) == 2  # one run
    first, second = BatchItem.objects.order_by("index")
    assert (first.state, second.state) == ("filed", "refused")
    assert [problem["code"] for problem in second.problems] == ["forbidden_enterprise"]
