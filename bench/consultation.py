"""3. Consultation at scale: a secretariat user with 1,000 mandates reads an employer's requests.

For each employer (10,000, 100,000 and 1,000,000 requests of the last two years in PostgreSQL):
the first page of the list, a deep page (the keyset cursor of the middle row: what 20,000 clicks on
*Suivant* reach), a search by NISS and one by ticket, at the same concurrency as the baseline page.
These employers have more than 100 workers, so their list is "search only": the first page is the one
filtered by status (Approved, half of the rows). Memory: the resident size of the gunicorn workers
(fresh ones, restarted before this benchmark) after each size, and the response sizes.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any
from urllib.parse import urlencode

from bench import loadgen, profiling
from bench.dataset import ConsultationTarget, table_stats
from bench.report import Summary, fmt
from bench.stack import APP_URL, CpuMeter, Stack, process_tree, rss_mib

PAGES = ("first page", "deep page", "search by NISS", "search by ticket")


async def _urls(browser: loadgen.Browser, target: ConsultationTarget) -> dict[str, str]:
    """Each page's address for this browser. Consultation keeps a search in the session and answers
    filters in the address with a redirect to ``?s=<search id>`` (post/redirect/get): each search is
    made once here, as a user's first click would, and its list is then read as ``?s=…``."""
    base = f"{APP_URL}/employer/consultation/"

    async def remembered(data: dict[str, str]) -> str:
        answer = await browser.get("consultation setup", f"{base}?{urlencode(data)}", expect=302)
        return loadgen.location(answer)

    first = await remembered({"status": "approved"})
    return {
        "first page": first,
        "deep page": f"{first}&{urlencode({'after': target.deep_cursor})}",
        "search by NISS": await remembered({"q": target.sample_niss}),
        "search by ticket": await remembered({"q": target.sample_ticket}),
    }


async def _login(browser: loadgen.Browser, niss: str, enterprise_number: str) -> None:
    """Log in through the identity provider and choose the employer among the 1,000 mandates."""
    to_idp = await browser.get("login", f"{APP_URL}/auth/login/?next=/employer/enterprise/", expect=302)
    authorize = loadgen.location(to_idp)
    page = await browser.get("login", f"{authorize}&means=eid")
    fields = dict(loadgen.HIDDEN.findall(page.text))
    fields.update({"means": "eid", "niss": "", "other_niss": niss, "pin": "1234", "action": "login"})
    fields["csrfmiddlewaretoken"] = loadgen.csrf_of(page)
    back = await browser.post("login", authorize.split("?", 1)[0], fields, expect=302)
    logged = await browser.get("login", loadgen.location(back), expect=302)
    choose_url = loadgen.location(logged)
    choice = await browser.get("enterprise choice page (1,000 mandates)", choose_url)
    if enterprise_number not in choice.text:
        raise loadgen.JourneyError("the mandated employer is not offered")
    chosen = await browser.post(
        "enterprise choice post",
        choose_url,
        {"csrfmiddlewaretoken": loadgen.csrf_of(choice), "enterprise": enterprise_number},
        expect=302,
        referer=choose_url,
    )
    await browser.get("company page", loadgen.location(chosen))


def _check(label: str, response_text: str, target: ConsultationTarget) -> None:
    if label == "search by ticket" and target.sample_ticket not in response_text:
        raise loadgen.JourneyError("the ticket searched for is not listed")
    if label == "search by NISS" and not re.search(r"/employer/consultation/\d{4}-", response_text):
        raise loadgen.JourneyError("the worker's requests are not listed")
    if label in ("first page", "deep page") and response_text.count("/employer/consultation/2") < 20:
        raise loadgen.JourneyError(f"{label}: fewer than 20 requests listed")


async def _size_load(
    target: ConsultationTarget, niss: str, users: int, seconds: float, sizes_seen: dict[str, int]
) -> tuple[loadgen.Recorder, float, dict[str, Any]]:
    setup = loadgen.Recorder()
    browsers = [loadgen.Browser(setup) for _ in range(users)]
    await asyncio.gather(*(_login(b, niss, target.enterprise_number) for b in browsers))
    every_urls = [await _urls(browser, target) for browser in browsers]
    urls = every_urls[0]
    # The page with 1,000 mandates, and the pages once, to warm up each worker.
    for label, url in urls.items():
        response = await browsers[0].get(label, url)
        _check(label, response.text, target)
        sizes_seen[label] = len(response.content)
    recorder, wall = await loadgen.pages_in_turn(
        browsers,
        every_urls,
        seconds,
        lambda label, text: _check(label, text, target),
    )
    login_stats = {
        label: loadgen.summary(values)
        for label, values in setup.samples.items()
        if label not in ("login", "consultation setup")
    }
    return recorder, wall, login_stats


async def _baseline(users: int, seconds: float) -> loadgen.Recorder:
    async def unit(browser: loadgen.Browser, recorder: loadgen.Recorder) -> bool:
        await browser.get("baseline", f"{APP_URL}/bench/baseline/")
        return True

    recorder, _wall = await loadgen.run_level(
        users=users, duration=seconds, warmup=1.0, unit=unit, fresh_browser_per_unit=False
    )
    return recorder


