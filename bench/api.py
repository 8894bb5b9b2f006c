"""6. The API for payroll providers (issue 14): validate, a batch filed by the task workers, one filing.

- ``POST /requests/validate``: requests per second with 1 and 8 clients sending without pause (each a
  different worker of the journey pool), target at least 500/s with 8 (the machine's capacity; one
  client's rate is bound by each answer's latency, reported without target); beside it, the baseline
  page's own requests per second with as many clients in the same run (what the stack serves for a
  page that does nothing: the ceiling of any call on this machine). Both are loaded by the light generator
  (bench/rawload.py: keep-alive connections, requests encoded before the clock runs; its own CPU per
  request reported), on which the target is checked, then, as before, by the asyncio + httpx clients
  (``httpx`` in the JSON, a row of its own in the summary), whose own CPU is a large part of the two
  cores (docs/adr/0035-rawload-light-load-generator.md);
- a batch of N requests (10,000 in the full run; ``--api-batch`` for another size) sent with
  ``POST /batches`` and followed until it is done (its progress alone, ``limit=0``, every half second;
  the items read once at the end, a page at a time): items filed per second and the CPU per item (the
  task workers, PostgreSQL and the rest of the stack, measured like the journey's), target at least
  100/s;
- a single ``POST /requests`` (one client, one request at a time): p50 and p95 against the baseline page
  measured in the same run with one user.

The client is a social secretariat of the benchmark ("Banc d'Essai API") holding the mandate of the 50
journey employers (4,000 workers, each with a child under 12): item i is the parental leave 1/5 of
worker i mod 4,000, in the (i div 4,000)-th block of 5 months from the first month three months ahead;
the single filings take the fourth block, so that nothing overlaps (4 blocks of 1/5 are the child's 4
months full-time). The journey's requests are forgotten first (``dataset.reset_run_state``).
"""

from __future__ import annotations

import asyncio
import datetime
import time
import uuid
from typing import Any

import httpx
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bench import loadgen, rawload
from bench.consultation import _baseline
from bench.dataset import PoolEntry, _employer, reset_run_state, secretariat_member_niss
from bench.report import Summary, fmt
from bench.stack import APP_URL, CpuMeter, Stack

API = f"{APP_URL}/api/v1"
CLIENT_ID = "bench-api"
SECRET = "bench-api-secret"  # a benchmark database's own client
SECRETARIAT_SERIAL = 950
MANAGER_NISS_SEED = 4343
BLOCKS = 4


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1, day=1)


def ensure_client(pool: list[PoolEntry]) -> None:
    """The benchmark's secretariat, its manager, its mandates for the journey employers, its client."""
    from careerbreak.identity.models import AccessGrant, ApiClient, ApiScope, Mandate, Role, User
    from careerbreak.registries.models import Enterprise

    secretariat = _employer(SECRETARIAT_SERIAL, "Banc d'Essai API ASBL", headcount=20, secretariat=True)
    # The secretariat's manager is a person of their own: a journey manager given this grant too (as
    # earlier runs did) would have two enterprises, hence the choice page, and the journey expects none.
    journey_managers = {entry.manager_niss for entry in pool}
    AccessGrant.objects.filter(enterprise=secretariat, niss__in=journey_managers).delete()
    manager_niss = secretariat_member_niss(
        secretariat, role=Role.MAIN_ACCESS_MANAGER, seed=MANAGER_NISS_SEED, last_name="API"
    )
    employers = Enterprise.objects.filter(number__in={entry.enterprise_number for entry in pool})
    mandated = set(Mandate.objects.filter(secretariat=secretariat).values_list("employer_id", flat=True))
    Mandate.objects.bulk_create(
        [
            Mandate(secretariat=secretariat, employer=employer, valid_from=datetime.date(2020, 1, 1))
            for employer in employers
            if employer.pk not in mandated
        ]
    )
    user, _created = User.objects.get_or_create(niss=manager_niss)
    ApiClient.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "Benchmark payroll",
            "enterprise": secretariat,
            "auth_method": ApiClient.AuthMethod.CLIENT_SECRET_BASIC,
            "secret_hash": make_password(SECRET),
            "scopes": sorted(ApiScope.values),
            "registered_by": user,
            "revoked_at": None,
        },
    )


def body(pool: list[PoolEntry], index: int, block: int | None = None) -> dict[str, Any]:
    """The ``index``-th parental leave 1/5 (see the module's docstring)."""
    entry = pool[index % len(pool)]
    block = index // len(pool) if block is None else block
    today = timezone.localdate()
    start = _add_months(today, 3 + 5 * block)
    end = _add_months(start, 5) - datetime.timedelta(days=1)
    return {
        "enterprise": entry.enterprise_number,
        "worker": {"niss": entry.worker_niss},
        "type": "PARENTAL",
        "leave": {
            "notice_date": today.isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "form": "1/5",
            "weekly_hours": 38,
            "reference_hours": 38,
            "days_per_week": 5,
            "hours_during_leave": "30.4",
            "regime_12_months": "full_time",
            "months_of_contract_last_15": 15,
            "child_birth_date": entry.child_birth.isoformat(),
            "child_niss": entry.child_niss,
            "child_disabled": False,
            "employer_agreement": True,
        },
        "certified": True,
    }


