"""``GET /batches/{id}`` polled cheaply: the progress counted in SQL, the items a page at a time (``after``
the last index read, ``limit`` of them, ``limit=0`` for the progress alone), ``links.next`` while more
follow; bad values are 422 problems; another client's batch is not found (ADR 0033)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerbreak.api.batches import BatchOut
from careerbreak.identity.models import ApiClient, ApiScope
from careerbreak.interruptions import batches, tasks
from careerbreak.interruptions.models import Batch, BatchItem
from tests.api.conftest import ApiCaller
from tests.factories import LeaveRequestFactory, api_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PROBLEM = [{"code": "parental.child_too_old", "field": "leave.child_birth_date", "message": "Too old."}]
_tickets = itertools.count(1)


class _NotRun:
    """``process_batch`` not run: the test sets each item's state itself."""

    def enqueue(self, batch_id: str) -> None:
        pass


@pytest.fixture
def make_batch(monkeypatch: pytest.MonkeyPatch, bakery_client: ApiClient) -> Any:
    """A batch of the bakery's client with ``size`` items: ``filed`` and ``refused`` name the indexes
    filed (each with a request and its ticket) and refused (with a problem); the others are pending."""
    monkeypatch.setattr(tasks, "process_batch", _NotRun())

    def make(size: int, *, filed: tuple[int, ...] = (), refused: tuple[int, ...] = ()) -> Batch:
        batch = batches.batch_create(client=bakery_client, items=[{}] * size, ip_address=None, language="")
        for index in filed:
            request = LeaveRequestFactory(
                ticket=f"2026/{next(_tickets):08d}/51",
                start_date=datetime.date(2027, 2, 1),
                end_date=datetime.date(2027, 6, 30),
                certified_at=datetime.datetime(2026, 11, 27, tzinfo=datetime.UTC),
            )
            BatchItem.objects.filter(batch=batch, index=index).update(
                state=BatchItem.State.FILED, request=request, warnings=[{"code": "late"}]
            )
        BatchItem.objects.filter(batch=batch, index__in=refused).update(
            state=BatchItem.State.REFUSED, problems=PROBLEM
        )
        return batch

    return make


def url(batch: Batch) -> str:
    return f"/api/v1/batches/{batch.pk}"


def problem_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    answer: dict[str, Any] = response.json()
    assert answer["type"] == "/api/v1/problems/invalid-request"
    return answer


