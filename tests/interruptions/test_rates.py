"""``manage.py import_allowance_rates``: a CSV loaded all or nothing, a bad line refused with its number
and reason, the same file loaded twice adds nothing, another amount for a loaded rate is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import AllowanceRate
from careerbreak.interruptions.rates import DEMO_RATES, RateFileError, parse_rates, rates_import

HEADER = "scheme,form,category,monthly_amount,valid_from,provisional,source\n"
GOOD = HEADER + (
    "thematic,full,standard,896.73,2023-11-01,yes,research\nthematic,full,standard,914.67,2024-05-01,no,ONEM\n"
)


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rates.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_the_command_loads_every_line_and_audits_it(tmp_path: Path) -> None:
    call_command("import_allowance_rates", _file(tmp_path, GOOD))
    rates = list(AllowanceRate.objects.order_by("valid_from"))
    assert [(r.monthly_amount, r.valid_from, r.provisional) for r in rates] == [
        (Decimal("896.73"), datetime.date(2023, 11, 1), True),
        (Decimal("914.67"), datetime.date(2024, 5, 1), False),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.ALLOWANCE_RATES_IMPORTED).count() == 1


@pytest.mark.django_db
def test_loading_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    call_command("import_allowance_rates", path)
    call_command("import_allowance_rates", path)
    assert AllowanceRate.objects.count() == 2


@pytest.mark.django_db
def test_another_amount_for_a_loaded_rate_is_refused_and_nothing_of_the_file_is_loaded(
    tmp_path: Path,
) -> None:
    call_command("import_allowance_rates", _file(tmp_path, GOOD))
    changed = (
        HEADER
        + "thematic,half,standard,421.61,2024-05-01,no,ONEM\nthematic,full,standard,999.00,2024-05-01,no,x\n"
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_allowance_rates", _file(tmp_path, changed))
    assert "3" in str(raised.value) and "914.67" in str(raised.value)
    assert not AllowanceRate.objects.filter(form="half").exists()


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("holiday,full,standard,1.00,2024-01-01,no,x", "holiday"),
        ("thematic,quarter,standard,1.00,2024-01-01,no,x", "quarter"),
        ("thematic,full,royal,1.00,2024-01-01,no,x", "royal"),
        ("thematic,full,standard,9l4.67,2024-01-01,no,x", "9l4.67"),
        ("thematic,full,standard,-1,2024-01-01,no,x", "-1"),
        ("thematic,full,standard,1.001,2024-01-01,no,x", "1.001"),
        ("thematic,full,standard,1.00,01/05/2024,no,x", "01/05/2024"),
        ("thematic,full,standard,1.00,2024-01-01,maybe,x", "maybe"),
        ("thematic,full,standard,1.00,2024-01-01,no,x,extra", ""),
    ],
)
def test_a_bad_line_is_refused_with_its_number_and_what_is_wrong(line: str, fragment: str) -> None:
    text = HEADER + "thematic,full,standard,1.00,2023-01-01,no,x\n" + line + "\n"
    with translation.override("fr"), pytest.raises(RateFileError) as raised:
        parse_rates(text)
    message = str(raised.value.message)
    assert message.startswith("Ligne 3 :")
    assert fragment in message


def test_a_rate_repeated_in_the_file_and_a_missing_column_are_refused() -> None:
    with pytest.raises(RateFileError) as raised:
        parse_rates(GOOD + "thematic,full,standard,896.73,2023-11-01,yes,again\n")
    assert "4" in str(raised.value.message) and "2" in str(raised.value.message)
    with pytest.raises(RateFileError):
        parse_rates("scheme,form,category,monthly_amount\nthematic,full,standard,1\n")
    with pytest.raises(RateFileError):
        parse_rates(HEADER)


@pytest.mark.django_db
def test_an_unreadable_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("import_allowance_rates", str(tmp_path / "missing.csv"))
    assert not AllowanceRate.objects.exists()


@pytest.mark.django_db
def test_the_demo_figures_load_and_are_all_marked_provisional() -> None:
    summary = rates_import(acting=Acting.system(), text=DEMO_RATES.read_text(encoding="utf-8"))
    assert summary.created == AllowanceRate.objects.count() >= 8
    assert not AllowanceRate.objects.filter(provisional=False).exists()
    assert AllowanceRate.objects.filter(
        scheme="thematic", form="full", category="standard", monthly_amount=Decimal("914.67")
    ).exists()
