"""An API validation and the baseline page in process: CPU per call of this process (the application's
Python, through Django's full WSGI handler and the production middleware) and of its PostgreSQL backend,
on the benchmark's database.

    BENCH_DB=cb_bench_x .venv/bin/python -m bench.api_cpu [--calls 100] [--rounds 5] [--profile FILE] [--sql]

``POST /api/v1/requests/validate`` is sent through Django's test client with the API benchmark's bearer
token (``bench.api``: the secretariat acting under an employer's mandate, each call a different worker
of the journey pool, as ``bench.api``'s clients send them), ``--calls`` times per round, beside the
baseline page (``bench.views``) as many times; each one's best round of ``--rounds`` is kept (the
machine is shared: the best round is the least disturbed). PostgreSQL's CPU is read from /proc for the
connection's backend (``bench.queue_cpu``). With ``--profile``, a cProfile (CPU clock) of as many
validations is written to FILE (pstats) and its top printed; with ``--sql``, one validation's
statements. Independent of the API's code, so that the same script measures ``main`` and a change.
Not a load test: docs/performance.md §6.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import time
from typing import Any

from bench.queue_cpu import _backend_cpu, best_cpu, django_in_process, print_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="", help="write a cProfile of the validations to this file")
    parser.add_argument("--sql", action="store_true", help="print one validation's statements")
    args = parser.parse_args(argv)

    django_in_process()
    from django.db import connection
    from django.test import Client

    from bench import api, dataset
    from bench.profiling import statements_counted
    from careerbreak.identity.api_tokens import issue_access_token
    from careerbreak.identity.models import ApiClient, ApiScope

    pool = dataset.ensure_journey_pool()
    dataset.reset_run_state()  # the requests an earlier run filed for these workers are forgotten
    api.ensure_client(pool)
    client_row = ApiClient.objects.get(client_id=api.CLIENT_ID)
    token, _row = issue_access_token(client=client_row, scopes=ApiScope.values)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    bodies = [json.dumps(api.body(pool, index)) for index in range(len(pool))]
    counter = iter(range(10**9))

    def validate() -> None:
        body = bodies[next(counter) % len(bodies)]
        response = client.post("/api/v1/requests/validate", body, content_type="application/json")
        assert response.status_code == 200, (response.status_code, response.content[:300])

    def baseline() -> None:
        response = client.get("/bench/baseline/")
        assert response.status_code == 200, response.status_code

    calls = {"baseline": baseline, "validate": validate}
    for call in calls.values():
        for _ in range(5):
            call()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    if args.sql:
        with statements_counted() as counts:
            validate()
        print(f"statements {sum(counts.kinds.values())} {dict(counts.kinds)}, commits {counts.commits}")
        # Each statement's PostgreSQL CPU, summed over --calls validations.
        spent: dict[str, float] = {}

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            before = _backend_cpu(backend)
            try:
                return execute(sql, params, many, context)
            finally:
                label = " ".join(sql.split())[:110]
                spent[label] = spent.get(label, 0.0) + _backend_cpu(backend) - before

        with connection.execute_wrapper(timed):
            for _ in range(args.calls):
                validate()
        for label, seconds in spent.items():
            print(f"  {1000 * seconds / args.calls:6.2f} ms  {label}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.calls):
            validate()
        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(50)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(30)
        return 0

    results = best_cpu(calls, rounds=args.rounds, count=args.calls, backend=backend)
    print(f"load {os.getloadavg()[0]:.1f}; best of {args.rounds} rounds of {args.calls} calls")
    print_cpu(results, heading="call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
