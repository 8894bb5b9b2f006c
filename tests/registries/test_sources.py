"""The registry sources: local Dimona answers, and replacing a source by configuration."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from careerbreak.registries.models import Employment, Enterprise, JointCommittee, Person, Sector
from careerbreak.registries.sources import (
    dimona,
    employment_among,
    enterprise_register,
    national_register,
    reset_sources,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fresh_sources() -> Iterator[None]:
    reset_sources()
    yield
    reset_sources()


@pytest.fixture
def bakery() -> Enterprise:
    return Enterprise.objects.create(
        number="0812345603", name="Boulangerie Dubois SRL", sector=Sector.PRIVATE
    )


def person(niss: str, first: str, last: str) -> Person:
    return Person.objects.create(niss=niss, first_name=first, last_name=last)


def employ(
    employer: Enterprise, worker: Person, start: str, end: str | None = None, period: str = ""
) -> Employment:
    return Employment.objects.create(
        period_id=period or f"{worker.niss}{start[:4]}",
        employer=employer,
        worker=worker,
        joint_committee=JointCommittee.objects.get(number="118"),
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end) if end else None,
        weekly_hours=Decimal("38"),
        reference_hours=Decimal("38"),
    )


def test_the_employments_of_an_enterprise_are_those_running_that_day_by_worker_name(
    bakery: Enterprise,
) -> None:
    sophie = person("90061512202", "Sophie", "Lambert")
    marc = person("64090103383", "Marc", "Peeters")
    jean = person("78041213507", "Jean", "Dubois")
    employ(bakery, sophie, "2015-03-01")
    employ(bakery, marc, "2010-01-01", "2020-12-31")  # ended
    employ(bakery, jean, "2026-04-01")  # not started yet
    employ(bakery, jean, "2024-01-01", "2026-03-02")  # its last day
    names = [e.worker.last_name for e in dimona().employments_of(bakery, on=DAY)]
    assert names == ["Dubois", "Lambert"]
    assert [e.worker.last_name for e in dimona().employments_of("0812345603", on=DAY)] == names


def test_workers_under_contract_counts_each_worker_once(bakery: Enterprise) -> None:
    sophie = person("90061512202", "Sophie", "Lambert")
    employ(bakery, sophie, "2015-03-01", period="A")
    employ(bakery, sophie, "2020-01-01", period="B")  # a second, concurrent contract
    employ(bakery, person("64090103383", "Marc", "Peeters"), "2010-01-01", "2020-12-31")
    assert dimona().workers_under_contract(bakery, on=DAY) == 1
    assert dimona().workers_under_contract("0812345603", on=datetime.date(2019, 1, 1)) == 2


def test_has_workers_under_contract_counts_each_worker_once_up_to_the_threshold(bakery: Enterprise) -> None:
    sophie = person("90061512202", "Sophie", "Lambert")
    employ(bakery, sophie, "2015-03-01", period="A")
    employ(bakery, sophie, "2020-01-01", period="B")  # a second, concurrent contract: still one worker
    employ(bakery, person("64090103383", "Marc", "Peeters"), "2010-01-01", "2020-12-31")  # ended
    assert dimona().has_workers_under_contract(bakery, 1, on=DAY)
    assert not dimona().has_workers_under_contract(bakery, 2, on=DAY)
    in_2019 = datetime.date(2019, 1, 1)
    assert dimona().has_workers_under_contract("0812345603", 2, on=in_2019)
    assert not dimona().has_workers_under_contract("0812345603", 3, on=in_2019)


def test_the_employment_of_a_worker_is_the_running_one_else_the_latest_ended_else_none(
    bakery: Enterprise,
) -> None:
    marc = person("64090103383", "Marc", "Peeters")
    old = employ(bakery, marc, "2001-01-01", "2005-06-30")
    recent = employ(bakery, marc, "2010-01-01", "2020-12-31")
    assert dimona().employment_of(bakery, marc.niss, on=DAY) == recent
    assert dimona().employment_of(bakery, marc.niss, on=datetime.date(2003, 1, 1)) == old
    assert dimona().employment_of(bakery, marc.niss, on=datetime.date(2000, 1, 1)) is None
    running = employ(bakery, marc, "2025-01-01")
    assert dimona().employment_of("0812345603", marc.niss, on=DAY) == running
    assert dimona().employment_of(bakery, "90061512202", on=DAY) is None


def test_the_employment_among_a_worker_s_periods_is_the_one_dimona_answers_for_the_day(
    bakery: Enterprise,
) -> None:
    marc = person("64090103383", "Marc", "Peeters")
    employ(bakery, marc, "2001-01-01", "2005-06-30", period="A")
    employ(bakery, marc, "2010-01-01", "2020-12-31", period="B")
    employ(bakery, marc, "2010-01-01", "2019-12-31", period="C")  # ended earlier: not the last one
    employ(bakery, marc, "2025-01-01", period="D")
    employ(bakery, marc, "2025-01-01", period="E")  # two running from the same day: the later row
    employ(bakery, marc, "2030-01-01", period="F")  # not started yet: never the answer
    periods = dimona().periods_of(bakery, marc.niss)
    assert len(periods) == 6
    for day in ("2000-01-01", "2003-01-01", "2007-01-01", "2020-06-01", "2022-01-01", DAY.isoformat()):
        on = datetime.date.fromisoformat(day)
        expected = dimona().employment_of(bakery, marc.niss, on=on)
        assert employment_among(periods, on) == expected, day
    assert employment_among(periods, datetime.date(2000, 1, 1)) is None
    assert employment_among(periods, DAY).period_id == "E"  # type: ignore[union-attr]
    assert employment_among([], DAY) is None


def test_the_local_registers_find_persons_and_enterprises_by_compact_number(bakery: Enterprise) -> None:
    sophie = person("90061512202", "Sophie", "Lambert")
    assert national_register().get_person("90061512202") == sophie
    assert national_register().get_person("78041213507") is None
    assert enterprise_register().get_enterprise("0812345603") == bakery
    assert enterprise_register().get_enterprise("0899000156") is None


class FakeRemoteRegister:
    def get_person(self, niss: str) -> Person | None:
        return Person(niss=niss, first_name="Remote", last_name="Person")


def test_a_source_is_replaced_by_naming_another_class_in_the_settings() -> None:
    with override_settings(REGISTRY_SOURCES={"national_register": f"{__name__}.FakeRemoteRegister"}):
        reset_sources()
        remote = national_register().get_person("90061512202")
        assert remote is not None and remote.first_name == "Remote"
        assert type(dimona()).__name__ == "LocalDimona"


def test_an_unknown_source_name_in_the_settings_stops_with_a_clear_message() -> None:
    with (
        override_settings(REGISTRY_SOURCES={"dimonaa": "x.Y"}),
        pytest.raises(ImproperlyConfigured, match="dimonaa"),
    ):
        reset_sources()
        dimona()
