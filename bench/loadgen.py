"""An asyncio + httpx load generator: virtual users, each with its own cookies, timed per request.

Every request is timed from sending to the last byte of the body, and labelled with the page it is;
redirects are not followed automatically, so that each page (and each redirect) is one sample, as a
browser would make them. Loads only go to 127.0.0.1 and every loop is bounded by a deadline.
"""

from __future__ import annotations

import asyncio
import datetime
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
TICKET = re.compile(r"\b(\d{4}/\d{8}/\d{2})\b")


class JourneyError(Exception):
    """A response that a browser user would have seen as an error or a dead end."""


@dataclass
class Recorder:
    """Latency samples per label, errors, and completed units of work (journeys or page loads)."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    completed: int = 0
    requests: int = 0
    recording: bool = True

    def add(self, label: str, seconds: float) -> None:
        if self.recording:
            self.samples[label].append(seconds * 1000)
            self.requests += 1

    def error(self, message: str) -> None:
        # Errors count whenever they happen, warm-up included: "no error at any level".
        self.errors.append(message)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values), 2) if values else float("nan"),
        "p95_ms": round(percentile(values, 95), 2),
        "p99_ms": round(percentile(values, 99), 2),
        "max_ms": round(max(values), 2) if values else float("nan"),
    }


class Browser:
    """One virtual user's HTTP client: its own cookie jar, no automatic redirects."""

    def __init__(self, recorder: Recorder, timeout: float = 30.0) -> None:
        self.recorder = recorder
        self.client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=timeout,
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
            headers={"User-Agent": "careerbreak-bench", "Accept-Language": "fr"},
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def request(
        self,
        label: str,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
        referer: str | None = None,
    ) -> httpx.Response:
        headers = {"Referer": referer} if referer else None
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, data=data, headers=headers)
        except httpx.HTTPError as exc:
            raise JourneyError(f"{label}: {exc!r}") from exc
        self.recorder.add(label, time.perf_counter() - started)
        expected = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in expected:
            raise JourneyError(
                f"{label}: HTTP {response.status_code} for {method} {url}: {response.text[:300]!r}"
            )
        return response

    async def get(self, label: str, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request(label, "GET", url, **kwargs)

    async def post(self, label: str, url: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        return await self.request(label, "POST", url, data=data, **kwargs)


def csrf_of(response: httpx.Response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise JourneyError(f"no CSRF token on {response.request.url}")
    return match.group(1)


def location(response: httpx.Response) -> str:
    return urljoin(str(response.request.url), response.headers["Location"])


# -- the employer journey ----------------------------------------------------------------------------


def date_parts(name: str, value: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def journey_dates(today: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Notice a week ago; start on the first day of a month at least two months ahead; five months."""
    notice = today - datetime.timedelta(days=7)
    month = today.month + 2 + (1 if today.day > 1 else 0)
    year = today.year + (month - 1) // 12
    start = datetime.date(year, (month - 1) % 12 + 1, 1)
    end_month = start.month + 5
    end = datetime.date(start.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return notice, start, end


@dataclass(frozen=True)
class JourneyInput:
    manager_niss: str
    worker_niss: str
    child_niss: str
    child_birth: datetime.date


# The labels, in the order of the journey; "idp" pages are served by the identity provider's process.
JOURNEY_LABELS = (
    "portal /",
    "step 2 start page",
    "login: redirect to IdP",
    "idp: choose means",
    "idp: eID form",
    "idp: submit PIN",
    "login: callback",
    "enterprise choice (redirect)",
    "step 3 company data",
    "step 3 Suivant (new draft)",
    "step 4 worker page",
    "step 4 search by NISS",
    "step 4 select worker",
    "step 5 type page",
    "step 5 choose type",
    "step 6 leave page",
    "step 6 submit (rules)",
    "step 7 summary (rules)",
    "step 7 confirm (ticket)",
    "ticket page",
)
IDP_LABELS = frozenset(label for label in JOURNEY_LABELS if label.startswith("idp:"))


async def employer_journey(browser: Browser, app: str, person: JourneyInput, today: datetime.date) -> str:
    """Log in through the identity provider and file a parental leave 1/5 through the seven steps.

    Returns the ticket. Raises JourneyError on any unexpected answer.
    """
    b = browser
    await b.get("portal /", f"{app}/")
    await b.get("step 2 start page", f"{app}/employer/")
    to_idp = await b.get(
        "login: redirect to IdP", f"{app}/auth/login/?next=/employer/enterprise/", expect=302
    )
    authorize = location(to_idp)
    await b.get("idp: choose means", authorize)
    form_page = await b.get("idp: eID form", f"{authorize}&means=eid")
    params = dict(parse_qsl(urlsplit(authorize).query))
    fields = dict(HIDDEN.findall(form_page.text))
    fields.update(params)
    fields.update(
        {"means": "eid", "niss": "", "other_niss": person.manager_niss, "pin": "1234", "action": "login"}
    )
    fields["csrfmiddlewaretoken"] = csrf_of(form_page)
    action = authorize.split("?", 1)[0]
    back = await b.post("idp: submit PIN", action, fields, expect=302, referer=str(form_page.request.url))
    callback = location(back)
    if not callback.startswith(app):
        raise JourneyError(f"the provider sent the browser to {callback}")
    logged = await b.get("login: callback", callback, expect=302)
    enterprise = await b.get("enterprise choice (redirect)", location(logged), expect=302)
    company_url = location(enterprise)
    company = await b.get("step 3 company data", company_url)
    started = await b.post(
        "step 3 Suivant (new draft)",
        company_url,
        {"csrfmiddlewaretoken": csrf_of(company)},
        expect=302,
        referer=company_url,
    )
    worker_url = location(started)
    worker_page = await b.get("step 4 worker page", worker_url)
    token = csrf_of(worker_page)
    found = await b.post(
        "step 4 search by NISS",
        worker_url,
        {"csrfmiddlewaretoken": token, "action": "search", "search-niss": person.worker_niss},
        referer=worker_url,
    )
    selected = await b.post(
        "step 4 select worker",
        worker_url,
        {
            "csrfmiddlewaretoken": csrf_of(found),
            "action": "select",
            "niss": person.worker_niss,
            "status": "PRIVATE_WHITE_COLLAR",
            "joint_committee": "200",
        },
        expect=302,
        referer=worker_url,
    )
    type_url = location(selected)
    type_page = await b.get("step 5 type page", type_url)
    chosen = await b.post(
        "step 5 choose type",
        type_url,
        {"csrfmiddlewaretoken": csrf_of(type_page), "action": "new", "leave_type": "PARENTAL"},
        expect=302,
        referer=type_url,
    )
    leave_url = location(chosen)
    leave_page = await b.get("step 6 leave page", leave_url)
    notice, start, end = journey_dates(today)
    leave = {
        "csrfmiddlewaretoken": csrf_of(leave_page),
        **date_parts("notice_date", notice),
        **date_parts("start", start),
        **date_parts("end", end),
        "form": "1/5",
        "weekly_hours": "38",
        "reference_hours": "38",
        "days_per_week": "5",
        "hours_during_leave": "30,4",
        "regime_12_months": "full_time",
        "months_of_contract_last_15": "15",
        **date_parts("child_birth_date", person.child_birth),
        "child_niss": person.child_niss,
        "child_disabled": "no",
        "employer_agreement": "yes",
    }
    checked = await b.post("step 6 submit (rules)", leave_url, leave, expect=(302, 400), referer=leave_url)
    if checked.status_code != 302:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', checked.text)[:5]
        raise JourneyError(f"step 6 refused by the rules: {errors}")
    confirm_url = location(checked)
    summary_page = await b.get("step 7 summary (rules)", confirm_url)
    confirmed = await b.post(
        "step 7 confirm (ticket)",
        confirm_url,
        {"csrfmiddlewaretoken": csrf_of(summary_page), "certified": "on"},
        expect=302,
        referer=confirm_url,
    )
    ticket_page = await b.get("ticket page", location(confirmed))
    match = TICKET.search(ticket_page.text)
    if not match:
        raise JourneyError("no ticket on the confirmation page")
    return match.group(1)


# -- running a level ---------------------------------------------------------------------------------

VirtualUser = Callable[[Browser, Recorder], Awaitable[bool]]


async def run_level(
    *,
    users: int,
    duration: float,
    warmup: float,
    unit: VirtualUser,
    fresh_browser_per_unit: bool,
    grace: float = 60.0,
) -> tuple[Recorder, float]:
    """``users`` virtual users repeat ``unit`` for ``warmup`` + ``duration`` seconds.

    Samples are recorded only after the warm-up. A unit returns False when it has nothing left to do.
    Units in flight at the deadline may finish within ``grace`` seconds (unrecorded); after that they are
    cancelled. Returns the recorder and the measured window in seconds.
    """
    recorder = Recorder(recording=warmup <= 0)
    loop = asyncio.get_running_loop()
    begin = loop.time()
    measure_from = begin + warmup
    deadline = measure_from + duration
    hard_stop = deadline + grace

    async def user() -> None:
        browser = Browser(recorder)
        try:
            while loop.time() < deadline:
                if fresh_browser_per_unit:
                    await browser.close()
                    browser = Browser(recorder)
                try:
                    more = await asyncio.wait_for(unit(browser, recorder), timeout=hard_stop - loop.time())
                except JourneyError as exc:
                    recorder.error(str(exc))
                    await asyncio.sleep(0.05)
                    continue
                except TimeoutError:
                    if grace > 0:
                        recorder.error(f"a unit of work was still running {grace:.0f} s after the deadline")
                    return
                if measure_from <= loop.time() <= deadline:
                    recorder.completed += 1
                if not more:
                    return
        finally:
            await browser.close()

    async def window() -> None:
        await asyncio.sleep(max(0.0, measure_from - loop.time()))
        recorder.recording = True
        await asyncio.sleep(max(0.0, deadline - loop.time()))
        recorder.recording = False

    await asyncio.gather(window(), *(user() for _ in range(users)))
    return recorder, duration
