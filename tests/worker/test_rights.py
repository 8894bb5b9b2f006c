"""'Mes droits': the worker's months used and left with the periods behind them, and the attestation
(PDF/UA-1) downloaded from the page — each read audited, and nobody else's periods shown."""

from __future__ import annotations

import datetime
import html as html_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.documents.wording import written_date
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.registries.models import Enterprise, Person, PriorLeave
from careerbreak.vocabularies import LeaveForm, LeaveType
from tests.documents.conftest import catalog, text_of, xmp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

ROUTES = ("worker:rights", "worker:rights_attestation")
D_2025_1_1, D_2025_6_30 = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)


@pytest.fixture
def history(filed: LeaveRequest) -> PriorLeave:
    """Sophie's parental leave for Louise (filed, 1/5) and an earlier half-time time credit, with the
    bakery, from the office's records."""
    return PriorLeave.objects.create(
        worker=Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS),
        employer=Enterprise.objects.get(number=filed.enterprise.number),
        leave_type=LeaveType.TC_CHILD_CARE,
        form=LeaveForm.HALF,
        start_date=D_2025_1_1,
        end_date=D_2025_6_30,
    )


def client_for(login_as: Any, niss: str = demo_data.SOPHIE_LAMBERT_NISS, language: str = "fr") -> Client:
    client = login_as(niss, assurance_level=450)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response: Any) -> str:
    return html_module.unescape(response.content.decode())


def test_the_home_links_to_my_rights(filed: LeaveRequest, login_as: Any) -> None:
    html = text(client_for(login_as).get(reverse("worker:home")))
    assert reverse("worker:rights") in html
    assert "Mes droits" in html


def test_the_page_shows_months_used_and_left_with_the_periods_in_french(
    filed: LeaveRequest, history: PriorLeave, login_as: Any
) -> None:
    response = client_for(login_as).get(reverse("worker:rights"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = text(response)
    assert "<h1>Mes droits</h1>" in html
    # Parental leave for Louise, named from the national register, with the filed period behind it.
    assert "Congé parental, par enfant : Louise Lambert, né(e) le 10/02/2024" in html
    start, end = filed.start_date.strftime("%d/%m/%Y"), filed.end_date.strftime("%d/%m/%Y")
    assert f"{start} – {end}" in html
    assert "En cours" in html
    # The earlier half-time time credit: 6 calendar months of the 51, 45 left; recorded by the office.
    assert "01/01/2025 – 30/06/2025" in html
    assert "45 mois" in html
    assert "Enregistrée" in html or "Enregistré" in html
    assert "Boulangerie Dubois" in html
    assert reverse("worker:rights_attestation") in html


def test_the_figures_come_from_the_same_counting_as_the_rules(filed: LeaveRequest, login_as: Any) -> None:
    from careerbreak.interruptions.rules import parental
    from careerbreak.interruptions.selectors import prior_periods

    periods = prior_periods(worker=Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS))
    used = parental.used_full_time_equivalent(periods, demo_data.SOPHIE_LAMBERT_CHILD_NISS)
    left = parental.PER_CHILD_FULL_MONTHS.at(filed.start_date) - used
    html = text(client_for(login_as, language="en").get(reverse("worker:rights")))
    assert "Parental leave, per child: Louise Lambert" in html
    assert f"<dd>{_months(used)}</dd>" in html
    assert f"<dd>{_months(left)}" in html


def _months(value: Any) -> str:
    from careerbreak.interruptions.rules.base import Months

    return str(Months(value))


@pytest.mark.parametrize(
    ("language", "title", "parental"),
    [
        ("fr", "Mes droits", "Congé parental"),
        ("nl", "Mijn rechten", "Ouderschapsverlof"),
        ("de", "Meine Rechte", "Elternurlaub"),
        ("en", "My rights", "Parental leave"),
    ],
)
def test_the_page_in_each_language(
    filed: LeaveRequest, login_as: Any, language: str, title: str, parental: str
) -> None:
    html = text(client_for(login_as, language=language).get(reverse("worker:rights")))
    assert f"<h1>{title}</h1>" in html
    assert parental in html


def test_every_read_is_audited(filed: LeaveRequest, login_as: Any) -> None:
    client = client_for(login_as)
    client.get(reverse("worker:rights"))
    client.get(reverse("worker:rights_attestation"))
    rows = AuditEvent.objects.filter(subject_niss=demo_data.SOPHIE_LAMBERT_NISS, object_type="rights")
    assert sorted(rows.values_list("action", flat=True)) == sorted(
        [AuditAction.RIGHTS_VIEWED, AuditAction.RIGHTS_ATTESTATION_DOWNLOADED]
    )
    assert set(rows.values_list("actor_niss", flat=True)) == {demo_data.SOPHIE_LAMBERT_NISS}


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Périodes utilisées"), ("nl", "Gebruikte periodes")]
)
def test_the_attestation_is_an_accessible_pdf_in_the_worker_s_language(
    filed: LeaveRequest, history: PriorLeave, login_as: Any, language: str, heading: str
) -> None:
    response = client_for(login_as, language=language).get(reverse("worker:rights_attestation"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    root = catalog(pdf)
    assert root["/Lang"] == language
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert 'pdfuaid:part="1"' in xmp(pdf)
    content = text_of(pdf)
    assert heading in content
    assert "Sophie Lambert" in content
    with translation.override(language):  # dates in the locale's short format (de: 01.01.2025)
        days = [date_format(d, "SHORT_DATE_FORMAT") for d in (D_2025_1_1, D_2025_6_30, filed.start_date)]
    assert all(day in content for day in days), days
    assert "Louise Lambert" in content
    # The birth date and the day of the situation in words, as an official letter writes them.
    with translation.override(language):
        assert written_date(datetime.date(1990, 6, 15)) in content
        assert written_date(timezone.localdate()) in content


def test_anonymous_is_sent_to_log_in() -> None:
    for name in ROUTES:
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert reverse("identity:login") in response["Location"]


@pytest.mark.parametrize(
    "niss", [demo_data.JEAN_DUBOIS_NISS, demo_data.MARC_PEETERS_NISS], ids=["the employer", "another worker"]
)
def test_the_employer_and_another_worker_see_only_their_own(
    filed: LeaveRequest, history: PriorLeave, login_as: Any, niss: str
) -> None:
    client = client_for(login_as, niss=niss)
    html = text(client.get(reverse("worker:rights")))
    assert "Louise Lambert" not in html
    assert "01/01/2025" not in html
    assert filed.start_date.strftime("%d/%m/%Y") not in html
    pdf = client.get(reverse("worker:rights_attestation")).content
    content = text_of(pdf)
    assert "Sophie Lambert" not in content and "Louise Lambert" not in content
    assert not AuditEvent.objects.filter(
        object_type="rights", subject_niss=demo_data.SOPHIE_LAMBERT_NISS
    ).exists()


def test_post_is_refused(filed: LeaveRequest, login_as: Any) -> None:
    for name in ROUTES:
        assert client_for(login_as).post(reverse(name)).status_code == 405
