"""Issue 15, point 8: every language reads as written in it.

Dates and numbers come from each language's formats (config/formats/<lang>/formats.py), never from a
pattern written in a template or in Python; a label inside a sentence loses the capital it has at the
start of a line; joint-committee names exist in French and Dutch only, and a page in another language
marks them with their language; eBox texts are marked with the language they are written in.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

import careerbreak
from careerbreak.demo.data import BOULANGERIE_DUBOIS_NUMBER, JEAN_DUBOIS_NISS, SOPHIE_LAMBERT_NISS
from careerbreak.interruptions.rules import common
from careerbreak.interruptions.rules.base import display
from careerbreak.interruptions.step_forms import WorkerSelectForm
from careerbreak.interruptions.types import CATALOGUE, LeaveType
from careerbreak.mailbox.models import EboxMessage
from careerbreak.registries.models import JointCommittee
from careerbreak.vocabularies import LeaveForm, Sector
from tests.factories import demo_cast
from tests.request_fixtures import TODAY, file_sophie_s_leave

DAY = datetime.date(2013, 12, 1)
SOURCE = Path(careerbreak.__file__).parent


@pytest.mark.parametrize(
    "language,short,long",
    [
        ("fr", "01/12/2013", "1 décembre 2013"),
        ("nl", "01/12/2013", "1 december 2013"),
        ("de", "01.12.2013", "1. Dezember 2013"),
        ("en", "01/12/2013", "1 December 2013"),
    ],
)
def test_each_language_has_its_explicit_date_formats(language: str, short: str, long: str) -> None:
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(DAY, "DATE_FORMAT") == long
        # The choice is the project's (config/formats), not a Django default that an upgrade may change.
        assert any(module.__name__.startswith("config.formats.") for module in formats.get_format_modules())


@pytest.mark.parametrize("language,number", [("fr", "2,5"), ("nl", "2,5"), ("de", "2,5"), ("en", "2.5")])
def test_numbers_inside_messages_use_the_language_s_decimal_mark(language: str, number: str) -> None:
    from decimal import Decimal

    with translation.override(language):
        assert display(Decimal("2.5")) == number


# A pattern that is not one of the named formats: d/m/Y, "%d/%m/%Y", j.n.Y … The API keeps ISO dates, and
# the operator's command line (audit_person) prints ISO timestamps: neither is a page.
_TEMPLATE_PATTERN = re.compile(r"\|(?:date|time):\"(?![A-Z_]+_FORMAT\")[^\"]*\"")
_PYTHON_PATTERN = re.compile(r"strftime\(|date_format\([^)]*,\s*\"(?![A-Z_]+_FORMAT\")")
_NOT_FOR_READERS = ("api/", "core/management/commands/audit_person.py")


def test_no_template_and_no_message_writes_a_date_pattern_of_its_own() -> None:
    offenders = []
    for path in SOURCE.rglob("*"):
        relative = path.relative_to(SOURCE).as_posix()
        if path.suffix not in {".html", ".txt", ".py"} or relative.startswith(_NOT_FOR_READERS):
            continue
        pattern = _PYTHON_PATTERN if path.suffix == ".py" else _TEMPLATE_PATTERN
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_would_see_a_hard_coded_format() -> None:
    assert _TEMPLATE_PATTERN.search('{{ day|date:"d/m/Y" }}')
    assert not _TEMPLATE_PATTERN.search('{{ day|date:"SHORT_DATE_FORMAT" }}')
    assert _PYTHON_PATTERN.search('value.strftime("%d/%m/%Y")')
    assert _PYTHON_PATTERN.search('date_format(value, "d.m.Y")')
    assert not _PYTHON_PATTERN.search('date_format(value, "DATE_FORMAT")')


@pytest.mark.django_db
def test_a_page_and_a_pdf_in_german_show_dates_as_germans_write_them(
    login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(TODAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            filed = file_sophie_s_leave()
        assert filed.start_date == datetime.date(2027, 2, 1)
        jean = login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)
        jean.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
        page = jean.get(reverse("employer:request_detail", args=[filed.slug])).content.decode()
        assert "01.02.2027 – 30.06.2027" in page
        assert "01/02/2027" not in page

        sophie = login_as(SOPHIE_LAMBERT_NISS, assurance_level=450)
        sophie.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
        pdf = sophie.get(reverse("worker:rights_attestation"))
        assert pdf.status_code == 200
        text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "01.02.2027" in text
        assert "01/02/2027" not in text


def test_a_leave_form_inside_a_sentence_has_no_capital() -> None:
    """ "in de vorm Halftijds" was the label pasted as it stands at the start of a line."""
    facts = SimpleNamespace(spec=CATALOGUE[LeaveType.TC_END_OF_CAREER], form=LeaveForm.FULL)
    [finding] = list(common._form_allowed(facts))  # type: ignore[arg-type]
    with translation.override("nl"):
        assert "in de vorm voltijds. Mogelijke vormen: halftijds, 1/5." in finding.message
        assert str(LeaveForm.HALF.label) == "Halftijds"  # the label itself keeps its capital
    with translation.override("fr"):
        assert "sous la forme temps plein. Formes possibles : mi-temps, 1/5." in finding.message
    with translation.override("de"):
        assert "Vollzeit" in finding.message  # a German noun keeps its capital


def test_a_leave_type_inside_a_sentence_has_no_capital_but_in_german() -> None:
    """ "uw kennisgeving voor Ouderschapsverlof": the type's label pasted mid-sentence."""
    with translation.override("nl"):
        assert LeaveType.PARENTAL.in_sentence == "ouderschapsverlof"
        assert str(LeaveType.PARENTAL.label) == "Ouderschapsverlof"
    with translation.override("en"):
        assert LeaveType.PARENTAL.in_sentence == "parental leave"
    with translation.override("fr"):
        assert LeaveType.PARENTAL.in_sentence == "congé parental"
    with translation.override("de"):
        assert LeaveType.PARENTAL.in_sentence == str(LeaveType.PARENTAL.label)  # a noun keeps its capital


