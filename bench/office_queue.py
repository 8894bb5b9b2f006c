"""5. The office's work queue with a million requests and more in the table: an agent of the Liège office
(every benchmark request is in its area) reads the first page of their queue, a deep page (the keyset
cursor of the middle row), the queue filtered by type and a search by ticket, at the same concurrency as
the baseline page; p95 against the baseline page's, reported like Consultation (at most 2×).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urlencode

from bench import loadgen
from bench.consultation import _baseline
from bench.dataset import QueueTarget, table_stats
from bench.report import Summary, fmt
from bench.stack import APP_URL, Stack

PAGES = ("first page", "deep page", "filtered by type", "search by ticket")
QUEUE = f"{APP_URL}/office/"


async def _login(browser: loadgen.Browser, niss: str) -> None:
    """Log in with eID (level 500) through the identity provider, to the work queue."""
    to_idp = await browser.get("login", f"{APP_URL}/auth/login/?next=/office/", expect=302)
    authorize = loadgen.location(to_idp)
    page = await browser.get("login", f"{authorize}&means=eid")
    fields = dict(loadgen.HIDDEN.findall(page.text))
    fields.update({"means": "eid", "niss": "", "other_niss": niss, "pin": "1234", "action": "login"})
    fields["csrfmiddlewaretoken"] = loadgen.csrf_of(page)
    back = await browser.post("login", authorize.split("?", 1)[0], fields, expect=302)
    await browser.get("login", loadgen.location(back), expect=302)


async def _search(browser: loadgen.Browser, data: dict[str, str]) -> str:
    """Post the filters (kept in the session) and return the address of their list (``?s=…``)."""
    page = await browser.get("queue setup", QUEUE)
    posted = await browser.post(
        "queue setup",
        QUEUE,
        {"csrfmiddlewaretoken": loadgen.csrf_of(page), **data},
        expect=302,
        referer=QUEUE,
    )
    return loadgen.location(posted)


def _check(label: str, text: str, target: QueueTarget) -> None:
    if label == "search by ticket" and target.sample_ticket not in text:
        raise loadgen.JourneyError("the ticket searched for is not listed")
    if label != "search by ticket" and len(re.findall(r"/office/requests/\d{4}-[^/]+/take/", text)) < 20:
        raise loadgen.JourneyError(f"{label}: fewer than 20 requests listed")


async def _load(target: QueueTarget, users: int, seconds: float) -> tuple[loadgen.Recorder, float]:
    setup = loadgen.Recorder()
    browsers = [loadgen.Browser(setup) for _ in range(users)]
    await asyncio.gather(*(_login(b, target.agent_niss) for b in browsers))
    urls: list[dict[str, str]] = []
    for browser in browsers:
        urls.append(
            {
                "first page": QUEUE,
                "deep page": f"{QUEUE}?{urlencode({'after': target.deep_cursor})}",
                "filtered by type": await _search(browser, {"leave_type": "PARENTAL"}),
                "search by ticket": await _search(browser, {"q": target.sample_ticket}),
            }
        )
    for label, url in urls[0].items():  # warm up, and check each page once
        _check(label, (await browsers[0].get(label, url)).text, target)
    return await loadgen.pages_in_turn(
        browsers, urls, seconds, lambda label, text: _check(label, text, target)
    )


def _explain(target: QueueTarget) -> dict[str, float]:
    """PostgreSQL's own execution time of each page's queue query (EXPLAIN ANALYZE), in ms."""
    from careerbreak.identity.acting import Acting
    from careerbreak.identity.models import OfficeRole, User
    from careerbreak.interruptions.office_queue import QueueFilters, queue_query

    role = OfficeRole.objects.active().select_related("office").get(niss=target.agent_niss)
    user, _created = User.objects.get_or_create(niss=target.agent_niss)
    acting = Acting.for_office(user=user, role=role, assurance_level=500)
    cases = {
        "first page": (QueueFilters(), ""),
        "deep page": (QueueFilters(), target.deep_cursor),
        "filtered by type": (QueueFilters(leave_type="PARENTAL"), ""),
        "search by ticket": (QueueFilters(ticket=target.sample_ticket), ""),
    }
    timings = {}
    for label, (filters, after) in cases.items():
        plan = queue_query(acting=acting, filters=filters, after=after)[:26].explain(analyze=True)
        match = re.search(r"Execution Time: ([\d.]+) ms", plan)
        timings[label] = float(match.group(1)) if match else float("nan")
    return timings


def run(
    stack: Stack, target: QueueTarget, *, users: int, seconds: float, summary: Summary, say: Any
) -> dict[str, Any]:
    say(f"  {target.rows_in_table:,} requests in the table, {target.queued:,} complete in the queue's office")
    base = asyncio.run(_baseline(users, seconds))
    base_stats = loadgen.summary(base.samples["baseline"])
    recorder, wall = asyncio.run(_load(target, users, seconds))
    pages = {}
    for label in PAGES:
        stats = loadgen.summary(recorder.samples.get(label, []))
        stats["p95_ratio_to_baseline"] = round(stats["p95_ms"] / base_stats["p95_ms"], 2)
        pages[label] = stats
    worst = max(pages.values(), key=lambda p: p["p95_ms"])
    over = [label for label, p in pages.items() if not p["p95_ratio_to_baseline"] <= 2]
    say(
        f"    worst p95 {worst['p95_ms']:.1f} ms vs baseline {base_stats['p95_ms']:.1f} ms; "
        f"errors {len(recorder.errors)}"
    )
    summary.add(
        "office queue",
        f"worst page p95, {target.rows_in_table:,} requests in the table",
        f"{fmt(worst['p95_ms'])} ms",
        f"{fmt(base_stats['p95_ms'])} ms",
        f"{worst['p95_ms'] / base_stats['p95_ms']:.1f}×",
        "≤ 2×",
        not over and not recorder.errors,
    )
    return {
        "users": users,
        "seconds": seconds,
        "queued_in_office": target.queued,
        "baseline": {**base_stats, "errors": len(base.errors)},
        "pages": pages,
        "postgres_execution_ms": _explain(target),
        "pages_per_second": round(recorder.requests / wall, 1),
        "errors": len(recorder.errors),
        "first_errors": recorder.errors[:5],
        "table": table_stats(),
    }
