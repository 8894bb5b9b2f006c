"""Consultation: list, search, detail, modification and cancellation, and who is refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions.models import Draft, LeaveRequest, RequestVersion, StatusTransition
from careerbreak.registries.models import Enterprise
from tests.factories import LeaveRequestFactory, acting_for, demo_cast, fill_headcount
from tests.request_fixtures import TODAY, confirm, jean_at_the_bakery, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def jean(filed: LeaveRequest, login_as: Any) -> Client:
    return login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)


def test_the_list_shows_the_enterprise_s_requests(filed: LeaveRequest, jean: Client) -> None:
    body = jean.get(reverse("employer:consultation")).content.decode()
    assert filed.ticket in body
    assert "Sophie Lambert" in body
    assert "Congé parental" in body
    assert reverse("employer:request_detail", args=[filed.slug]) in body


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "90.06.15-122.02"}, True),
        ({"q": "64090103383"}, False),
        ({"status": "awaiting_worker"}, True),
        ({"status": "approved"}, False),
        ({"leave_type": "PARENTAL"}, True),
        ({"leave_type": "CAREGIVER"}, False),
        ({"period_from_0": "1", "period_from_1": "3", "period_from_2": "2027"}, True),
        ({"period_from_0": "1", "period_from_1": "7", "period_from_2": "2027"}, False),
    ],
)
def test_the_list_filters_and_searches(
    filed: LeaveRequest, jean: Client, query: dict[str, str], found: bool
) -> None:
    response = jean.post(reverse("employer:consultation"), query, follow=True)
    body = response.content.decode()
    assert (reverse("employer:request_detail", args=[filed.slug]) in body) is found
    # The filters live in the session: the address carries an opaque id only.
    ((address, status),) = response.redirect_chain
    assert status == 302 and address.startswith(reverse("employer:consultation") + "?s=")
    assert set(parse_qs(urlsplit(address).query)) == {"s"}


def test_a_search_by_ticket_typed_with_other_separators_finds_it(filed: LeaveRequest, jean: Client) -> None:
    response = jean.post(reverse("employer:consultation"), {"q": filed.ticket.replace("/", " ")}, follow=True)
    body = response.content.decode()
    assert reverse("employer:request_detail", args=[filed.slug]) in body


def test_a_search_that_is_neither_a_number_nor_a_ticket_gets_a_message(jean: Client) -> None:
    response = jean.post(reverse("employer:consultation"), {"q": "hello"})
    assert response.status_code == 400
    assert "11 chiffres" in response.content.decode()


def test_pages_follow_each_other_without_gaps_or_repeats(filed: LeaveRequest, jean: Client) -> None:
    bakery = filed.enterprise
    owner = filed.created_by
    for month in range(3, 9):
        draft = make_draft(
            owner,
            bakery,
            start=f"2028-{month:02d}-01",
            end=f"2028-{month:02d}-28",
            notice_date="2026-11-20",
            form="full",
        )
        Draft.objects.filter(pk=draft.pk).update(step=7)
        LeaveRequestFactory(
            ticket=f"2026/0000010{month}/{month:02d}",
            enterprise=bakery,
            worker=filed.worker,
            start_date=f"2028-{month:02d}-01",
            end_date=f"2028-{month:02d}-28",
            created_by=owner,
            certified_at=TODAY,
        )
    from careerbreak.employer import consultation_views

    seen: list[str] = []
    original = consultation_views.PAGE_SIZE
    consultation_views.PAGE_SIZE = 3
    url = jean.post(reverse("employer:consultation"), {"status": "awaiting_worker"})["Location"]
    try:
        while url:
            response = jean.get(url)
            page = response.context["page"]
            seen += [item.ticket for item in page.items]
            url = (
                (reverse("employer:consultation") + "?" + response.context["next_query"])
                if page.has_next
                else ""
            )
    finally:
        consultation_views.PAGE_SIZE = original
    assert len(seen) == 7 == len(set(seen))


def test_a_search_by_national_number_keeps_the_number_out_of_every_address_and_is_audited(
    filed: LeaveRequest, jean: Client
) -> None:
    response = jean.post(reverse("employer:consultation"), {"q": "90.06.15-122.02"}, follow=True)
    assert reverse("employer:request_detail", args=[filed.slug]) in response.content.decode()
    addresses = [address for address, _status in response.redirect_chain] + [response.request["QUERY_STRING"]]
    for address in addresses:
        digits = "".join(ch for ch in address if ch.isdigit())
        assert "90061512202" not in digits and "900615" not in address
    event = AuditEvent.objects.get(action="careerbreak.person.looked_up")
    assert (event.actor_niss, event.enterprise_number, event.subject_niss) == (
        demo_data.JEAN_DUBOIS_NISS,
        demo_data.BOULANGERIE_DUBOIS_NUMBER,
        filed.worker.niss,
    )
    assert event.data == {"purpose": "consultation_search", "source": "requests", "found": True}


def test_a_number_in_an_old_address_is_moved_out_of_it(filed: LeaveRequest, jean: Client) -> None:
    response = jean.get(reverse("employer:consultation"), {"q": "90061512202"})
    assert response.status_code == 302
    assert "90061512202" not in response["Location"]
    body = jean.get(response["Location"]).content.decode()
    assert reverse("employer:request_detail", args=[filed.slug]) in body


def test_a_search_id_from_another_session_finds_nothing(
    filed: LeaveRequest, jean: Client, login_as: Any
) -> None:
    address = jean.post(reverse("employer:consultation"), {"q": "90061512202"})["Location"]
    other = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    response = other.get(address)
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert response.context["form"]["q"].value() is None
    assert "90061512202" not in response.content.decode()
    assert not AuditEvent.objects.filter(
        action="careerbreak.person.looked_up", actor_niss=demo_data.AN_VERHOEVEN_NISS
    ).exists()


def test_after_logout_the_login_address_carries_the_search_id_not_the_number(
    filed: LeaveRequest, jean: Client
) -> None:
    address = jean.post(reverse("employer:consultation"), {"q": "90061512202"})["Location"]
    response = Client().get(address)
    assert response.status_code == 302
    assert "90061512202" not in response["Location"]


def test_the_search_pages_keep_their_filter_from_page_to_page(filed: LeaveRequest, jean: Client) -> None:
    from careerbreak.employer import consultation_views

    for index in range(3):
        LeaveRequestFactory(
            ticket=f"2026/0000020{index}/{index:02d}",
            enterprise=filed.enterprise,
            worker=filed.worker,
            start_date=f"2028-0{index + 3}-01",
            end_date=f"2028-0{index + 3}-28",
            status="approved",
            created_by=filed.created_by,
            certified_at=TODAY,
        )
    original = consultation_views.PAGE_SIZE
    consultation_views.PAGE_SIZE = 2
    try:
        first = jean.get(jean.post(reverse("employer:consultation"), {"status": "approved"})["Location"])
        assert [r.status for r in first.context["page"].items] == ["approved", "approved"]
        second = jean.get(reverse("employer:consultation") + "?" + first.context["next_query"])
        assert [r.status for r in second.context["page"].items] == ["approved"]
        assert second.context["form"]["status"].value() == "approved"
    finally:
        consultation_views.PAGE_SIZE = original


def test_opening_a_request_and_its_pdf_is_audited_with_the_worker_concerned(
    filed: LeaveRequest, jean: Client, media: Any
) -> None:
    assert jean.get(reverse("employer:request_detail", args=[filed.slug])).status_code == 200
    assert jean.get(reverse("employer:request_pdf", args=[filed.slug, 1])).status_code == 200
    viewed = AuditEvent.objects.get(action="careerbreak.request.viewed")
    downloaded = AuditEvent.objects.get(action="careerbreak.document.downloaded")
    for event in (viewed, downloaded):
        assert event.actor_niss == demo_data.JEAN_DUBOIS_NISS
        assert event.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
        assert event.subject_niss == filed.worker.niss
        assert (event.object_type, event.object_id) == ("leave_request", filed.ticket)
    assert downloaded.data["version"] == 1


def test_a_large_enterprise_gets_a_search_form_not_the_full_list(filed: LeaveRequest, login_as: Any) -> None:
    fill_headcount(demo_data.ZORGGROEP_NUMBER)  # its 250 workers under contract
    an = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    response = an.get(reverse("employer:consultation"))
    assert response.context["search_only"] is True
    assert response.context["page"] is None


def test_the_detail_shows_the_data_the_versions_and_the_history(filed: LeaveRequest, jean: Client) -> None:
    body = jean.get(reverse("employer:request_detail", args=[filed.slug])).content.decode()
    assert filed.ticket in body
    assert "Sophie Lambert" in body
    assert "01/02/2027" in body and "30/06/2027" in body
    assert "24.02.10-002.51" in body  # the child's number, from the step-6 details
    assert reverse("employer:request_pdf", args=[filed.slug, 1]) in body
    assert "Modifier" in body and "Annuler" in body


def test_the_outsider_cannot_see_the_list_entry_the_detail_or_act_on_another_enterprise_s_request(
    filed: LeaveRequest, login_as: Any
) -> None:
    an = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    listed = an.post(reverse("employer:consultation"), {"q": filed.ticket}, follow=True).content.decode()
    assert reverse("employer:request_detail", args=[filed.slug]) not in listed
    assert an.get(reverse("employer:request_detail", args=[filed.slug])).status_code == 404
    assert an.get(reverse("employer:request_pdf", args=[filed.slug, 1])).status_code == 404
    assert an.post(reverse("employer:request_modify", args=[filed.slug])).status_code == 404
    response = an.post(reverse("employer:request_cancel", args=[filed.slug]), {"reason": "no"})
    assert response.status_code == 404
    filed.refresh_from_db()
    assert filed.status == "awaiting_worker"


def test_a_secretariat_user_sees_the_requests_of_the_employer_chosen_and_can_switch(
    filed: LeaveRequest, login_as: Any
) -> None:
    luc = login_as(demo_data.LUC_JANSSENS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    link = reverse("employer:request_detail", args=[filed.slug])
    assert link in luc.get(reverse("employer:consultation")).content.decode()
    luc.post(reverse("employer:choose_enterprise"), {"enterprise": demo_data.SECUPAY_NUMBER})
    assert link not in luc.get(reverse("employer:consultation")).content.decode()


def test_cancelling_needs_a_reason_and_then_adds_a_version_and_a_transition(
    filed: LeaveRequest, jean: Client
) -> None:
    url = reverse("employer:request_cancel", args=[filed.slug])
    refused = jean.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert jean.post(url, {"reason": "The worker withdrew the notice."}).status_code == 302
    filed.refresh_from_db()
    assert filed.status == "cancelled" and filed.version == 2
    version = RequestVersion.objects.get(request=filed, number=2)
    assert version.kind == "cancellation" and version.reason == "The worker withdrew the notice."
    assert StatusTransition.objects.filter(request=filed, to_status="cancelled").count() == 1
    assert AuditEvent.objects.filter(action="careerbreak.request.cancelled", object_id=filed.ticket).exists()
    again = jean.post(url, {"reason": "again"})
    assert again.status_code == 400
    filed.refresh_from_db()
    assert filed.version == 2


def test_a_modification_keeps_the_ticket_and_adds_a_version(filed: LeaveRequest, jean: Client) -> None:
    response = jean.post(reverse("employer:request_modify", args=[filed.slug]))
    assert response.status_code == 302
    draft = Draft.objects.exclude(pk=filed.draft_id).get()
    leave_url = reverse("employer:step_leave", args=[draft.pk])
    assert response["Location"] == leave_url
    # Worker and type are fixed for a modification.
    assert jean.get(reverse("employer:step_worker", args=[draft.pk]))["Location"] == leave_url
    page = jean.get(leave_url).content.decode()
    assert 'value="2027"' in page
    data = {
        "notice_date_0": "20",
        "notice_date_1": "11",
        "notice_date_2": "2026",
        "start_0": "1",
        "start_1": "3",
        "start_2": "2027",
        "end_0": "31",
        "end_1": "7",
        "end_2": "2027",
        "form": "1/5",
        "weekly_hours": "38",
        "reference_hours": "38",
        "regime_12_months": "full_time",
        "months_of_contract_last_15": "15",
        "child_birth_date_0": "10",
        "child_birth_date_1": "2",
        "child_birth_date_2": "2024",
        "child_disabled": "no",
        "employer_agreement": "yes",
    }
    posted = jean.post(leave_url, data)
    assert posted.status_code == 302, [str(e) for e in posted.context["form"].errors.values()]
    confirmed = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    assert confirmed["Location"] == reverse("employer:confirmation", args=[filed.slug])
    again = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    assert again["Location"] == confirmed["Location"]
    filed.refresh_from_db()
    assert filed.version == 2
    assert (str(filed.start_date), str(filed.end_date)) == ("2027-03-01", "2027-07-31")
    assert LeaveRequest.objects.count() == 1
    versions = list(filed.versions.order_by("number"))
    assert [v.kind for v in versions] == ["original", "modification"]
    assert versions[0].snapshot["end_date"] == "2027-06-30"
    assert AuditEvent.objects.filter(action="careerbreak.request.modified", object_id=filed.ticket).exists()


def test_a_decided_request_can_no_longer_be_modified_or_cancelled(filed: LeaveRequest, jean: Client) -> None:
    LeaveRequest.objects.filter(pk=filed.pk).update(status="approved")
    detail = jean.get(reverse("employer:request_detail", args=[filed.slug])).content.decode()
    assert reverse("employer:request_cancel", args=[filed.slug]) not in detail
    response = jean.post(reverse("employer:request_modify", args=[filed.slug]))
    assert response["Location"] == reverse("employer:request_detail", args=[filed.slug])
    assert Draft.objects.count() == 1
    assert (
        jean.post(reverse("employer:request_cancel", args=[filed.slug]), {"reason": "x"}).status_code == 400
    )


def test_the_detail_shows_the_delivery_of_each_version_to_the_worker(
    db: None, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    demo_cast()
    jean_user = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS, first_name="Jean", last_name="Dubois")
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    with django_capture_on_commit_callbacks(execute=True):
        filed = confirm(jean_user, bakery, make_draft(jean_user, bakery))
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    response = jean.get(reverse("employer:request_detail", args=[filed.slug]))
    deliveries = response.context["deliveries"]
    assert {(d.channel, d.status, d.version) for d in deliveries} >= {("ebox", "delivered", 1)}
    assert all(d.status == "delivered" for d in deliveries)


def test_the_pdf_of_a_version_is_served_to_the_enterprise(
    filed: LeaveRequest, jean: Client, media: Any
) -> None:
    response = jean.get(reverse("employer:request_pdf", args=[filed.slug, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert jean.get(reverse("employer:request_pdf", args=[filed.slug, 9])).status_code == 404


def test_an_altered_pdf_is_never_served(filed: LeaveRequest, jean: Client, media: Any) -> None:
    assert jean.get(reverse("employer:request_pdf", args=[filed.slug, 1])).status_code == 200
    from careerbreak.documents.models import Document

    document = Document.objects.get()
    with open(document.file.path, "ab") as handle:
        handle.write(b"tampered")
    response = jean.get(reverse("employer:request_pdf", args=[filed.slug, 1]))
    assert response.status_code == 500
    assert b"%PDF" not in response.content
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("failing", ["open", "save"])
def test_a_pdf_whose_storage_does_not_answer_is_a_page_that_says_to_try_again_later(
    filed: LeaveRequest, jean: Client, settings: Any, tmp_path: Any, monkeypatch: Any, failing: str
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    if failing == "open":  # stored earlier, unreadable now
        assert jean.get(reverse("employer:request_pdf", args=[filed.slug, 1])).status_code == 200

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OSError("Connection refused (s3.internal:443)")

    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(FileSystemStorage, failing, down)
    response = jean.get(reverse("employer:request_pdf", args=[filed.slug, 1]))
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    body = response.content.decode()
    assert "notre stockage de documents ne répond pas" in body and "réessayer dans quelques minutes" in body
    assert "s3.internal" not in body and b"%PDF" not in response.content


def test_a_modification_sends_a_second_version_to_the_worker_s_ebox(
    db: None, login_as: Any, django_capture_on_commit_callbacks: Any, media: Any
) -> None:
    from careerbreak.interruptions import services
    from careerbreak.mailbox.models import EboxMessage

    jean, bakery = jean_at_the_bakery()
    with django_capture_on_commit_callbacks(execute=True):
        filed = confirm(jean, bakery, make_draft(jean, bakery))
    draft = services.draft_start_modification(acting=acting_for(jean, bakery), ticket=filed.ticket)
    Draft.objects.filter(pk=draft.pk).update(
        step=7,
        data={**draft.data, "leave": {**draft.data["leave"], "start": "2027-03-01", "end": "2027-07-31"}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirm(jean, bakery, Draft.objects.get(pk=draft.pk))
    messages = list(EboxMessage.objects.filter(reference=filed.ticket).order_by("version"))
    assert [m.version for m in messages] == [1, 2]
    assert all(
        m.attachment_data.tobytes().startswith(b"%PDF")
        if hasattr(m.attachment_data, "tobytes")
        else bytes(m.attachment_data).startswith(b"%PDF")
        for m in messages
    )
    assert messages[0].sha256 != messages[1].sha256
