"""No page shows a code: every page of the journeys is rendered and its visible text searched for the values
of the shared vocabularies (sector, worker status, leave type, leave form), which must reach users only
through their labels (ADR 0011).

Attributes, hidden inputs and option values are not visible text, so they may hold codes; only text nodes
are searched. Language codes are left out: "de" and "en" are French and Dutch words, and the language
switch shows the codes on purpose (FR, NL, DE, EN, each with its name for screen readers).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from careerbreak.demo.data import (
    BOULANGERIE_DUBOIS_NUMBER,
    JEAN_DUBOIS_NISS,
    LUC_JANSSENS_NISS,
    SOPHIE_LAMBERT_CHILD_NISS,
    SOPHIE_LAMBERT_NISS,
)
from careerbreak.identity.models import User
from careerbreak.interruptions.models import Draft, LeaveRequest, WorkerNotice
from careerbreak.mailbox.models import EboxMessage
from careerbreak.registries.models import Enterprise
from careerbreak.vocabularies import LeaveForm, LeaveType, Sector, WorkerStatusCode
from tests.attachment_files import TEXT_AS_PDF, pdf_bytes
from tests.factories import demo_cast
from tests.request_fixtures import NOTICE_FORM, confirm, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

VOCABULARIES = (Sector, WorkerStatusCode, LeaveType, LeaveForm)

NOTICE = {**NOTICE_FORM, "message": "Pour ma fille Louise."}


class _VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script, style and template (no attribute is read)."""

    _SKIPPED = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def forbidden_words() -> set[str]:
    """Every value and member name of the vocabularies, except where it is also the label (1/5, 1/10)."""
    words = set()
    for vocabulary in VOCABULARIES:
        for member in vocabulary:
            words |= {member.value, member.name} - {str(member.label)}
    return words


def codes_in(text: str) -> set[str]:
    return {word for word in forbidden_words() if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)}


def raw_codes(html: str) -> set[str]:
    return codes_in(visible_text(html))


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_check_finds_a_code_in_the_text_and_not_in_attributes_hidden_inputs_or_option_values() -> None:
    with translation.override("fr"):
        assert raw_codes("<table><tr><td>PARENTAL</td><td>half</td></tr></table>") == {"PARENTAL", "half"}
        assert raw_codes("<p>Secteur : private</p>") == {"private"}
        assert not raw_codes(
            '<input type="hidden" name="leave_type" value="PARENTAL">'
            '<select name="form"><option value="half">Mi-temps</option>'
            '<option value="1/5">1/5</option></select>'
            '<p data-type="TC_CHILD_CARE">Congé parental à 1/5, éducation</p>'
        )


