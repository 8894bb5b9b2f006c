"""Habits of good public services: the session-timeout warning, drafts that survive the end of a session,
pages that work without JavaScript, a language choice that is remembered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey
from tests.e2e.test_employer_journeys import JEAN, fill_period, through_step_6

pytestmark = pytest.mark.e2e

LUC = "75022805713"


def test_a_warning_comes_before_the_session_ends_and_stay_logged_in_extends_it(journey: NewJourney) -> None:
    j = journey("session-timeout")
    page = j.page
    page.clock.install()
    j.goto("/employer/new/")
    j.log_in(JEAN)
    page.get_by_role("button", name="Continuer").click()
    warning = page.locator("#session-timeout")
    expect(warning).to_be_hidden()
    # 30 minutes of session: the warning comes 5 minutes before the end, and takes the focus.
    page.clock.fast_forward("24:00")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("01:01")
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    expect(warning.get_by_role("heading", name="Votre session va bientôt se terminer")).to_be_visible()
    j.check("session-warning")
    with page.expect_response(lambda r: r.url.endswith("/session/keepalive/")) as answer:
        warning.get_by_role("button", name="Rester connecté").click()
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
    # Ignored this time: at the end the page says so, and how to go on.
    page.clock.fast_forward("30:01")
    expect(warning.get_by_role("heading", name="Votre session a pris fin")).to_be_visible()
    expect(warning.get_by_role("link", name="Se reconnecter")).to_be_visible()
    j.check("session-ended")


def choose_sophie_from_the_list(j: Journey) -> None:
    """Jean logs in from the service, goes past the company page and chooses Sophie, an employee, from the
    Dimona list: the type step comes next."""
    page = j.page
    j.goto("/employer/new/")
    j.log_in(JEAN)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Choisir – Sophie Lambert").click()
    page.get_by_label("Statut du travailleur").select_option("PRIVATE_WHITE_COLLAR")
    page.get_by_role("button", name="Sélectionner").click()


def test_a_draft_survives_the_end_of_the_session(journey: NewJourney) -> None:
    j = journey("draft-survives")
    page = j.page
    choose_sophie_from_the_list(j)
    expect(page.get_by_role("heading", name="Demande pour Sophie Lambert")).to_be_visible()
    # The session ends (its cookie is gone, as when it expires).
    page.context.clear_cookies()
    page.reload()
    j.log_in(JEAN, label="login-again")
    # Back where the user was, with the draft.
    expect(page.get_by_role("heading", name="Demande pour Sophie Lambert")).to_be_visible()
    j.goto("/employer/company/")
    drafts = page.locator("table", has=page.get_by_role("cell", name="Sophie Lambert"))
    expect(drafts.first).to_be_visible()
    j.check("drafts")
    drafts.first.get_by_role("link", name="Reprendre").first.click()
    expect(page.get_by_role("heading", name="Demande pour Sophie Lambert")).to_be_visible()


def test_the_employer_journey_works_without_javascript(journey: NewJourney, live_system: LiveSystem) -> None:
    j = journey("no-javascript", javascript=False)
    page = j.page
    plan = live_system.seed["plans"]["no-javascript"]
    choose_sophie_from_the_list(j)
    page.get_by_label("Congé parental").check()
    page.get_by_role("button", name="Suivant").click()
    fill_period(j, plan)
    page.locator("input[name=end_0]").fill("")
    page.get_by_role("button", name="Suivant").click()
    # The error summary is there without JavaScript; its link leads to the field.
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("link", name="Date de fin")).to_have_attribute("href", "#id_end")
    assert page.title().startswith("Erreur :")
    j.check("error-summary")
    through_step_6(j, plan)
    page.get_by_label("Je certifie que les données introduites sont exactes et complètes").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Demande confirmée")).to_be_visible()
    j.check("ticket")


def test_the_language_chosen_is_remembered_for_the_user(journey: NewJourney) -> None:
    j = journey("language-remembered")
    page = j.page
    j.goto("/employer/new/")
    j.log_in(LUC)
    # Luc's language (Dutch) from the identity provider.
    expect(page.get_by_role("heading", name="U bent aangemeld")).to_be_visible()
    page.get_by_role("button", name="Doorgaan").click()
    here = page.url
    page.get_by_role("button", name="EN – English").click()
    assert page.url.rstrip("?") == here.rstrip("?")
    expect(page.get_by_role("heading", name="Choose the enterprise you act for")).to_be_visible()
    j.check("switched-to-english")
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Log out").click()
    # Another browser, another day: no cookie, and English all the same once logged in.
    again = journey("language-remembered-again")
    again.goto("/employer/new/")
    again.log_in(LUC)
    expect(again.page.get_by_role("heading", name="You are logged in")).to_be_visible()
    expect(again.page.locator("html")).to_have_attribute("lang", "en")
    again.check("english-after-login")
