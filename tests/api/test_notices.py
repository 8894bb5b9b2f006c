"""``/api/v1/notices``: a payroll provider reads and answers workers' notices as the employer does under
*Avertissements à traiter*, for its own enterprise and the employers whose mandate it holds today."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.registries.models import Enterprise, Person
from tests.api.conftest import Caller
from tests.factories import notice_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BASE = "/api/v1/notices"


@pytest.fixture
def sophie_s(cast: None) -> WorkerNotice:
    """Sophie Lambert's notice to the bakery."""
    return notice_to(
        Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS),
    )


@pytest.fixture
def marc_s(cast: None) -> WorkerNotice:
    """Marc Peeters's notice to Logistique Meuse, whose mandate to SecuPay ended in 2022."""
    return notice_to(
        Enterprise.objects.get(number=demo_data.LOGISTIQUE_MEUSE_NUMBER),
        Person.objects.get(niss=demo_data.MARC_PEETERS_NISS),
    )


def test_the_employer_s_client_lists_its_notices_with_the_worker_and_the_leave(
    bakery_api: Caller, sophie_s: WorkerNotice
) -> None:
    answer = bakery_api.get(BASE)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    [item] = answer.json()["items"]
    assert item["id"] == sophie_s.pk
    assert item["enterprise"] == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert item["worker"]["niss"] == demo_data.SOPHIE_LAMBERT_NISS
    assert (item["status"], item["leave_type"], item["form"]) == ("sent", "PARENTAL", "1/5")
    assert item["start_date"] == "2027-02-01"
    assert answer.json()["next"] is None


def test_a_secretariat_lists_the_notices_of_its_mandates_but_not_of_an_ended_one(
    secupay_api: Caller, sophie_s: WorkerNotice, marc_s: WorkerNotice
) -> None:
    ids = [item["id"] for item in secupay_api.get(BASE).json()["items"]]
    assert ids == [sophie_s.pk]
    filtered = secupay_api.get(BASE, enterprise=demo_data.LOGISTIQUE_MEUSE_NUMBER)
    assert filtered.status_code == 403
    assert filtered["Content-Type"] == "application/problem+json"
    assert filtered.json()["type"] == "/api/v1/problems/enterprise-not-allowed"


def test_the_outsider_lists_nothing_and_may_not_name_the_enterprise(
    outsider_api: Caller, sophie_s: WorkerNotice
) -> None:
    assert outsider_api.get(BASE).json()["items"] == []
    assert outsider_api.get(BASE, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER).status_code == 403


def test_the_list_filters_by_status_and_refuses_an_unknown_one(
    bakery_api: Caller, sophie_s: WorkerNotice
) -> None:
    assert bakery_api.get(BASE, status="accepted").json()["items"] == []
    assert len(bakery_api.get(BASE, status="sent").json()["items"]) == 1
    refused = bakery_api.get(BASE, status="maybe")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "status"


def test_the_list_comes_in_cursor_pages_newest_first(bakery_api: Caller, cast: None) -> None:
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    sophie = Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS)
    notices = [notice_to(bakery, sophie, months=m) for m in (1, 2, 3)]
    first = bakery_api.get(BASE, limit=2).json()
    assert [i["id"] for i in first["items"]] == [notices[2].pk, notices[1].pk]
    second = bakery_api.get(first["next"]).json()
    assert [i["id"] for i in second["items"]] == [notices[0].pk]
    assert second["next"] is None


def test_reading_one_notice_is_audited_with_the_client_and_the_enterprise(
    secupay_api: Caller, sophie_s: WorkerNotice
) -> None:
    answer = secupay_api.get(f"{BASE}/{sophie_s.pk}")
    assert answer.status_code == 200
    assert answer.json()["worker"]["last_name"] == "Lambert"
    event = AuditEvent.objects.get(action="careerbreak.notice.viewed")
    assert event.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert event.actor_niss == demo_data.SECUPAY_MANAGER_NISS
    assert event.subject_niss == demo_data.SOPHIE_LAMBERT_NISS


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("post", "/acceptance", {}),
        ("post", "/refusal", {"reason": "Pas maintenant."}),
        ("post", "/postponement", {"proposed_start_date": "2027-06-01", "reason": "Saison."}),
    ],
)
def test_another_enterprise_s_client_and_an_ended_mandate_find_no_notice(
    outsider_api: Caller,
    secupay_api: Caller,
    sophie_s: WorkerNotice,
    marc_s: WorkerNotice,
    method: str,
    suffix: str,
    body: dict[str, str] | None,
) -> None:
    for caller, notice in ((outsider_api, sophie_s), (secupay_api, marc_s)):
        path = f"{BASE}/{notice.pk}{suffix}"
        answer = caller.get(path) if method == "get" else caller.post(path, body)
        assert answer.status_code == 404
        assert answer.json()["type"] == "/api/v1/problems/not-found"
    assert set(WorkerNotice.objects.values_list("status", flat=True)) == {"sent"}
    assert not AuditEvent.objects.filter(action="careerbreak.notice.viewed").exists()


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("get", "/{id}", None),
        ("post", "/{id}/acceptance", {}),
        ("post", "/{id}/refusal", {"reason": "Non."}),
        ("post", "/{id}/postponement", {"proposed_start_date": "2027-06-01", "reason": "Saison."}),
    ],
)
def test_a_token_without_the_notices_scope_is_refused(
    bakery_api: Caller, sophie_s: WorkerNotice, method: str, suffix: str, body: dict[str, str] | None
) -> None:
    caller = bakery_api.only(ApiScope.REQUESTS_READ, ApiScope.REQUESTS_WRITE)
    path = BASE + suffix.format(id=sophie_s.pk)
    answer = caller.get(path) if method == "get" else caller.post(path, body)
    assert answer.status_code == 403
    assert answer.json()["type"] == "/api/v1/problems/insufficient-scope"
    assert WorkerNotice.objects.get().status == "sent"


