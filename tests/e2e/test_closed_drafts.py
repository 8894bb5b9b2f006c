"""A confirmed draft is closed (issue 15.5), a modification says what it is (15.6): Jean modifies the
request filed by seed.py keeping its data, goes Back after *Confirmer* and tries again from an old tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey
from tests.e2e.test_after_filing import open_filed_request

pytestmark = pytest.mark.e2e


def test_after_confirming_back_and_an_old_tab_lead_to_the_ticket_with_a_message(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("closed-draft")
    page = j.page
    ticket = live_system.seed["filed"]["ticket"]
    heading = f"Modification de la demande {ticket}"
    open_filed_request(j, ticket)
    page.get_by_role("button", name="Modifier").click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    assert page.title().startswith(heading)
    # Worker and type stay in a modification: no link offers to change them.
    expect(page.get_by_role("link", name="Changer le type")).to_have_count(0)
    j.check("modification-step-6")
    step_6 = page.url

    # The same step in another tab, left open.
    old_tab = Journey(page.context.new_page(), "closed-draft-old-tab", live_system)
    old_tab.page.goto(step_6)
    expect(old_tab.page.get_by_role("heading", name=heading, level=1)).to_be_visible()

    # A mistake: the errors show on the page the POST redirects to; a reload shows the step as saved,
    # with no error and nothing to send again.
    original = [page.locator(f"input[name=start_{i}]").input_value() for i in range(3)]
    page.locator("input[name=start_0]").fill("31")
    page.locator("input[name=start_1]").fill("2")
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.url.split("?")[0] == step_6.split("?")[0]  # the same step (its first page: ?page=period)
    j.check("modification-error")
    page.reload()
    expect(page.locator(".error-summary")).to_have_count(0)
    assert [page.locator(f"input[name=start_{i}]").input_value() for i in range(3)] == original
    j.check("modification-reloaded")

    # Step 6's pages (one topic each: the period, the child, the working time…), kept as saved.
    summary = page.get_by_role("heading", name="Vérifiez vos réponses avant de confirmer")
    for _page in range(8):
        page.get_by_role("button", name="Suivant").click()
        page.wait_for_load_state()
        if summary.count():
            break
        expect(page.locator("main h1")).to_contain_text(heading)
    expect(summary).to_be_visible()
    expect(page.locator("main")).to_contain_text(heading)
    assert page.title().startswith(heading)
    expect(page.locator("a[href$='/worker/']")).to_have_count(0)
    expect(page.locator("a[href$='/type/']")).to_have_count(0)
    j.check("modification-summary")
    page.get_by_label("Je certifie que les données introduites sont exactes et complètes").check()
    page.get_by_role("button", name="Confirmer").click()
    version = page.get_by_role("heading", level=1)
    expect(version).to_have_text(re.compile(r"Version \d+ enregistrée"))
    number = version.inner_text().split()[1]
    expect(page.locator(".ticket")).to_have_text(ticket)
    expect(page.get_by_role("link", name=f"PDF de la version {number}")).to_be_visible()
    j.check("modification-recorded")
    ticket_page = page.url

    # Back: the summary is closed; the ticket page says why, no form to send again.
    page.go_back()
    expect(page.locator("main")).to_contain_text("a déjà été confirmée")
    assert page.url == ticket_page
    j.check("back-after-confirming")
    # Trying to change the leave data again leads there too.
    page.goto(step_6)
    assert page.url == ticket_page
    expect(page.locator("main")).to_contain_text("a déjà été confirmée")

    # The old tab's change is refused with a message, not dropped in silence.
    old_tab.page.locator("input[name=end_0]").fill("1")
    old_tab.page.get_by_role("button", name="Suivant").click()
    expect(old_tab.page.locator("main")).to_contain_text("cette modification n'a pas été enregistrée")
    assert old_tab.page.url == ticket_page
    old_tab.check("old-tab-refused")
    # The modification's draft is no longer among the drafts.
    j.goto("/employer/company/")
    draft_id = step_6.rstrip("/").split("/")[-2]
    assert draft_id not in page.content()