@pytest.mark.django_db
def test_a_joint_committee_named_in_another_language_is_marked_with_it() -> None:
    JointCommittee.objects.update_or_create(
        number="118",
        defaults={
            "name_fr": "Industrie alimentaire",
            "name_nl": "Voedingsnijverheid",
            "worker_category": "blue",
        },
    )
    for language, marked in (("de", 'lang="fr"'), ("en", 'lang="fr"'), ("nl", None), ("fr", None)):
        with translation.override(language):
            html = str(WorkerSelectForm(sector=Sector.PRIVATE)["joint_committee"])
        option = re.search(r"<option[^>]*value=\"118\"[^>]*>", html)
        assert option, html
        if marked:
            assert marked in option.group(0), (language, option.group(0))
        else:
            assert "lang=" not in option.group(0), (language, option.group(0))


@pytest.mark.django_db
def test_an_ebox_message_is_marked_with_the_language_it_is_written_in(login_as: Any) -> None:
    demo_cast()
    sophie = login_as(SOPHIE_LAMBERT_NISS, assurance_level=450)
    message = EboxMessage.objects.create(
        outbox_message_id="00000000-0000-0000-0000-000000000001",
        recipient_niss=SOPHIE_LAMBERT_NISS,
        language="fr",
        subject="Votre demande",
        body="Bonjour",
        subjects={"fr": "Votre demande"},
        bodies={"fr": "Bonjour"},
        kind="test",
        reference="2026/000001",
    )
    sophie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = sophie.get(reverse("worker:ebox")).content.decode()
    assert '<span lang="fr"><strong>Votre demande</strong></span>' in listing
    shown = sophie.get(reverse("worker:ebox_message", args=[message.pk])).content.decode()
    assert '<h1 lang="fr">Votre demande</h1>' in shown
    assert '<p lang="fr">Bonjour</p>' in shown
