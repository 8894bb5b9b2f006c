"""Reminders of a missing worker part (issue 12, "Deadlines"): due 14 days before the start and on the start
date, each sent once through the outbox, whatever the number of runs (a rerun, a crash, two at once); none
for a cancelled request or a complete part; the filing message gives the dates."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from careerbreak.core.models import AuditEvent
from careerbreak.interruptions import notifications, reminders
from careerbreak.interruptions.models import LeaveRequest, WorkerPart
from careerbreak.interruptions.reminders import ReminderKind, reminders_due, reminders_send_due
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.registries.models import Person
from tests.concurrency import needs_postgres, race
from tests.request_fixtures import file_sophie_s_leave

# Sophie's parental leave (tests/request_fixtures.py) is filed on 27 November 2026 and starts on
# 1 February 2027: the 14-day reminder is due from 18 January, the start one from 1 February until the
# deadline, 1 April 2027.
DAY_BEFORE_WINDOW = datetime.date(2027, 1, 17)
FOURTEEN_DAYS_BEFORE = datetime.date(2027, 1, 18)
DAY_BEFORE_START = datetime.date(2027, 1, 31)
START = datetime.date(2027, 2, 1)
DEADLINE = datetime.date(2027, 4, 1)

BEFORE, ON_START = ReminderKind.BEFORE_START.value, ReminderKind.ON_START.value


@pytest.fixture
def filed(db: None, frozen_today: None) -> LeaveRequest:
    return file_sophie_s_leave()


def sent(kind: str, channel: str = "ebox") -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind, channel=channel))


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (DAY_BEFORE_WINDOW, []),
        (FOURTEEN_DAYS_BEFORE, [BEFORE]),
        (DAY_BEFORE_START, [BEFORE]),
        (START, [ON_START]),
        (DEADLINE, [ON_START]),
        (DEADLINE + datetime.timedelta(days=1), []),
    ],
)
def test_what_is_due_at_the_boundaries(filed: LeaveRequest, today: datetime.date, due: list[str]) -> None:
    assert [kind for _request, kind in reminders_due(today=today)] == due


def test_each_reminder_is_sent_once_to_the_ebox_and_by_e_mail_and_audited(filed: LeaveRequest) -> None:
    assert reminders_send_due(today=FOURTEEN_DAYS_BEFORE) == 1
    # A rerun the same day, the next day, and after the start: the 14-day one is not sent again.
    assert reminders_send_due(today=FOURTEEN_DAYS_BEFORE) == 0
    assert reminders_send_due(today=DAY_BEFORE_START) == 0
    assert reminders_send_due(today=START) == 1
    assert reminders_send_due(today=START + datetime.timedelta(days=1)) == 0
    for kind in (BEFORE, ON_START):
        (ebox,) = sent(kind)
        assert (ebox.reference, ebox.recipient_niss, ebox.language) == (filed.ticket, filed.worker.niss, "fr")
        assert len(sent(kind, "email")) == 1
    events = AuditEvent.objects.filter(action="careerbreak.request.reminder_sent").order_by("id")
    assert [e.data["reminder"] for e in events] == [BEFORE, ON_START]
    assert {e.object_id for e in events} == {filed.ticket}


def test_a_job_that_was_down_catches_up_with_the_one_due_now_only(filed: LeaveRequest) -> None:
    # Down from before the 14-day mark until after the start: the 14-day one is no longer true.
    assert reminders_send_due(today=START + datetime.timedelta(days=3)) == 1
    assert sent(BEFORE) == []
    assert len(sent(ON_START)) == 1


def test_the_texts_give_the_dates_in_the_worker_s_language_in_four_languages(filed: LeaveRequest) -> None:
    Person.objects.filter(niss=filed.worker.niss).update(language="nl")
    reminders_send_due(today=FOURTEEN_DAYS_BEFORE)
    (message,) = sent(BEFORE)
    assert message.language == "nl"
    assert set(message.bodies) == set(message.subjects) == {"fr", "nl", "de", "en"}
    assert "1 februari 2027" in message.body and "1 april 2027" in message.body
    assert "1 février 2027" in message.bodies["fr"]
    assert "1 April 2027" in message.bodies["en"]
    assert filed.ticket in message.subject
    assert "ontbreekt nog" in message.body
    assert "fehlt noch" in message.bodies["de"] and "manque toujours" in message.bodies["fr"]


def test_a_cancelled_request_or_a_complete_part_gets_no_reminder(filed: LeaveRequest) -> None:
    LeaveRequest.objects.filter(pk=filed.pk).update(status=Status.CANCELLED)
    assert reminders_send_due(today=FOURTEEN_DAYS_BEFORE) == 0
    LeaveRequest.objects.filter(pk=filed.pk).update(status=Status.COMPLETE)
    WorkerPart.objects.create(request=filed, submitted_at=filed.created_at)
    assert reminders_send_due(today=START) == 0
    # Even if asked directly (it was due when the job listed it, and was completed meanwhile).
    assert not reminders.reminder_send(ticket=filed.ticket, kind=ON_START, today=START)
    assert not OutboxMessage.objects.filter(kind__in=[BEFORE, ON_START]).exists()


def test_no_reminder_repeats_the_filing_message_of_the_same_window(db: None) -> None:
    # Filed 10 days before the start: the 14-day reminder would only repeat the filing message.
    with time_machine.travel(datetime.datetime(2027, 1, 22, 10, 0, tzinfo=datetime.UTC), tick=False):
        late_filed = file_sophie_s_leave()
    assert reminders_due(today=datetime.date(2027, 1, 22)) == []
    assert [kind for _r, kind in reminders_due(today=START)] == [ON_START]
    assert late_filed.status == Status.AWAITING_WORKER


def test_the_filing_message_asks_for_the_part_with_the_dates(filed: LeaveRequest) -> None:
    message = OutboxMessage.objects.get(kind="employer_part", channel="ebox", version=1)
    assert "1 août 2026" in message.bodies["fr"] and "1 avril 2027" in message.bodies["fr"]
    assert "1 August 2026" in message.bodies["en"] and "1 April 2027" in message.bodies["en"]
    assert "1 augustus 2026" in message.bodies["nl"] and "1. August 2026" in message.bodies["de"]


def test_a_crash_after_the_run_listed_it_sends_nothing_twice(filed: LeaveRequest, monkeypatch: Any) -> None:
    # The run that crashed wrote nothing (its transaction rolled back); the next run sends it, once.
    real = notifications.message_enqueue
    calls = {"n": 0}

    def crash_on_e_mail(**kwargs: Any) -> Any:
        calls["n"] += 1
        if kwargs["channel"] == "email":
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(notifications, "message_enqueue", crash_on_e_mail)
    assert reminders_send_due(today=START) == 0
    assert not OutboxMessage.objects.filter(kind=ON_START).exists()
    assert not AuditEvent.objects.filter(action="careerbreak.request.reminder_sent").exists()
    monkeypatch.setattr(notifications, "message_enqueue", real)
    assert reminders_send_due(today=START) == 1
    assert reminders_send_due(today=START) == 0
    assert OutboxMessage.objects.filter(kind=ON_START).count() == 2  # eBox and e-mail


def test_the_command_uses_today_and_a_restart_sends_nothing_again(filed: LeaveRequest) -> None:
    with time_machine.travel(datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "Sent 1 reminder(s)." in out.getvalue()
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "Sent 0 reminder(s)." in out.getvalue()
    assert len(sent(BEFORE)) == 1


@needs_postgres()
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(frozen_today: None) -> None:
    filed = file_sophie_s_leave()
    results = race([lambda: reminders_send_due(today=START) for _ in range(4)])
    assert sorted(results) == [0, 0, 0, 1], results
    assert OutboxMessage.objects.filter(kind=ON_START, reference=filed.ticket).count() == 2
    assert AuditEvent.objects.filter(action="careerbreak.request.reminder_sent").count() == 1


def test_the_loop_needs_a_positive_number_of_seconds(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--loop", "0")
