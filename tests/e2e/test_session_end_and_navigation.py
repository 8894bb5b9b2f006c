"""Issue 15, points 1, 7, 11 and 12 in the browser: a session that ends says so on a page of ours and
the login brings the user back to the step; the language chosen before login comes back after it;
revoking access and deleting a draft ask first; the employer's navigation; logging out asks first.

Jean's language must stay French for the other journeys: the language switched after the end of his
session is switched back before he logs in again. The other journeys use people nobody else uses.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NewJourney
from tests.e2e.support import Journey
from tests.e2e.test_employer_journeys import JEAN
from tests.e2e.test_habits import choose_sophie_from_the_list
from tests.e2e.test_worker_part import log_in_typed

pytestmark = pytest.mark.e2e

OLIVIER = "85120416136"  # Olivier Gilson, French at the identity provider, Brasserie du Parc
CHRISTINE = "76080905863"  # Christine Lemaire, main access manager of the Commune de Wavre
MARC = "64.09.01-033.83"  # Marc Peeters, known to the national register


def end_the_session(j: Journey) -> None:
    """As when the session expires: the browser's session cookie is gone, the rest (CSRF) is still there."""
    j.page.context.clear_cookies(name="sessionid")


def on_our_page_then_back(j: Journey, step: str, *, heading: str, label: str) -> None:
    """On our page that says the session ended (never the identity provider's, from a form), its link to
    the login, and back on ``step`` with the draft."""
    page = j.page
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.url.startswith(j.system.base_url)
    j.check(label)
    page.get_by_role("link", name="Se reconnecter").click()
    j.log_in(JEAN, label=f"{label}-login")
    page.wait_for_url(step)
    expect(page.get_by_role("heading", name="Demande pour Sophie Lambert")).to_be_visible()


def test_after_the_session_ends_a_language_switch_and_a_step_lead_to_our_page_then_back_to_the_step(
    journey: NewJourney,
) -> None:
    j = journey("session-ended")
    page = j.page
    choose_sophie_from_the_list(j)
    expect(page.get_by_role("heading", name="Demande pour Sophie Lambert")).to_be_visible()
    step = page.url

    # The language switched after the end: a page of ours says so (nothing silently blocked), in Dutch,
    # then in French again (Jean's language stays French for the other journeys).
    end_the_session(j)
    page.get_by_role("button", name="NL – Nederlands").click()
    expect(page.get_by_role("heading", name="Uw sessie is beëindigd")).to_be_visible()
    j.check("session-ended-nl")
    page.get_by_role("button", name="FR – Français").click()
    on_our_page_then_back(j, step, heading="Votre session a pris fin", label="session-ended-fr")

    # A step submitted after the end: the same page, then back on the step with the draft.
    page.get_by_label("Congé parental").check()
    end_the_session(j)
    page.get_by_role("button", name="Suivant").click()
    on_our_page_then_back(j, step, heading="Votre session a pris fin", label="session-ended-submit")
    j.check("back-on-the-step")
    # The draft goes on from there.
    page.get_by_label("Congé parental").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("input[name=start_0]")).to_be_visible()


def test_the_language_chosen_on_the_portal_comes_back_after_the_login(journey: NewJourney) -> None:
    j = journey("language-before-login")
    page = j.page
    j.goto("/")
    page.get_by_role("button", name="NL – Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    j.goto("/employer/new/")
    log_in_typed(j, OLIVIER)
    # Olivier reads French at the identity provider; he chose Dutch here: Dutch it is.
    expect(page.get_by_role("heading", name="U bent aangemeld")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Wat volgt")).to_be_visible()
    j.check("logged-in-nl")


def test_access_and_drafts_ask_first_and_every_page_leads_home_and_logout_asks(journey: NewJourney) -> None:
    j = journey("access-navigation")
    page = j.page
    j.goto("/employer/new/")
    log_in_typed(j, CHRISTINE)
    expect(page.get_by_role("heading", name="Vous êtes connecté")).to_be_visible()
    expect(page.get_by_text("Christine Lemaire", exact=True)).to_be_visible()
    page.get_by_role("button", name="Continuer").click()
    nav = page.get_by_role("navigation", name="Interruption de carrière et crédit-temps")
    expect(nav.get_by_role("link", name="Accueil")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Consultation")).to_be_visible()
    expect(nav.get_by_role("link", name="Avertissements à traiter")).to_be_visible()

    # A draft, then its deletion: a question first.
    page.get_by_role("button", name="Suivant").click()
    nav.get_by_role("link", name="Accueil").click()
    page.get_by_role("link", name="Supprimer").first.click()
    expect(page.get_by_role("heading", name="Supprimer ce brouillon ?")).to_be_visible()
    j.check("draft-delete-question")
    page.get_by_role("button", name="Supprimer le brouillon").click()
    expect(page.get_by_role("status")).to_contain_text("Le brouillon a été supprimé.")

    # Access: granted and revoked, each named; revoking asks first.
    page.get_by_role("link", name="Gérer les accès à ce service").click()
    page.get_by_label("Numéro de registre national").fill(MARC)
    page.get_by_label("Nom de famille").fill("Peeters")
    page.get_by_label("Utilisateur", exact=True).check()
    page.get_by_role("button", name="Accorder l'accès").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Accès accordé à Marc Peeters ({MARC}). Rôle : Utilisateur."
    )
    expect(page.get_by_role("cell", name=MARC)).to_be_visible()
    j.check("access-granted")
    page.get_by_role("link", name="Retirer – Marc Peeters").click()
    expect(page.get_by_role("heading", name="Retirer cet accès ?")).to_be_visible()
    j.check("access-revoke-question")
    page.get_by_role("button", name="Retirer l'accès").click()
    expect(page.get_by_role("status")).to_contain_text(f"Accès de Marc Peeters ({MARC}) retiré.")
    expect(page.get_by_role("cell", name=MARC)).to_have_count(0)

    # Consultation leads home too; logging out asks first.
    nav.get_by_role("link", name="Consultation").click()
    expect(nav.get_by_role("link", name="Consultation")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Déconnexion").click()
    expect(page.get_by_role("heading", name="Se déconnecter ?")).to_be_visible()
    j.check("logout-question")
    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("link", name="Déconnexion")).to_have_count(0)
