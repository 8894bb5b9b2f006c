"""What the worker receives when their employer files, modifies or cancels: the PDF of the version and a
message in their eBox (and by e-mail where an address is known). Called inside the transaction of the
change, so that a rolled-back change produces neither; the PDF and the delivery run after commit."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from careerbreak.interruptions.documents import attachment_key
from careerbreak.interruptions.models import RequestVersion
from careerbreak.interruptions.tasks import schedule_employer_part
from careerbreak.interruptions.types import LeaveType
from careerbreak.mailbox.services import message_enqueue

LANGUAGES = ("fr", "nl", "de", "en")
ATTACHMENT_PROVIDER = "careerbreak.interruptions.documents.employer_part_attachment"


def _texts(version: RequestVersion, language: str) -> tuple[str, str]:
    request = version.request
    with translation.override(language):
        values: dict[str, Any] = {
            "ticket": request.ticket,
            "type": str(LeaveType(request.leave_type).label),
            "enterprise": request.enterprise.name,
            "start": request.start_date.strftime("%d/%m/%Y"),
            "end": request.end_date.strftime("%d/%m/%Y"),
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
    return str(subject), str(body)


def notify_worker(version: RequestVersion) -> None:
    """Schedule the version's PDF and the messages to the worker. Call inside the change's transaction."""
    schedule_employer_part(version)
    worker = version.request.worker
    language = worker.language if worker.language in LANGUAGES else "fr"
    texts = {lang: _texts(version, lang) for lang in LANGUAGES}
    common: dict[str, Any] = {
        "recipient_niss": worker.niss,
        "kind": "employer_part",
        "reference": version.request.ticket,
        "version": version.number,
        "subjects": {lang: subject for lang, (subject, _body) in texts.items()},
        "bodies": {lang: body for lang, (_subject, body) in texts.items()},
        "language": language,
        "attachment_provider": ATTACHMENT_PROVIDER,
        "attachment_key": attachment_key(version),
    }
    message_enqueue(channel="ebox", **common)
    if worker.email:
        message_enqueue(channel="email", recipient_email=worker.email, **common)