def _explain(target: ConsultationTarget) -> dict[str, float]:
    """PostgreSQL's own execution time of each page's list query (EXPLAIN ANALYZE), in ms."""
    from careerbreak.interruptions import selectors
    from careerbreak.registries.models import Enterprise

    enterprise = Enterprise.objects.get(pk=target.enterprise_id)
    cases = {
        "first page": (selectors.RequestFilters(status="approved"), ""),
        "deep page": (selectors.RequestFilters(status="approved"), target.deep_cursor),
        "search by NISS": (selectors.RequestFilters(worker_niss=target.sample_niss), ""),
        "search by ticket": (selectors.RequestFilters(ticket=target.sample_ticket), ""),
    }
    return {label: _explain_ms(enterprise, filters, after) for label, (filters, after) in cases.items()}


def access_check_ms(niss: str) -> dict[str, float]:
    """What the guard of every employer page costs this user: identity.access.enterprise_accesses."""
    from careerbreak.identity.access import enterprise_accesses
    from careerbreak.identity.models import User

    user = User.objects.get(niss=niss)
    accesses = len(enterprise_accesses(user=user))
    started = time.perf_counter()
    for _ in range(20):
        enterprise_accesses(user=user)
    return {"accesses": accesses, "ms_per_call": round((time.perf_counter() - started) / 20 * 1000, 1)}


def _explain_ms(enterprise: Any, filters: Any, after: str) -> float:
    """The selector's own query for that page (``selectors.requests_query``), explained by PostgreSQL."""
    from careerbreak.interruptions.selectors import requests_query

    plan = requests_query(enterprise=enterprise, filters=filters, after=after)[:26].explain(analyze=True)
    match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(match.group(1)) if match else float("nan")


def run(
    stack: Stack,
    targets: list[ConsultationTarget],
    niss: str,
    *,
    users: int,
    seconds: float,
    summary: Summary,
    say: Any,
    profile: bool = False,
) -> dict[str, Any]:
    # Fresh gunicorn workers, so that their memory is this benchmark's alone.
    stack.app.stop()
    stack.app.start()
    stack.app.wait_ready()
    results: dict[str, Any] = {"users": users, "seconds_per_size": seconds, "sizes": []}
    memory_first: float | None = None
    for target in targets:
        say(f"  {target.size:,} requests: baseline then the four pages, {users} users, {seconds:.0f} s each")
        base = asyncio.run(_baseline(users, seconds))
        base_stats = loadgen.summary(base.samples["baseline"])
        sizes_seen: dict[str, int] = {}
        meter = CpuMeter(stack)
        spy = None
        if profile and target is targets[-1]:
            # Started now, it samples the logins (the enterprise choice among 1,000 mandates) and the pages.
            spy = profiling.start_py_spy(stack.app.pid, f"consultation-{target.size}-app", int(seconds) + 10)
        meter.start()
        recorder, wall, login_stats = asyncio.run(_size_load(target, niss, users, seconds, sizes_seen))
        cpu = meter.stop()
        if spy is not None:
            spy[0].wait(timeout=seconds + 70)
            results["profile"] = {"size": target.size, "app": profiling.summarise(spy[1])}
        workers = [pid for pid in process_tree(stack.app.pid) if pid != stack.app.pid]
        rss = [rss_mib(pid) for pid in workers]
        memory = {"workers": len(rss), "max_rss_mib": round(max(rss), 1), "total_rss_mib": round(sum(rss), 1)}
        if memory_first is None:
            memory_first = memory["max_rss_mib"]
        pages = {}
        for label in PAGES:
            stats = loadgen.summary(recorder.samples.get(label, []))
            stats["p95_ratio_to_baseline"] = round(stats["p95_ms"] / base_stats["p95_ms"], 2)
            stats["response_bytes"] = sizes_seen.get(label)
            pages[label] = stats
        explain = _explain(target)
        entry = {
            "requests_of_the_employer": target.rows,
            "baseline": {**base_stats, "errors": len(base.errors)},
            "pages": pages,
            "login_pages": login_stats,
            "postgres_execution_ms": explain,
            "memory": memory,
            "pages_per_second": round(recorder.requests / wall, 1),
            "errors": len(recorder.errors),
            "first_errors": recorder.errors[:5],
            "cpu_seconds": cpu,
        }
        results["sizes"].append(entry)
        worst = max(pages.values(), key=lambda p: p["p95_ms"])
        over = [label for label, p in pages.items() if not p["p95_ratio_to_baseline"] <= 2]
        say(
            f"    worst p95 {worst['p95_ms']:.1f} ms vs baseline {base_stats['p95_ms']:.1f} ms; "
            f"max worker RSS {memory['max_rss_mib']} MiB; errors {len(recorder.errors)}"
        )
        summary.add(
            "consultation",
            f"worst page p95, {target.size:,} requests",
            f"{fmt(worst['p95_ms'])} ms",
            f"{fmt(base_stats['p95_ms'])} ms",
            f"{worst['p95_ms'] / base_stats['p95_ms']:.1f}×",
            "≤ 2×",
            not over and not recorder.errors,
        )
        growth = memory["max_rss_mib"] - (memory_first or 0)
        summary.add(
            "consultation",
            f"max worker RSS, {target.size:,} requests",
            f"{memory['max_rss_mib']} MiB",
            f"{memory_first} MiB",
            f"+{growth:.1f} MiB",
            "flat (≤ +10 %)",
            growth <= 0.10 * (memory_first or 1),
        )
    choice = results["sizes"][0]["login_pages"].get("enterprise choice page (1,000 mandates)")
    if choice:
        results["enterprise_choice_page"] = choice
    results["table"] = table_stats()
    results["enterprise_accesses"] = access_check_ms(niss)
    return results
