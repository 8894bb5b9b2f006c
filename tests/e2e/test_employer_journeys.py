"""The employer part in a real browser, from the portal home to the ticket, and what stops it."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import TICKET, Journey, Keyboard

pytestmark = pytest.mark.e2e

JEAN = "78041213507"
AN = "81110324486"
SOPHIE = "90061512202"
SOPHIE_FORMATTED = "90.06.15-122.02"
LOUISE = "24021000251"  # Sophie's daughter in the national register


def to_the_company_page(
    journey: Journey,
    *,
    service: str,
    more: str,
    enterprise: str,
    file: str,
    login_as: str,
    continue_label: str,
) -> None:
    """Portal home → Entreprise → more online services → the service → File a request → login → company."""
    page = journey.page
    journey.check("portal-home")
    page.get_by_role("link", name=more).click()
    journey.check("online-services")
    page.get_by_role("link", name=service).click()
    journey.check("service-start")
    page.get_by_role("link", name=file).click()
    journey.log_in(login_as)
    journey.check("logged-in")
    page.get_by_role("button", name=continue_label).click()
    expect(page.locator("main")).to_contain_text(enterprise)
    journey.check("company-data")


def fill_period(journey: Journey, plan: dict[str, str]) -> None:
    """Step 6's first page: the notice, the period and the form (1/5)."""
    journey.fill_date("notice_date", plan["notice"])
    journey.fill_date("start", plan["start"])
    journey.fill_date("end", plan["end"])
    journey.radio("form", "1/5").check()


def through_step_6(
    journey: Journey,
    plan: dict[str, str],
    *,
    child_niss: str = LOUISE,
    next_label: str = "Suivant",
    checks: bool = False,
) -> None:
    """Step 6 a page at a time for a parental leave 1/5, up to the summary: the period, the child chosen
    from the national register, the working time as Dimona prefills it (days a week added), the employer's
    agreement where it is asked. ``checks``: axe-core on every page."""
    page = journey.page
    next_button = page.get_by_role("button", name=next_label)
    fill_period(journey, plan)
    if checks:
        journey.check("leave-period")
    next_button.click()
    journey.radio("child", child_niss).check()
    journey.radio("child_disabled", "no").check()
    if checks:
        journey.check("leave-child")
    next_button.click()
    # The working time comes from Dimona: Q, S, the regime and the months under contract are there.
    expect(page.locator("input[name=weekly_hours]")).not_to_have_value("")
    expect(page.locator("input[name=months_of_contract_last_15]")).not_to_have_value("")
    expect(journey.radio("regime_12_months", "full_time")).to_be_checked()
    page.locator("input[name=days_per_week]").fill("5")
    if checks:
        journey.check("leave-work")
    next_button.click()
    # The agreements' page where the employer's agreement is asked, else what follows.
    expect(page.locator("input[name=employer_agreement], input[name=certified]").first).to_be_attached()
    if journey.radio("employer_agreement", "yes").count():
        journey.radio("employer_agreement", "yes").check()
        if checks:
            journey.check("leave-agreements")
        next_button.click()


