"""Step 3: the employer confirms or corrects the headcount on 30 June of the previous year (issue 11,
point 3); an unknown figure is shown as unknown, never as 0."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.registries.models import Enterprise, EnterpriseHeadcount
from tests.conftest import ACME_NUMBER, ALICE_NISS

pytestmark = pytest.mark.usefixtures("frozen_today")  # 27 November 2026: the reference year is 2025


def test_an_unknown_headcount_is_shown_as_unknown_with_a_warning(world: Any, login_as: Any) -> None:
    Enterprise.objects.filter(number=ACME_NUMBER).update(reference_headcount=None)
    body = login_as(ALICE_NISS, enterprise=ACME_NUMBER).get(reverse("employer:company")).content.decode()
    assert "Inconnu" in body and "30 juin 2025" in body
    assert "notice-warning" in body


@pytest.mark.parametrize(
    ("registry", "posted", "stored"),
    [(None, "25", 25), (8, "8", 8), (8, "12", 12), (None, "", None), (8, "", None)],
    ids=["unknown-given", "confirmed", "corrected", "unknown-left-empty", "known-left-empty"],
)
def test_next_records_the_headcount_the_employer_gives_for_the_reference_year(
    world: Any, login_as: Any, registry: int | None, posted: str, stored: int | None
) -> None:
    Enterprise.objects.filter(number=ACME_NUMBER).update(reference_headcount=registry)
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(reverse("employer:company"), {"headcount": posted})
    assert response.status_code == 302
    row = EnterpriseHeadcount.objects.filter(enterprise__number=ACME_NUMBER, year=2025).first()
    assert (row.headcount if row else None) == stored
    event = AuditEvent.objects.get(action="careerbreak.company_data.checked")
    if stored is None:
        assert "headcount" not in event.data
    else:
        assert event.data == {"headcount_year": 2025, "headcount": stored, "previous_headcount": registry}
    # The registry's own figure is kept as it was.
    assert Enterprise.objects.get(number=ACME_NUMBER).reference_headcount == registry


@pytest.mark.parametrize(
    ("posted", "message"), [("-3", "négati"), ("douze", "nombre entier"), ("9" * 12, "1")]
)
def test_a_bad_headcount_is_refused_with_a_message_naming_the_field(
    world: Any, login_as: Any, posted: str, message: str
) -> None:
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(reverse("employer:company"), {"headcount": posted})
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and message in body
    assert not EnterpriseHeadcount.objects.exists()
    assert not AuditEvent.objects.filter(action="careerbreak.company_data.checked").exists()
