"""E-mail: one mail, in the recipient's language, with the document attached; SMTP refusals classed."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core import mail

from careerbreak.mailbox.models import OutboxStatus
from tests.mailbox.attachments import dummy_pdf
from tests.mailbox.conftest import BODIES, SUBJECTS, Enqueue

ADDRESS = "sophie.lambert@example.be"


def test_the_email_transport_sends_one_mail_with_the_pdf_attached(enqueue: Enqueue) -> None:
    message = enqueue(channel="email", recipient_niss="", recipient_email=ADDRESS, language="en")

    assert message.status == OutboxStatus.DELIVERED
    [sent] = mail.outbox
    assert sent.to == [ADDRESS]
    assert sent.subject == SUBJECTS["en"]
    assert sent.body == BODIES["en"]
    assert sent.attachments == [dummy_pdf("2026/00000001/51")]
    assert message.external_id == sent.extra_headers["Message-ID"]
    assert str(message.id) in message.external_id


def test_an_email_already_sent_is_not_sent_again(enqueue: Enqueue) -> None:
    fields = {"channel": "email", "recipient_niss": "", "recipient_email": ADDRESS}
    enqueue(**fields)
    enqueue(**fields)
    assert len(mail.outbox) == 1


class RefusingBackend:
    """A mail backend whose server answers with the exception given in the settings."""

    error: Exception

    def __init__(self, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> RefusingBackend:
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise RefusingBackend.error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"no such user")}), OutboxStatus.FAILED),
        (smtplib.SMTPRecipientsRefused({ADDRESS: (451, b"try later")}), OutboxStatus.PENDING),
        (smtplib.SMTPDataError(554, b"rejected"), OutboxStatus.FAILED),
        (smtplib.SMTPDataError(421, b"busy"), OutboxStatus.PENDING),
        (smtplib.SMTPServerDisconnected("gone"), OutboxStatus.PENDING),
        (ConnectionRefusedError(111, "refused"), OutboxStatus.PENDING),
    ],
)
def test_what_the_mail_server_answers_decides_between_retry_and_failure(
    enqueue: Enqueue, settings: Any, error: Exception, status: str
) -> None:
    settings.EMAIL_BACKEND = "tests.mailbox.test_email.RefusingBackend"
    RefusingBackend.error = error
    message = enqueue(channel="email", recipient_niss="", recipient_email=ADDRESS)
    assert message.status == status
    assert message.last_error
