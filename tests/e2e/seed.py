"""Prepare the served system for the browser journeys; run once, as its own process, by conftest.py.

It works on the served database (never the test database), with Django set up from config.settings and
the environment the servers get. It chooses, for each journey, a worker and leave dates that the rules
accept *today* (the rules use the real date), checks them with the same service the web form uses, and
files one request through the services (so the task worker delivers it to the worker's eBox as in real
life). It prints one JSON object on stdout: what the journeys need to know.
"""

from __future__ import annotations

import calendar
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from careerbreak.demo.data import (  # noqa: E402
    BOULANGERIE_DUBOIS_NUMBER,
    JEAN_DUBOIS_NISS,
    OFFICE_AGENT_OFFICE,
    SOPHIE_LAMBERT_CHILD_BIRTH,
    SOPHIE_LAMBERT_CHILD_NISS,
    SOPHIE_LAMBERT_NISS,
    ZORGGROEP_NUMBER,
)
from careerbreak.demo.office_requests import file_complete, office_candidates  # noqa: E402
from careerbreak.identity.access import EnterpriseAccess  # noqa: E402
from careerbreak.identity.acting import Acting  # noqa: E402
from careerbreak.identity.models import OfficeRole, User  # noqa: E402
from careerbreak.identity.office_roles import office_role_grant  # noqa: E402
from careerbreak.interruptions import services  # noqa: E402
from careerbreak.interruptions.models import Draft  # noqa: E402
from careerbreak.registries.models import Employment, Enterprise, Office, Person  # noqa: E402
from tests.request_fixtures import step_7_draft  # noqa: E402

AN_VERHOEVEN_NISS = "81110324486"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_of_month_after(day: datetime.date, months: int) -> datetime.date:
    """The first day of a month, at least ``months`` months after ``day``."""
    target = add_months(day, months)
    return target if target.day == 1 else add_months(target.replace(day=1), 1)


