"""How many database queries each page of the journey and of Consultation makes.

Timing cannot be trusted in a test (the benchmarks measure it, see docs/performance.md), but the number
of queries can: each page makes a fixed number of them, whatever the number of rows it shows. An N+1
(a query per listed row) fails here, on every machine, even where the benchmark's timings are noise.

Two kinds of test: the exact count of each page (a change is deliberate: update the number and say why in
the commit), and the same page with few and with many rows, which must make the same number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions import services
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.registries.identifiers import build_niss
from careerbreak.registries.models import Enterprise, Person, WorkerStatus
from tests.factories import EmploymentFactory, PersonFactory, acting_for, demo_cast
from tests.request_fixtures import confirm, make_draft, parental_fifth

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# The queries every page of the employer interface makes before its own: the session, then the user with
# their grant at the acting enterprise, in one query (ADR 0027; a mandate: +1). The session is written
# back (3 queries in a test's transaction) only when the page changed it or when its last renewal is a
# minute old (ADR 0022): a posted search changes it.
# Each number below is the total of one request.
EXPECTED = {
    # The headcount the employer confirms is read per reference year (EnterpriseHeadcount, +1).
    "company": 6,
    "step 4 worker page": 5,
    # The search is the POST, which keeps it in the session (written back: +3), and the GET it redirects to,
    # which runs it (POST-redirect-GET).
    "step 4 search": 18,
    # Choosing the worker saves and redirects: the Dimona list is not read for a page not shown; the
    # statuses and joint committees, read by the worker page, are kept by the process (step_forms).
    "step 4 select": 6,
    # Every step reads its draft and whether it was confirmed already (closed) in one query, with the
    # enterprise acted for at hand (not read again).
    # Steps 5 to 7 show the worker: reading them is audited (one insert each).
    # The worker's children in the national register (+1): a type for a child the register does not
    # know is offered with the way to declare the child.
    "step 5 type page": 7,
    "step 5 choose type": 7,
    # Step 6's first page (the period) needs neither Dimona nor the register's children (-2).
    "step 6 leave page": 5,
    # Where the rules run: every Dimona period of the worker with the employer (seniority spans contracts;
    # the employment is among them, one query) and the rules' reads in one statement (the worker's
    # requests, their earlier leaves, the headcount of the year before the notice and the workers under
    # contract: ADR 0046, -3), whatever the worker's history; the worker is the one of their employment
    # (no national-register read).
    # A posted form is not prefilled from Dimona; the summary's statuses and committees are those the
    # process keeps (step_forms).
    "step 6 submit": 7,
    "step 7 summary": 7,
    # The office of the worker's domicile is looked up once (office_for_postcode, +1); the event API clients
    # follow, and the one query for the webhooks that receive it (+2). The ticket is one statement (the
    # year's counter created or incremented, its value returned) and "confirmed already?" one query.
    # Each outbox row (the eBox and the e-mail) is one statement (INSERT … ON CONFLICT … RETURNING), not
    # a select, a savepoint and the insert (-6). The rules' reads in one statement (ADR 0046, -3).
    "step 7 confirm": 20,
    # The ticket page names the version recorded and links its PDF (+1).
    "ticket page": 4,
    "consultation list": 4,
    # Posting a search stores it in the session and redirects; reading it by NISS is audited (+1).
    "consultation search posted": 6,
    "consultation search by NISS": 5,
    "consultation search by ticket": 4,
    "request detail": 8,  # opening it is audited (+1)
}


@pytest.fixture
def bakery(db: None) -> Enterprise:
    demo_cast()
    return Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)


@pytest.fixture
def jean_user(bakery: Enterprise) -> User:
    return User.objects.create_user(demo_data.JEAN_DUBOIS_NISS, first_name="Jean", last_name="Dubois")


@pytest.fixture
def jean(jean_user: User, login_as: Any) -> Client:
    return login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)


leave_post = parental_fifth  # step 6 as the journey posts it


START = datetime.date(2015, 1, 1)  # the extra workers' employments


def extra_worker(
    enterprise: Enterprise, i: int, *, born: datetime.date, sequence: int, period: str, **employment: Any
) -> Person:
    """The i-th extra worker under contract at the enterprise, with a valid number of their own."""
    person = PersonFactory(
        niss=build_niss(born + datetime.timedelta(days=i), sequence),
        first_name="Extra" if period == "QC" else "Filed",
        last_name=f"Worker {i:03d}",
        birth_date=born,
    )
    EmploymentFactory(
        period_id=f"{period}{i:05d}", employer=enterprise, worker=person, start_date=START, **employment
    )
    return person


def add_workers(enterprise: Enterprise, count: int) -> None:
    """More workers under contract at the enterprise (the Dimona list of step 4 grows)."""
    status = WorkerStatus.objects.get(code="PRIVATE_WHITE_COLLAR")
    for i in range(count):
        extra_worker(
            enterprise, i, born=datetime.date(1985, 1, 1), sequence=997, period="QC", worker_status=status
        )


def file_requests(user: User, enterprise: Enterprise, count: int) -> list[LeaveRequest]:
    """Confirmed requests of the enterprise: Sophie Lambert's leave, then other workers' (new workers)."""
    filed = []
    for i in range(count):
        if i == 0:
            draft = make_draft(user, enterprise)
        else:
            add_workers_with_child = extra_worker(
                enterprise, i, born=datetime.date(1990, 3, 1), sequence=995, period="QF"
            )
            child = build_niss(datetime.date(2024, 1, 1) + datetime.timedelta(days=i), 3)
            draft = make_draft(
                user,
                enterprise,
                worker_niss=add_workers_with_child.niss,
                child_niss=child,
                child_birth_date=(datetime.date(2024, 1, 1) + datetime.timedelta(days=i)).isoformat(),
            )
        filed.append(confirm(user, enterprise, draft))
    return filed


class Counted:
    """The number of queries of one request, and the response."""

    def __init__(self, django_assert_max_num_queries: Any) -> None:
        self.fixture = django_assert_max_num_queries

    def __call__(self, do: Any) -> tuple[int, Any]:
        with self.fixture(10_000) as captured:
            response = do()
        return len(captured.captured_queries), response


@pytest.fixture
def count(django_assert_max_num_queries: Any) -> Counted:
    return Counted(django_assert_max_num_queries)


# -- the journey, page by page -----------------------------------------------------------------------


def test_each_step_of_the_journey_makes_its_known_number_of_queries(
    jean: Client, jean_user: User, bakery: Enterprise, count: Counted
) -> None:
    seen: dict[str, int] = {}
    seen["company"], page = count(lambda: jean.get(reverse("employer:company")))
    assert page.status_code == 200
    response = jean.post(reverse("employer:company"))
    draft = Draft.objects.get(pk=response["Location"].split("/")[-3])
    worker_url = reverse("employer:step_worker", args=[draft.pk])
    seen["step 4 worker page"], page = count(lambda: jean.get(worker_url))
    assert page.status_code == 200
    seen["step 4 search"], page = count(
        # The search redirects to the page that shows its result (POST-redirect-GET): both counted.
        lambda: jean.post(
            worker_url, {"action": "search", "search-niss": demo_data.SOPHIE_LAMBERT_NISS}, follow=True
        )
    )
    assert page.status_code == 200
    select = {
        "action": "select",
        "niss": demo_data.SOPHIE_LAMBERT_NISS,
        "status": "PRIVATE_WHITE_COLLAR",
        "joint_committee": "118",
    }
    seen["step 4 select"], page = count(lambda: jean.post(worker_url, select))
    assert page.status_code == 302
    type_url = reverse("employer:step_type", args=[draft.pk])
    seen["step 5 type page"], page = count(lambda: jean.get(type_url))
    assert page.status_code == 200
    seen["step 5 choose type"], page = count(
        lambda: jean.post(type_url, {"action": "new", "leave_type": "PARENTAL"})
    )
    assert page.status_code == 302
    leave_url = reverse("employer:step_leave", args=[draft.pk])
    seen["step 6 leave page"], page = count(lambda: jean.get(leave_url))
    assert page.status_code == 200
    seen["step 6 submit"], page = count(lambda: jean.post(leave_url, leave_post()))
    assert page.status_code == 302, page.content.decode()[:2000]
    confirm_url = reverse("employer:step_confirm", args=[draft.pk])
    seen["step 7 summary"], page = count(lambda: jean.get(confirm_url))
    assert page.status_code == 200
    seen["step 7 confirm"], page = count(lambda: jean.post(confirm_url, {"certified": "on"}))
    assert page.status_code == 302
    ticket_url = page["Location"]
    seen["ticket page"], page = count(lambda: jean.get(ticket_url))
    assert page.status_code == 200
    expected = {name: EXPECTED[name] for name in seen}
    assert seen == expected


def test_the_consultation_pages_make_their_known_number_of_queries(
    jean: Client, jean_user: User, bakery: Enterprise, count: Counted
) -> None:
    (filed,) = file_requests(jean_user, bakery, 1)
    url = reverse("employer:consultation")
    seen = {}
    seen["consultation list"], page = count(lambda: jean.get(url))
    assert filed.ticket in page.content.decode()
    # A search is posted, kept in the session, and read back by its id (no number in the address).
    seen["consultation search posted"], posted = count(
        lambda: jean.post(url, {"q": demo_data.SOPHIE_LAMBERT_NISS})
    )
    assert posted.status_code == 302
    seen["consultation search by NISS"], page = count(lambda: jean.get(posted["Location"]))
    assert filed.ticket in page.content.decode()
    by_ticket = jean.post(url, {"q": filed.ticket})["Location"]
    seen["consultation search by ticket"], page = count(lambda: jean.get(by_ticket))
    assert filed.ticket in page.content.decode()
    seen["request detail"], page = count(
        lambda: jean.get(reverse("employer:request_detail", args=[filed.slug]))
    )
    assert page.status_code == 200
    assert seen == {name: EXPECTED[name] for name in seen}


# -- no query per row ---------------------------------------------------------------------------------


def test_the_consultation_list_makes_as_many_queries_for_twelve_requests_as_for_one(
    jean: Client, jean_user: User, bakery: Enterprise, count: Counted
) -> None:
    file_requests(jean_user, bakery, 1)
    few, _page = count(lambda: jean.get(reverse("employer:consultation")))
    file_requests_more = file_requests
    LeaveRequest.objects.all().delete()
    filed = file_requests_more(jean_user, bakery, 12)
    many, page = count(lambda: jean.get(reverse("employer:consultation")))
    body = page.content.decode()
    assert all(request.ticket in body for request in filed)
    assert many == few


def test_the_request_detail_makes_as_many_queries_for_three_versions_as_for_one(
    jean: Client, jean_user: User, bakery: Enterprise, count: Counted
) -> None:
    (filed,) = file_requests(jean_user, bakery, 1)
    url = reverse("employer:request_detail", args=[filed.slug])
    one, _page = count(lambda: jean.get(url))
    for notice in ("2026-11-19", "2026-11-18"):
        draft = services.draft_start_modification(acting=acting_for(jean_user, bakery), ticket=filed.ticket)
        draft.data["leave"]["notice_date"] = notice
        draft.step = 7
        draft.save()
        confirm(jean_user, bakery, draft)
    three, page = count(lambda: jean.get(url))
    assert page.content.decode().count("Modification") >= 2
    assert three == one


def test_the_worker_step_makes_as_many_queries_for_forty_workers_as_for_eight(
    jean: Client, bakery: Enterprise, count: Counted
) -> None:
    draft_url = jean.post(reverse("employer:company"))["Location"]
    eight, page = count(lambda: jean.get(draft_url))
    assert "Sophie Lambert" in page.content.decode()
    add_workers(bakery, 32)
    forty, page = count(lambda: jean.get(draft_url))
    assert "Worker 031" in page.content.decode()
    assert forty == eight


def test_the_company_page_makes_as_many_queries_for_five_drafts_as_for_one(
    jean: Client, jean_user: User, bakery: Enterprise, count: Counted
) -> None:
    make_draft(jean_user, bakery)
    one, _page = count(lambda: jean.get(reverse("employer:company")))
    for _ in range(4):
        make_draft(jean_user, bakery)
    five, page = count(lambda: jean.get(reverse("employer:company")))
    assert page.content.decode().count("Sophie Lambert") >= 5
    assert five == one