def test_jean_files_a_parental_leave_for_sophie_in_french_from_the_portal_to_the_ticket(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("employer-french")
    page = j.page
    plan = live_system.seed["plans"]["french"]
    j.goto("/")
    expect(page.get_by_role("heading", name="Entreprise")).to_be_visible()
    to_the_company_page(
        j,
        more="Plus de services en ligne",
        service="Dossier interruption de carrière et crédit-temps",
        file="Introduire une demande",
        login_as=JEAN,
        enterprise="Boulangerie Dubois",
        continue_label="Continuer",
    )
    page.get_by_role("button", name="Suivant").click()
    # Step 4: the worker, found by number.
    expect(page.get_by_role("heading", name="Le travailleur")).to_be_visible()
    j.check("worker")
    page.get_by_label("Numéro de registre national").fill(SOPHIE_FORMATTED)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main")).to_contain_text("Sophie Lambert")
    page.get_by_label("Statut du travailleur").select_option(label="Employé")
    expect(page.get_by_label("Commission paritaire")).not_to_have_value("")
    j.check("worker-found")
    page.get_by_role("button", name="Sélectionner").click()
    # Step 5: the type.
    expect(page.get_by_text("Étape 5 sur 7")).to_be_visible()
    j.check("request-type")
    page.get_by_label("Congé parental").check()
    page.get_by_role("button", name="Suivant").click()
    # Step 6: the leave, dates as day, month, year.
    expect(page.get_by_role("heading", name="Congé parental", level=1)).to_be_visible()
    through_step_6(j, plan, checks=True)
    # Step 7: the summary, the certification.
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant de confirmer")).to_be_visible()
    start = datetime.date.fromisoformat(plan["start"]).strftime("%d/%m/%Y")
    expect(page.locator("main")).to_contain_text(start)
    j.check("summary")
    page.get_by_label("Je certifie que les données introduites sont exactes et complètes").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Demande confirmée")).to_be_visible()
    ticket = page.locator(".ticket").inner_text()
    assert TICKET.fullmatch(ticket), ticket
    j.check("ticket")


def open_step_6(j: Journey, *, worker: str = SOPHIE_FORMATTED, label_prefix: str = "") -> None:
    """The short way to step 6 in French: log in from the service, check the company, the worker, the type."""
    page = j.page
    j.goto("/employer/new/")
    j.log_in(JEAN, label=f"{label_prefix}login")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_label("Numéro de registre national").fill(worker)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Statut du travailleur").select_option("PRIVATE_WHITE_COLLAR")
    page.get_by_role("button", name="Sélectionner").click()
    page.get_by_label("Congé parental").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Congé parental", level=1)).to_be_visible()


def test_an_files_for_a_worker_of_zorggroep_in_dutch_after_switching_the_language(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("employer-dutch")
    page = j.page
    worker = live_system.seed["dutch"]
    j.goto("/")
    # The switch keeps the user on the page they were on.
    page.get_by_role("button", name="NL – Nederlands").click()
    expect(page.get_by_role("heading", name="Onderneming")).to_be_visible()
    assert page.url == live_system.url("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    to_the_company_page(
        j,
        more="Meer onlinediensten",
        service="Dossier loopbaanonderbreking en tijdskrediet",
        file="Een aanvraag indienen",
        login_as=AN,
        enterprise="Zorggroep Sint-Anna",
        continue_label="Doorgaan",
    )
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="De werknemer")).to_be_visible()
    j.check("worker")
    page.get_by_label("Rijksregisternummer").fill(worker["niss"])
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="Werknemer gevonden in uw Dimona-aangiften")).to_be_visible()
    page.get_by_label("Statuut van de werknemer").select_option(worker["status"])
    j.check("worker-found")
    page.get_by_role("button", name="Selecteren").click()
    expect(page.get_by_role("heading", name=f"Aanvraag voor {worker['name']}")).to_be_visible()
    j.check("request-type")
    page.get_by_label("Ouderschapsverlof").check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="Ouderschapsverlof", level=1)).to_be_visible()
    through_step_6(j, worker, child_niss=worker["child_niss"], next_label="Volgende", checks=True)
    expect(page.get_by_role("heading", name="Controleer uw antwoorden voordat u bevestigt")).to_be_visible()
    j.check("summary")
    page.get_by_label("Ik verklaar dat de ingevoerde gegevens juist en volledig zijn").check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Aanvraag bevestigd")).to_be_visible()
    assert TICKET.fullmatch(page.locator(".ticket").inner_text())
    j.check("ticket")


def test_another_child_of_13_is_declared_on_its_own_page_and_stopped_with_its_message(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("ineligible")
    page = j.page
    open_step_6(j)
    # The keyboard journey's dates: not filed yet (the French journey's would overlap its request).
    plan = live_system.seed["plans"]["keyboard"]
    fill_period(j, plan)
    page.get_by_role("button", name="Suivant").click()
    # The child page offers Sophie's daughter from the national register, and another child.
    expect(j.radio("child", LOUISE)).to_be_visible()
    expect(page.locator("input[name=child_birth_date_0]")).to_have_count(0)
    j.radio("child", "another").check()
    j.radio("child_disabled", "no").check()
    page.get_by_role("button", name="Suivant").click()
    # Another child: its birth date and number are asked only now, on a page of their own.
    j.check("another-child")
    today = datetime.date.fromisoformat(live_system.seed["today"])
    born = today.replace(year=today.year - 13, day=1)
    j.fill_date("child_birth_date", born)
    page.get_by_role("button", name="Suivant").click()
    page.locator("input[name=days_per_week]").fill("5")
    page.get_by_role("button", name="Suivant").click()
    # The agreements' page where the employer's agreement is asked, else what follows.
    expect(page.locator("input[name=employer_agreement], [data-error-summary]").first).to_be_attached()
    if j.radio("employer_agreement", "yes").count():
        j.radio("employer_agreement", "yes").check()
        page.get_by_role("button", name="Suivant").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    # The rule says why: the child is over 12 on the start date, born on this day.
    expect(summary).to_contain_text("12")
    expect(summary).to_contain_text(born.strftime("%d/%m/%Y"))
    assert page.title().startswith("Erreur :")
    j.check("stopped")
    # Still step 6, on the page that asks the birth date: the summary cannot be reached, what was typed kept.
    expect(page.get_by_text("Étape 6 sur 7")).to_be_visible()
    expect(page.locator("input[name=child_birth_date_2]")).to_have_value(str(born.year))
    # Retour leads back page by page, to the child page with "another child" still chosen.
    page.get_by_role("link", name="Retour").click()
    expect(j.radio("child", "another")).to_be_checked()


def test_bad_input_gets_the_error_summary_with_the_focus_and_an_error_title_in_french_and_dutch(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("error-summary")
    page = j.page
    open_step_6(j)
    fill_period(j, live_system.seed["plans"]["french"])
    page.locator("input[name=start_0]").fill("31")
    page.locator("input[name=start_1]").fill("2")
    page.locator("input[name=end_0]").fill("")
    page.get_by_role("button", name="Suivant").click()
    step_url = page.url
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="Il y a un problème")).to_be_visible()
    assert page.title().startswith("Erreur :"), page.title()
    j.check("error-summary-fr")
    # Each link of the summary puts the focus in the field it names (a date: its day).
    summary.get_by_role("link", name=re.compile("Date de début")).click()
    expect(page.locator("input[name=start_0]")).to_be_focused()
    summary.get_by_role("link", name=re.compile("Date de fin")).click()
    expect(page.locator("input[name=end_0]")).to_be_focused()
    # In Dutch: the switch keeps the user on this step; the same mistake, the Dutch prefix.
    page.get_by_role("button", name="NL – Nederlands").click()
    try:
        assert page.url == step_url
        expect(page.get_by_text("Stap 6 van 7")).to_be_visible()
        page.locator("input[name=start_0]").fill("31")
        page.locator("input[name=start_1]").fill("2")
        page.get_by_role("button", name="Volgende").click()
        expect(summary).to_be_focused()
        expect(summary.get_by_role("heading", name="Er is een probleem")).to_be_visible()
        assert page.title().startswith("Fout:"), page.title()
        j.check("error-summary-nl")
    finally:
        # The choice is remembered for Jean: give him French back for the other journeys.
        page.goto(step_url)
        page.get_by_role("button", name="FR – Français").click()


