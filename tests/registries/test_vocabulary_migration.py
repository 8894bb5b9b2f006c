"""Migration registries.0003 gives the legacy history's leave forms the one spelling every layer uses."""

from __future__ import annotations

import datetime

import pytest

from tests.migration_fixtures import migrate, migrate_to_latest

BEFORE = [("registries", "0002_reference_data")]
AFTER = [("registries", "0003_one_vocabulary")]


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
        new = migrate(AFTER).loader.project_state(AFTER).apps
        forms = (
            new.get_model("registries", "PriorLeave")
            .objects.order_by("start_date")
            .values_list("form", flat=True)
        )
        assert list(forms) == ["full", "half", "1/5", "1/10"]
        back = migrate(BEFORE).loader.project_state(BEFORE).apps
        forms = (
            back.get_model("registries", "PriorLeave")
            .objects.order_by("start_date")
            .values_list("form", flat=True)
        )
        assert list(forms) == ["full", "half", "fifth", "tenth"]
    finally:
        migrate_to_latest()
