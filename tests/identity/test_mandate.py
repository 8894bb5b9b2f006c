"""A mandate's period: ``Mandate.holds_on`` (a mandate already read) agrees with ``valid_on`` (the query)."""

from __future__ import annotations

import datetime

import pytest

from careerbreak.identity.models import Mandate
from tests.factories import EnterpriseFactory

DAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (DAY, None),
        (DAY, DAY),
        (DAY - datetime.timedelta(days=30), DAY - datetime.timedelta(days=1)),
        (DAY + datetime.timedelta(days=1), None),
        (DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)),
    ],
)
def test_holds_on_agrees_with_the_query_on_each_side_of_the_period(
    db: None, valid_from: datetime.date, valid_until: datetime.date | None
) -> None:
    mandate = Mandate.objects.create(
        secretariat=EnterpriseFactory(),
        employer=EnterpriseFactory(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    for day in (
        valid_from - datetime.timedelta(days=1),
        valid_from,
        DAY,
        valid_until or DAY,
        DAY + datetime.timedelta(days=400),
    ):
        in_query = Mandate.objects.valid_on(day).filter(pk=mandate.pk).exists()
        assert mandate.holds_on(day) is in_query, day