def fifth_block(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A block of parental leave at 1/5: five months."""
    return start, add_months(start, 5) - datetime.timedelta(days=1)


def leave_values(
    *, start: datetime.date, end: datetime.date, notice: datetime.date, child: Person, hours: Any
) -> dict[str, Any]:
    return {
        "notice_date": notice.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "form": "1/5",
        "weekly_hours": str(hours),
        "reference_hours": str(hours),
        "days_per_week": "5",
        "regime_12_months": "full_time",
        "months_of_contract_last_15": "15",
        "child_birth_date": child.birth_date.isoformat() if child.birth_date else "",
        "child_niss": child.niss,
        "child_disabled": False,
        "employer_agreement": True,
    }


def draft_for(
    owner: User, enterprise: Enterprise, worker: Person, status: str, committee: str, values: Any
) -> Draft:
    return step_7_draft(owner, enterprise, worker.niss, values, status=status, committee=committee)


def blocking(
    owner: User, enterprise: Enterprise, worker: Person, status: str, committee: str, values: Any
) -> list[str]:
    draft = draft_for(owner, enterprise, worker, status, committee, values)
    try:
        return [str(f.message) for f in services.draft_check(draft=draft) if f.is_error]
    finally:
        draft.delete()


def user(niss: str) -> User:
    person = Person.objects.get(niss=niss)
    account, _created = User.objects.get_or_create(
        niss=niss, defaults={"first_name": person.first_name, "last_name": person.last_name}
    )
    return account


def plan(start: datetime.date, notice: datetime.date) -> dict[str, str]:
    start, end = fifth_block(start)
    return {"notice": notice.isoformat(), "start": start.isoformat(), "end": end.isoformat()}


def file_for_worker(
    an: User,
    acting: Acting,
    care: Enterprise,
    employments: Any,
    taken: set[str],
    start: datetime.date,
    notice: datetime.date,
) -> dict[str, str]:
    """Files, for a full-time worker of Zorggroep Sint-Anna not yet ``taken`` with a child under 8, a
    parental leave at 1/5 from ``start`` that the rules accept today; the request awaits their part."""
    for employment in employments:
        if employment.worker.niss in taken or employment.worker_status is None:
            continue
        if employment.weekly_hours != employment.reference_hours:
            continue
        young = [
            c
            for c in employment.worker.children.all()
            if c.birth_date and c.birth_date > start.replace(year=start.year - 8)
        ]
        if not young:
            continue
        values = leave_values(
            start=start,
            end=fifth_block(start)[1],
            notice=notice,
            child=young[0],
            hours=employment.weekly_hours,
        )
        committee = employment.joint_committee.number if employment.joint_committee else ""
        status = employment.worker_status.code
        if blocking(an, care, employment.worker, status, committee, values):
            continue
        draft = draft_for(an, care, employment.worker, status, committee, values)
        confirmed = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)
        taken.add(employment.worker.niss)
        return {
            "niss": employment.worker.niss,
            "name": employment.worker.full_name,
            "ticket": confirmed.ticket,
            "slug": confirmed.slug,
            "start": start.isoformat(),
        }
    raise SystemExit(f"No other worker of Zorggroep Sint-Anna can take a parental leave from {start} today.")


def main() -> None:
    today = timezone.localdate()
    notice = today - datetime.timedelta(days=7)
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    care = Enterprise.objects.get(number=ZORGGROEP_NUMBER)
    jean, an = user(JEAN_DUBOIS_NISS), user(AN_VERHOEVEN_NISS)
    sophie = Person.objects.get(niss=SOPHIE_LAMBERT_NISS)
    louise = Person.objects.get(niss=SOPHIE_LAMBERT_CHILD_NISS)
    assert louise.birth_date == SOPHIE_LAMBERT_CHILD_BIRTH
    first = first_of_month_after(today, 2)

    # Sophie's periods, one block each, never overlapping: the French journey, the request filed here
    # (consultation, PDF, eBox; the modification moves it by a month), the keyboard journey and the one
    # without JavaScript. Four blocks of 1/5 are the 20 months a parent has per child.
    plans = {
        "french": plan(first, notice),
        "filed": plan(add_months(first, 6), notice),
        "keyboard": plan(add_months(first, 12), notice),
        "no-javascript": plan(add_months(first, 18), notice),
        "worker-notice": plan(add_months(first, 3), notice),
    }
    for name, dates in plans.items():
        if name == "worker-notice":
            continue
        values = leave_values(
            start=datetime.date.fromisoformat(dates["start"]),
            end=datetime.date.fromisoformat(dates["end"]),
            notice=notice,
            child=louise,
            hours="38",
        )
        refused = blocking(jean, bakery, sophie, "PRIVATE_WHITE_COLLAR", "118", values)
        if refused:
            raise SystemExit(f"The {name} journey's leave would be refused today ({today}): {refused}")
        if name == "filed":
            draft = draft_for(jean, bakery, sophie, "PRIVATE_WHITE_COLLAR", "118", values)
            access = EnterpriseAccess(enterprise=bakery, role="main_access_manager")
            acting = Acting.for_enterprise(user=jean, access=access, assurance_level=500)
            filed = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)

    # The Dutch journey: a full-time worker of Zorggroep Sint-Anna with a young child, whom the rules
    # accept today.
    dutch: dict[str, Any] | None = None
    employments = (
        Employment.objects.filter(
            employer=care, end_date__isnull=True, start_date__lte=today - datetime.timedelta(days=800)
        )
        .select_related("worker", "worker_status", "joint_committee")
        .order_by("worker__niss")
    )
    for employment in employments:
        if employment.weekly_hours != employment.reference_hours or employment.worker_status is None:
            continue
        children = [
            c
            for c in employment.worker.children.all()
            if c.birth_date and c.birth_date > today.replace(year=today.year - 8)
        ]
        for child in children:
            values = leave_values(
                start=first,
                end=fifth_block(first)[1],
                notice=notice,
                child=child,
                hours=employment.weekly_hours,
            )
            committee = employment.joint_committee.number if employment.joint_committee else ""
            if not blocking(an, care, employment.worker, employment.worker_status.code, committee, values):
                dutch = {
                    "niss": employment.worker.niss,
                    "name": employment.worker.full_name,
                    "status": employment.worker_status.code,
                    "hours": str(employment.weekly_hours).replace(".", ","),
                    "child_birth": child.birth_date.isoformat(),
                    "child_niss": child.niss,
                    **plan(first, notice),
                }
                break
        if dutch:
            break
    if dutch is None:
        raise SystemExit(
            "No worker of Zorggroep Sint-Anna can take a parental leave today: check the demo data."
        )

    # The worker part's journeys: other workers of Zorggroep Sint-Anna, whose parental leaves An files
    # here. "worker_part" (French), "worker_part_dutch" and "worker_part_keyboard" start within 6 months,
    # so that the worker part can be sent today; "worker_part_late" started more than 2 months ago (the
    # employer is only warned), so that the worker part is late.
    care_access = EnterpriseAccess(enterprise=care, role="main_access_manager")
    an_acting = Acting.for_enterprise(user=an, access=care_access, assurance_level=500)
    taken = {dutch["niss"]}
    late_start = add_months(today, -3).replace(day=1)
    worker_parts = {
        "worker_part": file_for_worker(an, an_acting, care, employments, taken, first, notice),
        "worker_part_dutch": file_for_worker(an, an_acting, care, employments, taken, first, notice),
        "worker_part_keyboard": file_for_worker(an, an_acting, care, employments, taken, first, notice),
        "worker_part_late": file_for_worker(
            an, an_acting, care, employments, taken, late_start, add_months(late_start, -3)
        ),
    }

    # The office's journeys: requests of the Liège office (the demo agent's) that the workers completed,
    # filed by their employers (Logistique Meuse first), one to approve and one to refuse; and a second
    # agent of that office.
    office: dict[str, dict[str, str]] = {}
    for employment, child in office_candidates(today):
        if len(office) == 2:
            break
        if employment.worker.niss == SOPHIE_LAMBERT_NISS:
            continue
        complete = file_complete(employment, child, today)
        if complete is not None:
            office[("office_approve", "office_refuse")[len(office)]] = {
                "ticket": complete.ticket,
                "slug": complete.slug,
                "niss": employment.worker.niss,
                "name": employment.worker.full_name,
                "employer": employment.employer.name,
            }
    if len(office) < 2:
        raise SystemExit("No two workers of the Liège office can take a parental leave today: see the demo.")
    # A second agent of that office, who confirms the refusal: a French-speaking person of the national
    # register (the login needs one) who works nowhere and has no child (no other journey uses them).
    second_agent = (
        Person.objects.filter(
            kind=Person.Kind.NISS,
            language="fr",
            employments__isnull=True,
            children__isnull=True,
            birth_date__lt=today.replace(year=today.year - 30),
        )
        .order_by("niss")
        .first()
    )
    if second_agent is None:
        raise SystemExit("No person of the demo's national register can be the second agent.")
    if not OfficeRole.objects.active().filter(niss=second_agent.niss).exists():
        office_role_grant(
            acting=Acting.system(),
            niss=second_agent.niss,
            kind=OfficeRole.Kind.AGENT,
            office=Office.objects.get(code=OFFICE_AGENT_OFFICE),
        )

    print(
        json.dumps(
            {
                "today": today.isoformat(),
                "plans": plans,
                "child_birth": louise.birth_date.isoformat(),
                "filed": {"ticket": filed.ticket, "slug": filed.slug},
                "dutch": dutch,
                **worker_parts,
                **office,
                "second_agent": second_agent.niss,
            }
        )
    )


if __name__ == "__main__":
    main()
