"""Steps 4 to 7 with the demo data: Jean Dubois files for Sophie Lambert, and what is refused on the way."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import Draft, LeaveRequest, StatusTransition
from careerbreak.interruptions.tickets import parse_ticket
from tests.factories import fill_headcount
from tests.request_fixtures import (
    choose_type,
    choose_worker,
    date_parts,
    draft_at_the_leave_step,
    parental_fifth,
    search_worker,
    start_draft,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def test_jean_dubois_files_a_parental_leave_for_sophie_lambert_and_gets_a_ticket(jean: Client) -> None:
    draft = start_draft(jean)
    search = search_worker(jean, draft, "90.06.15-122.02", follow=True)
    body = search.content.decode()
    assert "Sophie Lambert" in body and "15/06/1990" in body
    assert choose_worker(jean, draft)["Location"] == reverse("employer:step_type", args=[draft.pk])
    types_page = jean.get(reverse("employer:step_type", args=[draft.pk])).content.decode()
    assert "Congé parental" in types_page
    assert "Interruption de carrière (secteur public)" not in types_page
    choose_type(jean, draft, "PARENTAL")
    leave_page = jean.get(reverse("employer:step_leave", args=[draft.pk])).content.decode()
    for label in [
        "Date de l&#x27;avertissement écrit",
        "Date de début",
        "Date de fin",
        "Forme de l&#x27;interruption",
        "Temps plein",
        "Mi-temps",
    ]:
        assert label in leave_page, label
    response = jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    assert response.status_code == 302, response.content.decode()[:3000]
    summary = jean.get(reverse("employer:step_confirm", args=[draft.pk])).content.decode()
    assert "Je certifie que les données introduites sont exactes et complètes" in summary
    assert summary.count("Modifier") >= 3
    confirmed = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    assert confirmed.status_code == 302
    leave_request = LeaveRequest.objects.get()
    assert parse_ticket(leave_request.ticket) is not None
    assert leave_request.status == "awaiting_worker"
    assert leave_request.worker.niss == demo_data.SOPHIE_LAMBERT_NISS
    assert (leave_request.form, leave_request.leave_type) == ("1/5", "PARENTAL")
    assert StatusTransition.objects.filter(request=leave_request, to_status="awaiting_worker").count() == 1
    event = AuditEvent.objects.get(action="careerbreak.request.confirmed")
    assert event.actor_niss == demo_data.JEAN_DUBOIS_NISS and event.assurance_level == 500
    assert event.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert event.data["certification_version"]
    page = jean.get(confirmed["Location"]).content.decode()
    assert leave_request.ticket in page
    assert reverse("employer:consultation") in page
    # The confirmation page survives a reload, and the back button shows the ticket again.
    assert jean.get(confirmed["Location"]).status_code == 200
    back = jean.get(reverse("employer:step_confirm", args=[draft.pk]))
    assert back["Location"] == confirmed["Location"]


def test_confirming_twice_gives_one_request_and_one_ticket(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    first = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    second = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    assert first["Location"] == second["Location"]
    assert LeaveRequest.objects.count() == 1


def test_confirming_without_the_certification_is_refused(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    response = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {}, follow=True)
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_parental_leave_for_a_child_of_13_is_stopped_with_a_message_that_says_why(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    data = parental_fifth(**date_parts("child_birth_date", datetime.date(2013, 6, 1)))
    data.pop("child_niss")
    response = jean.post(reverse("employer:step_leave", args=[draft.pk]), data, follow=True)
    assert response.status_code == 400
    body = response.content.decode()
    assert "12" in body and "01/06/2013" in body
    draft.refresh_from_db()
    assert draft.step == 6  # not allowed to go on to the confirmation
    assert draft.data["leave"]["child_birth_date"] == "2013-06-01"  # but nothing typed is lost
    assert jean.get(reverse("employer:step_confirm", args=[draft.pk]))["Location"].endswith("/leave/")


def test_a_one_fifth_time_credit_of_five_months_is_stopped(jean: Client) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    response = choose_type(jean, draft, "TC_CHILD_CARE")
    assert response.status_code == 302
    data = parental_fifth(
        **date_parts("notice_date", datetime.date(2026, 6, 1)),
        **date_parts("start", datetime.date(2027, 1, 1)),
        **date_parts("end", datetime.date(2027, 5, 31)),
        regime_24_months="full_time",
    )
    response = jean.post(reverse("employer:step_leave", args=[draft.pk]), data, follow=True)
    assert response.status_code == 400
    assert "6" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_number_with_a_wrong_check_digit_gets_the_check_digit_message(jean: Client) -> None:
    draft = start_draft(jean)
    response = search_worker(jean, draft, "90061512203", follow=True)
    assert response.status_code == 400
    assert "chiffre de contrôle" in response.content.decode().lower()


NOT_HERE = "aucun travailleur avec ce numéro n'est déclaré dans la dimona"


@pytest.mark.parametrize(
    "niss",
    [
        "85073003328",  # valid, unknown to the national register
        demo_data.MARC_PEETERS_NISS,  # a registered person working elsewhere
        demo_data.SOPHIE_LAMBERT_CHILD_NISS,  # a registered child
    ],
)
@pytest.mark.parametrize("action", ["search", "select"])
def test_a_number_not_employed_here_gets_one_message_without_a_name_whoever_it_belongs_to(
    jean: Client, niss: str, action: str
) -> None:
    from careerbreak.registries.models import Person

    draft = start_draft(jean)
    data = (
        {"action": "search", "search-niss": niss}
        if action == "search"
        else {"action": "select", "niss": niss, "status": "PRIVATE_WHITE_COLLAR", "joint_committee": "118"}
    )
    response = jean.post(reverse("employer:step_worker", args=[draft.pk]), data, follow=True)
    assert response.status_code == 400
    body = response.content.decode()
    errors = response.context["search"].errors["niss"]
    assert errors == [
        "Aucun travailleur avec ce numéro n'est déclaré dans la Dimona chez Boulangerie Dubois SRL. Vérifiez "
        "le "
        "numéro sur la carte d'identité du travailleur, ou la déclaration Dimona."
    ]
    person = Person.objects.filter(niss=niss).first()
    if person is not None:
        # (The page lists the bakery's own workers, who may share a first or last name.)
        assert person.full_name not in body
    event = AuditEvent.objects.filter(action="careerbreak.person.looked_up").latest("id")
    assert (event.actor_niss, event.enterprise_number, event.subject_niss) == (
        demo_data.JEAN_DUBOIS_NISS,
        demo_data.BOULANGERIE_DUBOIS_NUMBER,
        niss,
    )
    assert event.data["found"] is False
    assert event.data["purpose"] == f"worker_{action}"
    assert event.assurance_level == 500


def test_finding_a_worker_of_the_enterprise_is_audited_as_found(jean: Client) -> None:
    draft = start_draft(jean)
    search_worker(jean, draft, follow=True)
    event = AuditEvent.objects.get(action="careerbreak.person.looked_up")
    assert event.subject_niss == demo_data.SOPHIE_LAMBERT_NISS and event.data["found"] is True
    assert event.data["source"] == "dimona"


def test_a_worker_of_another_enterprise_posted_by_hand_is_not_selected(jean: Client) -> None:
    draft = start_draft(jean)
    response = choose_worker(jean, draft, niss=demo_data.MARC_PEETERS_NISS, follow=True)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert "worker" not in draft.data


def test_a_type_not_offered_for_the_sector_posted_by_hand_is_refused(jean: Client) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    response = choose_type(jean, draft, "PUBLIC_CAREER_BREAK", follow=True)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert "type" not in draft.data


def test_a_step_skipped_by_typing_its_url_sends_back_to_the_current_step(jean: Client) -> None:
    draft = start_draft(jean)
    for name in ["employer:step_type", "employer:step_leave", "employer:step_confirm"]:
        response = jean.get(reverse(name, args=[draft.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("employer:step_worker", args=[draft.pk])


def test_another_user_s_draft_is_not_found(jean: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    draft = start_draft(jean)
    luc = login_as(demo_data.LUC_JANSSENS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    for name in [
        "employer:step_worker",
        "employer:step_type",
        "employer:step_leave",
        "employer:step_confirm",
    ]:
        assert luc.get(reverse(name, args=[draft.pk])).status_code == 404
    assert luc.post(reverse("employer:draft_delete", args=[draft.pk])).status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_an_unknown_draft_id_is_not_found(jean: Client) -> None:
    assert jean.get(reverse("employer:step_worker", args=[uuid.uuid4()])).status_code == 404


def test_the_outsider_cannot_see_the_confirmation_of_another_enterprise(jean: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    location = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})["Location"]
    outsider = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    assert outsider.get(location).status_code == 404


def test_the_dimona_list_is_offered_below_100_workers_only(demo: None, login_as) -> None:  # type: ignore[no-untyped-def]
    small = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    draft = start_draft(small)
    assert "Sophie Lambert" in small.get(reverse("employer:step_worker", args=[draft.pk])).content.decode()
    fill_headcount(demo_data.ZORGGROEP_NUMBER)  # its 250 workers under contract
    large = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    large_draft = start_draft(large)
    page = large.get(reverse("employer:step_worker", args=[large_draft.pk])).content.decode()
    assert "100" in page
    assert "<table" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_0": "30", "start_1": "2", "start_2": "2027"}, "n&#x27;existe pas"),
        (date_parts("end", datetime.date(1027, 6, 30)), "1900"),
        ({"start_0": "", "start_1": "", "start_2": ""}, "jour, mois et année"),
        ({"start_0": "aa"}, "chiffres"),
        ({"weekly_hours": "999"}, "60"),
        ({"form": "1/3"}, "pas possible"),
        ({"child_niss": "123"}, "11 chiffres"),
        ({"form": "full", "weekly_hours": "-1"}, "0"),
        ({"days_per_week": "12"}, "7"),
        ({"months_of_contract_last_15": "1e9"}, "15"),
    ],
)
def test_bad_leave_data_gets_a_clear_message_not_a_crash(
    jean: Client, overrides: dict[str, str], message: str
) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    response = jean.post(
        reverse("employer:step_leave", args=[draft.pk]), parental_fifth(**overrides), follow=True
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_overlong_text_is_refused_not_stored(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "TC_TRAINING")
    response = jean.post(
        reverse("employer:step_leave", args=[draft.pk]),
        parental_fifth(form="full", collective_agreement_number="1" * 5000),
        follow=True,
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert "1" * 33 not in str(draft.data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("170123/CO/200", "170123/CO/200"), ("170123 / co / 200", "170123/CO/200"), ("170123", "170123")],
)
def test_a_collective_agreement_number_as_registered_is_accepted_stored_normalised_and_shown_back(
    jean: Client, typed: str, stored: str
) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    jean.post(reverse("employer:step_type", args=[draft.pk]), {"action": "new", "leave_type": "TC_TRAINING"})
    url = reverse("employer:step_leave", args=[draft.pk])
    response = jean.post(
        url,
        parental_fifth(
            form="full",
            collective_agreement_number=typed,
            shorter_notice_agreed="on",
            **date_parts("collective_agreement_date", datetime.date(2022, 3, 1)),
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["leave"]["collective_agreement_number"] == stored
    # Shown back on the page that asks it.
    assert f'value="{stored}"' in jean.get(f"{url}?page=agreements").content.decode()


def test_inverted_dates_are_refused(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    response = jean.post(
        reverse("employer:step_leave", args=[draft.pk]),
        parental_fifth(**date_parts("end", datetime.date(2027, 1, 15))),
        follow=True,
    )
    assert response.status_code == 400


def test_drafts_are_listed_to_resume_on_the_company_page(jean: Client) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    page = jean.get(reverse("employer:company")).content.decode()
    assert "Brouillons" in page
    assert "Sophie Lambert" in page
    assert reverse("employer:step_type", args=[draft.pk]) in page


def test_selecting_without_a_status_keeps_the_worker_and_asks_for_the_status(jean: Client) -> None:
    draft = start_draft(jean)
    response = jean.post(
        reverse("employer:step_worker", args=[draft.pk]),
        {"action": "select", "niss": demo_data.SOPHIE_LAMBERT_NISS, "status": "", "joint_committee": "118"},
        follow=True,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sophie Lambert" in body
    assert "Choisissez le statut" in body


def test_a_garbled_number_posted_to_select_restarts_the_search_with_a_message(jean: Client) -> None:
    draft = start_draft(jean)
    response = jean.post(
        reverse("employer:step_worker", args=[draft.pk]),
        {"action": "select", "niss": "<script>", "status": "PRIVATE_WHITE_COLLAR", "joint_committee": "118"},
        follow=True,
    )
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    draft.refresh_from_db()
    assert "worker" not in draft.data


def test_the_worker_s_open_requests_are_listed_with_extend_and_modify(jean: Client) -> None:
    first = start_draft(jean)
    choose_worker(jean, first)
    choose_type(jean, first, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[first.pk]), parental_fifth())
    jean.post(reverse("employer:step_confirm", args=[first.pk]), {"certified": "on"})
    filed = LeaveRequest.objects.get()
    second = start_draft(jean)
    choose_worker(jean, second)
    page = jean.get(reverse("employer:step_type", args=[second.pk])).content.decode()
    assert filed.ticket in page
    assert reverse("employer:request_modify", args=[filed.slug]) in page
    response = jean.post(
        reverse("employer:step_type", args=[second.pk]), {"action": "extend", "ticket": filed.ticket}
    )
    assert response["Location"] == reverse("employer:step_leave", args=[second.pk])
    second.refresh_from_db()
    assert second.data["type"] == {
        "leave_type": "PARENTAL",
        "kind": "extension",
        "related_ticket": filed.ticket,
    }
    assert second.data["leave"]["start"] == "2027-07-01"


def test_extending_a_ticket_posted_by_hand_that_is_not_this_worker_s_is_refused(jean: Client) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    response = jean.post(
        reverse("employer:step_type", args=[draft.pk]), {"action": "extend", "ticket": "2026/00000999/12"}
    )
    assert response.status_code == 404
