"""1. The employer journey under load, against the baseline page at the same concurrency."""

from __future__ import annotations

import asyncio
import datetime
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench import loadgen, profiling
from bench.dataset import PoolEntry
from bench.report import Summary, fmt
from bench.stack import APP_URL, CpuMeter, Stack

REQUESTS_PER_JOURNEY = len(loadgen.JOURNEY_LABELS)


@dataclass(frozen=True)
class JourneyPlan:
    levels: tuple[int, ...]
    baseline_seconds: float
    journey_seconds: float
    warmup_seconds: float
    profile_level: int | None
    profile_seconds: int
    grace_seconds: float
    drain_seconds: float


def _baseline_unit() -> loadgen.VirtualUser:
    async def unit(browser: loadgen.Browser, recorder: loadgen.Recorder) -> bool:
        await browser.get("baseline", f"{APP_URL}/bench/baseline/")
        return True

    return unit


def _journey_unit(pool: Iterator[PoolEntry], today: datetime.date, tickets: list[str]) -> loadgen.VirtualUser:
    async def unit(browser: loadgen.Browser, recorder: loadgen.Recorder) -> bool:
        entry = next(pool, None)
        if entry is None:
            recorder.error("the pool of workers ran dry")
            return False
        person = loadgen.JourneyInput(
            manager_niss=entry.manager_niss,
            worker_niss=entry.worker_niss,
            child_niss=entry.child_niss,
            child_birth=entry.child_birth,
        )
        tickets.append(await loadgen.employer_journey(browser, APP_URL, person, today))
        return True

    return unit


