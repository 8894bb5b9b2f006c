"""Fixtures of the document tests: a throw-away media folder, a confirmed request built row by row, and
helpers that read a PDF back with pypdf."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from careerbreak.identity.models import User
from careerbreak.interruptions.models import LeaveRequest, RequestVersion
from careerbreak.interruptions.services import snapshot_of
from careerbreak.registries.models import Employment, Enterprise, JointCommittee, Person, Sector

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
def media(settings: Any, tmp_path: Path) -> Path:
    """Documents go to a temporary folder, never to var/media."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        yield


def make_request(
    *, worker_language: str = "fr", findings: list[dict[str, str]] | None = None
) -> LeaveRequest:
    """A confirmed parental leave (1/5) of Sophie Lambert at Boulangerie Dubois, certified by Jean Dubois."""
    enterprise = Enterprise.objects.create(
        number=ENTERPRISE_NUMBER,
        onss_number="123456749",
        name="Boulangerie Dubois SRL",
        legal_form="SRL",
        street="Rue du Four 12",
        postal_code="5000",
        city="Namur",
        sector=Sector.PRIVATE,
        reference_headcount=8,
    )
    worker = Person.objects.create(
        niss=WORKER_NISS,
        first_name="Sophie",
        last_name="Lambert",
        birth_date=datetime.date(1990, 6, 15),
        language=worker_language,
    )
    Employment.objects.create(
        period_id="D1",
        employer=enterprise,
        worker=worker,
        joint_committee=JointCommittee.objects.get(number="118"),
        start_date=datetime.date(2015, 3, 1),
        weekly_hours=Decimal("38"),
        reference_hours=Decimal("38"),
    )
    certifier = User.objects.create_user(CERTIFIER_NISS, first_name="Jean", last_name="Dubois")
    leave_request = LeaveRequest.objects.create(
        ticket=TICKET,
        enterprise=enterprise,
        worker=worker,
        worker_status="PRIVATE_WHITE_COLLAR",
        joint_committee="118",
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
        status="awaiting_worker",
        created_by=certifier,
        certified_at=CONFIRMED_AT,
        certification_text="I certify that the data entered are accurate and complete",
        certification_version="2026-1",
        assurance_level=500,
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
