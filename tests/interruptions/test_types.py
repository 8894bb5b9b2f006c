"""The catalogue of DOMAIN.md §4 as data: what step 5 offers and which fields step 6 shows."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from careerbreak.interruptions.rules import LeaveRequestFacts
from careerbreak.interruptions.types import (
    CATALOGUE,
    LeaveFamily,
    LeaveField,
    LeaveForm,
    LeaveType,
    Sector,
    WorkerStatusCode,
    fields_for,
    type_codes_offered,
    types_for,
)
from careerbreak.mailbox.models import Language as MailboxLanguage
from careerbreak.registries.models import LEAVE_TYPE_CODES, WorkerStatus
from careerbreak.registries.models import Language as RegistryLanguage
from careerbreak.registries.models import LeaveForm as RegistryLeaveForm
from careerbreak.registries.models import LeaveType as RegistryLeaveType
from careerbreak.registries.models import Sector as RegistrySector
from careerbreak.vocabularies import LEGACY_LEAVE_FORMS

F = LeaveField
TIME_CREDIT = {t for t in LeaveType if t.name.startswith("TC_")}
THEMATIC = {LeaveType.PARENTAL, LeaveType.MEDICAL_ASSISTANCE, LeaveType.PALLIATIVE, LeaveType.CAREGIVER}


def test_every_leave_type_has_a_catalogue_row_and_the_codes_match_the_registry_history() -> None:
    assert set(CATALOGUE) == set(LeaveType)
    assert {str(t) for t in LeaveType} == set(LEAVE_TYPE_CODES)


def test_sector_values_and_labels_are_those_of_the_enterprise_registry() -> None:
    assert {str(s) for s in Sector} == {str(s) for s in RegistrySector.values}
    with translation.override("en"):
        assert {s: str(s.label) for s in Sector} == {s: str(RegistrySector(s).label) for s in Sector}


def test_the_form_values_and_english_labels() -> None:
    assert [str(f) for f in LeaveForm] == ["full", "half", "1/5", "1/10"]
    with translation.override("en"):
        assert [str(f.label) for f in LeaveForm] == ["Full-time", "Half-time", "1/5", "1/10"]


@pytest.mark.parametrize(("legacy", "form"), [("fifth", LeaveForm.ONE_FIFTH), ("tenth", LeaveForm.ONE_TENTH)])
def test_the_legacy_history_spelling_of_partial_forms_is_read(legacy: str, form: LeaveForm) -> None:
    # Only the registry import reads the legacy spelling (ADR 0011); the vocabulary itself has one value.
    assert LEGACY_LEAVE_FORMS[legacy] is form
    with pytest.raises(ValueError, match=legacy):
        LeaveForm(legacy)


def test_the_registries_and_the_catalogue_share_one_vocabulary_per_concept() -> None:
    assert (RegistrySector, RegistryLeaveForm, RegistryLeaveType) == (Sector, LeaveForm, LeaveType)
    assert MailboxLanguage is RegistryLanguage
    assert WorkerStatus._meta.get_field("code").choices == WorkerStatusCode.choices


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(ValueError, match="quarter"):
        LeaveForm("quarter")


@pytest.mark.parametrize(
    ("leave_type", "forms", "starred"),
    [
        # DOMAIN.md §4: the * forms need a sector or company collective agreement (CCT 103).
        (LeaveType.TC_CHILD_CARE, ("full", "half", "1/5"), {"full", "half"}),
        (LeaveType.TC_PALLIATIVE, ("full", "half", "1/5"), {"full", "half"}),
        (LeaveType.TC_SERIOUS_ILLNESS, ("full", "half", "1/5"), {"full", "half"}),
        (LeaveType.TC_DISABLED_CHILD, ("full", "half", "1/5"), set()),
        (LeaveType.TC_SERIOUSLY_ILL_MINOR, ("full", "half", "1/5"), set()),
        (LeaveType.TC_TRAINING, ("full", "half", "1/5"), {"full", "half"}),
        (LeaveType.TC_END_OF_CAREER, ("half", "1/5"), set()),
        (LeaveType.PARENTAL, ("full", "half", "1/5", "1/10"), set()),
        (LeaveType.MEDICAL_ASSISTANCE, ("full", "half", "1/5"), set()),
        (LeaveType.PALLIATIVE, ("full", "half", "1/5"), set()),
        (LeaveType.CAREGIVER, ("full", "half", "1/5"), set()),
        (LeaveType.PUBLIC_CAREER_BREAK, ("full", "half", "1/5"), set()),
    ],
    ids=lambda value: str(value) if isinstance(value, LeaveType) else None,
)
def test_forms_and_starred_forms_follow_the_catalogue(
    leave_type: LeaveType, forms: tuple, starred: set
) -> None:
    spec = CATALOGUE[leave_type]
    assert tuple(str(f) for f in spec.forms) == forms
    assert {str(f) for f in spec.agreement_forms} == starred


def test_the_families() -> None:
    assert {t for t in LeaveType if CATALOGUE[t].family is LeaveFamily.TIME_CREDIT} == TIME_CREDIT
    assert {t for t in LeaveType if CATALOGUE[t].family is LeaveFamily.THEMATIC} == THEMATIC
    assert CATALOGUE[LeaveType.PUBLIC_CAREER_BREAK].family is LeaveFamily.PUBLIC_CAREER_BREAK


def test_a_private_sector_worker_is_offered_time_credit_and_thematic_leaves_not_the_public_break() -> None:
    offered = {spec.code for spec in types_for("private", "PRIVATE_BLUE_COLLAR")}
    assert offered == TIME_CREDIT | THEMATIC


# The public career break only where ONEM still handles it (domain-research §0 [S25][S42], issue 11.6):
# regional and local administrations keep the thematic leaves only.
@pytest.mark.parametrize(
    ("sector", "career_break"),
    [("federal_public", True), ("education", True), ("regional_public", False), ("local_public", False)],
)
def test_a_public_statutory_worker_is_offered_thematic_leaves_and_the_public_break_where_onem_handles_it(
    sector: str, career_break: bool
) -> None:
    offered = {spec.code for spec in types_for(sector, "PUBLIC_STATUTORY")}
    assert offered == THEMATIC | ({LeaveType.PUBLIC_CAREER_BREAK} if career_break else set())


def test_a_public_trainee_gets_no_career_break_only_thematic_leaves() -> None:
    # Fedweb/BOSA [S66][S67]: the career break is not for trainees.
    offered = {spec.code for spec in types_for("federal_public", "PUBLIC_TRAINEE")}
    assert offered == THEMATIC


def test_teaching_staff_get_the_public_break_in_education() -> None:
    assert LeaveType.PUBLIC_CAREER_BREAK in {s.code for s in types_for("education", "TEACHING_STAFF")}


def test_unknown_sector_or_status_offers_nothing() -> None:
    assert types_for("moon", "PRIVATE_BLUE_COLLAR") == ()
    assert types_for("private", "ASTRONAUT") == ()


@pytest.mark.parametrize("sector", [*Sector, "moon"])
def test_the_types_kept_per_sector_and_status_are_the_catalogues_on_no_particular_day(sector: str) -> None:
    for status in [*WorkerStatusCode, "ASTRONAUT"]:
        # What types_for gave before it kept them (ADR 0045): each spec the catalogue offers, in its order.
        expected = tuple(spec for spec in CATALOGUE.values() if spec.offered(sector, status))
        assert types_for(sector, status) == expected
        assert types_for(str(sector), str(status)) == expected
        assert type_codes_offered(str(sector), str(status)) == {spec.code.value for spec in expected}


def test_types_come_in_catalogue_order() -> None:
    codes = [spec.code for spec in types_for("private", "PRIVATE_WHITE_COLLAR")]
    assert codes == [t for t in LeaveType if t in TIME_CREDIT | THEMATIC]


@pytest.mark.parametrize(
    ("sector", "start", "offered"),
    [
        # Caregiver leave: private sector from 1.09.2020, federal public from 1.01.2021 [S61][S62].
        ("private", datetime.date(2020, 8, 31), False),
        ("private", datetime.date(2020, 9, 1), True),
        ("federal_public", datetime.date(2020, 12, 31), False),
        ("federal_public", datetime.date(2021, 1, 1), True),
    ],
    ids=["private-day-before", "private-first-day", "federal-day-before", "federal-first-day"],
)
def test_caregiver_leave_is_offered_from_its_first_day_per_sector(
    sector: str, start: datetime.date, offered: bool
) -> None:
    status = "PRIVATE_WHITE_COLLAR" if sector == "private" else "PUBLIC_CONTRACTUAL"
    assert (LeaveType.CAREGIVER in {s.code for s in types_for(sector, status, on=start)}) is offered


def test_parental_one_fifth_in_the_private_sector_shows_the_child_and_contract_fields_only() -> None:
    fields = set(fields_for("PARENTAL", "1/5", sector="private", reference_headcount=8))
    assert {F.CHILD_BIRTH_DATE, F.CHILD_NISS, F.CHILD_DISABLED, F.MONTHS_OF_CONTRACT_LAST_15} <= fields
    assert {F.REGIME_12_MONTHS, F.HOURS_DURING_LEAVE, F.EMPLOYER_AGREEMENT} <= fields
    assert not fields & {
        F.COLLECTIVE_AGREEMENT_NUMBER,
        F.PATIENT_NISS,
        F.CAREER_YEARS,
        F.CAREGIVER_RECOGNITION,
        F.REPLACEMENT,
        F.END_OF_CAREER_EXCEPTION,
    }


def test_parental_leave_in_the_public_sector_asks_no_contract_months() -> None:
    assert F.MONTHS_OF_CONTRACT_LAST_15 not in fields_for("PARENTAL", "full", sector="federal_public")


@pytest.mark.parametrize(
    ("form", "shows_agreement"),
    [("full", True), ("half", True), ("1/5", False)],
    ids=["full-starred", "half-starred", "fifth-no-cct"],
)
def test_child_care_time_credit_asks_the_collective_agreement_only_for_starred_forms(
    form: str, shows_agreement: bool
) -> None:
    fields = fields_for("TC_CHILD_CARE", form, reference_headcount=50)
    assert (F.COLLECTIVE_AGREEMENT_NUMBER in fields) is shows_agreement
    assert (F.COLLECTIVE_AGREEMENT_DATE in fields) is shows_agreement
    assert F.CHILD_BIRTH_DATE in fields


@pytest.mark.parametrize(
    ("headcount", "form", "shows"),
    [(10, "full", True), (11, "full", False), (None, "full", True), (50, "1/5", True)],
    ids=["10-workers", "11-workers", "unknown-headcount", "fifth-fewer-days-agreement"],
)
def test_time_credit_asks_the_employer_agreement_in_small_enterprises_and_for_one_fifth(
    headcount: int | None, form: str, shows: bool
) -> None:
    assert (F.EMPLOYER_AGREEMENT in fields_for("TC_TRAINING", form, reference_headcount=headcount)) is shows


def test_a_full_time_credit_asks_the_24_month_regime_for_the_allowance() -> None:
    assert F.REGIME_24_MONTHS in fields_for("TC_TRAINING", "full")
    assert F.REGIME_24_MONTHS not in fields_for("TC_TRAINING", "1/5")


def test_end_of_career_asks_career_exception_and_24_month_regime_not_the_12_month_one() -> None:
    fields = fields_for("TC_END_OF_CAREER", "1/5", reference_headcount=50, end_of_career_exception="")
    assert {F.CAREER_YEARS, F.END_OF_CAREER_EXCEPTION, F.REGIME_24_MONTHS} <= set(fields)
    assert F.REGIME_12_MONTHS not in fields
    assert F.COLLECTIVE_AGREEMENT_NUMBER not in fields
    with_exception = fields_for("TC_END_OF_CAREER", "1/5", end_of_career_exception="heavy_job")
    assert F.COLLECTIVE_AGREEMENT_NUMBER in with_exception


def test_a_full_thematic_leave_asks_no_prior_regime_and_no_hours_during_the_leave() -> None:
    fields = fields_for("PALLIATIVE", "full")
    assert F.REGIME_12_MONTHS not in fields
    assert F.HOURS_DURING_LEAVE not in fields
    assert F.PATIENT_NISS in fields


@pytest.mark.parametrize(
    ("leave_type", "field"),
    [
        ("CAREGIVER", F.CAREGIVER_RECOGNITION),
        ("PUBLIC_CAREER_BREAK", F.REPLACEMENT),
        ("MEDICAL_ASSISTANCE", F.SINGLE_PARENT),
        ("TC_DISABLED_CHILD", F.CHILD_DISABLED),
    ],
)
def test_each_type_shows_its_own_field(leave_type: str, field: LeaveField) -> None:
    assert field in fields_for(leave_type, "full" if leave_type != "TC_END_OF_CAREER" else "half")
    others = [t for t in LeaveType if field not in CATALOGUE[t].fields]
    assert all(field not in fields_for(t, CATALOGUE[t].forms[0]) for t in others)


def test_every_step_6_field_is_a_fact_the_rules_read() -> None:
    names = {f.name for f in dataclasses.fields(LeaveRequestFacts)}
    assert {str(field) for field in LeaveField} <= names


def test_every_status_code_is_used_by_some_type() -> None:
    used = set().union(*(spec.statuses for spec in CATALOGUE.values()))
    assert used == set(WorkerStatusCode)
