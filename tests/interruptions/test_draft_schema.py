"""The schema of a draft's content (interruptions/drafts.py): typed values, round trips, older shapes."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from careerbreak.employer.request_forms import LeaveDataForm
from careerbreak.identity.models import User
from careerbreak.interruptions import services
from careerbreak.interruptions.documents import detail_rows
from careerbreak.interruptions.drafts import (
    FIELD_LABELS,
    SCHEMA_VERSION,
    DraftData,
    LeaveData,
    TypeChoice,
    ValueSource,
    WorkerChoice,
    field_label,
)
from careerbreak.interruptions.models import Draft
from careerbreak.interruptions.types import (
    CATALOGUE,
    EndOfCareerException,
    LeaveField,
    PriorRegime,
    RequestKind,
)
from careerbreak.registries.models import Enterprise
from careerbreak.vocabularies import LeaveForm, LeaveType
from tests.factories import acting_for
from tests.migration_fixtures import migrate, migrate_to_latest

# A parental leave 1/5 as drafts were saved before the schema: no version, values as JSON strings.
LEAVE: dict[str, Any] = {
    "notice_date": "2026-11-20",
    "start": "2027-02-01",
    "end": "2027-06-30",
    "form": "1/5",
    "weekly_hours": "38",
    "reference_hours": "38.00",
    "regime_12_months": "full_time",
    "months_of_contract_last_15": "15",
    "child_birth_date": "2024-02-10",
    "child_niss": "24021000251",
    "child_disabled": False,
    "employer_agreement": True,
}
VERSION_LESS: dict[str, Any] = {
    "worker": {"niss": "90061512202", "status": "PRIVATE_WHITE_COLLAR", "joint_committee": "118"},
    "type": {"leave_type": "PARENTAL", "kind": "new", "related_ticket": ""},
    "leave": LEAVE,
}


def every_field_entered() -> DraftData:
    return DraftData(
        worker=WorkerChoice(niss="90061512202", status="PRIVATE_WHITE_COLLAR", joint_committee="118"),
        type=TypeChoice(
            leave_type=LeaveType.TC_END_OF_CAREER, kind=RequestKind.EXTENSION, related_ticket="x"
        ),
        leave=LeaveData(
            notice_date=datetime.date(2026, 11, 20),
            start=datetime.date(2027, 2, 1),
            end=datetime.date(2027, 6, 30),
            form=LeaveForm.HALF,
            weekly_hours=Decimal("38"),
            reference_hours=Decimal("38.50"),
            days_per_week=Decimal("5"),
            hours_during_leave=Decimal("19.25"),
            regime_12_months=PriorRegime.FULL_TIME,
            regime_24_months=PriorRegime.PART_TIME,
            months_of_contract_last_15=Decimal("15"),
            collective_agreement_number="123456/CO/118",
            collective_agreement_date=datetime.date(2025, 1, 1),
            employer_agreement=True,
            shorter_notice_agreed=False,
            child_birth_date=datetime.date(2024, 2, 10),
            child_adopted_on=datetime.date(2024, 5, 1),
            child_disabled=False,
            child_niss="24021000251",
            patient_niss="50010100123",
            patient_birth_date=datetime.date(1950, 1, 1),
            single_parent=True,
            end_of_career_exception=EndOfCareerException.NIGHT_WORK,
            career_years=Decimal("35"),
            caregiver_recognition=True,
            replacement=False,
        ),
    )


def test_a_draft_with_every_field_survives_a_trip_through_json() -> None:
    content = every_field_entered()
    stored = json.loads(json.dumps(content.to_json()))
    assert DraftData.from_json(stored) == content
    assert stored["schema_version"] == SCHEMA_VERSION
    # Every field of the schema has a value here, so that a field the round trip loses fails this test.
    assert content.leave is not None
    assert set(content.leave.as_values()) == {f.value for f in LeaveField} - {"kind", "related_ticket"}


def test_a_draft_saved_before_the_schema_is_read_with_typed_values() -> None:
    content = DraftData.from_json(VERSION_LESS)
    assert content.worker == WorkerChoice("90061512202", "PRIVATE_WHITE_COLLAR", "118")
    assert content.type == TypeChoice(LeaveType.PARENTAL, RequestKind.NEW, "")
    leave = content.leave
    assert leave is not None
    assert leave.start == datetime.date(2027, 2, 1) and leave.end == datetime.date(2027, 6, 30)
    assert leave.form is LeaveForm.ONE_FIFTH
    assert leave.weekly_hours == Decimal("38") and leave.regime_12_months is PriorRegime.FULL_TIME
    assert leave.child_disabled is False and leave.employer_agreement is True


def test_upgrading_an_old_draft_adds_the_version_and_keeps_every_value_as_it_was_stored() -> None:
    upgraded = DraftData.from_json(VERSION_LESS).to_json()
    # Version 2 records where each value came from: a draft of before was confirmed by the employer.
    sources = dict.fromkeys(VERSION_LESS["leave"], "employer")
    assert upgraded == {**VERSION_LESS, "schema_version": 2, "sources": sources}
    content = DraftData.from_json(VERSION_LESS)
    assert content.source_of("weekly_hours") is ValueSource.EMPLOYER


def test_the_sources_of_the_values_round_trip_and_an_unknown_source_is_dropped() -> None:
    stored = {
        "schema_version": 2,
        "leave": {"weekly_hours": "38", "child_birth_date": "2024-02-10"},
        "sources": {"weekly_hours": "dimona", "child_birth_date": "register", "start": "guessed"},
    }
    content = DraftData.from_json(stored)
    assert content.source_of("weekly_hours") is ValueSource.DIMONA
    assert content.source_of("child_birth_date") is ValueSource.REGISTER
    assert "start" not in content.sources and content.source_of("start") is ValueSource.EMPLOYER
    assert content.to_json()["sources"] == {"child_birth_date": "register", "weekly_hours": "dimona"}


def test_the_sections_not_reached_yet_stay_absent() -> None:
    assert DraftData.from_json({}).to_json() == {"schema_version": SCHEMA_VERSION}
    worker_only = DraftData.from_json({"worker": VERSION_LESS["worker"]})
    assert worker_only.type is None and worker_only.leave is None and not worker_only.complete


def test_a_draft_of_a_later_schema_version_is_refused_rather_than_misread() -> None:
    with pytest.raises(ValueError, match="schema version"):
        DraftData.from_json({"schema_version": SCHEMA_VERSION + 1})


def test_empty_and_unreadable_values_are_skipped_and_unknown_keys_are_kept() -> None:
    leave = LeaveData.from_json(
        {
            "start": "not a date",
            "weekly_hours": "",
            "child_niss": None,
            "legacy_note": "kept",
            "end": "2027-01-31",
        }
    )
    assert leave.start is None and leave.weekly_hours is None and leave.child_niss is None
    assert leave.end == datetime.date(2027, 1, 31)
    assert leave.to_json() == {"end": "2027-01-31", "legacy_note": "kept"}


def test_yes_and_no_stored_as_posted_are_read_as_booleans() -> None:
    leave = LeaveData.from_json({"employer_agreement": "no", "replacement": "yes"})
    assert leave.employer_agreement is False and leave.replacement is True


def test_entering_values_over_a_leave_replaces_them_and_an_emptied_field_is_cleared() -> None:
    leave = LeaveData.from_json(LEAVE)
    merged = leave.merged(
        {"end": datetime.date(2027, 7, 31), "child_niss": "", "weekly_hours": Decimal("20")}
    )
    assert merged.end == datetime.date(2027, 7, 31) and merged.weekly_hours == Decimal("20")
    assert merged.child_niss is None and merged.start == leave.start


def test_a_request_keeps_as_details_everything_but_the_dates_and_the_form() -> None:
    leave = LeaveData.from_json(LEAVE)
    assert leave.details_json() == {
        key: value for key, value in LEAVE.items() if key not in {"notice_date", "start", "end", "form"}
    }


@pytest.mark.parametrize("leave_type", list(LeaveType))
def test_step_6_and_the_pdf_label_each_field_alike(leave_type: LeaveType) -> None:
    if leave_type not in CATALOGUE:
        pytest.skip("not requested through this service")
    sector = sorted(CATALOGUE[leave_type].sectors)[0]
    with translation.override("nl"):
        form = LeaveDataForm(leave_type=leave_type, sector=sector, reference_headcount=50)
        for name, form_field in form.fields.items():
            assert str(form_field.label) == field_label(name)
            assert str(form_field.label) != name


def test_every_step_6_field_has_a_label() -> None:
    step_6 = set(LeaveField) - {LeaveField.KIND}
    missing = {name for name in step_6 if name not in FIELD_LABELS and field_label(name) == name}
    assert missing == set()


def test_the_pdf_reads_stored_details_through_the_schema() -> None:
    with translation.override("en"):
        rows = dict(detail_rows({"weekly_hours": "38.50", "employer_agreement": "no", "legacy_note": "kept"}))
        assert rows["Worker's weekly hours (Q)"] == "38.5"
        assert rows["Has the employer agreed to this leave?"] == "No"
        assert rows["legacy_note"] == "kept"


def test_a_type_the_service_no_longer_knows_sends_the_draft_back_to_step_5_rather_than_failing() -> None:
    content = DraftData.from_json({**VERSION_LESS, "type": {"leave_type": "WITHDRAWN", "kind": "new"}})
    assert content.type is None and content.worker is not None and not content.complete


@pytest.mark.django_db
def test_the_steps_save_the_draft_in_the_current_version() -> None:
    owner = User.objects.create_user("78041213507")
    enterprise = Enterprise.objects.create(number="0812345603", name="Acme", sector="private")
    draft = services.draft_start(acting=acting_for(owner, enterprise))
    services.draft_save_worker(
        draft=draft, niss="90061512202", status="PRIVATE_WHITE_COLLAR", joint_committee=""
    )
    services.draft_save_type(draft=draft, leave_type="PARENTAL", kind="new")
    services.draft_save_leave(draft=draft, values=LeaveData.from_json(LEAVE), complete=True)
    stored = Draft.objects.get(pk=draft.pk)
    assert stored.data["schema_version"] == SCHEMA_VERSION and stored.step == 7
    assert stored.content.leave == LeaveData.from_json(LEAVE)
    assert stored.data["leave"] == LEAVE


BEFORE = [("interruptions", "0003_leave_type_and_form_choices")]
AFTER = [("interruptions", "0004_draft_schema_version")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_versions_the_drafts_saved_before_the_schema_and_back() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    owner = old.get_model("identity", "User").objects.create(niss="78041213507")
    enterprise = old.get_model("registries", "Enterprise").objects.create(
        number="0812345603", name="Acme", sector="private"
    )
    Draft = old.get_model("interruptions", "Draft")
    saved = Draft.objects.create(owner=owner, enterprise=enterprise, step=7, data=VERSION_LESS)
    started = Draft.objects.create(owner=owner, enterprise=enterprise, step=4, data={})
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        drafts = new.get_model("interruptions", "Draft").objects
        assert drafts.get(pk=saved.pk).data == {**VERSION_LESS, "schema_version": 1}
        assert drafts.get(pk=started.pk).data == {"schema_version": 1}
        assert DraftData.from_json(drafts.get(pk=saved.pk).data) == DraftData.from_json(VERSION_LESS)
        back = migrate(BEFORE).loader.project_state(BEFORE).apps
        assert back.get_model("interruptions", "Draft").objects.get(pk=saved.pk).data == VERSION_LESS
    finally:
        migrate_to_latest()
