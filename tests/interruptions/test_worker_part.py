"""The worker part's services: the draft saved page by page, the deadlines, what the worker is told, and
*Confirmer* (Awaiting the worker → Complete, audited, the acknowledgement in the outbox, idempotent)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions import worker_part as service
from careerbreak.interruptions.acknowledgement import acknowledgement_attachment
from careerbreak.interruptions.models import LeaveRequest, StatusTransition, WorkerPart
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.worker_part_data import (
    Activity,
    ActivityKind,
    DomicileZone,
    Household,
    HouseholdAnswer,
    Identity,
    Needs,
    Payment,
    WorkerPartData,
)
from careerbreak.mailbox.models import OutboxMessage
from tests.request_fixtures import file_sophie_s_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

SECTIONS: dict[int, Any] = {
    1: Identity(zone=DomicileZone.BELGIUM, street="Rue du Moulin 15", postal_code="1301", city="Bierges"),
    2: HouseholdAnswer(situation=Household.PARTNER, dependent_children=1),
    3: Needs(child_niss=demo_data.SOPHIE_LAMBERT_CHILD_NISS),
    4: (),
    5: Payment(iban="BE71096123456769", holder_confirmed=True),
}


@pytest.fixture
def filed(django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return file_sophie_s_leave()


@pytest.fixture
def sophie() -> Acting:
    user = User.objects.create_user(demo_data.SOPHIE_LAMBERT_NISS, first_name="Sophie", last_name="Lambert")
    return Acting.for_self(user=user, assurance_level=450, ip_address="192.0.2.7")


def answer_all(acting: Acting, ticket: str) -> WorkerPart:
    part = None
    for page, section in SECTIONS.items():
        part = service.worker_part_save(acting=acting, ticket=ticket, page=page, section=section)
    assert part is not None
    return part


def test_the_deadlines_are_6_months_before_and_2_months_after_the_start() -> None:
    start = datetime.date(2027, 2, 1)
    assert service.sendable_from(start) == datetime.date(2026, 8, 1)
    assert service.deadline(start) == datetime.date(2027, 4, 1)
    assert not service.is_late(start, datetime.date(2027, 4, 1))
    assert service.is_late(start, datetime.date(2027, 4, 2))
    # 31 August + 2 months: the month's last day.
    assert service.deadline(datetime.date(2027, 8, 31)) == datetime.date(2027, 10, 31)


def test_requests_to_complete_are_only_the_acting_person_s_awaiting_ones(
    filed: LeaveRequest, sophie: Acting
) -> None:
    rows = service.to_complete(acting=sophie)
    assert [row.request for row in rows] == [filed]
    assert rows[0].sendable_from == datetime.date(2026, 8, 1)
    assert rows[0].deadline == datetime.date(2027, 4, 1)
    assert not rows[0].started and not rows[0].late
    marc = User.objects.create_user(demo_data.MARC_PEETERS_NISS)
    assert service.to_complete(acting=Acting.for_self(user=marc, assurance_level=450)) == []


def test_another_person_cannot_read_or_save_the_worker_part(filed: LeaveRequest) -> None:
    jean = User.objects.get(niss=demo_data.JEAN_DUBOIS_NISS)
    acting = Acting.for_self(user=jean, assurance_level=450)
    with pytest.raises(NotFound):
        service.request_of_worker(acting=acting, ticket=filed.ticket)
    with pytest.raises(NotFound):
        service.worker_part_save(acting=acting, ticket=filed.ticket, page=1, section=SECTIONS[1])
    with pytest.raises(NotFound):
        service.worker_part_submit(acting=acting, ticket=filed.ticket, certified=True)
    assert not WorkerPart.objects.exists()
    assert Status(LeaveRequest.objects.get().status) == Status.AWAITING_WORKER


def test_each_page_is_kept_typed_and_versioned_and_audited_without_its_values(
    filed: LeaveRequest, sophie: Acting
) -> None:
    service.worker_part_save(acting=sophie, ticket=filed.ticket, page=1, section=SECTIONS[1])
    part = service.worker_part_save(acting=sophie, ticket=filed.ticket, page=2, section=SECTIONS[2])
    part.refresh_from_db()
    assert part.data["schema_version"] == 1
    assert part.content.identity == SECTIONS[1]
    assert part.content.household == SECTIONS[2]
    assert part.content.needs is None
    assert part.step == 3
    events = AuditEvent.objects.filter(action="careerbreak.worker_part.saved").order_by("id")
    assert [e.data for e in events] == [{"page": 1}, {"page": 2}]
    assert events[0].actor_niss == demo_data.SOPHIE_LAMBERT_NISS
    assert "Moulin" not in str(events[0].data)


def test_an_older_stored_shape_is_read_through_the_upgrade() -> None:
    content = WorkerPartData.from_json({"household": {"situation": "alone", "dependent_children": 0}})
    assert content.schema_version == 1
    assert content.household == HouseholdAnswer(situation=Household.ALONE)
    with pytest.raises(ValueError):
        WorkerPartData.from_json({"schema_version": 99})


def test_confirm_moves_the_request_to_complete_once_with_transition_audit_and_acknowledgement(
    filed: LeaveRequest, sophie: Acting, django_capture_on_commit_callbacks: Any
) -> None:
    answer_all(sophie, filed.ticket)
    with django_capture_on_commit_callbacks(execute=True):
        first = service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
        second = service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    assert first.pk == second.pk == filed.pk
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE
    transition = StatusTransition.objects.get(request=filed, to_status=Status.COMPLETE)
    assert (transition.from_status, transition.actor, transition.actor_niss) == (
        Status.AWAITING_WORKER,
        Actor.WORKER,
        demo_data.SOPHIE_LAMBERT_NISS,
    )
    event = AuditEvent.objects.get(action="careerbreak.request.completed")
    assert event.object_id == filed.ticket
    assert event.assurance_level == 450
    assert event.ip_address == "192.0.2.7"
    assert event.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    part = WorkerPart.objects.get(request=filed)
    assert part.submitted_at is not None and not part.late
    assert part.certification_version == service.CERTIFICATION_VERSION
    outbox = OutboxMessage.objects.filter(kind="worker_part", reference=filed.ticket)
    # Once to the eBox and once by e-mail (Sophie's address is known), for two confirmations.
    assert sorted(outbox.values_list("channel", flat=True)) == ["ebox", "email"]
    assert {message.attachment_key for message in outbox} == {str(part.pk)}


def test_the_acknowledgement_pdf_holds_every_declared_datum_in_the_worker_s_language(
    filed: LeaveRequest, sophie: Acting
) -> None:
    from pypdf import PdfReader

    answer_all(sophie, filed.ticket)
    service.worker_part_save(
        acting=sophie,
        ticket=filed.ticket,
        page=4,
        section=(
            Activity(kind=ActivityKind.POLITICAL_MANDATE, start=datetime.date(2024, 1, 1), detail="Wavre"),
        ),
    )
    service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    part = WorkerPart.objects.get(request=filed)
    filename, content, media_type = acknowledgement_attachment(str(part.pk))
    assert media_type == "application/pdf"
    assert filename.endswith("-fr.pdf")
    import io

    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        filed.ticket,
        "Sophie Lambert",
        "Rue du Moulin 15",
        "Je vis avec un partenaire",
        "Louise Lambert",
        "Un mandat politique",
        "Wavre",
        "BE71 0961 2345 6769",
        "Je certifie sur l",
    ):
        assert expected in text, expected
    # Issue 15: the login by its means, never its assurance level; no version of the certified text.
    assert "Connexion avec itsme" in text
    assert "Niveau" not in text and "450" not in text
    assert part.certification_version not in text
    assert " ".join(text.split()).startswith("Office national de l'emploi (ONEM/RVA)")
    # Tagged for accessibility (PDF/UA-1), like the employer part.
    assert "/StructTreeRoot" in str(reader.trailer["/Root"].keys())


def test_confirm_needs_the_certification_and_every_page(filed: LeaveRequest, sophie: Acting) -> None:
    with pytest.raises(DomainError) as error:
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=False)
    assert error.value.code == "not_certified"
    service.worker_part_save(acting=sophie, ticket=filed.ticket, page=1, section=SECTIONS[1])
    with pytest.raises(DomainError) as error:
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    assert error.value.code == "incomplete"
    assert LeaveRequest.objects.get().status == Status.AWAITING_WORKER
    assert not OutboxMessage.objects.filter(kind="worker_part").exists()


def test_it_cannot_be_sent_earlier_than_6_months_before_the_start(
    filed: LeaveRequest, sophie: Acting
) -> None:
    answer_all(sophie, filed.ticket)
    with translation.override("fr"), pytest.raises(DomainError) as error:
        service.worker_part_submit(
            acting=sophie, ticket=filed.ticket, certified=True, today=datetime.date(2026, 7, 31)
        )
    assert error.value.code == "too_early"
    assert "1 août 2026" in str(error.value.message)
    assert LeaveRequest.objects.get().status == Status.AWAITING_WORKER
    service.worker_part_submit(
        acting=sophie, ticket=filed.ticket, certified=True, today=datetime.date(2026, 8, 1)
    )
    assert LeaveRequest.objects.get().status == Status.COMPLETE


def test_a_late_part_is_accepted_marked_late_and_the_worker_told_before(
    filed: LeaveRequest, sophie: Acting
) -> None:
    answer_all(sophie, filed.ticket)
    late_day = datetime.date(2027, 4, 2)
    with translation.override("en"):
        notices = service.notices_for(filed, WorkerPart.objects.get().content, today=late_day)
    assert any("only on the day you send it" in n.message for n in notices)
    with time_machine.travel(datetime.datetime(2027, 4, 2, 10, tzinfo=datetime.UTC), tick=False):
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    part = WorkerPart.objects.get()
    assert part.late
    outbox = OutboxMessage.objects.get(kind="worker_part", channel="ebox")
    assert "only on the day it was sent" in outbox.bodies["en"]


def test_a_cancelled_request_takes_no_worker_part(filed: LeaveRequest, sophie: Acting) -> None:
    answer_all(sophie, filed.ticket)
    LeaveRequest.objects.filter(pk=filed.pk).update(status=Status.CANCELLED)
    with pytest.raises(DomainError):
        service.worker_part_save(acting=sophie, ticket=filed.ticket, page=1, section=SECTIONS[1])
    with pytest.raises(DomainError) as error:
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    assert error.value.code == "not_awaiting"
    assert not StatusTransition.objects.filter(to_status=Status.COMPLETE).exists()
    assert not OutboxMessage.objects.filter(kind="worker_part").exists()
    assert WorkerPart.objects.get().submitted_at is None


@pytest.mark.parametrize(
    ("activity", "form", "no_allowance", "words"),
    [
        (Activity(kind=ActivityKind.PENSION, start=datetime.date(2020, 1, 1)), "1/5", True, "pension"),
        (
            Activity(kind=ActivityKind.SELF_EMPLOYED, start=datetime.date(2020, 1, 1)),
            "full",
            False,
            "12 months",
        ),
        (
            Activity(kind=ActivityKind.SELF_EMPLOYED, start=datetime.date(2026, 6, 1)),
            "1/5",
            True,
            "12 months",
        ),
        (
            Activity(kind=ActivityKind.SELF_EMPLOYED, start=datetime.date(2020, 1, 1)),
            "1/5",
            False,
            "60 months",
        ),
        (
            Activity(kind=ActivityKind.SELF_EMPLOYED, start=datetime.date(2020, 1, 1)),
            "half",
            False,
            "24 months",
        ),
    ],
)
def test_activities_that_rule_out_or_limit_the_allowance_are_told_with_the_rule(
    filed: LeaveRequest, activity: Activity, form: str, no_allowance: bool, words: str
) -> None:
    filed.form = form
    with translation.override("en"):
        notices = service.notices_for(
            filed, WorkerPartData(activities=(activity,)), today=datetime.date(2026, 11, 27)
        )
    assert len(notices) == 1
    assert notices[0].no_allowance is no_allowance
    assert words in notices[0].message


def test_other_employment_and_a_political_mandate_are_declared_without_a_notice(filed: LeaveRequest) -> None:
    activities = (
        Activity(kind=ActivityKind.OTHER_EMPLOYMENT, start=datetime.date(2020, 1, 1)),
        Activity(kind=ActivityKind.POLITICAL_MANDATE, start=datetime.date(2020, 1, 1)),
    )
    assert (
        service.notices_for(filed, WorkerPartData(activities=activities), today=datetime.date(2026, 11, 27))
        == []
    )


def test_a_domicile_outside_the_eea_is_told_no_allowance_and_a_single_parent_the_higher_one(
    filed: LeaveRequest,
) -> None:
    content = WorkerPartData(
        identity=Identity(zone=DomicileZone.OUTSIDE, country="Canada"),
        household=HouseholdAnswer(situation=Household.ONLY_CHILDREN, dependent_children=1),
    )
    with translation.override("en"):
        notices = service.notices_for(filed, content, today=datetime.date(2026, 11, 27))
    assert [n.page for n in notices] == [1, 2]
    assert notices[0].no_allowance
    assert "single parent" in notices[1].message
