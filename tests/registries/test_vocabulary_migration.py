"""Migration registries.0003 gives the legacy history's leave forms the one spelling every layer uses."""

from __future__ import annotations

import datetime

import pytest

from tests.migration_fixtures import migrate, migrate_to_latest

BEFORE = [("registries", "0002_reference_data")]
AFTER = [("registries", "0003_one_vocabulary")]


def prior_leave_forms_at(target: list[tuple[str, str]]) -> list[str]:
    """The forms of the earlier leaves, by start date, once the database is migrated to ``target``."""
    apps = migrate(target).loader.project_state(target).apps
    leaves = apps.get_model("registries", "PriorLeave").objects.order_by("start_date")
    return list(leaves.values_list("form", flat=True))


@pytest.mark.django_db(transaction=True)
def test_fifth_and_tenth_become_1_5_and_1_10_and_back() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    Person = old.get_model("registries", "Person")
    PriorLeave = old.get_model("registries", "PriorLeave")
    worker = Person.objects.create(niss="90061512202", first_name="Sophie", last_name="Lambert")
    for day, form in enumerate(["full", "half", "fifth", "tenth"], start=1):
        PriorLeave.objects.create(
            worker=worker,
            leave_type="PARENTAL",
            form=form,
            start_date=datetime.date(2024, 1, day),
            end_date=datetime.date(2024, 2, day),
        )
    try:
        assert prior_leave_forms_at(AFTER) == ["full", "half", "1/5", "1/10"]
        assert prior_leave_forms_at(BEFORE) == ["full", "half", "fifth", "tenth"]
    finally:
        migrate_to_latest()
