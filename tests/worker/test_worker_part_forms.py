"""The worker part's forms: IBAN (SEPA only, BIC abroad), dates, household; each mistake names its field."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from careerbreak.interruptions.worker_part_data import ActivityKind, DomicileZone, Household
from careerbreak.worker.part_forms import ActivitiesForm, HouseholdForm, IdentityForm, NeedsForm, PaymentForm
from tests.request_fixtures import date_parts


def payment(**data: str) -> PaymentForm:
    return PaymentForm({"holder_confirmed": "on", **data})


@pytest.mark.parametrize("iban", ["BE71 0961 2345 6769", "be71096123456769", "BE71-0961-2345-6769"])
def test_a_belgian_iban_is_accepted_in_any_usual_spelling_without_a_bic(iban: str) -> None:
    form = payment(iban=iban)
    assert form.is_valid(), form.errors
    assert form.section().iban == "BE71096123456769"
    assert form.section().bic == ""


def test_a_wrong_check_digit_is_refused_naming_the_field() -> None:
    with translation.override("en"):
        form = payment(iban="BE72 0961 2345 6769")
        assert not form.is_valid()
        assert "not valid" in form.errors["iban"][0]


def test_an_iban_outside_sepa_is_refused() -> None:
    # Brazil has IBANs, but is not in the Single Euro Payments Area.
    with translation.override("en"):
        form = payment(iban="BR1800360305000010009795493C1", bic="ABCDBRSP")
        assert not form.is_valid()
        assert "SEPA" in form.errors["iban"][0]


def test_a_foreign_sepa_iban_needs_a_valid_bic() -> None:
    assert not payment(iban="NL91ABNA0417164300").is_valid()
    bad = payment(iban="NL91ABNA0417164300", bic="ABN")
    assert not bad.is_valid() and "bic" in bad.errors
    good = payment(iban="NL91 ABNA 0417 1643 00", bic="abnanl2a")
    assert good.is_valid(), good.errors
    assert good.section().bic == "ABNANL2A"


def test_the_worker_must_confirm_holding_the_account() -> None:
    form = PaymentForm({"iban": "BE71096123456769"})
    assert not form.is_valid()
    assert "holder_confirmed" in form.errors


def test_a_household_only_with_children_needs_at_least_one() -> None:
    form = HouseholdForm({"situation": Household.ONLY_CHILDREN, "dependent_children": "0"})
    assert not form.is_valid()
    assert "dependent_children" in form.errors
    assert HouseholdForm({"situation": Household.ALONE, "dependent_children": "0"}).is_valid()


@pytest.mark.parametrize("value", ["-1", "abc", "21", "1e3", "²"])
def test_a_number_of_children_that_is_not_a_count_is_refused(value: str) -> None:
    form = HouseholdForm({"situation": Household.PARTNER, "dependent_children": value})
    assert not form.is_valid()
    assert "dependent_children" in form.errors


def test_a_domicile_abroad_needs_its_country() -> None:
    data = {"zone": DomicileZone.EEA, "street": "Hauptstraße 1", "postal_code": "52062", "city": "Aachen"}
    assert "country" in IdentityForm(data).errors
    form = IdentityForm({**data, "country": "Allemagne"})
    assert form.is_valid()
    assert form.section().country == "Allemagne"


def test_an_activity_ticked_needs_its_start_and_an_end_after_it() -> None:
    kind = ActivityKind.SELF_EMPLOYED.value
    assert f"{kind}_start" in ActivitiesForm({kind: "on"}).errors
    backwards = ActivitiesForm(
        {
            kind: "on",
            **date_parts(f"{kind}_start", datetime.date(2026, 5, 1)),
            **date_parts(f"{kind}_end", datetime.date(2026, 4, 1)),
        }
    )
    assert f"{kind}_end" in backwards.errors
    impossible = ActivitiesForm(
        {kind: "on", f"{kind}_start_0": "31", f"{kind}_start_1": "2", f"{kind}_start_2": "2026"}
    )
    assert f"{kind}_start" in impossible.errors
    nothing = ActivitiesForm({})
    assert nothing.is_valid()
    assert nothing.section() == ()


def test_another_child_needs_its_name_and_dates() -> None:
    form = NeedsForm({"child": "other"}, kind="child", children=[])
    assert not form.is_valid()
    assert {"child_name", "child_birth_date", "child_registered_on"} <= set(form.errors)


def test_the_person_cared_for_has_a_checked_national_number() -> None:
    form = NeedsForm(
        {"person_name": "Paul Lambert", "person_niss": "12345678901", "relation": "parent"},
        kind="patient",
        children=[],
    )
    assert not form.is_valid()
    assert "person_niss" in form.errors
    ok = NeedsForm({"person_name": "Paul Lambert", "relation": "parent"}, kind="patient", children=[])
    assert ok.is_valid(), ok.errors
