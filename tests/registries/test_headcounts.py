"""The headcount per reference year (issue 11, point 3): unknown is None, the employer's confirmed figure
per year, the registry's for the year before today; the migration keeps the figures already held."""

from __future__ import annotations

import datetime

import pytest

from careerbreak.registries.headcounts import headcount_for, reference_year
from careerbreak.registries.models import EnterpriseHeadcount
from tests.factories import EnterpriseFactory
from tests.migration_fixtures import migrate, migrate_to_latest

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("notice", "year"),
    [
        (datetime.date(2026, 1, 1), 2025),
        (datetime.date(2025, 12, 31), 2024),
        (datetime.date(2026, 6, 30), 2025),
    ],
)
def test_the_reference_year_is_the_year_before_the_notice(notice: datetime.date, year: int) -> None:
    assert reference_year(notice) == year


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("registry", "confirmed", "year", "expected"),
    [
        (40, {}, 2025, 40),  # the registry's figure is last year's
        (40, {}, 2024, None),  # no figure for an older year: unknown, not the registry's
        (None, {}, 2025, None),  # the registry does not know
        (40, {2025: 18}, 2025, 18),  # the employer's confirmation wins
        (None, {2024: 9}, 2024, 9),  # a confirmed older year
        (40, {2024: 9}, 2025, 40),
        (0, {}, 2025, 0),  # 0 is a figure, not unknown
    ],
    ids=[
        "registry",
        "older-year-unknown",
        "registry-unknown",
        "confirmed",
        "confirmed-older",
        "other-year",
        "zero",
    ],
)
def test_the_headcount_of_a_reference_year(
    registry: int | None, confirmed: dict[int, int], year: int, expected: int | None
) -> None:
    enterprise = EnterpriseFactory(reference_headcount=registry)
    for confirmed_year, headcount in confirmed.items():
        EnterpriseHeadcount.objects.create(enterprise=enterprise, year=confirmed_year, headcount=headcount)
    assert headcount_for(enterprise, year=year, today=TODAY) == expected


BEFORE = [("registries", "0003_one_vocabulary")]
AFTER = [("registries", "0004_headcount_unknown_and_per_year")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_headcounts_already_held() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    Enterprise = old.get_model("registries", "Enterprise")
    for number, headcount in [("0812345603", 8), ("0403199702", 0), ("0200065765", 250)]:
        Enterprise.objects.create(number=number, name=number, sector="private", reference_headcount=headcount)
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        kept = dict(
            new.get_model("registries", "Enterprise").objects.values_list("number", "reference_headcount")
        )
        assert kept == {"0812345603": 8, "0403199702": 0, "0200065765": 250}
        created = new.get_model("registries", "Enterprise").objects.create(
            number="0123456749", name="New", sector="private"
        )
        assert created.reference_headcount is None  # a new enterprise's headcount is unknown
    finally:
        migrate_to_latest()