# The worker part's five pages as Sophie posts them (an activity ticked, so that its label is shown).
WORKER_PART_PAGES: dict[int, dict[str, str]] = {
    1: {"zone": "belgium", "street": "Rue du Moulin 15", "postal_code": "1301", "city": "Bierges"},
    2: {"situation": "partner", "dependent_children": "1"},
    3: {"child": SOPHIE_LAMBERT_CHILD_NISS},
    4: {
        "self_employed": "on",
        "self_employed_start_0": "1",
        "self_employed_start_1": "1",
        "self_employed_start_2": "2020",
    },
    5: {"iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "holder_confirmed": "on"},
}


@pytest.fixture
def filed(db: None, django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    """A confirmed parental leave for Sophie Lambert, its PDF rendered and delivered to her eBox."""
    demo_cast()
    jean = User.objects.create_user(JEAN_DUBOIS_NISS, first_name="Jean", last_name="Dubois")
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    with django_capture_on_commit_callbacks(execute=True):
        return confirm(jean, bakery, make_draft(jean, bakery))


def page(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    # A POST is answered with a redirect (the employer's steps): the page is the GET it leads to.
    response = client.post(url, data, follow=True) if data is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_no_page_of_the_journeys_and_no_pdf_shows_a_code(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    jean = login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)
    sophie = login_as(SOPHIE_LAMBERT_NISS, assurance_level=450)
    pages: dict[str, str] = {}

    # The worker's side, and a written notice sent to the bakery (which accepts them).
    assert jean.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 302
    pages["worker notice form"] = page(sophie, reverse("worker:notice_new"))
    with django_capture_on_commit_callbacks(execute=True):
        assert sophie.post(reverse("worker:notice_new"), NOTICE).status_code == 302
        pages["worker notice check"] = page(sophie, reverse("worker:notice_check"))
        assert sophie.post(reverse("worker:notice_check")).status_code == 302
    notice = WorkerNotice.objects.get()
    pages["worker home"] = page(sophie, reverse("worker:home"))

    # The worker part, page by page, the summary and Confirmer (the acknowledgement reaches the eBox).
    pages["worker part request"] = page(sophie, reverse("worker:part_request", args=[filed.slug]))
    for number, answers in WORKER_PART_PAGES.items():
        url = reverse("worker:part_page", args=[filed.slug, number])
        pages[f"worker part page {number}"] = page(sophie, url)
        assert sophie.post(url, answers).status_code == 302, number
    attachments_url = reverse("worker:part_attachments", args=[filed.slug])
    pages["worker part attachments"] = page(sophie, attachments_url)
    refused = sophie.post(
        attachments_url, {"kind": "other", "file": SimpleUploadedFile("a.pdf", TEXT_AS_PDF)}
    )
    assert refused.status_code == 400
    pages["worker part attachments, refused"] = refused.content.decode()
    attached = sophie.post(
        attachments_url, {"kind": "other", "file": SimpleUploadedFile("b.pdf", pdf_bytes())}
    )
    assert attached.status_code == 302
    pages["worker part attachments, one attached"] = page(sophie, attachments_url)
    pages["worker part summary"] = page(sophie, reverse("worker:part_check", args=[filed.slug]))
    with django_capture_on_commit_callbacks(execute=True):
        sent = sophie.post(reverse("worker:part_check", args=[filed.slug]), {"certified": "on"})
    assert sent.status_code == 302
    pages["worker part sent"] = page(sophie, reverse("worker:part_sent", args=[filed.slug]))
    pages["worker part request, complete"] = page(sophie, reverse("worker:part_request", args=[filed.slug]))
    pages["worker eBox"] = page(sophie, reverse("worker:ebox"))
    # "Mes droits": the figures and the periods behind them (the filed parental leave among them).
    rights_page = page(sophie, reverse("worker:rights"))
    assert "Congé parental" in rights_page
    pages["worker rights"] = rights_page
    for message in EboxMessage.objects.filter(recipient_niss=SOPHIE_LAMBERT_NISS):
        pages[f"worker eBox message {message.pk}"] = page(
            sophie, reverse("worker:ebox_message", args=[message.pk])
        )

    # The employer's steps 1 to 7 for a new request for the same worker, beside the one already filed.
    pages["portal"] = page(jean, reverse("portal:home"))
    pages["enterprise services"] = page(jean, reverse("portal:enterprise_services"))
    pages["step 1 start"] = page(jean, reverse("employer:start"))
    pages["step 1 logged in"] = page(jean, reverse("employer:logged_in"))
    # Step 2 lists enterprises to a person who may act for several: Luc, at a social secretariat.
    pages["step 2 enterprise"] = page(login_as(LUC_JANSSENS_NISS), reverse("employer:choose_enterprise"))
    pages["no access"] = page(login_as(SOPHIE_LAMBERT_NISS), reverse("employer:no_access"))
    pages["step 3 company"] = page(jean, reverse("employer:company"))
    pages["corrections"] = page(jean, reverse("employer:corrections"))
    started = jean.post(reverse("employer:company"))
    assert started.status_code == 302
    draft = Draft.objects.get(pk=started["Location"].split("/")[-3])
    pages["step 4 worker"] = page(jean, reverse("employer:step_worker", args=[draft.pk]))
    pages["step 4 search"] = page(
        jean,
        reverse("employer:step_worker", args=[draft.pk]),
        {"action": "search", "search-niss": SOPHIE_LAMBERT_NISS},
    )
    chosen = jean.post(
        reverse("employer:step_worker", args=[draft.pk]),
        {
            "action": "select",
            "niss": SOPHIE_LAMBERT_NISS,
            "status": "PRIVATE_WHITE_COLLAR",
            "joint_committee": "118",
        },
    )
    assert chosen.status_code == 302
    step_5 = page(jean, reverse("employer:step_type", args=[draft.pk]))
    assert filed.ticket in step_5  # the table of earlier requests is there
    pages["step 5 type"] = step_5
    typed = jean.post(
        reverse("employer:step_type", args=[draft.pk]), {"action": "new", "leave_type": "PARENTAL"}
    )
    assert typed.status_code == 302
    pages["step 6 leave"] = page(jean, reverse("employer:step_leave", args=[draft.pk]))
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    filled = make_draft(User.objects.get(niss=JEAN_DUBOIS_NISS), bakery, start="2028-02-01", end="2028-06-30")
    pages["step 7 summary"] = page(jean, reverse("employer:step_confirm", args=[filled.pk]))

    # After filing: the ticket, Consultation, the detail, the cancellation page, notices, access.
    pages["confirmation"] = page(jean, reverse("employer:confirmation", args=[filed.slug]))
    pages["consultation"] = page(jean, reverse("employer:consultation"))
    pages["request detail"] = page(jean, reverse("employer:request_detail", args=[filed.slug]))
    pages["request cancel"] = page(jean, reverse("employer:request_cancel", args=[filed.slug]))
    pages["notices"] = page(jean, reverse("employer:notices"))
    pages["notice answer"] = page(jean, reverse("employer:notice_answer", args=[notice.pk]))
    pages["access"] = page(jean, reverse("employer:access"))

    # The PDF of the employer part, as the employer and the worker download it.
    employer_pdf = jean.get(reverse("employer:request_pdf", args=[filed.slug, 1]))
    message = EboxMessage.objects.get(
        recipient_niss=SOPHIE_LAMBERT_NISS, reference=filed.ticket, kind="employer_part"
    )
    worker_pdf = sophie.get(reverse("worker:ebox_attachment", args=[message.pk]))
    acknowledgement = EboxMessage.objects.get(recipient_niss=SOPHIE_LAMBERT_NISS, kind="worker_part")
    acknowledgement_pdf = sophie.get(reverse("worker:ebox_attachment", args=[acknowledgement.pk]))
    rights_pdf = sophie.get(reverse("worker:rights_attestation"))
    pdfs = {
        "employer PDF": employer_pdf,
        "rights attestation PDF": rights_pdf,
        "worker PDF": worker_pdf,
        "acknowledgement PDF": acknowledgement_pdf,
    }
    assert all(r.status_code == 200 and r["Content-Type"] == "application/pdf" for r in pdfs.values())

    with translation.override("fr"):
        found = {name: sorted(codes) for name, html in pages.items() if (codes := raw_codes(html))}
        found |= {name: sorted(codes) for name, r in pdfs.items() if (codes := codes_in(pdf_text(r.content)))}
    assert found == {}
    assert "Congé parental" in pdf_text(employer_pdf.content)  # the text is read, and shows the label
    assert "Je vis avec un partenaire" in pdf_text(acknowledgement_pdf.content)