def test_the_items_come_a_page_at_a_time_following_links_next_to_the_last_page(
    bakery: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(5, filed=(1,), refused=(3,))
    first = bakery.get(url(batch), {"limit": 2}).json()
    BatchOut.model_validate(first)  # the answer is what the OpenAPI document says
    assert [item["index"] for item in first["items"]] == [0, 1]
    assert first["links"] == {"self": url(batch), "next": f"{url(batch)}?limit=2&after=1"}
    assert first["progress"] == {"pending": 3, "filed": 1, "refused": 1, "processed": 2}
    second = bakery.get(first["links"]["next"]).json()
    assert [item["index"] for item in second["items"]] == [2, 3]
    assert second["links"]["next"] == f"{url(batch)}?limit=2&after=3"
    last = bakery.get(second["links"]["next"]).json()
    assert [item["index"] for item in last["items"]] == [4]
    assert last["links"] == {"self": url(batch)}  # nothing follows
    assert first["progress"] == second["progress"] == last["progress"]


def test_a_page_is_a_hundred_items_unless_told_and_a_thousand_at_most(
    bakery: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(1001)
    first = bakery.get(url(batch)).json()
    assert [item["index"] for item in first["items"]] == list(range(100))
    assert first["links"]["next"] == f"{url(batch)}?after=99"
    most = bakery.get(url(batch), {"limit": 1000}).json()
    assert len(most["items"]) == 1000 and most["links"]["next"] == f"{url(batch)}?limit=1000&after=999"
    rest = bakery.get(most["links"]["next"]).json()
    assert [item["index"] for item in rest["items"]] == [1000] and "next" not in rest["links"]


def test_a_page_that_ends_exactly_at_the_last_item_has_no_next_link(
    bakery: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(4)
    answer = bakery.get(url(batch), {"limit": 2, "after": 1}).json()
    assert [item["index"] for item in answer["items"]] == [2, 3]
    assert "next" not in answer["links"]


def test_after_the_last_item_the_page_is_empty_and_limit_0_gives_the_progress_alone(
    bakery: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(3, refused=(0,))
    empty = bakery.get(url(batch), {"after": 2}).json()
    assert empty["items"] == [] and "next" not in empty["links"]
    assert bakery.get(url(batch), {"after": 2_147_483_647}).json()["items"] == []
    progress = bakery.get(url(batch), {"limit": 0}).json()
    BatchOut.model_validate(progress)
    assert "items" not in progress and progress["links"] == {"self": url(batch)}
    assert progress["progress"] == {"pending": 2, "filed": 0, "refused": 1, "processed": 1}
    assert progress["total"] == 3 and progress["state"] == "pending" and progress["finished_at"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after": "-1"}, "after"),
        ({"after": "abc"}, "after"),
        ({"after": "1.5"}, "after"),
        ({"after": str(2**31)}, "after"),
        ({"after": str(2**70)}, "after"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"limit": ""}, "limit"),
    ],
)
def test_a_bad_cursor_or_limit_is_a_422_problem_naming_it(
    bakery: ApiCaller, make_batch: Any, query: dict[str, str], field: str
) -> None:
    batch = make_batch(2)
    answer = problem_of(bakery.get(url(batch), query))
    assert [error["field"] for error in answer["errors"]] == [field]


def test_the_progress_counts_each_state_while_the_items_are_pending_filed_and_refused(
    bakery: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(6, filed=(0, 4), refused=(2,))
    answer = bakery.get(url(batch)).json()
    assert answer["progress"] == {"pending": 3, "filed": 2, "refused": 1, "processed": 3}
    assert answer["total"] == 6
    by_index = {item["index"]: item for item in answer["items"]}
    filed = BatchItem.objects.select_related("request").get(batch=batch, index=4).request
    assert by_index[4] == {
        "index": 4,
        "state": "filed",
        "ticket": filed.ticket,
        "links": {"request": f"/api/v1/requests/{filed.slug}"},
        "warnings": [{"code": "late"}],
    }
    assert by_index[2] == {"index": 2, "state": "refused", "problems": PROBLEM}
    assert by_index[1] == {"index": 1, "state": "pending"}
    BatchItem.objects.filter(batch=batch, state=BatchItem.State.PENDING).update(
        state=BatchItem.State.REFUSED, problems=PROBLEM
    )
    assert bakery.get(url(batch), {"limit": 0}).json()["progress"] == {
        "pending": 0,
        "filed": 2,
        "refused": 4,
        "processed": 6,
    }


def test_another_client_s_batch_is_not_found_and_the_read_scope_is_needed(
    bakery_client: ApiClient, garage: ApiCaller, make_batch: Any
) -> None:
    batch = make_batch(3, filed=(0,))
    for query in ({}, {"limit": 0}, {"after": 0, "limit": 1}):
        refused = garage.get(url(batch), query)
        assert refused.status_code == 404 and refused["Content-Type"] == "application/problem+json"
        assert "items" not in refused.json() and "progress" not in refused.json()
    writer = ApiCaller(api_token(bakery_client, ApiScope.REQUESTS_WRITE, ApiScope.NOTICES))
    denied = writer.get(url(batch), {"limit": 0})
    assert denied.status_code == 403 and denied.json()["type"] == "/api/v1/problems/insufficient-scope"
    assert ApiCaller(None).get(url(batch)).status_code == 401
    assert ApiCaller(api_token(bakery_client, ApiScope.REQUESTS_READ)).get(url(batch)).status_code == 200


def _poll_queries(caller: ApiCaller, batch: Batch, query: dict[str, Any]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert caller.get(url(batch), query).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_poll_makes_as_many_queries_for_1500_items_as_for_3_and_never_reads_their_bodies(
    bakery: ApiCaller, make_batch: Any
) -> None:
    small = make_batch(3, filed=(0,), refused=(1,))
    large = make_batch(1500, filed=(0, 150, 1499), refused=tuple(range(10, 400)))
    _poll_queries(bakery, small, {})  # the token's first reads
    for query in ({}, {"limit": 1000}, {"after": 1200}):
        assert len(_poll_queries(bakery, large, query)) == len(_poll_queries(bakery, small, query))
    progress_only = _poll_queries(bakery, large, {"limit": 0})
    with_items = _poll_queries(bakery, large, {})
    # The token, the batch, the counts (one GROUP BY state) and the call's audit row; a page of items is
    # one more query.
    assert len(progress_only) == 4
    assert len(with_items) == len(progress_only) + 1
    counts = [sql for sql in progress_only if 'FROM "interruptions_batchitem"' in sql]
    assert len(counts) == 1 and "GROUP BY" in counts[0]
    assert not [sql for sql in with_items if '"interruptions_batchitem"."payload"' in sql]
