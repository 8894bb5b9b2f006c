"""Fixtures of the document tests: a throw-away media folder, a confirmed request built row by row, and
helpers that read a PDF back with pypdf."""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from careerbreak.identity.models import User
from careerbreak.interruptions.models import LeaveRequest, RequestVersion
from careerbreak.interruptions.services import snapshot_of
from tests.factories import EmploymentFactory, EnterpriseFactory, LeaveRequestFactory, PersonFactory
from tests.subprocesses import free_port

CONFIRMED_AT = datetime.datetime(2026, 11, 27, 10, 30, tzinfo=datetime.UTC)
TICKET = "2026/00000001/51"
WORKER_NISS = "90061512202"
CERTIFIER_NISS = "78041213507"
ENTERPRISE_NUMBER = "0812345603"

WARNING = {
    "code": "parental.employer_agreement",
    "field": "employer_agreement",
    "severity": "warning",
    "reference": "AR 29.10.1997 art. 2",
    "message": "Check the agreement with the worker before the start.",
}
ERROR = {
    "code": "something.blocking",
    "field": "start",
    "severity": "error",
    "reference": "",
    "message": "This error must never reach a document.",
}


@pytest.fixture(autouse=True)
def documents_in_a_temporary_folder(media: Path) -> None:
    """Every test here stores its documents in the shared ``media`` fixture's folder."""


# A local S3 server: moto in server mode, in its own process on a free port (tests of the object storage).


def _unavailable(reason: str) -> None:
    # Under CI the object-storage tests must run: a missing or broken moto fails the run.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the local S3 server is needed under CI: {reason}")
    pytest.skip(f"no local S3 server ({reason}); install the dev extra: make install-dev")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of a moto S3 server on 127.0.0.1, for the whole session."""
    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        _unavailable(f"moto[server] is not installed ({exc})")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(endpoint + "/", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    _unavailable(f"moto did not start on {endpoint}")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "eu-west-1"}


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        region_name=S3_CREDENTIALS["region_name"],
    )


class S3Bucket:
    """A fresh bucket of the local S3 server, the default storage for the test."""

    def __init__(self, endpoint: str, name: str) -> None:
        self.endpoint = endpoint
        self.name = name
        self.client = s3_client(endpoint)

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.name, Key=key)["Body"].read())

    def write(self, key: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=content)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture
def s3_bucket(settings: Any, s3_server: str, media: Path) -> S3Bucket:
    """Documents go to a new bucket of the local S3 server, with the options of DOCUMENTS_STORAGE=s3."""
    bucket = S3Bucket(s3_server, f"careerbreak-{uuid.uuid4().hex[:12]}")
    bucket.client.create_bucket(
        Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": S3_CREDENTIALS["region_name"]}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **settings.DOCUMENTS_S3_FIXED_OPTIONS,
                **S3_CREDENTIALS,
                "bucket_name": bucket.name,
                "endpoint_url": s3_server,
            },
        },
    }
    return bucket


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        yield


def make_request(
    *, worker_language: str = "fr", findings: list[dict[str, str]] | None = None
) -> LeaveRequest:
    """A confirmed parental leave (1/5) of Sophie Lambert at Boulangerie Dubois, certified by Jean Dubois."""
    enterprise = EnterpriseFactory(number=ENTERPRISE_NUMBER, name="Boulangerie Dubois SRL")
    worker = PersonFactory(
        niss=WORKER_NISS,
        first_name="Sophie",
        last_name="Lambert",
        birth_date=datetime.date(1990, 6, 15),
        language=worker_language,
    )
    EmploymentFactory(period_id="D1", employer=enterprise, worker=worker)
    certifier = User.objects.create_user(CERTIFIER_NISS, first_name="Jean", last_name="Dubois")
    leave_request = LeaveRequestFactory(
        ticket=TICKET,
        enterprise=enterprise,
        worker=worker,
        kind="new",
        leave_type="PARENTAL",
        form="1/5",
        notice_date=datetime.date(2026, 11, 20),
        start_date=datetime.date(2027, 2, 1),
        end_date=datetime.date(2027, 6, 30),
        details={
            "weekly_hours": "38",
            "reference_hours": "38",
            "hours_during_leave": "30.4",
            "regime_12_months": "full_time",
            "child_birth_date": "2024-02-10",
            "child_niss": "24021000251",
            "child_disabled": False,
            "employer_agreement": True,
        },
        findings=[WARNING, ERROR] if findings is None else findings,
        created_by=certifier,
        certified_at=CONFIRMED_AT,
        certification_text="I certify that the data entered are accurate and complete",
        certification_version="2026-1",
    )
    add_version(leave_request, kind=RequestVersion.Kind.ORIGINAL)
    return leave_request


def add_version(leave_request: LeaveRequest, *, kind: str, reason: str = "") -> RequestVersion:
    return RequestVersion.objects.create(
        request=leave_request,
        number=leave_request.version,
        kind=kind,
        snapshot=snapshot_of(leave_request),
        findings=leave_request.findings,
        reason=reason,
        created_by=leave_request.created_by,
        assurance_level=leave_request.assurance_level,
        certification_text=leave_request.certification_text,
        certification_version=leave_request.certification_version,
    )


def next_version(
    leave_request: LeaveRequest, *, kind: str, reason: str = "", **changes: Any
) -> RequestVersion:
    for name, value in changes.items():
        setattr(leave_request, name, value)
    leave_request.version += 1
    leave_request.save()
    return add_version(leave_request, kind=kind, reason=reason)


@pytest.fixture
def version(db: None, frozen: None) -> RequestVersion:
    return make_request().versions.get(number=1)


# Reading PDFs back.


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The text of every page, with runs of white space made one space (lines wrap where they like)."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader(pdf).pages).split())


def catalog(pdf: bytes) -> Any:
    root = reader(pdf).trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    return root


def xmp(pdf: bytes) -> str:
    stream = catalog(pdf)["/Metadata"].get_object()
    return stream.get_data().decode()


def structure_tags(pdf: bytes) -> list[str]:
    """The structure types of the tag tree, depth first (the logical reading order)."""
    tags: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                tags.append(str(node["/S"]).lstrip("/"))
            kids = node.get("/K")
            if kids is None:
                return
            for kid in kids if isinstance(kids, list) else [kids]:
                if not isinstance(kid, int):
                    walk(kid)

    walk(catalog(pdf)["/StructTreeRoot"])
    return tags


def font_names(pdf: bytes) -> set[str]:
    """The base font names of every page, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in reader(pdf).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    return names


def embedded_font_programs(pdf: bytes) -> list[bytes]:
    programs = []
    for page in reader(pdf).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            programs.append(descriptor["/FontFile2"].get_object().get_data())
    return programs