def run(stack: Stack, pool: list[PoolEntry], plan: JourneyPlan, summary: Summary, say: Any) -> dict[str, Any]:
    entries = iter(pool)
    today = datetime.date.today()
    tickets: list[str] = []
    levels: list[dict[str, Any]] = []
    profile: dict[str, Any] | None = None
    for users in plan.levels:
        say(f"  baseline page, {users} concurrent users, {plan.baseline_seconds:.0f} s")
        base_rec, base_wall = asyncio.run(
            loadgen.run_level(
                users=users,
                duration=plan.baseline_seconds,
                warmup=min(2.0, plan.warmup_seconds),
                unit=_baseline_unit(),
                fresh_browser_per_unit=False,
            )
        )
        base = loadgen.summary(base_rec.samples["baseline"])
        base_rps = base_rec.requests / base_wall
        say(f"  journey, {users} concurrent users, {plan.journey_seconds:.0f} s")
        meter = CpuMeter(stack)
        spy = None
        if plan.profile_level == users:
            spy = profiling.start_py_spy(stack.app.pid, f"journey-{users}-users-app", plan.profile_seconds)
            worker_spy = profiling.start_py_spy(
                stack.workers[0].pid,
                f"journey-{users}-users-task-worker",
                plan.profile_seconds,
                subprocesses=False,
            )
        meter.start()
        rec, wall = asyncio.run(
            loadgen.run_level(
                users=users,
                duration=plan.journey_seconds,
                warmup=plan.warmup_seconds,
                unit=_journey_unit(entries, today, tickets),
                fresh_browser_per_unit=True,
                grace=plan.grace_seconds,
            )
        )
        cpu = meter.stop()
        if spy is not None:
            spy[0].wait(timeout=plan.profile_seconds + 60)
            worker_spy[0].wait(timeout=plan.profile_seconds + 60)
            profile = {
                "app": profiling.summarise(spy[1]),
                "task_worker": profiling.summarise(worker_spy[1]),
                "seconds": plan.profile_seconds,
                "users": users,
            }
        per_second = rec.completed / wall
        pages = {}
        slow_pages = []
        for label in loadgen.JOURNEY_LABELS:
            stats = loadgen.summary(rec.samples.get(label, []))
            ratio = stats["median_ms"] / base["median_ms"] if base["median_ms"] else float("nan")
            stats["median_ratio_to_baseline"] = round(ratio, 2)
            stats["served_by"] = "identity provider" if label in loadgen.IDP_LABELS else "app"
            pages[label] = stats
            if label not in loadgen.IDP_LABELS and not ratio <= 2:
                slow_pages.append(label)
        target_rate = 0.5 * base_rps / REQUESTS_PER_JOURNEY
        busy = sum(v for k, v in cpu.items() if k != "wall seconds" and v is not None)
        level = {
            "users": users,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "baseline": {**base, "requests_per_second": round(base_rps, 1), "errors": len(base_rec.errors)},
            "journey": {
                "submissions": rec.completed,
                "seconds": round(wall, 1),
                "submissions_per_second": round(per_second, 2),
                "http_requests_per_journey": REQUESTS_PER_JOURNEY,
                "target_submissions_per_second": round(target_rate, 2),
                "errors": len(rec.errors),
                "first_errors": rec.errors[:5],
                "pages": pages,
                "pages_over_2x_baseline_median": slow_pages,
                "cpu_seconds": cpu,
                "cpu_seconds_per_submission": round(busy / rec.completed, 3) if rec.completed else None,
            },
        }
        levels.append(level)
        say(
            f"    {per_second:.2f} submissions/s (target {target_rate:.2f}), baseline {base_rps:.0f} req/s "
            f"median {base['median_ms']:.1f} ms, errors {len(rec.errors) + len(base_rec.errors)}"
        )
        for error in rec.errors[:3]:
            say(f"    error: {error}")
        worst = max(
            (p for label, p in pages.items() if label not in loadgen.IDP_LABELS),
            key=lambda p: p["median_ms"] if p["count"] else -1,
        )
        summary.add(
            "journey",
            f"submissions/s at {users} users",
            # A window shorter than one journey at this load (the quick run at 32 users) measures nothing.
            fmt(per_second, 2) if rec.completed else f"– (none within {wall:.0f} s)",
            f"{fmt(base_rps, 0)} req/s",
            f"{per_second / target_rate:.2f}× target" if target_rate and rec.completed else "",
            f"≥ {fmt(target_rate, 2)}/s",
            (per_second >= target_rate and not rec.errors) if rec.completed else None,
        )
        summary.add(
            "journey",
            f"slowest page median at {users} users",
            f"{fmt(worst['median_ms'])} ms",
            f"{fmt(base['median_ms'])} ms",
            f"{worst['median_ratio_to_baseline']:.1f}×",
            "every page ≤ 2×",
            not slow_pages,
        )
        summary.add(
            "journey",
            f"errors at {users} users",
            str(len(rec.errors) + len(base_rec.errors)),
            "",
            "",
            "0",
            not rec.errors and not base_rec.errors,
        )
    drain = _drain_backlog(timeout=plan.drain_seconds, say=say)
    return {
        "levels": levels,
        "tickets_filed": len(tickets),
        "sample_tickets": tickets[:3],
        "background_after_journey": drain,
        "profile": profile,
        "notes": (
            "Each journey is a new browser: portal, start page, login at the identity provider (eID, PIN), "
            "steps 3 to 7 for a parental leave 1/5 of a worker of the manager's enterprise, and the ticket "
            "page. Three of its requests are served by the identity provider's own gunicorn. The task "
            "workers run during the load: every submission queues its PDF and its eBox message."
        ),
    }


def _drain_backlog(*, timeout: float, say: Any) -> dict[str, Any]:
    """Wait for the task workers to finish what the journey queued (PDFs, eBox deliveries)."""
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    close_old_connections()
    started = time.monotonic()
    pending = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).count()
    at_end = pending
    while at_end and time.monotonic() - started < timeout:
        time.sleep(0.5)
        at_end = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).count()
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    seconds = time.monotonic() - started
    say(f"  tasks left when the load stopped: {pending}, drained in {seconds:.0f} s ({at_end} left)")
    return {
        "tasks_pending_when_load_stopped": pending,
        "seconds_to_drain": round(seconds, 1),
        "still_pending": at_end,
        "failed_tasks": failed,
    }
