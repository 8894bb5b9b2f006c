"""The PDF of the employer part: one document per version of a request, in the worker's language.

`employer_part_document(version)` is the one way to get it: it returns the stored document, or renders
and stores it the first time (the background task `tasks.render_employer_part` usually did that right
after the confirmation; a user asking before the task ran gets it rendered then, once).
`employer_part_attachment(key)` is the attachment provider the mailbox calls by dotted path.

There are two copies of each version: the employer's (kind "employer_part": Consultation, the API), with
the warnings the employer read when confirming, and the worker's (kind "employer_part_worker", the copy
attached to the worker's eBox message), without them: those warnings tell the employer what to check
and are not addressed to the worker.

Every value is formatted here, in the document's language (dates written in words, numbers with the
locale's decimal mark, identifiers in their usual punctuation), so that the template only lays them out.
No internal code reaches the document: the login is named by its means (eID, itsme), not its assurance
level, and the certification text is shown without its version number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext

from careerbreak.documents.models import Document
from careerbreak.documents.services import document_bytes, document_store
from careerbreak.documents.wording import written_date, written_datetime
from careerbreak.identity.oidc import auth_means_for_level
from careerbreak.interruptions.drafts import REGIME_MONTHS, LeaveData, field_label
from careerbreak.interruptions.models import LeaveRequest, RequestVersion
from careerbreak.interruptions.types import (
    EndOfCareerException,
    LeaveField,
    LeaveForm,
    LeaveType,
    PriorRegime,
    RequestKind,
    WorkerStatusCode,
)
from careerbreak.registries.models import Enterprise, Person
from careerbreak.registries.sources import reference_data

KIND = "employer_part"
# The worker's copy: the same version without the warnings meant for the employer.
WORKER_COPY_KIND = "employer_part_worker"
TEMPLATE = "documents/employer_part.html"

F = LeaveField

_DATE_FIELDS = frozenset(
    {F.NOTICE_DATE, F.CHILD_BIRTH_DATE, F.CHILD_ADOPTED_ON, F.PATIENT_BIRTH_DATE, F.COLLECTIVE_AGREEMENT_DATE}
)
_NISS_FIELDS = frozenset({F.CHILD_NISS, F.PATIENT_NISS})
_NUMBER_FIELDS = frozenset(
    {
        F.WEEKLY_HOURS,
        F.REFERENCE_HOURS,
        F.DAYS_PER_WEEK,
        F.HOURS_DURING_LEAVE,
        F.MONTHS_OF_CONTRACT_LAST_15,
        F.CAREER_YEARS,
    }
)
# In step 6's order (the order of LeaveField), whatever order the draft stored them in.
_FIELD_ORDER = {field.value: index for index, field in enumerate(LeaveField)}


def format_niss(digits: str) -> str:
    """A national register or BIS number as people write it: 90.06.15-122.02."""
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"
    return digits


def _day_text(value: Any, write: Callable[[datetime.date], str]) -> str:
    """A date (or its ISO text) written by ``write``; text that is no date as it is; a dash for none."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return write(value) if isinstance(value, datetime.date) else "–"


def _date(value: Any) -> str:
    return _day_text(value, lambda day: date_format(day, "DATE_FORMAT"))


def _number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    number = number.normalize()
    if number == number.to_integral_value():
        return str(int(number))
    return number_format(number)


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def _choice_label(enum: Any, value: Any) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _detail_value(name: str, value: Any, day: Callable[[Any], str] = _date) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if name in _DATE_FIELDS:
        return day(value)
    if name in _NISS_FIELDS:
        return format_niss(str(value))
    if name in _NUMBER_FIELDS:
        return _number(value)
    if name in REGIME_MONTHS:
        return _choice_label(PriorRegime, value)
    if name == F.END_OF_CAREER_EXCEPTION:
        if not value:
            return pgettext("end of career exception", "None (age 60)")
        return _choice_label(EndOfCareerException, value)
    if value in ("yes", "no"):
        return _yes_no(value == "yes")
    return str(value)


