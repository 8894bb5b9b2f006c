"""The worker part in Dutch, by keyboard only, late, and at 320 CSS pixels: each worker logs in, opens the
request their employer filed, answers the pages one by one (following *Volgende* to the summary, however
many pages there are), confirms, and finds the acknowledgement in their eBox; the employer sees *Volledig*.
axe-core on every page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey, Keyboard
from tests.e2e.test_worker_part import AN, employer_sees_complete, log_in_typed, the_acknowledgement

pytestmark = pytest.mark.e2e

IBAN = "BE71 0961 2345 6769"
NEXT = "Volgende"
SUMMARY = "Controleer uw antwoorden voordat u verstuurt"
HOUSEHOLD = "Gezin"
PAYMENT = "Betaling"
PARTNER = "Ik woon samen met een partner (gehuwd of niet)"
HOLDER = "Ik ben houder van deze rekening, alleen of samen met anderen"
CERTIFY = re.compile("Ik verklaar op erewoord")


def in_language(j: Journey, code: str, button: str) -> None:
    """Switch the page to ``code`` unless it is in it already (each user's choice is remembered)."""
    if j.page.locator("html").get_attribute("lang") != code:
        j.page.get_by_role("button", name=button).click()
    expect(j.page.locator("html")).to_have_attribute("lang", code)


def no_sideways_scroll(j: Journey, label: str) -> None:
    width = j.page.evaluate("document.documentElement.scrollWidth")
    viewport = j.page.evaluate("document.documentElement.clientWidth")
    if width > viewport:
        wide = j.page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll *'))
                .slice(0, 8)
                .map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)""",
            viewport,
        )
        raise AssertionError(f"{label}: the page scrolls sideways ({width} > {viewport} CSS px): {wide}")


def follow_pages(
    j: Journey,
    answers: dict[str, Callable[[], None]],
    *,
    narrow: bool = False,
    next_label: str = NEXT,
    summary: str = SUMMARY,
) -> list[str]:
    """Answer each page of the worker part (``answers`` by the page's heading; a page not named is left
    as prefilled), then *Volgende* (``next_label``), until the summary's heading. Returns the headings of
    the pages seen."""
    page = j.page
    seen: list[str] = []
    for _ in range(12):
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading == summary:
            return seen
        j.check(f"page-{len(seen) + 1}")
        if narrow:
            no_sideways_scroll(j, heading)
        answer = answers.get(heading)
        if answer is not None:
            answer()
        with page.expect_navigation():
            page.get_by_role("button", name=next_label).click()
        refused = page.locator("[data-error-summary]")
        if refused.count():
            raise AssertionError(f"{heading}: refused: {refused.inner_text()}")
        seen.append(heading)
    raise AssertionError(f"No summary after the pages {seen}")


def household_with_a_refusal(j: Journey) -> Callable[[], None]:
    def answer() -> None:
        page = j.page
        page.get_by_role("button", name=NEXT).click()  # nothing chosen: the error summary
        summary = page.locator("[data-error-summary]")
        expect(summary).to_contain_text("Geef aan met wie u samenwoont.")
        expect(summary).to_be_focused()
        j.check("household-error")
        page.get_by_label(PARTNER).check()
        page.get_by_label("Aantal kinderen ten laste").fill("1")

    return answer


def alone(j: Journey) -> Callable[[], None]:
    def answer() -> None:
        j.page.get_by_label("Ik woon alleen").check()
        j.page.get_by_label("Aantal kinderen ten laste").fill("0")

    return answer


def payment(j: Journey) -> Callable[[], None]:
    def answer() -> None:
        j.page.get_by_label("Rekeningnummer (IBAN)").fill(IBAN)
        j.page.get_by_label(HOLDER).check()

    return answer


def open_the_request(j: Journey, ticket: str) -> None:
    page = j.page
    expect(page.get_by_role("heading", name="Aan te vullen aanvragen")).to_be_visible()
    page.get_by_role("link", name=ticket).first.click()
    expect(page.get_by_role("heading", name=f"Aanvraag {ticket}")).to_be_visible()


def dutch_acknowledgement(j: Journey, ticket: str) -> str:
    subject = f"Uw werknemersgedeelte van aanvraag {ticket} is verstuurd"
    return the_acknowledgement(j, ebox="Naar mijn eBox", listed=subject, heading=subject)


def test_a_worker_completes_their_part_in_dutch_up_to_the_acknowledgement_and_the_employer_sees_volledig(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    worker = live_system.seed["worker_part_dutch"]
    ticket = worker["ticket"]
    j = journey("worker-part-dutch", locale="nl-BE")
    page = j.page
    j.goto("/worker/")
    log_in_typed(j, worker["niss"])
    in_language(j, "nl", "NL – Nederlands")
    j.check("worker-home")
    open_the_request(j, ticket)
    expect(page.locator("main")).to_contain_text("Zorggroep Sint-Anna")
    page.get_by_text("Deze gegevens zijn onjuist").click()
    expect(page.locator("main")).to_contain_text("Enkel uw werkgever kan het werkgeversgedeelte verbeteren.")
    j.check("employer-part")
    page.get_by_role("link", name="Mijn gedeelte invullen").click()
    expect(page.get_by_role("heading", name="Identiteit en woonplaats")).to_be_visible()

    seen = follow_pages(j, {HOUSEHOLD: household_with_a_refusal(j), PAYMENT: payment(j)})
    assert seen[:2] == ["Identiteit en woonplaats", HOUSEHOLD] and PAYMENT in seen, seen
    main = page.locator("main")
    expect(main).to_contain_text(IBAN)
    expect(main).to_contain_text(PARTNER)
    j.check("summary")
    page.get_by_role("button", name="Bevestigen").click()  # not certified: refused, named
    expect(page.locator("[data-error-summary]")).to_be_focused()
    j.check("summary-error")
    page.get_by_label(CERTIFY).check()
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", name="Uw gedeelte is verstuurd")).to_be_visible()
    expect(main).to_contain_text(f"De aanvraag {ticket} is volledig.")
    j.check("sent")
    text = dutch_acknowledgement(j, ticket)
    assert ticket in text
    assert IBAN in text
    assert PARTNER in text

    # The employer, in Dutch: "Volledig", the day it was sent, and nothing of the worker's answers.
    e = journey("worker-part-employer-dutch", locale="nl-BE")
    employer = e.page
    e.goto("/employer/consultation/")
    log_in_typed(e, AN)
    in_language(e, "nl", "NL – Nederlands")
    expect(employer.get_by_role("heading", name="Raadpleging", level=1)).to_be_visible()
    employer_sees_complete(
        e,
        ticket,
        complete="Volledig",
        sent_on="werknemersgedeelte verstuurd op",
        search=("Rijksregisternummer van de werknemer of ticketnummer", "Zoeken"),
        hidden=("0961", PARTNER),
    )


def test_the_worker_part_by_keyboard_only(journey: NewJourney, live_system: LiveSystem) -> None:
    """Tab and Shift+Tab to move, Enter and Space to act (arrows only inside a radio group), the text
    typed: on every page, Tab reaches every visible control with a visible focus, and a refused page puts
    the focus on its error summary."""
    worker = live_system.seed["worker_part_keyboard"]
    ticket = worker["ticket"]
    j = journey("worker-part-keyboard", locale="nl-BE")
    page = j.page
    keys = Keyboard(page)
    j.goto("/worker/")
    keys.press(page.locator("a[data-means=eid]"))
    keys.type(page.locator("input[name=other_niss]"), worker["niss"])
    keys.type(page.locator("input[name=pin]"), "1234")
    keys.press(page.locator("button[name=action][value=login]"))
    page.wait_for_url(re.compile(re.escape(live_system.base_url)))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Aan te vullen aanvragen")).to_be_visible()
    keys.tab_through("worker home")
    keys.press(page.get_by_role("link", name=ticket).first)
    expect(page.get_by_role("heading", name=f"Aanvraag {ticket}")).to_be_visible()
    keys.tab_through("request")
    # The disclosure opens with the keyboard, and its summary shows the focus.
    keys.focus(page.get_by_text("Deze gegevens zijn onjuist"))
    keys.enter()
    expect(page.locator("main")).to_contain_text("Enkel uw werkgever kan het werkgeversgedeelte verbeteren.")
    keys.press(page.get_by_role("link", name="Mijn gedeelte invullen"))

    # Page 1: Tab past "Volgende" to "Terug", Shift+Tab back to "Volgende", Enter.
    expect(page.get_by_role("heading", name="Identiteit en woonplaats")).to_be_visible()
    keys.tab_through("identity")
    keys.focus(page.get_by_role("link", name="Terug", exact=True))
    keys.focus_back(page.get_by_role("button", name=NEXT))
    keys.enter()

    # Page 2, refused first: the error summary takes the focus; its link leads into the field.
    expect(page.get_by_role("heading", name=HOUSEHOLD, level=1)).to_be_visible()
    keys.tab_through("household")
    keys.press(page.get_by_role("button", name=NEXT))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    keys.assert_focus_visible(summary)
    j.shot("household-error")
    keys.press(summary.get_by_role("link", name=re.compile("Geef aan met wie u samenwoont")))
    keys.choose(page.get_by_label(PARTNER))
    keys.type(page.get_by_label("Aantal kinderen ten laste"), "1")
    keys.press(page.get_by_role("button", name=NEXT))

    # The pages that follow, however many: the payment page answered, the others as prefilled.
    for _ in range(10):
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading == SUMMARY:
            break
        keys.tab_through(heading)
        if heading == PAYMENT:
            keys.type(page.get_by_label("Rekeningnummer (IBAN)"), IBAN)
            keys.tick(page.get_by_label(HOLDER))
        keys.press(page.get_by_role("button", name=NEXT))
        page.wait_for_load_state()
        page.wait_for_function("h => document.querySelector('h1').innerText !== h", arg=heading)
    expect(page.get_by_role("heading", name=SUMMARY)).to_be_visible()
    keys.tab_through("summary")
    # Every "Wijzigen" link of the summary is reached in turn.
    modify = page.get_by_role("link", name=re.compile("^Wijzigen"))
    assert modify.count() >= 5
    for index in range(modify.count()):
        keys.focus(modify.nth(index))
    keys.tick(page.get_by_label(CERTIFY))
    j.shot("certified")
    keys.press(page.get_by_role("button", name="Bevestigen"))
    expect(page.get_by_role("heading", name="Uw gedeelte is verstuurd")).to_be_visible()
    keys.tab_through("sent")
    keys.press(page.get_by_role("link", name="Naar mijn eBox"))
    message = page.get_by_role("link", name=f"Uw werknemersgedeelte van aanvraag {ticket} is verstuurd")
    j.reload_until(message)
    keys.press(message.first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket)
    j.shot("ebox-message")


def test_a_late_part_is_announced_before_confirming_and_marked_late_after(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    """The leave started more than 2 months ago: the worker is told, before confirming, that the allowance
    then starts only on the day the part is sent; the part is accepted and marked late. At 320 CSS px:
    no page scrolls sideways."""
    worker = live_system.seed["worker_part_late"]
    ticket = worker["ticket"]
    start = datetime.date.fromisoformat(worker["start"])
    assert start < datetime.date.fromisoformat(live_system.seed["today"]) - datetime.timedelta(days=62)
    j = journey("worker-part-late", locale="nl-BE")
    page = j.page
    page.set_viewport_size({"width": 320, "height": 800})
    j.goto("/worker/")
    log_in_typed(j, worker["niss"])
    in_language(j, "nl", "NL – Nederlands")
    # Under "Aanvragen om aan te vullen", the deadline is marked passed.
    expect(page.locator("tr", has_text=ticket).filter(has_text="Laattijdig")).to_have_count(1)
    j.check("worker-home")
    no_sideways_scroll(j, "worker home")
    open_the_request(j, ticket)
    expect(page.locator("main")).to_contain_text("De termijn is verstreken")
    j.check("request-late")
    no_sideways_scroll(j, "request")
    page.get_by_role("link", name="Mijn gedeelte invullen").click()
    follow_pages(
        j,
        {HOUSEHOLD: alone(j), PAYMENT: payment(j)},
        narrow=True,
    )
    # Before confirming: the rule, and what it means.
    warning = page.locator(".notice-warning")
    expect(warning).to_contain_text("Wat uw antwoorden betekenen voor de uitkering")
    expect(warning).to_contain_text("de uitkering begint dan pas op de dag van verzending")
    j.check("summary-late")
    no_sideways_scroll(j, "summary")
    page.get_by_label(CERTIFY).check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Uw gedeelte is verstuurd")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Uw gedeelte werd na de termijn verstuurd")
    j.check("sent-late")
    no_sideways_scroll(j, "sent")
    text = dutch_acknowledgement(j, ticket)
    expect(page.locator("main")).to_contain_text("Het werd te laat verstuurd")
    no_sideways_scroll(j, "ebox message")
    assert "Verstuurd na" in " ".join(text.split()), text[:500]
