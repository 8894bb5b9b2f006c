"""An asyncio + httpx load generator: virtual users, each with its own cookies, timed per request.

Used by the Consultation benchmark; the employer journey runs on Locust (bench/locustfile.py,
docs/adr/0012-locust.md).

Every request is timed from sending to the last byte of the body, and labelled with the page it is;
redirects are not followed automatically, so that each page (and each redirect) is one sample, as a
browser would make them. Loads only go to 127.0.0.1 and every loop is bounded by a deadline.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from bench.journey_form import CSRF, HIDDEN

# Read by the Consultation benchmark through this module.
__all__ = ["CSRF", "HIDDEN"]


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
                f"{label}: HTTP {response.status_code} for {method} {url}"
                f"{' to ' + response.headers['location'] if 'location' in response.headers else ''}"
                f": {response.text[:300]!r}"
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


async def pages_in_turn(
    browsers: list[Browser],
    urls: list[dict[str, str]],
    seconds: float,
    check: Callable[[str, str], None],
) -> tuple[Recorder, float]:
    """Each browser (already logged in) loads its pages (``urls[i]``: label → address) in turn, each
    starting at a different page, until the deadline; ``check(label, text)`` raises JourneyError for a
    page a user would see as wrong. The browsers are closed after. Returns the recorder and the wall time.
    """
    recorder = Recorder()
    for browser in browsers:
        browser.recorder = recorder
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def user(index: int, browser: Browser) -> None:
        labels = list(urls[index])
        turn = index
        while loop.time() < deadline:
            label = labels[turn % len(labels)]
            turn += 1
            try:
                check(label, (await browser.get(label, urls[index][label])).text)
            except JourneyError as exc:
                recorder.error(str(exc))

    started = loop.time()
    await asyncio.gather(*(user(i, b) for i, b in enumerate(browsers)))
    wall = loop.time() - started
    for browser in browsers:
        await browser.close()
    return recorder, wall
