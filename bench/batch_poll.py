"""What a poll of ``GET /batches/{id}`` costs, in one process: `python -m bench.batch_poll [N] [--calls K]`.

A batch of N items (10,000 by default) is created for the API benchmark's client on the benchmark
database (``bench.api.body``: the bodies ``POST /batches`` gets in the benchmark), then its items are
given states as in the middle of a filing: the first half filed (each pointing to a request of the
database), one in twenty of the rest refused with a problem, the others pending. Then K calls
(``django.test.Client``: the middleware, the token, the audit row, the JSON) of each form of the poll:
the plain ``GET /batches/{id}`` (the benchmark's poll before ADR 0033), ``?limit=0`` (its poll after)
and reading every item a page at a time (``?limit=1000``, following ``links.next``: once at the end).
For each: the CPU per call of this process (``time.process_time``), of its PostgreSQL backend (from
``/proc``), the queries and the bytes of the answer. The batch is deleted at the end. Independent of
the batch endpoint's code (an endpoint that ignores the query answers every item each time), so the same
script measures ``main`` and a change. Needs the benchmark database prepared by
`python -m bench.run --quick --only api` first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--calls", type=int, default=20, help="calls of each form of the poll")
    args = parser.parse_args(argv)

    from bench import stack

    os.environ.update(stack.base_env())
    sys.path.insert(0, str(stack.ROOT / "src"))
    import django

    django.setup()
    return _measure(args.count, args.calls)


def _measure(count: int, calls: int) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from bench import api, dataset
    from bench.batch_profile import _backend_cpu
    from careerbreak.identity.api_tokens import issue_access_token
    from careerbreak.identity.models import ApiClient
    from careerbreak.interruptions import batches
    from careerbreak.interruptions.models import BatchItem, LeaveRequest

    pool = dataset.ensure_journey_pool()
    api.ensure_client(pool)
    client = ApiClient.objects.select_related("enterprise").get(client_id=api.CLIENT_ID)
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    batch = batches.batch_create(
        client=client,
        items=[api.body(pool, index) for index in range(count)],
        ip_address="127.0.0.1",
        language="fr",
    )
    DBTaskResult.objects.exclude(pk__in=tasks_before).delete()  # nothing files this batch
    half = count // 2
    requests = list(LeaveRequest.objects.order_by("-pk").values_list("pk", flat=True)[:half])
    items = {item.index: item for item in BatchItem.objects.filter(batch=batch).only("pk", "index")}
    for index, request_id in enumerate(requests):
        items[index].state = BatchItem.State.FILED
        items[index].request_id = request_id
        items[index].warnings = []
    problem = [{"code": "parental.child_too_old", "field": "leave.child_birth_date", "message": "x" * 80}]
    for index in range(half, count, 20):
        items[index].state = BatchItem.State.REFUSED
        items[index].problems = problem
    BatchItem.objects.bulk_update(list(items.values()), ["state", "request", "warnings", "problems"], 1000)

    token, _row = issue_access_token(client=client, scopes=client.scopes)
    http = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/batches/{batch.pk}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()

    def measure(name: str, once: Any) -> None:
        once()  # the first call's reads (the token's, the plans) are not counted
        cpu, server, queries, size = time.process_time(), _backend_cpu(backend), 0, 0
        for _call in range(calls):
            with CaptureQueriesContext(connection) as captured:
                size = once()
            queries = len(captured.captured_queries)
        cpu = (time.process_time() - cpu) / calls
        server = (_backend_cpu(backend) - server) / calls
        print(
            f"{name:<42} {1000 * cpu:8.1f} ms CPU  {1000 * server:7.1f} ms PostgreSQL  "
            f"{queries:3d} queries  {size / 1024:8.1f} kB"
        )

    def get(path: str, data: dict[str, Any] | None = None) -> Any:
        answer = http.get(path, data or {})
        assert answer.status_code == 200, answer.content[:300]
        return answer

    def every_page() -> int:
        size, path, data = 0, url, {"limit": 1000}
        while True:
            answer = get(path, data)
            size += len(answer.content)
            body = answer.json()
            if not body["links"].get("next"):
                return size
            path, data = body["links"]["next"], None

    print(f"batch of {count:,} items: {len(requests):,} filed, {len(range(half, count, 20)):,} refused")
    try:
        measure("GET /batches/{id}", lambda: len(get(url).content))
        measure("GET /batches/{id}?limit=0", lambda: len(get(url, {"limit": 0}).content))
        measure("every item, ?limit=1000 and links.next", every_page)
    finally:
        batch.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
