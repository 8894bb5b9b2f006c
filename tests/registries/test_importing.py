"""import_registry: every row checked, every problem reported by line and field, all or nothing, upsert."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from careerbreak.registries.importing import ImportFailed, import_file, import_rows, raise_for_errors
from careerbreak.registries.models import Employment, Enterprise, Person, PriorLeave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BAKERY = "0812345603"
CARE = "0899000156"
TOWN = "0207777760"
JEAN = "78041213507"
SOPHIE = "90061512202"
MARC = "64090103383"
CHILD = "24021000251"

ENTERPRISES_CSV = (
    ("number,onss_number,name,legal_form,street,postal_code,city,sector,reference_headcount,language\n")
    + f"""0812.345.603,1234567-49,Boulangerie Dubois SRL,SRL,Rue de Bruxelles 41,1300,Wavre,private,8,fr
BE0899000156,,Zorggroep Sint-Anna VZW,VZW,Sint-Annaplein 1,3000,Leuven,private,250,nl
{TOWN},,Commune de Wavre,,Place de l'Hôtel de Ville 1,1300,Wavre,local_public,44,fr
"""
)

PERSONS: list[dict[str, Any]] = [
    {"niss": "78.04.12-135.07", "first_name": "Jean", "last_name": "Dubois", "language": "fr"},
    {
        "niss": SOPHIE,
        "first_name": "Sophie",
        "last_name": "Lambert",
        "birth_date": "1990-06-15",
        "gender": "F",
    },
    {"niss": MARC, "first_name": "Marc", "last_name": "Peeters", "email": "marc@demo.example"},
    {"niss": CHILD, "first_name": "Louise", "last_name": "Lambert"},
]

EMPLOYMENTS_HEADER = (
    "period_id,employer,worker,joint_committee,worker_status,start_date,end_date,weekly_hours,reference_hours"
)


def write(tmp_path: Path, name: str, content: str | list[Any], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def registry(tmp_path: Path) -> None:
    """Enterprises and persons in the database, imported the normal way."""
    raise_for_errors(import_file("enterprises", write(tmp_path, "enterprises.csv", ENTERPRISES_CSV)))
    raise_for_errors(import_file("persons", write(tmp_path, "persons.json", PERSONS)))


def test_a_good_csv_file_of_enterprises_is_imported_with_compact_identifiers(tmp_path: Path) -> None:
    report = import_file("enterprises", write(tmp_path, "e.csv", ENTERPRISES_CSV))
    assert report.ok, report.error_lines()
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    bakery = Enterprise.objects.get(number=BAKERY)
    assert (bakery.onss_number, bakery.name, bakery.reference_headcount) == (
        "123456749",
        "Boulangerie Dubois SRL",
        8,
    )
    assert Enterprise.objects.get(number=CARE).language == "nl"
    assert Enterprise.objects.get(number=TOWN).sector == "local_public"


def test_a_good_json_file_of_persons_is_imported_with_birth_date_gender_and_kind_from_the_number(
    tmp_path: Path,
) -> None:
    report = import_file("persons", write(tmp_path, "p.json", PERSONS))
    assert report.ok, report.error_lines()
    assert report.created == 4
    jean = Person.objects.get(niss=JEAN)
    assert (jean.birth_date, jean.gender, jean.kind) == (date(1978, 4, 12), "M", "niss")
    louise = Person.objects.get(niss=CHILD)
    assert louise.birth_date == date(2024, 2, 10)
    assert louise.gender == "F"


def test_a_semicolon_separated_csv_saved_by_a_spreadsheet_with_a_bom_is_read(tmp_path: Path) -> None:
    content = "\ufeffnumber;name;sector\n0812.345.603;Boulangerie Dubois SRL;private\n"
    report = import_file("enterprises", write(tmp_path, "e.csv", content))
    assert report.ok, report.error_lines()
    assert Enterprise.objects.filter(number=BAKERY).exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tmp_path: Path, registry: None
) -> None:
    path = write(tmp_path, "p.json", PERSONS)
    before = {p.niss: p.updated_at for p in Person.objects.all()}
    report = import_file("persons", path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert {p.niss: p.updated_at for p in Person.objects.all()} == before


def test_a_changed_record_is_updated_by_its_natural_key(tmp_path: Path, registry: None) -> None:
    changed = [dict(PERSONS[0], last_name="Dubois-Lambert"), *PERSONS[1:]]
    report = import_file("persons", write(tmp_path, "p.json", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Person.objects.get(niss=JEAN).last_name == "Dubois-Lambert"
    assert Person.objects.count() == 4


def test_a_column_missing_from_the_file_leaves_that_field_as_it_is(tmp_path: Path, registry: None) -> None:
    content = f"niss,first_name,last_name\n{MARC},Marc,Peeters\n"
    report = import_file("persons", write(tmp_path, "p.csv", content))
    assert (report.updated, report.unchanged) == (0, 1)
    assert Person.objects.get(niss=MARC).email == "marc@demo.example"


def test_employments_are_imported_with_references_to_employer_worker_and_committee(
    tmp_path: Path, registry: None
) -> None:
    content = "\n".join(
        [
            EMPLOYMENTS_HEADER,
            "P1,0812.345.603,90.06.15-122.02,118,PRIVATE_BLUE_COLLAR,2015-03-01,,38,38",
            f'P2,{TOWN},{MARC},,PUBLIC_STATUTORY,1995-09-01,2020-12-31,"30,4",38',
        ]
    )
    report = import_file("employments", write(tmp_path, "e.csv", content))
    assert report.ok, report.error_lines()
    sophie = Employment.objects.get(period_id="P1")
    assert sophie.joint_committee is not None and sophie.worker_status is not None
    assert (sophie.employer.number, sophie.worker.niss, sophie.joint_committee.number) == (
        BAKERY,
        SOPHIE,
        "118",
    )
    assert sophie.worker_status.code == "PRIVATE_BLUE_COLLAR"
    marc = Employment.objects.get(period_id="P2")
    assert marc.joint_committee is None  # public-sector staff have no joint committee
    assert marc.weekly_hours == Decimal("30.40")
    assert marc.end_date == date(2020, 12, 31)


def test_every_bad_row_is_reported_by_line_and_field_and_nothing_is_imported(
    tmp_path: Path, registry: None
) -> None:
    content = "\n".join(
        [
            EMPLOYMENTS_HEADER,
            f"P1,{BAKERY},{SOPHIE},118,PRIVATE_BLUE_COLLAR,2015-03-01,,38,38",
            f"P2,{BAKERY},78041213508,118,PRIVATE_BLUE_COLLAR,2015-03-01,,38,38",
            f"P3,0876543270,{MARC},226,PRIVATE_WHITE_COLLAR,1995-09-01,,38,38",
            f"P4,{BAKERY},{JEAN},118,,2020-01-01,2019-12-31,38,38",
            f"P5,{BAKERY},{MARC},118,,2020-01-01,,40,38",
            f"P6,{BAKERY},{MARC},999,,01/03/2020,,0,38",
            f"P7,{BAKERY},{MARC},,,2020-01-01,,38,38",
            f"P8,{BAKERY},{MARC},200,PRIVATE_BLUE_COLLAR,2020-01-01,,38,38",
            f"P9,{TOWN},{MARC},,PRIVATE_WHITE_COLLAR,2020-01-01,,38,38",
            f"P1,{BAKERY},{MARC},118,,2020-01-01,,38,38",
        ]
    )
    report = import_file("employments", write(tmp_path, "employments.csv", content))
    assert not report.ok
    assert report.error_lines() == [
        "line 3, field worker: Wrong national register number: the check digit does not match: "
        "check the number on the identity card.",
        "line 4, field employer: No enterprise with number 0876543270: import the enterprises first.",
        "line 5, field end_date: The end date 2019-12-31 is before the start date 2020-01-01.",
        "line 6, field weekly_hours: The worker's weekly hours (Q = 40.00) cannot exceed those of a "
        "full-time worker (S = 38.00).",
        "line 7, field joint_committee: No joint committee 999 in the official list.",
        "line 7, field start_date: Write the date as YYYY-MM-DD, for example 2026-03-01.",
        "line 7, field weekly_hours: The weekly hours must be more than 0.",
        "line 8, field joint_committee: A private-sector employment needs its joint committee number "
        "(for example 200).",
        "line 9, field worker_status: The status PRIVATE_BLUE_COLLAR does not fit joint committee 200, "
        "which covers White-collar workers.",
        "line 10, field worker_status: The status PRIVATE_WHITE_COLLAR does not exist in the employer's "
        "sector (local_public).",
        "line 11, field period_id: The same record as line 2 (same period_id): give each record once.",
    ]
    assert (
        report.summary()
        == f"Nothing was imported: 11 errors in employments from {tmp_path / 'employments.csv'}."
    )
    assert Employment.objects.count() == 0  # not even the good line 2


def test_a_bad_row_in_a_json_file_is_reported_by_its_row_number(tmp_path: Path) -> None:
    rows = [
        {"niss": JEAN, "first_name": "Jean", "last_name": "Dubois"},
        {"niss": "7804121350", "first_name": "", "last_name": "X", "nickname": "J"},
        {"niss": SOPHIE, "first_name": "Sophie", "last_name": "Lambert", "birth_date": "1990-06-16"},
        "not an object",
    ]
    report = import_file("persons", write(tmp_path, "p.json", rows))
    assert report.error_lines() == [
        "row 2, field nickname: Unknown column; the columns for persons are: niss, first_name, last_name, "
        "birth_date, gender, language, street, postal_code, city, country, email.",
        "row 2, field niss: A national register number must have 11 digits (for example 85.07.30-033.28): "
        "this one has 10.",
        "row 2, field first_name: This field is required.",
        "row 3, field birth_date: The birth date 1990-06-16 does not match the national register number, "
        "which says 1990-06-15.",
        "row 4: Each record must be an object with named fields.",
    ]
    assert Person.objects.count() == 0


def test_enumerated_values_identifiers_and_numbers_of_enterprises_are_checked(tmp_path: Path) -> None:
    content = "number,onss_number,name,sector,reference_headcount,language,is_social_secretariat\n"
    content += "2123456791,1234567-48,,privat,-3,es,maybe\n"
    report = import_file("enterprises", write(tmp_path, "e.csv", content))
    assert [(e.field, e.code) for e in report.errors] == [
        ("number", "enterprise_first_digit"),
        ("onss_number", "onss_checksum"),
        ("name", "required"),
        ("sector", "invalid_choice"),
        ("reference_headcount", "integer_format"),
        ("language", "invalid_choice"),
        ("is_social_secretariat", "boolean_format"),
    ]


def test_a_csv_header_with_an_unknown_or_missing_column_is_refused_before_any_row(tmp_path: Path) -> None:
    content = "numero,name\n0812345603,Boulangerie\n"
    report = import_file("enterprises", write(tmp_path, "e.csv", content))
    lines = report.error_lines()
    assert lines[0].startswith(
        "line 1, field numero: Unknown column; the columns for enterprises are: number,"
    )
    assert "line 1, field number: This column is missing from the header." in lines
    assert "line 1, field sector: This column is missing from the header." in lines
    assert Enterprise.objects.count() == 0


def test_a_line_with_too_many_cells_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    content = f"number,name,sector\n{BAKERY},Boulangerie,private,extra\n0812345604,X,private\n"
    report = import_file("enterprises", write(tmp_path, "e.csv", content))
    assert report.error_lines() == [
        "line 2: This line has 4 cells but the header has 3.",
        "line 3, field number: Wrong enterprise number: the check digits do not match: check the number "
        "in the Crossroads Bank for Enterprises (BCE/KBO).",
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("e.txt", "number\n", "file_type"),
        ("e.json", '{"number": "0812345603"}', "json_shape"),
        ("e.json", "[{", "json_syntax"),
        ("e.csv", "", "file_empty"),
    ],
)
def test_an_unreadable_file_is_reported_plainly(tmp_path: Path, name: str, content: str, code: str) -> None:
    report = import_file("enterprises", write(tmp_path, name, content))
    assert [e.code for e in report.errors] == [code]


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    assert [e.code for e in import_file("persons", tmp_path / "nope.csv").errors] == ["file_missing"]


def test_a_file_not_in_utf8_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "number,name,sector\n0812345603,Crêperie,private\n", encoding="latin-1")
    assert [e.code for e in import_file("enterprises", path).errors] == ["file_encoding"]


def test_a_dry_run_checks_and_counts_but_writes_nothing(tmp_path: Path) -> None:
    report = import_file("enterprises", write(tmp_path, "e.csv", ENTERPRISES_CSV), dry_run=True)
    assert report.ok
    assert report.created == 3
    assert "dry run" in report.summary()
    assert Enterprise.objects.count() == 0


def test_earlier_leaves_and_children_are_imported_and_linked(tmp_path: Path, registry: None) -> None:
    children = [{"parent": SOPHIE, "child": CHILD}]
    leaves = [
        {
            "worker": SOPHIE,
            "employer": BAKERY,
            "leave_type": "PARENTAL",
            "form": "fifth",
            "start_date": "2024-09-01",
            "end_date": "2025-01-31",
            "subject": CHILD,
        }
    ]
    assert raise_for_errors(import_rows("children", children)).created == 1
    assert raise_for_errors(import_rows("prior_leaves", leaves)).created == 1
    sophie = Person.objects.get(niss=SOPHIE)
    assert [c.niss for c in sophie.children.all()] == [CHILD]
    leave = PriorLeave.objects.get()
    # The legacy "fifth" is stored as the one spelling every layer uses (ADR 0011).
    assert (leave.worker, leave.subject, leave.form) == (sophie, Person.objects.get(niss=CHILD), "1/5")
    again = [import_rows("children", children), import_rows("prior_leaves", leaves)]
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 1), (0, 0, 1)]


def test_an_impossible_child_or_leave_is_refused(registry: None) -> None:
    children = [{"parent": CHILD, "child": SOPHIE}, {"parent": SOPHIE, "child": SOPHIE}]
    assert [e.code for e in import_rows("children", children).errors] == [
        "child_older_than_parent",
        "child_is_parent",
    ]
    leaves = [{"worker": SOPHIE, "leave_type": "HOLIDAY", "form": "third", "start_date": "2024-09-01",
               "end_date": "2024-08-31"}]  # fmt: skip
    assert [(e.field, e.code) for e in import_rows("prior_leaves", leaves).errors] == [
        ("leave_type", "invalid_choice"),
        ("form", "invalid_choice"),
        ("end_date", "end_before_start"),
    ]


def test_callers_that_need_success_get_an_exception_naming_every_problem() -> None:
    report = import_rows("persons", [{"niss": "1", "first_name": "A", "last_name": "B"}], source="test")
    with pytest.raises(ImportFailed) as failure:
        raise_for_errors(report)
    assert "row 1, field niss: A national register number must have 11 digits" in str(failure.value)


def test_the_command_prints_a_summary_when_the_file_is_imported(tmp_path: Path, capsys: Any) -> None:
    path = write(tmp_path, "e.csv", ENTERPRISES_CSV)
    call_command("import_registry", "enterprises", str(path))
    assert (
        f"Imported 3 enterprises from {path}: 3 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    )


def test_the_command_fails_listing_every_error_when_a_row_is_wrong(tmp_path: Path, capsys: Any) -> None:
    path = write(tmp_path, "e.csv", ENTERPRISES_CSV + "0812345604,,Bad,,,,,private,1,fr\n")
    with pytest.raises(CommandError) as failure:
        call_command("import_registry", "enterprises", str(path))
    assert failure.value.returncode == 1
    assert "Nothing was imported: 1 error in enterprises" in str(failure.value)
    assert "line 5, field number: Wrong enterprise number" in capsys.readouterr().err
    assert Enterprise.objects.count() == 0


def test_a_header_problem_is_reported_once_not_on_every_line(tmp_path: Path) -> None:
    content = "number,name\n" + "".join(f"{BAKERY},Boulangerie {i}\n" for i in range(5))
    report = import_file("enterprises", write(tmp_path, "e.csv", content))
    assert report.error_lines() == ["line 1, field sector: This column is missing from the header."]
