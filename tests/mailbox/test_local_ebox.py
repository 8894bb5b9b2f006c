"""The local eBox: a delivered message appears once in the recipient's eBox, and only there."""

from __future__ import annotations

import hashlib

import pytest

from careerbreak.core.errors import NotFound
from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import User
from careerbreak.mailbox.models import EboxMessage, OutboxStatus
from careerbreak.mailbox.selectors import (
    ebox_attachment_for,
    ebox_message_for,
    ebox_messages_for,
    ebox_unread_count,
)
from careerbreak.mailbox.services import ebox_mark_read, message_deliver
from careerbreak.mailbox.tasks import deliver_message
from tests.factories import acting_self
from tests.mailbox.attachments import dummy_pdf
from tests.mailbox.conftest import BODIES, MARC_NISS, SOPHIE_NISS, SUBJECTS, Enqueue


def test_the_local_transport_delivers_once_and_the_message_appears_in_the_ebox(enqueue: Enqueue) -> None:
    message = enqueue(language="nl")
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 1
    assert message.delivered_at is not None

    ebox = EboxMessage.objects.get()
    assert str(ebox.id) == message.external_id
    assert ebox.outbox_message_id == message.id
    assert ebox.recipient_niss == SOPHIE_NISS
    assert ebox.subject == SUBJECTS["nl"]
    assert ebox.body == BODIES["nl"]
    assert ebox.subjects == SUBJECTS
    filename, content, _type = dummy_pdf("2026/00000001/51")
    assert ebox.attachment_name == filename
    assert bytes(ebox.attachment_data) == content
    assert ebox.sha256 == hashlib.sha256(content).hexdigest()
    assert ebox.read_at is None
    assert (
        AuditEvent.objects.filter(action="careerbreak.message.delivered", object_id=str(message.id)).count()
        == 1
    )


def test_delivering_a_message_that_is_already_delivered_does_nothing(enqueue: Enqueue) -> None:
    message = enqueue()
    assert message_deliver(message_id=message.id) == "skipped"
    deliver_message.enqueue(str(message.id))
    message.refresh_from_db()
    assert message.attempts == 1
    assert EboxMessage.objects.count() == 1
    assert AuditEvent.objects.filter(action="careerbreak.message.delivered").count() == 1


def test_a_redelivery_after_the_ebox_row_was_written_finds_the_same_row(enqueue: Enqueue) -> None:
    from careerbreak.mailbox.transports import Attachment, LocalEboxTransport

    message = enqueue()
    again = LocalEboxTransport().send(message, Attachment(*dummy_pdf("x")))
    assert again == message.external_id
    assert EboxMessage.objects.count() == 1


def test_a_message_without_attachment_is_delivered_without_one(enqueue: Enqueue) -> None:
    enqueue(attachment_provider="", attachment_key="")
    ebox = EboxMessage.objects.get()
    assert not ebox.has_attachment
    with pytest.raises(NotFound):
        ebox_attachment_for(SOPHIE_NISS, ebox.id)


def test_the_recipient_sees_their_messages_newest_first(enqueue: Enqueue) -> None:
    enqueue(version=1)
    enqueue(version=2)
    assert [m.version for m in ebox_messages_for(SOPHIE_NISS)] == [2, 1]
    assert ebox_unread_count(SOPHIE_NISS) == 2


def test_another_person_sees_nothing_of_someone_elses_ebox(enqueue: Enqueue) -> None:
    enqueue()
    ebox = EboxMessage.objects.get()
    assert list(ebox_messages_for(MARC_NISS)) == []
    assert list(ebox_messages_for("")) == []
    with pytest.raises(NotFound):
        ebox_message_for(MARC_NISS, ebox.id)
    with pytest.raises(NotFound):
        ebox_attachment_for(MARC_NISS, ebox.id)
    with pytest.raises(NotFound):
        ebox_mark_read(acting=acting_self(User(niss=MARC_NISS)), message_id=ebox.id)
    assert EboxMessage.objects.get().read_at is None


def test_an_id_that_is_not_a_uuid_is_not_found(enqueue: Enqueue) -> None:
    enqueue()
    with pytest.raises(NotFound):
        ebox_message_for(SOPHIE_NISS, "../etc/passwd")


def test_the_recipient_downloads_the_attached_document(enqueue: Enqueue) -> None:
    enqueue()
    ebox = EboxMessage.objects.get()
    attachment = ebox_attachment_for(SOPHIE_NISS, str(ebox.id))
    assert attachment.content.startswith(b"%PDF")
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == ebox.sha256


def test_opening_a_message_marks_it_read_once_and_audits_it(enqueue: Enqueue) -> None:
    enqueue()
    ebox = EboxMessage.objects.get()
    first = ebox_mark_read(acting=acting_self(User(niss=SOPHIE_NISS)), message_id=ebox.id)
    second = ebox_mark_read(acting=acting_self(User(niss=SOPHIE_NISS)), message_id=ebox.id)
    assert first.read_at is not None
    assert second.read_at == first.read_at
    assert ebox_unread_count(SOPHIE_NISS) == 0
    events = AuditEvent.objects.filter(action="careerbreak.message.read")
    assert [(e.actor_niss, e.object_id) for e in events] == [(SOPHIE_NISS, str(ebox.id))]
