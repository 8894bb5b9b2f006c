"""Where a batch item's time goes, in one process: `python -m bench.batch_profile [N] [--cprofile FILE]`.

A batch of N items (200 by default) is created for the API benchmark's client on the benchmark
database, exactly as ``POST /batches`` creates it (``bench.api.body``: item i is the journey pool's
worker i's parental leave), then the batch task's body (``batches.batch_process``) files it in this
process, as one task run would. It prints the CPU time per item (``time.process_time``), the queries
(by kind), commits and task rows (PDFs and deliveries enqueued after commit) per item, and with
``--cprofile`` writes the profile (pstats). The requests filed earlier are forgotten first
(``dataset.reset_run_state``). Needs the benchmark database prepared by
`python -m bench.run --quick --only api` first. Independent of the batch's code, so that the same
script measures before and after a change.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import time
from collections import Counter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=200)
    parser.add_argument("--cprofile", default="", help="write the cProfile stats to this file")
    parser.add_argument("--sql", action="store_true", help="print every statement (shortened)")
    args = parser.parse_args(argv)

    from bench import stack

    os.environ.update(stack.base_env())
    sys.path.insert(0, str(stack.ROOT / "src"))
    return _profile(args.count, args.cprofile, show_sql=args.sql)


def _profile(count_: int, cprofile_path: str, *, show_sql: bool = False) -> int:
    import django

    django.setup()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bench import api, dataset
    from bench.profiling import statements_counted
    from careerbreak.identity.models import ApiClient
    from careerbreak.interruptions import batches
    from careerbreak.interruptions.models import BatchItem

    pool = dataset.ensure_journey_pool()
    dataset.reset_run_state()
    api.ensure_client(pool)
    client = ApiClient.objects.select_related("enterprise").get(client_id=api.CLIENT_ID)
    batch = batches.batch_create(
        client=client,
        items=[api.body(pool, index) for index in range(count_)],
        ip_address="127.0.0.1",
        language="fr",
    )
    DBTaskResult.objects.all().delete()  # the batch's own runs: this process is the run

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    backend_cpu = _backend_cpu(backend)
    profiler = cProfile.Profile(time.process_time) if cprofile_path else None  # CPU, not wall
    cpu = time.process_time()
    wall = time.perf_counter()
    with statements_counted(show_sql=show_sql) as counts:
        if profiler:
            profiler.enable()
        handled = batches.batch_process(batch_id=str(batch.pk))
        if profiler:
            profiler.disable()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    backend_cpu = _backend_cpu(backend) - backend_cpu
    states = Counter(BatchItem.objects.filter(batch=batch).values_list("state", flat=True))
    tasks = DBTaskResult.objects.count()
    per = max(handled, 1)
    print(f"{handled} items handled ({dict(states)}) in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"  per item: {1000 * cpu / per:.2f} ms CPU (this process), {1000 * wall / per:.2f} ms wall")
    print(f"  PostgreSQL backend of this process: {1000 * backend_cpu / per:.2f} ms CPU per item")
    print(f"  queries per item: {sum(counts.kinds.values()) / per:.2f} ({dict(counts.kinds)})")
    print(f"  commits per item: {counts.commits / per:.2f}; task rows per item: {tasks / per:.2f}")
    problems = list(
        BatchItem.objects.filter(batch=batch, state=BatchItem.State.REFUSED).values_list(
            "problems", flat=True
        )[:2]
    )
    if problems:
        print(f"  first problems: {problems}")
    if profiler:
        profiler.dump_stats(cprofile_path)
        print(f"  profile: {cprofile_path}")
    return 0


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a local process, from /proc (the PostgreSQL backend of this
    process's connection: the server's own work for these queries, whatever else runs on the machine)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
