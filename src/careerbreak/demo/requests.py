"""A request in the demo: Boulangerie Dubois (Jean Dubois) has filed Sophie Lambert's parental leave, which
awaits her worker part, so that ``make run`` shows the worker part at once.

Filed through the employer's own service (`request_confirm`: the rules, the ticket, the PDF and the
message to Sophie's eBox), with dates the rules accept on the day it runs: the leave starts on the first
day of a month at least two months away, so that the worker part can be sent at once (from 6 months
before the start). Idempotent: when the bakery already has a parental leave for Sophie (not cancelled),
nothing is filed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from careerbreak.demo.data import (
    BOULANGERIE_DUBOIS_NUMBER,
    JEAN_DUBOIS_NISS,
    SOPHIE_LAMBERT_CHILD_BIRTH,
    SOPHIE_LAMBERT_CHILD_NISS,
    SOPHIE_LAMBERT_NISS,
)
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import Role, User
from careerbreak.interruptions import services
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.states import Status
from careerbreak.registries.models import Enterprise
from careerbreak.vocabularies import LeaveType


def _first_of_month_after(day: datetime.date, months: int) -> datetime.date:
    target = add_months(day, months)
    return target if target.day == 1 else add_months(target.replace(day=1), 1)


def parental_fifth(*, day: datetime.date, hours: str, child_birth_date: str, child_niss: str) -> LeaveData:
    """A parental leave at 1/5 of five months for a full-time worker (``hours`` a week), noticed a week
    before ``day``, starting on the first day of a month at least two months after it: the rules accept
    it on ``day``, and the worker part can be sent at once (from 6 months before the start)."""
    start = _first_of_month_after(day, 2)
    end = add_months(start, 5) - datetime.timedelta(days=1)
    return LeaveData.from_json(
        {
            "notice_date": (day - datetime.timedelta(days=7)).isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "form": "1/5",
            "weekly_hours": hours,
            "reference_hours": hours,
            "days_per_week": "5",
            "regime_12_months": "full_time",
            "months_of_contract_last_15": "15",
            "child_birth_date": child_birth_date,
            "child_niss": child_niss,
            "child_disabled": False,
            "employer_agreement": True,
        }
    )


def sophie_s_request() -> LeaveRequest | None:
    """The bakery's parental leave for Sophie Lambert, if there is one (not cancelled)."""
    return (
        LeaveRequest.objects.filter(
            worker__niss=SOPHIE_LAMBERT_NISS,
            enterprise__number=BOULANGERIE_DUBOIS_NUMBER,
            leave_type=LeaveType.PARENTAL,
        )
        .exclude(status=Status.CANCELLED)
        .order_by("created_at")
        .first()
    )


def file_demo_request(today: datetime.date | None = None) -> tuple[LeaveRequest, bool]:
    """Sophie Lambert's parental leave filed by the bakery (and whether it was filed now).

    Raises services.RulesRefused if the rules refuse it on that day (the demo data then need a look).
    """
    existing = sophie_s_request()
    if existing is not None:
        return existing, False
    day = today or timezone.localdate()
    jean, _created = User.objects.get_or_create(
        niss=JEAN_DUBOIS_NISS, defaults={"first_name": "Jean", "last_name": "Dubois"}
    )
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    content = DraftData(
        worker=WorkerChoice(niss=SOPHIE_LAMBERT_NISS, status="PRIVATE_WHITE_COLLAR", joint_committee="118"),
        type=TypeChoice(leave_type=LeaveType.PARENTAL),
        leave=parental_fifth(
            day=day,
            hours="38",
            child_birth_date=SOPHIE_LAMBERT_CHILD_BIRTH.isoformat(),
            child_niss=SOPHIE_LAMBERT_CHILD_NISS,
        ),
    )
    draft = Draft.objects.create(owner=jean, enterprise=bakery, step=7, data=content.to_json())
    acting = Acting.for_enterprise(
        user=jean,
        access=EnterpriseAccess(enterprise=bakery, role=Role.MAIN_ACCESS_MANAGER),
        assurance_level=500,
    )
    filed = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)
    return filed, True
