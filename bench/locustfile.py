"""Locust users of the benchmarks (docs/adr/0012-locust.md), run headless by bench/locust_runner.py.

- `BaselineUser` loads the baseline page (bench/views.py) in a loop.
- `JourneyUser` files parental leaves through the employer journey, each journey a new browser (an
  empty cookie jar): the portal, the start page, the login at the identity provider (eID, PIN), steps
  3 to 7 and the ticket page. Every request is one sample labelled with its page; redirects are not
  followed, so that each redirect is a sample too, as a browser makes them. A completed journey is also
  recorded, as the sample "journey complete" (its time: the whole journey), which counts submissions.

The people come from the JSON file named by BENCH_JOURNEY_POOL (bench/dataset.py writes it), each used
once; BENCH_WARMUP_SECONDS of warm-up are left out of the statistics. Every request goes to 127.0.0.1
(the benchmark's gunicorn and its identity provider) and each run is bounded by `--run-time`.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares the 2 cores
with the server it measures, and geventhttpclient costs several times less CPU per request.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

from bench.journey_form import CSRF, HIDDEN, TICKET, date_parts, journey_dates

HEADERS = {"Accept-Language": "fr", "User-Agent": "careerbreak-bench"}
FORM = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
JOURNEY_COMPLETE = "journey complete"


class JourneyError(Exception):
    """A response that a browser user would have seen as an error or a dead end."""


@events.init.add_listener
def _warm_up(environment: Environment, **_kwargs: Any) -> None:
    """Statistics start after the warm-up: a greenlet resets them once it is over."""
    warmup = float(os.environ.get("BENCH_WARMUP_SECONDS", "0"))
    if warmup > 0 and environment.runner is not None:
        runner = environment.runner

        def reset() -> None:
            gevent.sleep(warmup)
            runner.stats.reset_all()

        gevent.spawn(reset)


def _note(output: str, line: str) -> None:
    """One line appended to the file the runner named in BENCH_<OUTPUT> (tickets, taken, errors)."""
    path = os.environ.get(f"BENCH_{output.upper()}")
    if path:
        with open(path, "a") as handle:
            handle.write(line.replace("\n", " ") + "\n")


def _pool() -> Iterator[dict[str, str]]:
    path = os.environ.get("BENCH_JOURNEY_POOL")
    if not path:
        return iter(())
    with open(path) as handle:
        return iter(json.load(handle))


POOL = _pool()


class BaselineUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def baseline(self) -> None:
        self.client.get("/bench/baseline/", name="baseline", headers=HEADERS)


class JourneyUser(FastHttpUser):
    wait_time = constant(0)

    @property
    def _host(self) -> str:
        # --host on the command line: the benchmark's gunicorn on 127.0.0.1.
        assert self.host, "JourneyUser needs --host"
        return self.host

    def _request(
        self,
        label: str,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
        referer: str | None = None,
    ) -> tuple[Any, str]:
        """The response and the absolute URL it answered; a failure (and JourneyError) when unexpected."""
        url = urljoin(self._host, url)
        headers = dict(FORM if data is not None else HEADERS)
        if referer:
            headers["Referer"] = referer
        body = urlencode(data) if data is not None else None
        expected = (expect,) if isinstance(expect, int) else expect
        with self.client.request(
            method, url, name=label, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in expected:
                body = (response.text or "")[:300]
                message = f"{label}: HTTP {response.status_code} for {method} {url}: {body!r}"
                response.failure(message)
                raise JourneyError(message)
            response.success()
        return response, url

    def _csrf(self, page: tuple[Any, str]) -> str:
        match = CSRF.search(page[0].text or "")
        if not match:
            raise JourneyError(f"no CSRF token on {page[1]}")
        return match.group(1)

    @staticmethod
    def _location(page: tuple[Any, str]) -> str:
        return urljoin(page[1], page[0].headers["Location"])

    @task
    def file_a_parental_leave(self) -> None:
        person = next(POOL, None)
        if person is None:
            events.request.fire(
                request_type="JOURNEY",
                name="pool",
                response_time=0,
                response_length=0,
                exception=JourneyError("the pool of workers ran dry"),
                context={},
            )
            _note("errors", "the pool of workers ran dry")
            raise StopUser()
        _note("taken", person["worker_niss"])
        # Each journey is a new browser.
        self.client.cookiejar.clear()
        started = time.perf_counter()
        try:
            self._journey(person)
        except JourneyError as exc:
            # Errors count whenever they happen, warm-up included: "no error at any level".
            _note("errors", str(exc))
            events.request.fire(
                request_type="JOURNEY",
                name=JOURNEY_COMPLETE,
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=exc,
                context={},
            )
            gevent.sleep(0.05)
            return
        events.request.fire(
            request_type="JOURNEY",
            name=JOURNEY_COMPLETE,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None,
            context={},
        )

    def _journey(self, person: dict[str, str]) -> None:
        r = self._request
        r("portal /", "GET", "/")
        r("step 2 start page", "GET", "/employer/")
        to_idp = r("login: redirect to IdP", "GET", "/auth/login/?next=/employer/enterprise/", expect=302)
        authorize = self._location(to_idp)
        r("idp: choose means", "GET", authorize)
        form_page = r("idp: eID form", "GET", f"{authorize}&means=eid")
        fields = dict(HIDDEN.findall(form_page[0].text or ""))
        fields.update(dict(parse_qsl(urlsplit(authorize).query)))
        fields.update(
            {
                "means": "eid",
                "niss": "",
                "other_niss": person["manager_niss"],
                "pin": "1234",
                "action": "login",
            }
        )
        fields["csrfmiddlewaretoken"] = self._csrf(form_page)
        back = r(
            "idp: submit PIN",
            "POST",
            authorize.split("?", 1)[0],
            data=fields,
            expect=302,
            referer=form_page[1],
        )
        callback = self._location(back)
        if not callback.startswith(self._host):
            raise JourneyError(f"the provider sent the browser to {callback}")
        logged = r("login: callback", "GET", callback, expect=302)
        enterprise = r("enterprise choice (redirect)", "GET", self._location(logged), expect=302)
        company_url = self._location(enterprise)
        company = r("step 3 company data", "GET", company_url)
        started = r(
            "step 3 Suivant (new draft)",
            "POST",
            company_url,
            data={"csrfmiddlewaretoken": self._csrf(company)},
            expect=302,
            referer=company_url,
        )
        worker_url = self._location(started)
        worker_page = r("step 4 worker page", "GET", worker_url)
        searched = r(
            "step 4 search by NISS",
            "POST",
            worker_url,
            data={
                "csrfmiddlewaretoken": self._csrf(worker_page),
                "action": "search",
                "search-niss": person["worker_niss"],
            },
            expect=302,
            referer=worker_url,
        )
        # Post/redirect/get: the search is run by the page the POST redirects to.
        found = r("step 4 search result", "GET", self._location(searched))
        selected = r(
            "step 4 select worker",
            "POST",
            worker_url,
            data={
                "csrfmiddlewaretoken": self._csrf(found),
                "action": "select",
                "niss": person["worker_niss"],
                "status": "PRIVATE_WHITE_COLLAR",
                "joint_committee": "200",
            },
            expect=302,
            referer=worker_url,
        )
        type_url = self._location(selected)
        type_page = r("step 5 type page", "GET", type_url)
        chosen = r(
            "step 5 choose type",
            "POST",
            type_url,
            data={"csrfmiddlewaretoken": self._csrf(type_page), "action": "new", "leave_type": "PARENTAL"},
            expect=302,
            referer=type_url,
        )
        leave_url = self._location(chosen)
        leave_page = r("step 6 leave page", "GET", leave_url)
        notice, start, end = journey_dates(datetime.date.today())
        leave = {
            "csrfmiddlewaretoken": self._csrf(leave_page),
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
            **date_parts("child_birth_date", datetime.date.fromisoformat(person["child_birth"])),
            "child_niss": person["child_niss"],
            "child_disabled": "no",
            "employer_agreement": "yes",
        }
        checked = r(
            "step 6 submit (rules)", "POST", leave_url, data=leave, expect=(302, 400), referer=leave_url
        )
        if checked[0].status_code != 302:
            errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', checked[0].text or "")[:5]
            raise JourneyError(f"step 6 refused by the rules: {errors}")
        confirm_url = self._location(checked)
        summary_page = r("step 7 summary (rules)", "GET", confirm_url)
        confirmed = r(
            "step 7 confirm (ticket)",
            "POST",
            confirm_url,
            data={"csrfmiddlewaretoken": self._csrf(summary_page), "certified": "on"},
            expect=302,
            referer=confirm_url,
        )
        ticket_page = r("ticket page", "GET", self._location(confirmed))
        ticket = TICKET.search(ticket_page[0].text or "")
        if not ticket:
            raise JourneyError("no ticket on the confirmation page")
        _note("tickets", ticket.group(1))
