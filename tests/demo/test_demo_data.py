"""load_demo_data: the fixed cast exactly as documented, valid identifiers everywhere, and idempotent."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from careerbreak.demo import data as demo
from careerbreak.demo.data import (
    AN_VERHOEVEN_NISS,
    BOULANGERIE_DUBOIS_NUMBER,
    BOULANGERIE_DUBOIS_ONSS,
    JEAN_DUBOIS_NISS,
    LOGISTIQUE_MEUSE_NUMBER,
    LUC_JANSSENS_NISS,
    MARC_PEETERS_NISS,
    SECUPAY_NUMBER,
    SOPHIE_LAMBERT_CHILD_NISS,
    SOPHIE_LAMBERT_NISS,
    WAVRE_NUMBER,
    ZORGGROEP_NUMBER,
    build_demo_records,
    database_digest,
    load_demo_data,
)
from careerbreak.identity.models import AccessGrant, Domain, Mandate, Role
from careerbreak.registries.identifiers import (
    is_valid_enterprise_number,
    is_valid_onss_number,
    niss_birth_date,
    niss_kind,
    normalize_niss,
)
from careerbreak.registries.models import Employment, Enterprise, Person, PriorLeave, Sector
from careerbreak.registries.sources import dimona

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def loaded() -> demo.DemoSummary:
    return load_demo_data()


def grant_roles(niss: str) -> set[tuple[str, str]]:
    return {
        (g.enterprise.number, g.role)
        for g in AccessGrant.objects.active()
        .filter(niss=niss, domain=Domain.CAREER_BREAK)
        .select_related("enterprise")
    }


def test_jean_dubois_is_main_access_manager_of_boulangerie_dubois_with_8_workers(loaded: object) -> None:
    jean = Person.objects.get(niss=JEAN_DUBOIS_NISS)
    assert (jean.first_name, jean.last_name) == ("Jean", "Dubois")
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    assert (bakery.name, bakery.onss_number, bakery.sector) == (
        "Boulangerie Dubois SRL",
        BOULANGERIE_DUBOIS_ONSS,
        "private",
    )
    assert bakery.reference_headcount == 8
    assert grant_roles(JEAN_DUBOIS_NISS) == {(BOULANGERIE_DUBOIS_NUMBER, Role.MAIN_ACCESS_MANAGER)}
    current = Employment.objects.filter(employer=bakery).current(TODAY)
    assert current.count() == 8
    assert dimona().workers_under_contract(bakery, on=TODAY) == 8
    assert {
        e.joint_committee.number for e in current.select_related("joint_committee") if e.joint_committee
    } >= {"118"}


def test_an_verhoeven_is_a_user_at_zorggroep_with_250_workers_and_its_own_manager(loaded: object) -> None:
    an = Person.objects.get(niss=AN_VERHOEVEN_NISS)
    assert (an.first_name, an.last_name, an.gender, an.language) == ("An", "Verhoeven", "F", "nl")
    care = Enterprise.objects.get(number=ZORGGROEP_NUMBER)
    assert (care.name, care.sector, care.reference_headcount) == ("Zorggroep Sint-Anna VZW", "private", 250)
    assert grant_roles(AN_VERHOEVEN_NISS) == {(ZORGGROEP_NUMBER, Role.USER)}
    assert dimona().workers_under_contract(care, on=TODAY) == 250
    assert Employment.objects.filter(employer=care).current(TODAY).count() == 250
    assert set(
        Employment.objects.filter(employer=care).values_list("joint_committee__number", flat=True)
    ) == {"330"}
    managers = AccessGrant.objects.active().filter(enterprise=care, role=Role.MAIN_ACCESS_MANAGER)
    assert managers.count() == 1
    assert managers.get().niss != AN_VERHOEVEN_NISS
    assert Person.objects.filter(niss=managers.get().niss).exists()


def test_luc_janssens_uses_the_secretariat_secupay_which_holds_mandates_for_several_employers(
    loaded: object,
) -> None:
    assert grant_roles(LUC_JANSSENS_NISS) == {(SECUPAY_NUMBER, Role.USER)}
    secupay = Enterprise.objects.get(number=SECUPAY_NUMBER)
    assert secupay.is_social_secretariat
    assert is_valid_enterprise_number(secupay.number) and is_valid_onss_number(secupay.onss_number)
    assert AccessGrant.objects.active().filter(enterprise=secupay, role=Role.MAIN_ACCESS_MANAGER).count() == 1
    open_mandates = Mandate.objects.filter(secretariat=secupay).valid_on(TODAY)
    employers = set(open_mandates.values_list("employer__number", flat=True))
    assert BOULANGERIE_DUBOIS_NUMBER in employers
    assert len(employers) >= 3
    bakery_mandate = open_mandates.get(employer__number=BOULANGERIE_DUBOIS_NUMBER)
    assert bakery_mandate.valid_from < TODAY
    assert bakery_mandate.valid_until is None
    assert bakery_mandate.domain == Domain.CAREER_BREAK


def test_sophie_lambert_works_full_time_at_the_bakery_since_2015_and_has_a_child_born_in_2024(
    loaded: object,
) -> None:
    sophie = Person.objects.get(niss=SOPHIE_LAMBERT_NISS)
    assert (sophie.first_name, sophie.last_name, sophie.gender, sophie.language) == (
        "Sophie",
        "Lambert",
        "F",
        "fr",
    )
    employment = dimona().employment_of(BOULANGERIE_DUBOIS_NUMBER, SOPHIE_LAMBERT_NISS, on=TODAY)
    assert employment is not None
    assert (employment.start_date, employment.end_date) == (datetime.date(2015, 3, 1), None)
    assert employment.weekly_hours == employment.reference_hours == Decimal("38")
    assert employment.is_full_time
    assert employment.joint_committee is not None and employment.joint_committee.number == "118"
    children = list(sophie.children.all())
    assert [c.niss for c in children] == [SOPHIE_LAMBERT_CHILD_NISS]
    assert children[0].niss.startswith("240210")
    assert children[0].birth_date == datetime.date(2024, 2, 10)
    assert normalize_niss(children[0].niss) == children[0].niss


def test_marc_peeters_works_full_time_at_logistique_meuse_since_1995(loaded: object) -> None:
    employment = dimona().employment_of(LOGISTIQUE_MEUSE_NUMBER, MARC_PEETERS_NISS, on=TODAY)
    assert employment is not None
    assert employment.start_date.year == 1995 and employment.end_date is None
    assert employment.is_full_time
    assert employment.joint_committee is not None and employment.joint_committee.number == "226"
    logistics = Enterprise.objects.get(number=LOGISTIQUE_MEUSE_NUMBER)
    assert (logistics.name, logistics.sector) == ("Logistique Meuse SA", "private")
    assert 55 <= dimona().workers_under_contract(logistics, on=TODAY) <= 65


def test_the_local_public_employer_has_workers_without_joint_committee_and_a_manager(loaded: object) -> None:
    town = Enterprise.objects.get(number=WAVRE_NUMBER)
    assert town.sector == Sector.LOCAL_PUBLIC
    current = Employment.objects.filter(employer=town).current(TODAY)
    assert current.count() >= 10
    assert set(current.values_list("worker_status__code", flat=True)) <= {
        "PUBLIC_CONTRACTUAL",
        "PUBLIC_STATUTORY",
        "PUBLIC_TRAINEE",
    }
    assert not current.filter(joint_committee__isnull=False).exists()
    assert AccessGrant.objects.active().filter(enterprise=town, role=Role.MAIN_ACCESS_MANAGER).count() == 1


def test_every_enterprise_has_a_main_access_manager_and_valid_numbers(loaded: object) -> None:
    for enterprise in Enterprise.objects.all():
        assert is_valid_enterprise_number(enterprise.number), enterprise
        assert is_valid_onss_number(enterprise.onss_number), enterprise
        assert (
            AccessGrant.objects.active().filter(enterprise=enterprise, role=Role.MAIN_ACCESS_MANAGER).exists()
        )
    assert Enterprise.objects.filter(reference_headcount__lt=10).exists()
    assert Enterprise.objects.filter(reference_headcount__gt=100).exists()


def test_a_few_hundred_persons_all_with_a_valid_number_that_matches_their_birth_date_and_gender(
    loaded: object,
) -> None:
    persons = list(Person.objects.all())
    assert 300 <= len(persons) <= 1000
    for person in persons:
        assert normalize_niss(person.niss) == person.niss
        assert niss_kind(person.niss) == person.kind
        assert niss_birth_date(person.niss) == person.birth_date
        assert person.gender == ("M" if int(person.niss[6:9]) % 2 else "F")
    languages = Counter(p.language for p in persons)
    assert languages["nl"] >= 20 and languages["de"] >= 5 and languages["fr"] >= 20
    assert any(p.birth_date and p.birth_date.year >= 2000 for p in persons)
    assert any(p.kind == "bis" for p in persons)


def test_the_employments_mix_ended_part_time_blue_and_white_collar_with_matching_committees(
    loaded: object,
) -> None:
    employments = list(Employment.objects.select_related("joint_committee", "worker_status"))
    assert any(e.end_date is not None for e in employments)
    assert any(e.weekly_hours < e.reference_hours for e in employments)
    statuses = Counter(e.worker_status.code for e in employments if e.worker_status)
    assert statuses["PRIVATE_BLUE_COLLAR"] > 0 and statuses["PRIVATE_WHITE_COLLAR"] > 0
    for e in employments:
        assert e.worker_status is not None
        if e.joint_committee is not None:
            assert e.worker_status.fits_committee(e.joint_committee), e


def test_some_workers_have_children_and_an_earlier_leave_history(loaded: object) -> None:
    assert Person.children.through.objects.count() >= 30
    leaves = list(PriorLeave.objects.select_related("subject"))
    assert len(leaves) >= 10
    kinds = {leave.leave_type for leave in leaves}
    assert "PARENTAL" in kinds
    assert kinds & {"TC_CHILD_CARE", "TC_TRAINING"}
    for leave in leaves:
        if leave.subject is not None:
            assert leave.subject in leave.worker.children.all()
            assert leave.subject.birth_date is not None
            assert leave.start_date > leave.subject.birth_date


def test_loading_twice_changes_nothing(loaded: demo.DemoSummary) -> None:
    counts = {
        model: model.objects.count()
        for model in (Person, Enterprise, Employment, PriorLeave, AccessGrant, Mandate)
    }
    digest = database_digest()
    updated_at = dict(Person.objects.values_list("niss", "updated_at"))
    second = load_demo_data()
    assert (second.created, second.updated) == (0, 0)
    assert {model: model.objects.count() for model in counts} == counts
    assert database_digest() == digest
    assert dict(Person.objects.values_list("niss", "updated_at")) == updated_at


def test_the_records_are_the_same_on_every_run_whatever_the_date() -> None:
    first, second = build_demo_records(), build_demo_records()
    assert first == second
    assert build_demo_records(seed=1).persons != first.persons


def test_the_command_loads_the_data_and_prints_a_short_summary() -> None:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    text = out.getvalue()
    assert "Demo data: 7 enterprises" in text
    assert "Jean Dubois 78041213507" in text
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