def detail_rows(details: Mapping[str, Any], *, day: Callable[[Any], str] = _date) -> list[tuple[str, str]]:
    """Every declared detail as (label, value) in step 6's order; an unknown key keeps its name.

    The details are read through the draft's schema (dates, decimals, booleans, codes typed); a value the
    schema cannot read is shown as it was stored. ``day`` writes the dates (a document: `written_day`).
    """
    values = {**details, **LeaveData.from_json(details).as_values()}
    names = sorted(values, key=lambda name: (_FIELD_ORDER.get(name, len(_FIELD_ORDER)), name))
    return [
        (field_label(name), _detail_value(name, values[name], day))
        for name in names
        if values[name] not in (None, "")
    ]


def written_day(value: Any) -> str:
    """A date (or its ISO text) in words, as a document writes it: "1er avril 2026"."""
    return _day_text(value, written_date)


def _address(enterprise: Enterprise) -> str:
    place = " ".join(part for part in (enterprise.postal_code, enterprise.city) if part)
    parts = [enterprise.street, place]
    if enterprise.country and enterprise.country != "BE":
        parts.append(enterprise.country)
    return ", ".join(part for part in parts if part) or "–"


def _worker_status(code: str) -> str:
    try:
        return str(WorkerStatusCode(code).label)
    except ValueError:
        pass
    status = reference_data().worker_status(code)
    return status.label if status else code or "–"


def _joint_committee(number: str) -> str:
    if not number:
        return "–"
    committee = reference_data().joint_committee(number)
    return f"{number} – {committee.name}" if committee else number


def login_means_label(level: int) -> str:
    """How the person logged in, in words and in the active language ("electronic identity card (eID)"),
    never the assurance level's number."""
    return {
        "eid": gettext("electronic identity card (eID)"),
        "itsme": "itsme",
    }.get(auth_means_for_level(level)) or gettext("the federal authentication service (FAS)")


def document_language(person: Person) -> str:
    """The worker's language if the service speaks it, French otherwise."""
    available = {code for code, _name in settings.LANGUAGES}
    return person.language if person.language in available else settings.LANGUAGE_CODE


def worker_document(
    leave_request: LeaveRequest, *, kind: str, template: str, build: Callable[[], tuple[dict[str, Any], str]]
) -> Document:
    """A document for the worker about ``leave_request`` (one version), in the worker's language: ``build()``
    gives its context and title in the active language; rendered and stored the first time."""
    language = document_language(leave_request.worker)
    with translation.override(language):
        context, title = build()
    return document_store(
        kind=kind,
        reference=leave_request.ticket,
        version=1,
        language=language,
        title=title,
        template=template,
        context=context,
    )


def document_title(version: RequestVersion) -> str:
    """The title in the active language (the PDF's title metadata and its first heading)."""
    ticket = version.request.ticket
    if version.kind == RequestVersion.Kind.CANCELLATION:
        return gettext("Cancellation of request %(ticket)s") % {"ticket": ticket}
    return gettext("Employer part of request %(ticket)s") % {"ticket": ticket}


def _channel_rows(version: RequestVersion) -> list[tuple[str, str]]:
    """How the version was filed: the means of the login on the web; through the API, the client
    program and the enterprise it belongs to (an API call has no login)."""
    client = version.api_client
    if client is None:
        return [(gettext("Logged in with"), login_means_label(version.assurance_level))]
    owner = client.enterprise
    return [
        (gettext("Filed through the API by"), f"{client.name} ({client.client_id})"),
        (gettext("Enterprise of the API client"), f"{owner.name} ({owner.formatted_number})"),
    ]


