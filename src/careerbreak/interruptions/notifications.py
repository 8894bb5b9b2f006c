"""What the worker receives when their employer files, modifies or cancels: the PDF of the version and a
message in their eBox (and by e-mail where an address is known). Called inside the transaction of the
change, so that a rolled-back change produces neither; the PDF and the delivery run after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from careerbreak.interruptions.changes import changes_of, changes_text
from careerbreak.interruptions.documents import attachment_key, document_language
from careerbreak.interruptions.models import LeaveRequest, RequestVersion, WorkerPart
from careerbreak.interruptions.tasks import schedule_employer_part
from careerbreak.interruptions.types import LeaveType
from careerbreak.interruptions.worker_part import deadline, sendable_from
from careerbreak.mailbox.models import LANGUAGES
from careerbreak.mailbox.services import message_enqueue
from careerbreak.registries.models import Person

ATTACHMENT_PROVIDER = "careerbreak.interruptions.documents.employer_part_attachment"


def in_every_language(texts: Callable[[], tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(subjects, bodies) by language: ``texts()`` called once in each language the eBox carries."""
    subjects: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            subject, body = texts()
        subjects[language], bodies[language] = str(subject), str(body)
    return subjects, bodies


def send_to_worker(
    worker: Any,
    *,
    kind: str,
    reference: str,
    version: int,
    texts: Callable[[], tuple[str, str]],
    attachment_provider: str = "",
    attachment_key: str = "",
) -> None:
    """A message (with a PDF when ``attachment_provider`` names one) to the worker's eBox, and by e-mail
    where an address is known: outbox rows of the caller's transaction, the subject and body in every
    language (``texts()`` in the active one), delivered in theirs."""
    subjects, bodies = in_every_language(texts)
    common: dict[str, Any] = {
        "recipient_niss": worker.niss,
        "kind": kind,
        "reference": reference,
        "version": version,
        "subjects": subjects,
        "bodies": bodies,
        "language": document_language(worker),
    }
    if attachment_provider:
        common.update(attachment_provider=attachment_provider, attachment_key=attachment_key)
    message_enqueue(channel="ebox", **common)
    if worker.email:
        message_enqueue(channel="email", recipient_email=worker.email, **common)


def send_worker_document(
    leave_request: LeaveRequest,
    *,
    kind: str,
    texts: Callable[[], tuple[str, str]],
    provider: str,
    key: str,
) -> None:
    """The message that carries a document for the worker about ``leave_request`` (``documents.
    worker_document``: one version, referenced by the ticket), its PDF given by the attachment provider
    ``provider`` for ``key`` (``send_to_worker``). Call inside the transaction that makes it true."""
    send_to_worker(
        leave_request.worker,
        kind=kind,
        reference=leave_request.ticket,
        version=1,
        texts=texts,
        attachment_provider=provider,
        attachment_key=key,
    )


def message_to_worker(
    *, worker: Person, kind: str, reference: str, version: int, texts: Callable[[], tuple[str, str]]
) -> None:
    """A message without a document to the worker (``send_to_worker``). Call inside the transaction
    that makes it true."""
    send_to_worker(worker, kind=kind, reference=reference, version=version, texts=texts)


def _texts(version: RequestVersion) -> tuple[str, str]:
    """Subject and body in the active language."""
    request = version.request
    values: dict[str, Any] = {
        "ticket": request.ticket,
        "type": LeaveType(request.leave_type).in_sentence,  # always inside the sentence
        "enterprise": request.enterprise.name,
        "start": date_format(request.start_date, "SHORT_DATE_FORMAT"),
        "end": date_format(request.end_date, "SHORT_DATE_FORMAT"),
        "version": version.number,
        "reason": version.reason,
    }
    if version.kind == RequestVersion.Kind.CANCELLATION:
        subject = _("Your employer has cancelled request %(ticket)s") % values
        body = (
            _(
                "%(enterprise)s has cancelled the request %(ticket)s (%(type)s). "
                "Reason given: %(reason)s. The document attached is the cancellation."
            )
            % values
        )
    elif version.kind == RequestVersion.Kind.MODIFICATION:
        subject = _("Your employer has modified request %(ticket)s") % values
        body = (
            _(
                "%(enterprise)s has modified the request %(ticket)s (%(type)s), "
                "now from %(start)s to %(end)s. The document attached is version %(version)s; "
                "the earlier versions remain valid records of what was declared."
            )
            % values
        )
        changes = changes_of(version)
        if changes:
            body += "\n\n" + _("What changed:") + "\n" + changes_text(changes)
        if WorkerPart.objects.filter(request=request, submitted_at__isnull=False).exists():
            body += "\n\n" + _(
                "You had already sent your part: it stays sent and you do not need to confirm it again. "
                "The employment office receives this version with your part. If a change affects what "
                "you declared, report it to the employment office."
            )
    else:
        subject = _("Your employer has filed a request for %(type)s (%(ticket)s)") % values
        body = (
            _(
                "%(enterprise)s has filed the employer part of your request for %(type)s, "
                "from %(start)s to %(end)s, ticket %(ticket)s. Complete the worker part online: "
                "the request reaches the employment office only then. The employer part is attached."
            )
            % values
        )
        # The first reminder (issue 12): when the part can be sent and by when it must arrive.
        body += " " + (
            _(
                "You can send your part from %(from)s; it must reach the employment office by %(deadline)s "
                "(later, the allowance starts only on the day it is sent)."
            )
            % {
                "from": date_format(sendable_from(request.start_date), "DATE_FORMAT"),
                "deadline": date_format(deadline(request.start_date), "DATE_FORMAT"),
            }
        )
    return str(subject), str(body)


def notify_worker(version: RequestVersion) -> None:
    """Schedule the version's PDF and the messages to the worker. Call inside the change's transaction."""
    schedule_employer_part(version)
    send_to_worker(
        version.request.worker,
        kind="employer_part",
        reference=version.request.ticket,
        version=version.number,
        texts=lambda: _texts(version),
        attachment_provider=ATTACHMENT_PROVIDER,
        attachment_key=attachment_key(version),
    )
