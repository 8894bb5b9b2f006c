"""document_store and document_bytes: stored once, never overwritten, every read checked."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from careerbreak.documents import services
from careerbreak.documents.models import Document, DocumentImmutable
from careerbreak.documents.services import (
    DocumentAltered,
    DocumentMissing,
    document_bytes,
    document_path,
    document_store,
)

CONTEXT: dict[str, Any] = {
    "ticket": "2026/00000001/51",
    "version_number": 1,
    "version_kind": "Original request",
    "enterprise_rows": [("Name", "Boulangerie Dubois SRL")],
}


def store(version: int = 1, language: str = "fr", **context: Any) -> Document:
    return document_store(
        kind="employer_part",
        reference="2026/00000001/51",
        version=version,
        language=language,
        title=f"Employer part of request 2026/00000001/51, version {version}",
        template="documents/employer_part.html",
        context={**CONTEXT, "version_number": version, **context},
    )


def alter(path: Path) -> None:
    """One bit of the stored file flipped, near its end: what a checksum must catch."""
    content = bytearray(path.read_bytes())
    content[-20] ^= 0x01
    path.write_bytes(bytes(content))


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_a_document_is_filed_under_its_year_ticket_version_and_language() -> None:
    assert (
        document_path(kind="employer_part", reference="2026/00000001/51", version=1, language="fr")
        == "documents/2026/00000001-51/employer_part-v1-fr.pdf"
    )
    odd = document_path(kind="x", reference="../../etc", version=2, language="../nl")
    assert ".." not in odd and odd.startswith("documents/") and odd.endswith("x-v2-nl.pdf")


@pytest.mark.django_db
def test_storing_records_the_hash_and_size_of_the_bytes_written(media: Path) -> None:
    document = store()
    content = (media / document.file.name).read_bytes()
    assert content.startswith(b"%PDF-1.7")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.file.name == "documents/2026/00000001-51/employer_part-v1-fr.pdf"
    assert document_bytes(document) == content


@pytest.mark.django_db
def test_the_same_document_is_stored_once(media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store()
    before = (media / first.file.name).read_bytes()
    rendered: list[dict[str, Any]] = []

    def render_again(**kwargs: Any) -> bytes:
        rendered.append(kwargs)
        return b"%PDF-other"

    monkeypatch.setattr(services, "render_pdf", render_again)
    second = store(enterprise_rows=[("Name", "Something else")])
    assert second.pk == first.pk
    assert second.file.name == first.file.name
    assert second.sha256 == first.sha256
    assert rendered == []  # not even rendered again
    assert (media / first.file.name).read_bytes() == before
    assert Document.objects.count() == 1
    assert len(stored_files(media)) == 1


@pytest.mark.django_db
def test_a_new_version_is_a_new_document_and_the_old_one_is_kept(media: Path) -> None:
    first = store(version=1)
    second = store(version=2)
    assert second.pk != first.pk
    assert second.file.name == "documents/2026/00000001-51/employer_part-v2-fr.pdf"
    assert document_bytes(first) != document_bytes(second)
    assert len(stored_files(media)) == 2


@pytest.mark.django_db
def test_another_language_is_another_document() -> None:
    assert store(language="fr").pk != store(language="nl").pk


@pytest.mark.django_db
def test_a_stored_document_row_cannot_be_changed() -> None:
    document = store()
    document.title = "Something else"
    with pytest.raises(DocumentImmutable):
        document.save()
    document.refresh_from_db()
    assert document.title.startswith("Employer part")


@pytest.mark.django_db
def test_an_altered_file_is_detected(media: Path) -> None:
    document = store()
    alter(media / document.file.name)
    with pytest.raises(DocumentAltered):
        document_bytes(document)


@pytest.mark.django_db
def test_a_truncated_or_replaced_file_is_detected(media: Path) -> None:
    document = store()
    (media / document.file.name).write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(DocumentAltered):
        document_bytes(document)


@pytest.mark.django_db
def test_a_lost_file_is_reported_as_missing(media: Path) -> None:
    document = store()
    (media / document.file.name).unlink()
    with pytest.raises(DocumentMissing):
        document_bytes(document)


@pytest.mark.django_db
def test_an_existing_file_is_never_overwritten(media: Path) -> None:
    # A file left by an earlier attempt whose transaction rolled back: it stays as it is.
    orphan = media / "documents/2026/00000001-51/employer_part-v1-fr.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left over")
    document = store()
    assert orphan.read_bytes() == b"left over"
    assert document.file.name != "documents/2026/00000001-51/employer_part-v1-fr.pdf"
    assert document_bytes(document).startswith(b"%PDF")


@pytest.mark.django_db
def test_when_another_caller_stores_the_same_document_first_theirs_is_kept(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = services.render_pdf
    winners: list[Document] = []
    calls = []

    def render_while_someone_else_stores_it(**kwargs: Any) -> bytes:
        calls.append(kwargs)
        if len(calls) == 1:
            # The other caller (say the background task) renders and stores while we are rendering.
            winners.append(store())
        return real_render(**kwargs)

    monkeypatch.setattr(services, "render_pdf", render_while_someone_else_stores_it)
    # Our caller saw no document before rendering; the other one stored it meanwhile.
    document = store()
    assert len(calls) == 2
    assert document.pk == winners[0].pk
    assert Document.objects.count() == 1
    # Our own file was removed; theirs is intact.
    assert stored_files(media) == [media / winners[0].file.name]
    assert document_bytes(document)