def _secretariat_rows(snapshot: Mapping[str, Any], enterprise: Enterprise) -> list[tuple[str, str]]:
    """The social secretariat that filed the version for the employer, and the mandate it acted under
    (as recorded when the version was filed: `services.secretariat_of`)."""
    filed_by = snapshot.get("secretariat")
    if not isinstance(filed_by, Mapping):
        return []
    values = {
        "employer": enterprise.name,
        "from": written_day(filed_by.get("mandate_from")),
        "until": written_day(filed_by.get("mandate_until")),
    }
    mandate = (
        gettext("Mandate given by %(employer)s, valid from %(from)s to %(until)s") % values
        if filed_by.get("mandate_until")
        else gettext("Mandate given by %(employer)s, valid from %(from)s") % values
    )
    return [
        (
            gettext("Filed by the social secretariat"),
            f"{filed_by.get('name', '')} ({filed_by.get('number', '')})",
        ),
        (gettext("Acting under"), mandate),
    ]


def _changes(version: RequestVersion) -> list[tuple[str, str, str]]:
    """What a modification changed from the version before it: (data, before, now), dates in words."""
    if version.kind != RequestVersion.Kind.MODIFICATION:
        return []
    from careerbreak.interruptions.changes import previous_version, version_changes

    previous = previous_version(version)
    if previous is None:
        return []
    return [
        (change.label, change.old, change.new)
        for change in version_changes(previous.snapshot, version.snapshot, day=written_day)
    ]


def employer_part_context(version: RequestVersion, *, worker_copy: bool = False) -> dict[str, Any]:
    """What the employer part shows, formatted in the active language; the worker's copy
    (``worker_copy``) without the warnings meant for the employer."""
    leave_request = version.request
    enterprise = leave_request.enterprise
    worker = leave_request.worker
    certifier = version.created_by
    snapshot = version.snapshot
    leave_type = snapshot.get("leave_type", "")
    form = snapshot.get("form", "")
    kind = snapshot.get("kind") or RequestKind.NEW
    request_rows = [
        (gettext("Type of interruption"), _choice_label(LeaveType, leave_type)),
        (gettext("Form of the interruption"), _choice_label(LeaveForm, form)),
        (gettext("Kind of request"), _choice_label(RequestKind, kind)),
    ]
    if snapshot.get("extends"):
        request_rows.append((gettext("Extends the request"), snapshot["extends"]))
    request_rows += [
        (gettext("Date of the written notice"), written_day(snapshot.get("notice_date"))),
        (gettext("Start date"), written_day(snapshot.get("start_date"))),
        (gettext("End date"), written_day(snapshot.get("end_date"))),
    ]
    certified_at = timezone.localtime(version.created_at)
    certifier_name = certifier.get_full_name()
    certifier_id = format_niss(certifier.niss)
    signed_by = f"{certifier_name} ({certifier_id})" if certifier_name else certifier_id
    # As the employer read them when confirming (the rules word them to say what to do): the employer's
    # copy only.
    warnings = (
        []
        if worker_copy
        else [
            finding["message"]
            for finding in version.findings
            if finding.get("severity") == "warning" and finding.get("message")
        ]
    )
    is_cancellation = version.kind == RequestVersion.Kind.CANCELLATION
    if is_cancellation:
        # A cancellation certifies nothing: it says who cancelled, when and how.
        certification_rows = [
            (gettext("Cancelled by"), signed_by),
            (gettext("Cancelled on"), written_datetime(certified_at)),
            *_secretariat_rows(snapshot, enterprise),
            *_channel_rows(version),
        ]
    else:
        certification_rows = [
            (gettext("Certified by"), signed_by),
            (gettext("Certified on"), written_datetime(certified_at)),
            *_secretariat_rows(snapshot, enterprise),
            *_channel_rows(version),
            (gettext("Text certified"), version.certification_text),
        ]
    return {
        "ticket": leave_request.ticket,
        "version_number": version.number,
        "version_kind": version.get_kind_display(),
        "is_cancellation": is_cancellation,
        "reason": version.reason,
        "created": version.created_at,
        "enterprise_rows": [
            (gettext("Name"), enterprise.name),
            (gettext("Enterprise number"), enterprise.formatted_number),
            (gettext("ONSS number"), enterprise.formatted_onss_number or "–"),
            (gettext("Address"), _address(enterprise)),
        ],
        "worker_rows": [
            (gettext("Name"), worker.full_name),
            (gettext("National register number"), worker.formatted_niss),
            (gettext("Birth date"), written_day(worker.birth_date)),
            (gettext("Worker status"), _worker_status(snapshot.get("worker_status", ""))),
            (gettext("Joint committee"), _joint_committee(snapshot.get("joint_committee", ""))),
        ],
        "request_rows": request_rows,
        "detail_rows": detail_rows(snapshot.get("details") or {}, day=written_day),
        "warnings": warnings,
        "changes": _changes(version),
        "certification_heading": gettext("Cancellation") if is_cancellation else gettext("Certification"),
        "certification_rows": certification_rows,
    }


