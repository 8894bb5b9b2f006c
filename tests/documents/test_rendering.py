"""render_pdf: an accessible, tagged PDF/UA-1 in the language asked for, with the shipped font only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from careerbreak.documents import rendering
from careerbreak.documents.rendering import RenderingError, ResourceRefused, render_pdf
from tests.documents.conftest import (
    catalog,
    embedded_font_programs,
    font_names,
    reader,
    structure_tags,
    text_of,
    xmp,
)

ISSUER = "National Employment Office (ONEM/RVA) – career break, time credit and thematic leaves."
CONTEXT: dict[str, Any] = {
    "ticket": "2026/00000001/51",
    "version_number": 1,
    "version_kind": "Original request",
    "is_cancellation": False,
    "reason": "",
    "enterprise_rows": [("Name", "Boulangerie Dubois SRL"), ("Address", "Rue du Four 12, 5000 Namur")],
    "worker_rows": [("Name", "Sophie Lambert")],
    "request_rows": [("Start date", "1 février 2027")],
    "detail_rows": [("Weekly hours", "38")],
    "warnings": ["Check the notice."],
    "certification_rows": [("Certified by", "Jean Dubois")],
}


def render(language: str = "fr", title: str = "Employer part of request 2026/00000001/51") -> bytes:
    return render_pdf(
        template="documents/employer_part.html", context=CONTEXT, language=language, title=title
    )


def test_the_pdf_is_tagged_and_declares_pdf_ua_1() -> None:
    pdf = render()
    root = catalog(pdf)
    # pypdf's BooleanObject is truthy even when false: compare its value.
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert 'pdfuaid:part="1"' in xmp(pdf)
    assert reader(pdf).pdf_header == "%PDF-1.7"


def test_the_title_is_in_the_metadata_and_the_first_heading() -> None:
    pdf = render(title="Employer part of request 2026/00000001/51")
    metadata = reader(pdf).metadata
    assert metadata is not None
    assert metadata.title == "Employer part of request 2026/00000001/51"
    assert "<dc:title>" in xmp(pdf) and "Employer part of request 2026/00000001/51" in xmp(pdf)
    # Under the issuer's name, at the top of the first page.
    with translation.override("fr"):
        issuer = translation.gettext(ISSUER)
    assert text_of(pdf).startswith(f"{issuer} Employer part of request 2026/00000001/51")


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_document_language_is_the_one_asked_for(language: str) -> None:
    assert catalog(render(language))["/Lang"] == language


def test_headings_tables_with_row_headers_and_lists_are_tagged_in_reading_order() -> None:
    tags = structure_tags(render())
    assert tags[0] == "Document"
    assert tags.count("H1") == 1
    assert tags.index("H1") < tags.index("H2")
    assert {"Table", "TR", "TH", "TD", "L", "LI"} <= set(tags)
    # The sections come in the order they are read: employer, worker, request, details, warnings.
    assert tags.count("H2") >= 6


def test_data_cells_point_to_their_row_header() -> None:
    pdf = render()
    cells = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if hasattr(node, "get"):
            if node.get("/S") == "/TD":
                cells.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else ([kids] if kids is not None else []):
                if not isinstance(kid, int):
                    walk(kid)

    walk(catalog(pdf)["/StructTreeRoot"])
    assert cells
    assert all(len(cell["/A"]["/Headers"]) == 1 for cell in cells)


def test_the_text_can_be_extracted_with_its_accents() -> None:
    text = text_of(render())
    assert "Boulangerie Dubois SRL" in text
    assert "1 février 2027" in text


def test_the_shipped_dejavu_font_is_embedded_and_no_system_font() -> None:
    pdf = render()
    assert font_names(pdf) == {"DejaVu-Sans-Careerbreak", "DejaVu-Sans-Careerbreak-Bold"}
    for program in embedded_font_programs(pdf):
        assert TTFont(io.BytesIO(program))["name"].getDebugName(1) == "DejaVu Sans"


def test_the_same_input_gives_the_same_bytes() -> None:
    assert render() == render()


def test_a_document_may_read_nothing_but_the_shipped_fonts() -> None:
    fetcher = rendering._fetcher()
    font = rendering.FONT_DIR / "DejaVuSans.ttf"
    assert fetcher(font.as_uri()).read() == font.read_bytes()
    for url in (
        "file:///etc/passwd",
        (rendering.FONT_DIR / ".." / "pdf.css").as_uri(),
        "http://example.org/x.png",
        # Only the service's own inline PNG (the QR code): no other inline resource, an SVG included.
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:text/html;base64,PHA+",
        "data:image/png;base64,not base64!",
    ):
        with pytest.raises(ResourceRefused):
            fetcher(url)


def test_a_template_asking_for_another_resource_is_not_rendered(settings: Any, tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "leaky.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}<h1>x</h1>'
        '<img src="http://127.0.0.1:9/tracker.png" alt="">{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with pytest.raises(RenderingError):
        render_pdf(template="documents/leaky.html", context={}, language="fr", title="x")


def test_a_missing_shipped_font_stops_the_rendering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(rendering, "FONT_DIR", tmp_path)
    monkeypatch.setattr(rendering, "_local", type(rendering._local)())
    with pytest.raises(RenderingError, match=r"DejaVuSans\.ttf"):
        render()
