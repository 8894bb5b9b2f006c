"""The work queue's pages and the baseline page in process: CPU per request of this process (the
application's Python) and of its PostgreSQL backend (planning and execution), on the benchmark's database.

    BENCH_DB=cb_bench_x .venv/bin/python -m bench.queue_cpu [--requests 40] [--rounds 5] [--profile PAGE]

Each page is requested through Django's test client as the benchmark's agent (logged in at level 500),
``--requests`` times per round, every page in each round; each page's best round of ``--rounds`` is kept
(the machine is shared: the best round is the least disturbed). PostgreSQL's CPU is read from /proc for
the connection's backend (``pg_backend_pid()``: the database runs on this machine). Not a load test:
docs/performance.md §5.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from bench import stack

PAGES = ("baseline", "first page", "deep page", "filtered by type", "search by ticket")


def _backend_cpu(pid: int) -> float:
    """The backend's CPU time in seconds (/proc/<pid>/schedstat: nanoseconds on a CPU)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def django_in_process() -> None:
    """Django set up in this process on the benchmark's database, with the benchmark's URLs (the baseline
    page's too)."""
    os.environ.update(stack.base_env())
    os.environ["CAREERBREAK_URLCONF"] = "bench.urls"
    sys.path.insert(0, str(stack.ROOT / "src"))
    import django

    django.setup()


def best_cpu(
    calls: Mapping[str, Callable[[], object]], *, rounds: int, count: int, backend: int
) -> dict[str, tuple[float, float]]:
    """Each call's CPU per call in ms, (this process, PostgreSQL's ``backend``): every call ``count`` times
    in each of ``rounds`` rounds, each one's best round kept (the machine is shared: the least disturbed)."""
    best = dict.fromkeys(calls, (float("inf"), float("inf")))
    for _ in range(rounds):
        for label, call in calls.items():
            python_0, pg_0 = time.process_time(), _backend_cpu(backend)
            for _ in range(count):
                call()
            python, pg = time.process_time() - python_0, _backend_cpu(backend) - pg_0
            if python + pg < sum(best[label]):
                best[label] = (python, pg)
    return {label: (1000 * python / count, 1000 * pg / count) for label, (python, pg) in best.items()}


def print_cpu(results: dict[str, tuple[float, float]], *, heading: str) -> None:
    """The table of ``best_cpu``'s results, each against the ``baseline`` call's."""
    base = sum(results["baseline"])
    width = max(len(heading), *(len(label) for label in results)) + 1
    print(f"{heading:<{width}} {'python ms':>9} {'postgres ms':>11} {'total ms':>9} {'÷ baseline':>10}")
    for label, (python, pg) in results.items():
        print(f"{label:<{width}} {python:9.2f} {pg:11.2f} {python + pg:9.2f} {(python + pg) / base:9.2f}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="", help="cProfile one page (its label) and print the top")
    args = parser.parse_args(argv)

    django_in_process()
    from django.db import connection
    from django.test import Client

    from bench.dataset import ensure_office_queue
    from careerbreak.identity.models import User

    target = ensure_office_queue(log=lambda *_: None)
    user, _created = User.objects.get_or_create(niss=target.agent_niss)
    client = Client()
    client.force_login(user)
    session = client.session
    session["assurance_level"] = 500
    session.save()

    def search(data: dict[str, str]) -> str:
        response = client.post("/office/", data)
        assert response.status_code == 302, response.status_code
        return str(response["Location"])

    urls = {
        "baseline": "/bench/baseline/",
        "first page": "/office/",
        "deep page": f"/office/?after={target.deep_cursor}",
        "filtered by type": search({"leave_type": "PARENTAL"}),
        "search by ticket": search({"q": target.sample_ticket}),
    }
    for url in urls.values():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests * args.rounds):
            client.get(urls[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        return 0

    # Each round measures every page in turn, so that a change in the machine's load between rounds
    # touches the baseline and the pages alike; each page's best round is kept.
    calls = {label: (lambda url=url: client.get(url)) for label, url in urls.items()}
    results = best_cpu(calls, rounds=args.rounds, count=args.requests, backend=backend)
    print(f"{target.rows_in_table:,} requests in the table; load {os.getloadavg()[0]:.1f}")
    print_cpu(results, heading="page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
