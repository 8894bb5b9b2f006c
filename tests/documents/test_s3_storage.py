"""Documents on S3-compatible object storage (django-storages against a local moto server): the same
guarantees as on the file system: stored once under its path, never overwritten, every read checked
against the SHA-256 recorded when it was stored."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from careerbreak.documents.services import DocumentAltered, DocumentMissing, document_bytes
from tests.documents.conftest import S3Bucket
from tests.documents.test_storage import store

pytestmark = pytest.mark.django_db

PATH = "documents/2026/00000001-51/employer_part-v1-fr.pdf"


def test_the_storage_is_the_s3_backend(s3_bucket: S3Bucket) -> None:
    storage = storages["default"]
    assert type(storage).__name__ == "S3Storage"
    assert storage.bucket_name == s3_bucket.name  # type: ignore[attr-defined]
    assert storage.file_overwrite is False  # type: ignore[attr-defined]


def test_a_document_is_stored_in_the_bucket_with_its_hash(s3_bucket: S3Bucket) -> None:
    document = store()
    assert s3_bucket.keys() == [PATH]
    content = s3_bucket.read(PATH)
    assert content.startswith(b"%PDF-1.7")
    assert document.file.name == PATH
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.size == len(content)
    assert document_bytes(document) == content


def test_an_object_altered_in_the_bucket_is_refused(s3_bucket: S3Bucket) -> None:
    document = store()
    content = bytearray(s3_bucket.read(PATH))
    content[-20] ^= 0x01
    s3_bucket.write(PATH, bytes(content))
    with pytest.raises(DocumentAltered):
        document_bytes(document)


def test_an_object_lost_from_the_bucket_is_reported_as_missing(s3_bucket: S3Bucket) -> None:
    document = store()
    s3_bucket.delete(PATH)
    with pytest.raises(DocumentMissing):
        document_bytes(document)


def test_an_existing_object_is_never_overwritten(s3_bucket: S3Bucket) -> None:
    s3_bucket.write(PATH, b"left over")
    document = store()
    assert s3_bucket.read(PATH) == b"left over"
    assert document.file.name != PATH and document.file.name.startswith("documents/2026/00000001-51/")
    assert document_bytes(document).startswith(b"%PDF")
    assert len(s3_bucket.keys()) == 2


def test_a_new_version_is_a_new_object(s3_bucket: S3Bucket) -> None:
    first, second = store(version=1), store(version=2)
    assert s3_bucket.keys() == [PATH, PATH.replace("-v1-", "-v2-")]
    assert document_bytes(first) != document_bytes(second)


def test_readiness_lists_the_bucket(s3_bucket: S3Bucket, client: Client) -> None:
    assert client.get(reverse("readyz")).json()["checks"]["storage"] == "ok"
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "unavailable"
    assert s3_bucket.name.encode() not in response.content