def _token() -> str:
    answer = httpx.post(
        f"{API}/oauth/token", auth=(CLIENT_ID, SECRET), data={"grant_type": "client_credentials"}, timeout=30
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def _validate(
    pool: list[PoolEntry], token: str, users: int, seconds: float
) -> tuple[loadgen.Recorder, float]:
    recorder = loadgen.Recorder()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    loop = asyncio.get_running_loop()

    async def user(number: int) -> None:
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:
            await client.post(f"{API}/requests/validate", json=body(pool, number))  # warm up
            index = number
            deadline = loop.time() + seconds
            while loop.time() < deadline:
                started = time.perf_counter()
                answer = await client.post(f"{API}/requests/validate", json=body(pool, index % len(pool)))
                recorder.add("validate", time.perf_counter() - started)
                if answer.status_code != 200:
                    recorder.error(f"validate: HTTP {answer.status_code} {answer.text[:300]}")
                index += users

    started = loop.time()
    await asyncio.gather(*(user(n) for n in range(users)))
    return recorder, loop.time() - started


def _batch(stack: Stack, pool: list[PoolEntry], token: str, size: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{uuid.uuid4()}"}
    items = [body(pool, index) for index in range(size)]
    meter = CpuMeter(stack)
    meter.start()
    began = time.monotonic()
    with httpx.Client(timeout=120) as client:
        answer = client.post(f"{API}/batches", json={"items": items}, headers=headers)
        accepted = time.monotonic() - began
        if answer.status_code != 202:
            raise RuntimeError(f"the batch was refused: {answer.status_code} {answer.text[:500]}")
        location = f"{APP_URL}{answer.headers['Location']}"
        auth = {"Authorization": headers["Authorization"]}
        while True:  # the progress alone (ADR 0033)
            status = client.get(location, params={"limit": 0}, headers=auth).json()
            if status["state"] == "done":
                break
            time.sleep(0.5)
        seconds = time.monotonic() - began
        cpu = meter.stop()
        problems = []  # every item once, a page at a time, after the measure (as a client does)
        page = client.get(location, params={"limit": 1000}, headers=auth).json()
        while True:
            problems += [item["problems"] for item in page["items"] if item.get("problems")]
            if not page["links"].get("next"):
                break
            page = client.get(f"{APP_URL}{page['links']['next']}", headers=auth).json()
    busy = sum(value for name, value in cpu.items() if name != "wall seconds" and value is not None)
    return {
        "items": size,
        "accepted_in_seconds": round(accepted, 2),
        "seconds": round(seconds, 2),
        "items_per_second": round(size / seconds, 1),
        "progress": status["progress"],
        "first_problems": problems[:3],
        "cpu_seconds": cpu,
        "cpu_ms_per_item": round(busy * 1000 / size, 1),
        "task_worker_cpu_ms_per_item": round((cpu["task workers"] or 0) * 1000 / size, 1),
    }


def _raw_levels(pool: list[PoolEntry], token: str, users: int, seconds: float) -> dict[str, rawload.Level]:
    """The baseline page, then validate, with ``users`` connections of the light generator."""
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    validate = [
        rawload.encode("POST", APP_URL, "/api/v1/requests/validate", headers=headers, json_body=body(pool, i))
        for i in range(len(pool))
    ]
    baseline = [rawload.encode("GET", APP_URL, "/bench/baseline/", headers={"Accept-Language": "fr"})]
    base = asyncio.run(
        rawload.run_level(APP_URL, baseline, connections=users, seconds=seconds, label="baseline")
    )
    level = asyncio.run(
        rawload.run_level(APP_URL, validate, connections=users, seconds=seconds, label="validate")
    )
    return {"baseline": base, "validate": level}


async def _single(pool: list[PoolEntry], token: str, seconds: float) -> loadgen.Recorder:
    recorder = loadgen.Recorder()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        for index in range(len(pool)):
            if loop.time() >= deadline:
                break
            item = body(pool, index, block=BLOCKS - 1)
            started = time.perf_counter()
            answer = await client.post(
                f"{API}/requests", json=item, headers={"Idempotency-Key": uuid.uuid4().hex}
            )
            recorder.add("POST /requests", time.perf_counter() - started)
            if answer.status_code != 201:
                recorder.error(f"POST /requests: HTTP {answer.status_code} {answer.text[:300]}")
    return recorder


def run(
    stack: Stack, pool: list[PoolEntry], *, batch_size: int, seconds: float, summary: Summary, say: Any
) -> dict[str, Any]:
    reset = reset_run_state()
    ensure_client(pool)
    token = _token()
    result: dict[str, Any] = {"reset": reset, "validate": {}}
    for users in (1, 8):
        raw = _raw_levels(pool, token, users, seconds)
        raw_base, raw_validate = raw["baseline"], raw["validate"]
        rate, base_rate = raw_validate.per_second, raw_base.per_second
        stats = raw_validate.summary()
        # As before ADR 0035: the asyncio + httpx clients, their CPU taken around the whole level.
        base_rate_httpx = asyncio.run(_baseline(users, seconds)).requests / seconds
        cpu_before = time.process_time()
        recorder, wall = asyncio.run(_validate(pool, token, users, seconds))
        httpx_cpu = time.process_time() - cpu_before
        httpx_rate = recorder.requests / wall
        httpx_stats = loadgen.summary(recorder.samples["validate"])
        result["validate"][users] = {
            "generator": "rawload",
            **stats,
            "baseline_per_second": round(base_rate, 1),
            "baseline_generator_cpu_ms_per_request": round(raw_base.cpu_ms_per_request, 3),
            "httpx": {
                "per_second": round(httpx_rate, 1),
                **httpx_stats,
                "errors": len(recorder.errors),
                "first_errors": recorder.errors[:3],
                "baseline_per_second": round(base_rate_httpx, 1),
                "generator_cpu_seconds": round(httpx_cpu, 3),
                "generator_cpu_ms_per_request": round(httpx_cpu * 1000 / max(recorder.requests, 1), 3),
            },
        }
        errors = len(raw_validate.recorder.errors) + len(raw_base.recorder.errors)
        say(
            f"  validate, {users} client(s), rawload: {rate:.0f}/s (baseline page {base_rate:.0f}/s), "
            f"p50 {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms, errors {errors}, "
            f"generator CPU {raw_validate.cpu_ms_per_request:.2f} ms/request; httpx: {httpx_rate:.0f}/s "
            f"(baseline page {base_rate_httpx:.0f}/s), p50 {httpx_stats['median_ms']:.1f} ms, "
            f"errors {len(recorder.errors)}, generator CPU "
            f"{result['validate'][users]['httpx']['generator_cpu_ms_per_request']:.2f} ms/request"
        )
        summary.add(
            "api",
            f"POST /requests/validate, {users} client(s) "
            f"(rawload, its CPU {fmt(raw_validate.cpu_ms_per_request, 2)} ms/req)",
            f"{fmt(rate, 0)}/s",
            f"{fmt(base_rate, 0)}/s",
            f"{rate / base_rate:.2f}×" if base_rate else "",
            # The target is the machine's capacity, measured where the clients keep both cores busy
            # (8); one client waits for each answer before it sends the next, a latency-bound rate (the
            # baseline page itself, which does nothing, serves about 500/s there): reported, no target.
            target="≥ 500/s" if users > 1 else "",
            met=(rate >= 500 and not errors) if users > 1 else (None if not errors else False),
        )
        summary.add(
            "api",
            f"POST /requests/validate, {users} client(s) (httpx generator, as before ADR 0035)",
            f"{fmt(httpx_rate, 0)}/s",
            f"{fmt(base_rate_httpx, 0)}/s",
            f"{httpx_rate / base_rate_httpx:.2f}×" if base_rate_httpx else "",
            met=None if not recorder.errors else False,
        )
    batch = _batch(stack, pool, token, batch_size)
    result["batch"] = batch
    say(
        f"  batch of {batch_size:,}: {batch['items_per_second']}/s, "
        f"{batch['cpu_ms_per_item']} ms CPU per item, progress {batch['progress']}"
    )
    summary.add(
        "api",
        f"batch of {batch_size:,} filed (CPU {fmt(batch['cpu_ms_per_item'])} ms/item)",
        f"{fmt(batch['items_per_second'])}/s",
        target="≥ 100/s",
        met=batch["items_per_second"] >= 100 and batch["progress"]["refused"] == 0,
    )
    base = asyncio.run(_baseline(1, seconds))
    base_stats = loadgen.summary(base.samples["baseline"])
    single = asyncio.run(_single(pool, token, seconds))
    stats = loadgen.summary(single.samples["POST /requests"])
    result["single"] = {**stats, "errors": len(single.errors), "first_errors": single.errors[:3]}
    result["baseline"] = base_stats
    say(
        f"  POST /requests: p50 {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms; baseline p50 "
        f"{base_stats['median_ms']:.1f} ms, p95 {base_stats['p95_ms']:.1f} ms; errors {len(single.errors)}"
    )
    for name, key in (("p50", "median_ms"), ("p95", "p95_ms")):
        summary.add(
            "api",
            f"POST /requests {name}",
            f"{fmt(stats[key])} ms",
            f"{fmt(base_stats[key])} ms",
            f"{stats[key] / base_stats[key]:.1f}×",
            met=None if single.errors == [] else False,
        )
    return result