def employer_part_document(
    version: RequestVersion, *, language: str | None = None, worker_copy: bool = False
) -> Document:
    """The PDF of this version of the employer part, rendered and stored the first time: the employer's
    copy, or with ``worker_copy`` the worker's (without the warnings meant for the employer).

    Without `language`, the document already stored for this version (whatever its language: the
    worker's when it was filed) or else a new one in the worker's language. Idempotent; safe when the
    task and a user ask at the same moment (one document is kept).
    """
    leave_request = version.request
    kind = WORKER_COPY_KIND if worker_copy else KIND
    if language is None:
        stored = (
            Document.objects.filter(kind=kind, reference=leave_request.ticket, version=version.number)
            .order_by("created_at", "pk")
            .first()
        )
        if stored is not None:
            return stored
        language = document_language(leave_request.worker)
    with _one_renderer(version):
        # Whoever waited for the lock finds the document the other one stored.
        stored = Document.objects.filter(
            kind=kind, reference=leave_request.ticket, version=version.number, language=language
        ).first()
        if stored is not None:
            return stored
        with translation.override(language):
            context = employer_part_context(version, worker_copy=worker_copy)
            title = document_title(version)
        return document_store(
            kind=kind,
            reference=leave_request.ticket,
            version=version.number,
            language=language,
            title=title,
            template=TEMPLATE,
            context=context,
        )


@contextmanager
def _one_renderer(version: RequestVersion) -> Iterator[None]:
    """One rendering per version at a time: the render task and a delivery (or a user) asking at the same
    moment wait for each other instead of both rendering (the bench saw most PDFs rendered twice).

    PostgreSQL: a row lock on the version for the rendering. SQLite, the embedded single-machine default,
    takes no lock: holding its only write lock through a rendering would stall every other writer.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        RequestVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk", flat=True).first()
        yield


def _version_for_key(key: str) -> RequestVersion:
    request_pk, _sep, number = key.partition(":")
    if not (request_pk.isdigit() and number.isdigit()):
        raise ValueError(f"An employer part key is '<request id>:<version number>', not {key!r}.")
    return RequestVersion.objects.select_related(
        "request__enterprise", "request__worker", "created_by", "api_client__enterprise"
    ).get(request_id=int(request_pk), number=int(number))


def attachment_key(version: RequestVersion) -> str:
    """The key the mailbox stores for this version's PDF ("<request id>:<version number>")."""
    return f"{version.request_id}:{version.number}"


def employer_part_attachment(key: str) -> tuple[str, bytes, str]:
    """The mailbox's attachment provider: (file name, PDF bytes, media type) for a key made by
    `attachment_key`: the worker's copy, rendered if it is not stored yet. Raises
    RequestVersion.DoesNotExist for an unknown key, documents.services.DocumentIntegrityError when the
    stored file was altered or lost."""
    version = _version_for_key(key)
    document = employer_part_document(version, worker_copy=True)
    return pdf_attachment(document, f"{version.request.ticket.replace('/', '-')}-v{version.number}")


def pdf_attachment(document: Document, name: str) -> tuple[str, bytes, str]:
    """What an attachment provider gives the mailbox for a stored PDF: the file name (``name`` and the
    document's language), its bytes (checked against the stored hash) and its media type."""
    return f"{name}-{document.language}.pdf", document_bytes(document), "application/pdf"
