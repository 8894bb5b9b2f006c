"""The reference data every database gets from the migrations: joint committees and worker statuses."""

from __future__ import annotations

import pytest
from django.utils import translation

from careerbreak.registries.importing import load_reference_data
from careerbreak.registries.models import JointCommittee, Sector, WorkerCategory, WorkerStatus

pytestmark = pytest.mark.django_db

# The committees listed in the research file (domain-research.md §7), 218 (abolished in 2015) among them.
# fmt: off
RESEARCH_COMMITTEES = (
    "100", "102", "104", "105", "109", "110", "111", "112", "116", "118", "119", "121", "124", "140",
    "144", "145", "149", "152", "200", "201", "202", "207", "209", "218", "220", "225", "226", "302",
    "304", "306", "307", "310", "311", "312", "313", "314", "317", "318", "319", "322", "323", "327",
    "329", "330", "331", "332", "335", "336", "337",
)
# fmt: on


def test_every_committee_of_the_research_file_is_there_after_migrate() -> None:
    numbers = set(JointCommittee.objects.values_list("number", flat=True))
    assert len(RESEARCH_COMMITTEES) >= 46
    assert set(RESEARCH_COMMITTEES) <= numbers
    assert {"202.01", "322.01"} <= numbers


def test_every_committee_has_its_official_french_and_dutch_name_and_its_workers() -> None:
    for committee in JointCommittee.objects.all():
        assert committee.name_fr.startswith(("Commission paritaire", "Sous-commission paritaire")), (
            committee.number
        )
        assert committee.name_nl.startswith(
            ("Paritair Comité", "Paritair Subcomité", "Aanvullend Paritair Comité", "Aanvullend Nationaal")
        ), committee.number
        assert committee.worker_category in WorkerCategory.values


@pytest.mark.parametrize(
    ("number", "name_fr", "name_nl", "workers"),
    [
        (
            "118",
            "Commission paritaire de l'industrie alimentaire",
            "Paritair Comité voor de voedingsnijverheid",
            "blue",
        ),
        (
            "200",
            "Commission paritaire auxiliaire pour employés",
            "Aanvullend Paritair Comité voor de bedienden",
            "white",
        ),
        (
            "226",
            "Commission paritaire pour les employés du commerce international, du transport "
            "et de la logistique",
            "Paritair Comité voor de bedienden uit de internationale handel, het vervoer en de logistiek",
            "white",
        ),
        (
            "330",
            "Commission paritaire des établissements et des services de santé",
            "Paritair Comité voor de gezondheidsinrichtingen en -diensten",
            "both",
        ),
    ],
)
def test_the_committees_of_the_demo_employers_carry_their_full_official_names(
    number: str, name_fr: str, name_nl: str, workers: str
) -> None:
    committee = JointCommittee.objects.get(number=number)
    assert (committee.name_fr, committee.name_nl, committee.worker_category) == (name_fr, name_nl, workers)
    assert committee.active


def test_the_abolished_committee_218_is_kept_but_inactive() -> None:
    assert not JointCommittee.objects.get(number="218").active


def test_a_committee_is_named_in_dutch_for_dutch_speakers_and_in_french_otherwise() -> None:
    committee = JointCommittee.objects.get(number="118")
    with translation.override("nl"):
        assert str(committee) == "118 – Paritair Comité voor de voedingsnijverheid"
    with translation.override("de"):
        assert committee.name == "Commission paritaire de l'industrie alimentaire"


def test_the_worker_statuses_are_there_with_four_labels_and_their_sectors() -> None:
    statuses = {s.code: s for s in WorkerStatus.objects.all()}
    assert list(statuses) == [
        "PRIVATE_BLUE_COLLAR",
        "PRIVATE_WHITE_COLLAR",
        "PUBLIC_CONTRACTUAL",
        "PUBLIC_STATUTORY",
        "PUBLIC_TRAINEE",
        "TEACHING_STAFF",
        "AUTONOMOUS_PUBLIC_COMPANY",
    ]
    for status in statuses.values():
        assert all([status.label_fr, status.label_nl, status.label_de, status.label_en])
        assert status.sectors and set(status.sectors) <= set(Sector.values)
    assert (statuses["PRIVATE_BLUE_COLLAR"].label_fr, statuses["PRIVATE_WHITE_COLLAR"].label_fr) == (
        "Ouvrier",
        "Employé",
    )
    assert Sector.PRIVATE in statuses["PRIVATE_WHITE_COLLAR"].sectors
    assert statuses["PUBLIC_STATUTORY"].sectors == ["federal_public", "regional_public", "local_public"]
    assert statuses["TEACHING_STAFF"].sectors == ["education"]
    with translation.override("de"):
        assert str(statuses["PRIVATE_BLUE_COLLAR"]) == "Arbeiter"


def test_a_blue_collar_status_fits_blue_and_mixed_committees_only() -> None:
    blue = WorkerStatus.objects.get(code="PRIVATE_BLUE_COLLAR")
    assert blue.fits_committee(JointCommittee.objects.get(number="118"))
    assert blue.fits_committee(JointCommittee.objects.get(number="330"))
    assert not blue.fits_committee(JointCommittee.objects.get(number="200"))
    assert WorkerStatus.objects.get(code="PUBLIC_STATUTORY").fits_committee(
        JointCommittee.objects.get(number="200")
    )


def test_loading_the_reference_data_again_changes_nothing() -> None:
    reports = load_reference_data()
    assert [(r.kind, r.created, r.updated) for r in reports] == [
        ("joint_committees", 0, 0),
        ("worker_statuses", 0, 0),
    ]
    assert sum(r.unchanged for r in reports) == JointCommittee.objects.count() + WorkerStatus.objects.count()


def test_a_changed_name_is_put_back_by_loading_the_reference_data() -> None:
    JointCommittee.objects.filter(number="118").update(name_nl="wrong")
    reports = load_reference_data()
    assert reports[0].updated == 1
    assert JointCommittee.objects.get(number="118").name_nl == "Paritair Comité voor de voedingsnijverheid"