def test_accepting_starts_the_employer_part_and_tells_the_worker_once(
    secupay_api: Caller, sophie_s: WorkerNotice
) -> None:
    answer = secupay_api.post(f"{BASE}/{sophie_s.pk}/acceptance")
    assert answer.status_code == 200
    assert answer.json()["status"] == "accepted"
    sophie_s.refresh_from_db()
    assert sophie_s.draft is not None
    assert sophie_s.answered_by_niss == demo_data.SECUPAY_MANAGER_NISS
    assert (
        OutboxMessage.objects.filter(
            kind="notice_answer", recipient_niss=demo_data.SOPHIE_LAMBERT_NISS
        ).count()
        == 1
    )
    again = secupay_api.post(f"{BASE}/{sophie_s.pk}/refusal", {"reason": "Non."})
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "answered"
    assert WorkerNotice.objects.get().status == "accepted"


def test_a_refusal_the_law_does_not_allow_for_the_type_is_refused(
    bakery_api: Caller, sophie_s: WorkerNotice
) -> None:
    # A parental leave 1/5 is the worker's right: the employer may postpone it, not refuse it.
    assert bakery_api.get(f"{BASE}/{sophie_s.pk}").json()["answers_allowed"] == [
        "accepted",
        "postponement_proposed",
    ]
    refused = bakery_api.post(f"{BASE}/{sophie_s.pk}/refusal", {"reason": "Non."})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "answer_not_allowed"
    assert refused.json()["errors"][0]["field"] == "decision"
    assert WorkerNotice.objects.get().status == "sent"


def test_a_refusal_needs_its_reason(bakery_api: Caller, cast: None) -> None:
    # A parental leave 1/10 needs the employer's agreement: it may be refused.
    sophie_s = notice_to(
        Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS),
        form="1/10",
    )
    empty = bakery_api.post(f"{BASE}/{sophie_s.pk}/refusal", {"reason": "  "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "reason"
    assert bakery_api.post(f"{BASE}/{sophie_s.pk}/refusal", {}).status_code == 422
    assert WorkerNotice.objects.get().status == "sent"
    refused = bakery_api.post(f"{BASE}/{sophie_s.pk}/refusal", {"reason": "Trop de départs en février."})
    assert refused.status_code == 200
    assert refused.json()["answer_reason"] == "Trop de départs en février."
    assert refused.json()["status"] == "refused"


def test_a_postponement_proposes_a_later_start_with_a_reason(
    bakery_api: Caller, sophie_s: WorkerNotice
) -> None:
    early = bakery_api.post(
        f"{BASE}/{sophie_s.pk}/postponement", {"proposed_start_date": "2027-01-15", "reason": "Saison."}
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "proposed_start_date"
    later = bakery_api.post(
        f"{BASE}/{sophie_s.pk}/postponement", {"proposed_start_date": "2027-05-01", "reason": "Saison."}
    )
    assert later.status_code == 200
    assert later.json()["status"] == "postponement_proposed"
    assert later.json()["proposed_start_date"] == "2027-05-01"
    assert WorkerNotice.objects.get().proposed_start_date == datetime.date(2027, 5, 1)


def test_a_field_the_api_does_not_know_is_refused(bakery_api: Caller, sophie_s: WorkerNotice) -> None:
    answer = bakery_api.post(f"{BASE}/{sophie_s.pk}/refusal", {"reason": "Non.", "motif": "Non."})
    assert answer.status_code == 422
    assert WorkerNotice.objects.get().status == "sent"


def test_a_call_without_a_token_is_refused(sophie_s: WorkerNotice) -> None:
    assert Client().get(BASE).status_code == 401
