"""`make bench` / `make bench-quick`: start everything, run the four benchmarks, print the table.

    python -m bench.run            # the full run (about 20 minutes; the first run also generates
                                   # the 1,000,000-request dataset, which later runs reuse)
    python -m bench.run --quick    # under two minutes: shorter levels, the 10,000-request employer
    python -m bench.run --only journey,pdf
    python -m bench.run --quick --only api --api-batch 500   # the API's figures, a smaller batch

Each benchmark writes bench/results/<name>.json; the table goes to the terminal and to
bench/results/summary.md (committed: the latest results). docs/performance.md explains every figure.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

from bench import stack

BENCHMARKS = ("journey", "pdf", "consultation", "delivery", "office_queue", "api")


@dataclass(frozen=True)
class Mode:
    name: str
    levels: tuple[int, ...]
    baseline_seconds: float
    journey_seconds: float
    warmup_seconds: float
    grace_seconds: float
    drain_seconds: float
    profile: bool
    pdf_seconds: float
    consultation_sizes: tuple[int, ...]
    consultation_users: int
    consultation_seconds: float
    delivery_messages: int
    api_batch: int
    api_seconds: float


QUICK = Mode(
    name="quick",
    levels=(1, 8, 32),
    baseline_seconds=2,
    journey_seconds=5,
    warmup_seconds=1,
    grace_seconds=0,
    drain_seconds=5,
    profile=False,
    pdf_seconds=2.5,
    consultation_sizes=(10_000,),
    consultation_users=8,
    consultation_seconds=3,
    delivery_messages=250,
    api_batch=1_000,
    api_seconds=3,
)
FULL = Mode(
    name="full",
    levels=(1, 8, 32),
    baseline_seconds=15,
    journey_seconds=60,
    warmup_seconds=10,
    grace_seconds=60,
    drain_seconds=240,
    profile=True,
    pdf_seconds=15,
    consultation_sizes=(10_000, 100_000, 1_000_000),
    consultation_users=8,
    consultation_seconds=15,
    delivery_messages=3_000,
    api_batch=10_000,
    api_seconds=15,
)


def say(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the short run (under two minutes)")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS)
    )
    parser.add_argument(
        "--api-batch", type=int, default=None, help="items of the API's batch (10,000; quick: 1,000)"
    )
    parser.add_argument(
        "--delivery-messages", type=int, default=None, help="messages of the delivery (3,000; quick: 250)"
    )
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.delivery_messages is not None:
        mode = replace(mode, delivery_messages=args.delivery_messages)
    if args.api_batch is not None:
        mode = replace(mode, api_batch=args.api_batch)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    began = time.monotonic()

    say(f"careerbreak benchmarks ({mode.name}): {', '.join(chosen)}")
    say("- PostgreSQL and the benchmark database")
    stack.ensure_postgres()
    os.environ.update(stack.base_env())
    sys.path.insert(0, str(stack.ROOT / "src"))
    stack.prepare_database()

    import django

    django.setup()
    from bench import api, consultation, dataset, delivery, journey, office_queue, pdf
    from bench.report import Summary, write_json

    machine = stack.machine()
    say(f"- data (journey pool{', consultation dataset' if 'consultation' in chosen else ''})")
    pool = dataset.ensure_journey_pool()
    reset = dataset.reset_run_state()
    wants_requests = "consultation" in chosen or "office_queue" in chosen
    targets = dataset.ensure_consultation(mode.consultation_sizes, log=say) if wants_requests else []
    queue_target = dataset.ensure_office_queue(log=say) if "office_queue" in chosen else None
    secretariat_niss = dataset.secretariat_user_niss() if targets else ""
    summary = Summary()
    results: dict[str, Any] = {}
    with stack.running_stack() as running:
        say(
            f"- running: app {stack.APP_URL} (deploy/gunicorn.conf.py: {stack.APP_WORKERS} workers × "
            f"{stack.APP_THREADS} threads), identity provider "
            f"{stack.IDP_URL}, fake eBox {stack.EBOX_URL}, {stack.TASK_WORKERS} task workers"
        )
        if "journey" in chosen:
            say("1. employer journey")
            plan = journey.JourneyPlan(
                levels=mode.levels,
                baseline_seconds=mode.baseline_seconds,
                journey_seconds=mode.journey_seconds,
                warmup_seconds=mode.warmup_seconds,
                profile_level=max(mode.levels) if mode.profile else None,
                profile_seconds=30,
                grace_seconds=mode.grace_seconds,
                drain_seconds=mode.drain_seconds,
            )
            results["journey"] = journey.run(running, pool, plan, summary, say)
            write_json("journey", {"mode": mode.name, "machine": machine, **results["journey"]})
        versions: list[int] = []
        if "pdf" in chosen or "delivery" in chosen:
            versions = dataset.sample_versions(pool)
        if "pdf" in chosen:
            say("2. PDF of the employer part")
            results["pdf"] = pdf.run(versions, mode.pdf_seconds, summary, say)
            if mode.profile:
                results["pdf"]["profile"] = pdf.profile(versions, 8)
            write_json("pdf", {"mode": mode.name, "machine": machine, **results["pdf"]})
        if "consultation" in chosen:
            say("3. consultation at scale")
            results["consultation"] = consultation.run(
                running,
                targets,
                secretariat_niss,
                users=mode.consultation_users,
                seconds=mode.consultation_seconds,
                summary=summary,
                say=say,
                profile=mode.profile,
            )
            write_json("consultation", {"mode": mode.name, "machine": machine, **results["consultation"]})
        if "delivery" in chosen:
            say("4. delivery through the outbox")
            keys = dataset.attachment_keys(versions[:5])
            recipients = [entry.worker_niss for entry in pool[:500]]
            results["delivery"] = {}
            for nodelay in (False, True):
                say(f"  fake eBox {'with TCP_NODELAY' if nodelay else 'as committed'}")
                results["delivery"]["nodelay" if nodelay else "as_committed"] = delivery.run(
                    running,
                    nodelay=nodelay,
                    count=mode.delivery_messages,
                    attachment_keys=keys,
                    recipients=recipients,
                    summary=summary,
                    say=say,
                )
            if mode.profile:
                results["delivery"]["profile_with_nodelay"] = delivery.profile(
                    running, count=2000, attachment_keys=keys, recipients=recipients, seconds=10
                )
            write_json("delivery", {"mode": mode.name, "machine": machine, **results["delivery"]})
        if queue_target is not None:
            say("5. the office's work queue")
            results["office_queue"] = office_queue.run(
                running,
                queue_target,
                users=mode.consultation_users,
                seconds=mode.consultation_seconds,
                summary=summary,
                say=say,
            )
            write_json("office_queue", {"mode": mode.name, "machine": machine, **results["office_queue"]})
        if "api" in chosen:
            say("6. the API: validate, a batch, one filing")
            results["api"] = api.run(
                running,
                pool,
                batch_size=mode.api_batch,
                seconds=mode.api_seconds,
                summary=summary,
                say=say,
            )
            write_json("api", {"mode": mode.name, "machine": machine, **results["api"]})
    elapsed = time.monotonic() - began
    write_json(
        "run",
        {
            "mode": mode.name,
            "benchmarks": chosen,
            "machine": machine,
            "reset": reset,
            "seconds": round(elapsed),
        },
    )
    table = summary.table()
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    header = (
        f"# Latest benchmark results ({mode.name} run, {stamp})\n\n"
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
        f"load average at start {machine['load_average_at_start']}; Python {machine['python']}, "
        f"PostgreSQL {machine['postgresql']}. Ran in {elapsed:.0f} s. "
        "See docs/performance.md for what each figure means.\n\n"
    )
    (stack.RESULTS / f"summary-{mode.name}.md").write_text(header + table + "\n")
    say("")
    say(table)
    say(f"\n{len(chosen)} benchmark(s) in {elapsed:.0f} s; JSON in {stack.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
