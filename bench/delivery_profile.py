"""Where one delivery's time goes, in one process: `python -m bench.delivery_profile [N] [--cprofile FILE]`.

N messages (300 by default) are written to the outbox of the benchmark database (as `bench.delivery`
writes them: four languages, the employer-part PDF of a real request), then a django-tasks-db worker
runs their tasks in this process, in batch mode, against the fake eBox with TCP_NODELAY
(`bench/fake_ebox_nodelay.py`, its own process on BENCH_EBOX_PORT).
It prints the CPU time per message, the queries, commits and task rows per message, and with
``--cprofile`` writes the profile (pstats) for `python -m pstats` or snakeviz. Needs the benchmark
database prepared by a `python -m bench.run --quick --only delivery` first. Independent of the
mailbox's code, so that the same script measures before and after a change.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=300)
    parser.add_argument("--cprofile", default="", help="write the cProfile stats to this file")
    args = parser.parse_args(argv)

    from bench import stack

    os.environ.update(stack.base_env())
    sys.path.insert(0, str(stack.ROOT / "src"))
    ebox = stack.fake_ebox(nodelay=True).start()
    ebox.wait_ready()
    try:
        return _profile(args.count, args.cprofile)
    finally:
        ebox.stop()


def _profile(count_: int, cprofile_path: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from bench import dataset, delivery
    from bench.profiling import statements_counted
    from careerbreak.mailbox.models import OutboxMessage, OutboxStatus

    pool = dataset.ensure_journey_pool()
    keys = dataset.attachment_keys(dataset.sample_versions(pool)[:5])
    recipients = [entry.worker_niss for entry in pool[:500]]
    delivery._drop_backlog()
    prefix = f"PROFILE-{os.getpid()}-{int(time.time())}"
    tasks_before = DBTaskResult.objects.count()
    delivery._enqueue(count_, keys, recipients, prefix)
    tasks = DBTaskResult.objects.count() - tasks_before

    profiler = cProfile.Profile() if cprofile_path else None
    cpu = time.process_time()
    wall = time.perf_counter()
    with statements_counted() as counts:
        if profiler:
            profiler.enable()
        # The worker as deployed (run_worker wraps db_worker), in batch mode: it ends once the queue is empty.
        call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
        if profiler:
            profiler.disable()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    delivered = OutboxMessage.objects.filter(
        reference__startswith=prefix, status=OutboxStatus.DELIVERED
    ).count()
    per = max(delivered, 1)
    print(f"{delivered} of {count_} delivered by {tasks} task(s) in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(
        f"  per message: {1000 * cpu / per:.2f} ms CPU (this process: the worker; the fake eBox is another)"
    )
    print(f"  queries per message: {sum(counts.kinds.values()) / per:.2f} ({dict(counts.kinds)})")
    print(f"  commits per message: {counts.commits / per:.2f}")
    if profiler:
        profiler.dump_stats(cprofile_path)
        print(f"  profile: {cprofile_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
