"""Migration interruptions.0005 gives the notices sent before it their history: sent, then the answer."""

from __future__ import annotations

import datetime

import pytest

from tests.migration_fixtures import migrate, migrate_to_latest

BEFORE = [("interruptions", "0004_draft_schema_version")]
AFTER = [("interruptions", "0005_notice_transitions")]

SENT_AT = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)
ANSWERED_AT = datetime.datetime(2026, 10, 3, 15, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_notices_of_before_get_their_sent_and_answer_rows() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    Person = old.get_model("registries", "Person")
    Enterprise = old.get_model("registries", "Enterprise")
    WorkerNotice = old.get_model("interruptions", "WorkerNotice")
    worker = Person.objects.create(niss="90061512202", first_name="Sophie", last_name="Lambert")
    employer = Enterprise.objects.create(number="0202239951", name="Boulangerie", sector="PRIVATE")
    common = {"worker": worker, "enterprise": employer, "leave_type": "PARENTAL", "form": "full", "months": 2}
    waiting = WorkerNotice.objects.create(start_date=datetime.date(2027, 1, 1), **common)
    refused = WorkerNotice.objects.create(
        start_date=datetime.date(2027, 2, 1),
        status="refused",
        answer_reason="Inventaire.",
        answered_at=ANSWERED_AT,
        answered_by_niss="78041213507",
        **common,
    )
    WorkerNotice.objects.filter(pk__in=[waiting.pk, refused.pk]).update(sent_at=SENT_AT)
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        rows = new.get_model("interruptions", "NoticeTransition").objects.order_by("notice_id", "id")
        assert [
            (r.notice_id, r.from_status, r.to_status, r.actor, r.actor_niss, r.reason, r.occurred_at)
            for r in rows
        ] == [
            (waiting.pk, "", "sent", "worker", "90061512202", "", SENT_AT),
            (refused.pk, "", "sent", "worker", "90061512202", "", SENT_AT),
            (refused.pk, "sent", "refused", "employer", "78041213507", "Inventaire.", ANSWERED_AT),
        ]
        migrate(BEFORE)  # and back: the table goes, the notices stay
        assert WorkerNotice.objects.count() == 2
    finally:
        migrate_to_latest()
