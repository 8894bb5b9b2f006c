"""Attachment providers for the mailbox tests (message_enqueue takes them by dotted path)."""

from __future__ import annotations

PDF = b"%PDF-1.7\n% a tiny stand-in for the employer part\n%%EOF\n"


def dummy_pdf(key: str) -> tuple[str, bytes, str]:
    return f"employer-part-{key.replace('/', '-')}.pdf", PDF + key.encode(), "application/pdf"


def not_ready_yet(key: str) -> tuple[str, bytes, str]:
    raise LookupError(f"document {key} not rendered yet")
