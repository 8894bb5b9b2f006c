"""Files to attach in tests: real PDFs, JPEGs and PNGs made on the spot, and the ones to refuse."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str = "PNG", colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=kind)
    return out.getvalue()


TEXT_AS_PDF = b"Hello, this is plain text pretending to be a PDF.\n"
# Starts like a PDF, but nothing after the header is one.
BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage garbage\n"


def started_part_with_attachment(niss: str, ticket: str) -> Any:
    """The worker's part of this request started (its first page answered) with one PDF attached: the
    attachment, for the tests that walk the routes (its download and its removal)."""
    from careerbreak.identity.models import User
    from careerbreak.interruptions.attachments import attachment_add
    from careerbreak.interruptions.worker_part import worker_part_save
    from careerbreak.interruptions.worker_part_data import IDENTITY, DomicileZone, Identity
    from tests.factories import acting_self

    acting = acting_self(User.objects.get_or_create(niss=niss)[0])
    identity = Identity(
        zone=DomicileZone.BELGIUM, street="Rue du Moulin 15", postal_code="1301", city="Bierges"
    )
    worker_part_save(acting=acting, ticket=ticket, page=IDENTITY, section=identity)
    return attachment_add(
        acting=acting, ticket=ticket, kind="other", name="certificat.pdf", content=pdf_bytes()
    )
