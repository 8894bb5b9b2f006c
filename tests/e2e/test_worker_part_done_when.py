"""Issue 12's "done when", on ``make run``'s demo data (its own served system, with Sophie Lambert's demo
request, which the other journeys leave out): Sophie logs in with the development identity provider,
completes the worker part of the request Boulangerie Dubois filed, finds the acknowledgement in her eBox,
and Jean Dubois then sees *Complète* in Consultation. axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.test_worker_part import IBAN, certify_and_send, employer_sees_complete, the_acknowledgement
from tests.e2e.test_worker_part_more import follow_pages

pytestmark = pytest.mark.e2e

JEAN = "78041213507"
SOPHIE = "90061512202"
PARTNER = "Je vis avec un partenaire (marié ou non)"


def test_sophie_completes_her_demo_request_and_jean_sees_complete(
    journey: NewJourney, demo_system: LiveSystem
) -> None:
    ticket = demo_system.seed["demo_ticket"]
    j = journey("done-when-sophie", system=demo_system)
    page = j.page
    j.goto("/worker/")
    j.log_in(SOPHIE)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Demandes à compléter")).to_be_visible()
    j.check("sophie-home")
    page.get_by_role("link", name=ticket).first.click()
    expect(page.get_by_role("heading", name=f"Demande {ticket}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Boulangerie Dubois")
    expect(page.locator("main")).to_contain_text("Congé parental")
    j.check("employer-part")
    page.get_by_role("link", name="Compléter ma partie").click()

    def household() -> None:
        page.get_by_label(PARTNER).check()
        page.get_by_label("Nombre d'enfants à charge").fill("1")

    def payment() -> None:
        page.get_by_label("Numéro de compte (IBAN)").fill(IBAN)
        page.get_by_label("Je suis titulaire de ce compte, seul ou avec d'autres").check()

    seen = follow_pages(
        j,
        {"Ménage": household, "Paiement": payment},
        next_label="Suivant",
        summary="Vérifiez vos réponses avant d'envoyer",
    )
    assert "Paiement" in seen, seen
    certify_and_send(j)
    subject = f"Votre partie travailleur de la demande {ticket} a été envoyée"
    text = the_acknowledgement(j, ebox="Aller à mon eBox", listed=subject, heading=subject)
    assert ticket in text and IBAN in text and PARTNER in text

    # Jean Dubois, the bakery's manager: "Complète" in Consultation, and nothing of Sophie's answers.
    e = journey("done-when-jean", system=demo_system)
    employer = e.page
    e.goto("/employer/consultation/")
    e.log_in(JEAN)
    expect(employer.get_by_role("heading", name="Consultation", level=1)).to_be_visible()
    # The bakery has fewer than 100 workers: Consultation lists its requests without a search.
    employer_sees_complete(e, ticket, complete="Complète", sent_on="partie travailleur envoyée le")
