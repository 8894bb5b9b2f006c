"""The worker part in French: a worker logs in, finds the request their employer filed under "Demandes à
compléter", answers the five pages, has a text file renamed .pdf refused and attaches a real PDF, checks
the summary, confirms; the acknowledgement (with the attachment's SHA-256) reaches their eBox and the
employer sees "Complète" in Consultation. axe-core on every page."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.attachment_files import TEXT_AS_PDF, pdf_bytes
from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey

pytestmark = pytest.mark.e2e

AN = "81110324486"
IBAN = "BE71 0961 2345 6769"


def log_in_typed(j: Journey, niss: str) -> None:
    """On the identity provider's page: eID, a national register number typed, PIN 1234."""
    page = j.page
    assert page.url.startswith(j.system.idp_url), page.url
    page.locator("a[data-means=eid]").click()
    page.locator("input[name=other_niss]").fill(niss)
    page.locator("input[name=pin]").fill("1234")
    page.locator("button[name=action][value=login]").click()
    page.wait_for_url(re.compile(re.escape(j.system.base_url)))


def the_acknowledgement(j: Journey, *, ebox: str, listed: str, heading: str) -> str:
    """From the confirmation page (its ``ebox`` link) to the eBox message (``listed`` in the list, in the
    page's language when the message has it; ``heading`` once opened) and its PDF's text."""
    j.page.get_by_role("link", name=ebox).click()
    return j.ebox_message(listed, heading=heading)


def certify_and_send(j: Journey) -> None:
    """On the summary, which shows the account: certify on one's honour and confirm; the part is sent."""
    page = j.page
    expect(page.locator("main")).to_contain_text(IBAN)
    j.check("summary")
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Votre partie a été envoyée")).to_be_visible()
    j.check("sent")


def employer_sees_complete(
    e: Journey,
    ticket: str,
    *,
    complete: str,
    sent_on: str,
    search: tuple[str, str] | None = None,
    hidden: tuple[str, ...] = ("0961",),
) -> None:
    """In Consultation (searched by the ticket with ``search``: the field's label and the button's), the
    request's row says ``complete`` and ``sent_on``; its detail says ``complete`` and shows none of
    ``hidden`` (the worker's answers)."""
    employer = e.page
    if search is not None:
        employer.get_by_label(search[0]).fill(ticket)
        employer.get_by_role("button", name=search[1]).click()
    row = employer.locator("tr", has_text=ticket)
    expect(row).to_contain_text(complete)
    expect(row).to_contain_text(sent_on)
    e.check("consultation-complete")
    employer.get_by_role("link", name=ticket).click()
    main = employer.locator("main")
    expect(main).to_contain_text(complete)
    for private in hidden:
        expect(main).not_to_contain_text(private)
    e.check("request-complete")


def test_a_worker_completes_their_part_in_french_up_to_the_acknowledgement_and_the_employer_sees_complete(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    worker = live_system.seed["worker_part"]
    ticket = worker["ticket"]
    j = journey("worker-part-french")
    page = j.page
    j.goto("/worker/")
    log_in_typed(j, worker["niss"])
    # Zorggroep's worker speaks Dutch: the service opens in their language; this journey is in French.
    page.get_by_role("button", name="FR – Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Mon dossier interruption de carrière")).to_be_visible()
    expect(page.get_by_role("heading", name="Demandes à compléter")).to_be_visible()
    j.check("worker-home")
    page.get_by_role("link", name=ticket).first.click()
    expect(page.get_by_role("heading", name=f"Demande {ticket}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zorggroep Sint-Anna")
    page.get_by_text("Ces données sont erronées").click()
    expect(page.locator("main")).to_contain_text("Seul votre employeur peut corriger la partie employeur.")
    j.check("employer-part")
    page.get_by_role("link", name="Compléter ma partie").click()

    expect(page.get_by_role("heading", name="Identité et domicile")).to_be_visible()
    j.check("identity")
    assert page.locator("input[name=street]").input_value()  # prefilled from the national register
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Ménage", level=1)).to_be_visible()
    j.check("household")
    page.get_by_role("button", name="Suivant").click()  # nothing chosen: the error summary
    expect(page.locator(".error-summary")).to_contain_text("Indiquez avec qui vous vivez.")
    j.check("household-error")
    page.get_by_label("Je vis avec un partenaire (marié ou non)").check()
    page.get_by_label("Nombre d'enfants à charge").fill("1")
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Ce que ce congé demande")).to_be_visible()
    j.check("needs")
    page.get_by_role("button", name="Suivant").click()  # the child of the request is chosen already

    expect(page.get_by_role("heading", name="Autres activités et revenus")).to_be_visible()
    j.check("activities")
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Paiement")).to_be_visible()
    j.check("payment")
    page.get_by_label("Numéro de compte (IBAN)").fill("BE72 0961 2345 6769")
    page.get_by_label("Je suis titulaire de ce compte, seul ou avec d'autres").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator(".error-summary")).to_contain_text("n'est pas valable")
    j.check("payment-error")
    page.get_by_label("Numéro de compte (IBAN)").fill(IBAN)
    page.get_by_role("button", name="Suivant").click()

    # The attachments: a text file renamed .pdf is refused by its content, naming it; a real PDF is kept.
    expect(page.get_by_role("heading", name="Annexes", level=1)).to_be_visible()
    j.check("attachments")
    page.get_by_label("Fichier", exact=True).set_input_files(
        {"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": TEXT_AS_PDF}
    )
    page.get_by_role("button", name="Joindre ce fichier").click()
    expect(page.locator(".error-summary")).to_contain_text("« certificat.pdf » n'est pas un fichier PDF")
    j.check("attachments-error")
    valid = pdf_bytes()
    page.get_by_label("Fichier", exact=True).set_input_files(
        {"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": valid}
    )
    page.get_by_role("button", name="Joindre ce fichier").click()
    expect(page.locator("main table")).to_contain_text("attestation.pdf")
    j.check("attachments-one")
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant d'envoyer")).to_be_visible()
    expect(page.locator("main")).to_contain_text("attestation.pdf")
    certify_and_send(j)
    # The eBox lists each message in the page's language when the message has it (French here, though
    # the worker's own language is Dutch), marked with its language otherwise.
    text = the_acknowledgement(
        j,
        ebox="Aller à mon eBox",
        listed=f"Votre partie travailleur de la demande {ticket} a été envoyée",
        heading=f"Votre partie travailleur de la demande {ticket} a été envoyée",
    )
    # The acknowledgement is in the worker's language, with every datum declared.
    assert ticket in text
    assert IBAN in text
    assert "Ik woon samen met een partner" in text
    assert "attestation.pdf" in text
    assert hashlib.sha256(valid).hexdigest() in re.sub(r"\s", "", text)

    # The employer: "Complète", the day it was sent, and nothing of the worker's answers.
    e = journey("worker-part-employer")
    employer = e.page
    e.goto("/employer/consultation/")
    log_in_typed(e, AN)
    employer.get_by_role("button", name="FR – Français").click()
    expect(employer.locator("html")).to_have_attribute("lang", "fr")
    expect(employer.get_by_role("heading", name="Consultation", level=1)).to_be_visible()
    # Zorggroep has 100 workers or more: Consultation searches (here by the ticket).
    employer_sees_complete(
        e,
        ticket,
        complete="Complète",
        sent_on="partie travailleur envoyée le",
        search=("Numéro de registre national du travailleur ou ticket", "Rechercher"),
    )