def test_the_whole_employer_journey_by_keyboard_only(journey: NewJourney, live_system: LiveSystem) -> None:
    j = journey("keyboard-only")
    page = j.page
    keys = Keyboard(page)
    plan = live_system.seed["plans"]["keyboard"]
    j.goto("/")
    # The first Tab reaches the skip link, which is then shown.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_focused()
    j.shot("skip-link")
    keys.press(page.get_by_role("link", name="Plus de services en ligne"))
    keys.press(page.get_by_role("link", name="Dossier interruption de carrière et crédit-temps"))
    keys.press(page.get_by_role("link", name="Introduire une demande"))
    keys.press(page.locator("a[data-means=eid]"))
    keys.select(page.locator("select[name=niss]"), JEAN)
    keys.type(page.locator("input[name=pin]"), "1234")
    keys.press(page.locator("button[name=action][value=login]"))
    keys.press(page.get_by_role("button", name="Continuer"))
    keys.press(page.get_by_role("button", name="Suivant"))
    # Step 4 from the Dimona list.
    keys.press(page.get_by_role("button", name="Choisir – Sophie Lambert"))
    keys.select(page.get_by_label("Statut du travailleur"), "PRIVATE_WHITE_COLLAR")
    j.shot("worker-chosen")
    keys.press(page.get_by_role("button", name="Sélectionner"))
    keys.choose(page.get_by_label("Congé parental"))
    keys.press(page.get_by_role("button", name="Suivant"))
    expect(page.get_by_role("heading", name="Congé parental", level=1)).to_be_visible()
    keys.date("notice_date", plan["notice"])
    keys.date("start", plan["start"])
    keys.date("end", plan["end"])
    keys.choose(j.radio("form", "1/5"))
    j.shot("leave-period")
    keys.press(page.get_by_role("button", name="Suivant"))
    keys.choose(j.radio("child", LOUISE))
    keys.choose(j.radio("child_disabled", "no"))
    keys.press(page.get_by_role("button", name="Suivant"))
    keys.type(page.locator("input[name=days_per_week]"), "5")
    j.shot("leave-work")
    keys.press(page.get_by_role("button", name="Suivant"))
    # The agreements' page where the employer's agreement is asked, else what follows.
    expect(page.locator("input[name=employer_agreement], input[name=certified]").first).to_be_attached()
    if j.radio("employer_agreement", "yes").count():
        keys.choose(j.radio("employer_agreement", "yes"))
        keys.press(page.get_by_role("button", name="Suivant"))
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant de confirmer")).to_be_visible()
    keys.tick(page.get_by_label("Je certifie que les données introduites sont exactes et complètes"))
    j.shot("certified")
    keys.press(page.get_by_role("button", name="Confirmer"))
    expect(page.get_by_role("heading", name="Demande confirmée")).to_be_visible()
    assert TICKET.fullmatch(page.locator(".ticket").inner_text())
    j.shot("ticket")
