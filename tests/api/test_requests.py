"""The API's /requests: filing, validating, following, modifying and cancelling, for the client's own
enterprise or a mandating employer, and refused for everyone else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.models import Draft, LeaveRequest, RequestVersion
from tests.api.conftest import ApiCaller, MakeClient, body
from tests.documents.conftest import text_of
from tests.factories import api_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REQUESTS = "/api/v1/requests"


def filed(caller: ApiCaller) -> dict:
    response = caller.post(REQUESTS, body())
    assert response.status_code == 201, response.content
    return response.json()


def test_the_bakery_s_program_files_a_request_and_gets_its_ticket_status_and_links(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body())
    assert response.status_code == 201
    answer = response.json()
    leave_request = LeaveRequest.objects.get()
    assert answer["ticket"] == leave_request.ticket
    assert answer["status"] == "awaiting_worker"
    # Normalised in the answer: the NISS in 11 digits, the enterprise in 10, dates in ISO.
    assert answer["worker"]["niss"] == demo_data.SOPHIE_LAMBERT_NISS
    assert answer["enterprise"] == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert answer["notice_date"] == "2026-11-20"
    assert response["Location"] == answer["links"]["self"] == f"{REQUESTS}/{leave_request.slug}"
    assert answer["links"]["pdf"] == f"{REQUESTS}/{leave_request.slug}/versions/1/pdf"
    assert answer["warnings"] == []
    assert leave_request.versions.get().kind == "original"


def test_the_audit_of_a_filing_names_the_api_client(bakery: ApiCaller, bakery_client) -> None:  # type: ignore[no-untyped-def]
    filed(bakery)
    event = AuditEvent.objects.get(action="careerbreak.request.confirmed")
    assert event.data["api_client_id"] == bakery_client.client_id
    assert event.enterprise_number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert event.actor_niss == demo_data.JEAN_DUBOIS_NISS
    lookup = AuditEvent.objects.filter(action="careerbreak.person.looked_up").first()
    assert lookup is not None and lookup.data["api_client_id"] == bakery_client.client_id


def test_a_social_secretariat_files_for_an_employer_that_mandated_it(secupay: ApiCaller) -> None:
    assert filed(secupay)["enterprise"] == demo_data.BOULANGERIE_DUBOIS_NUMBER


def test_a_call_without_a_token_is_refused(demo: None) -> None:
    assert ApiCaller(None).post(REQUESTS, body()).status_code == 401
    assert ApiCaller("not-a-token").get(REQUESTS, {"enterprise": "0812345603"}).status_code == 401


def test_another_employer_s_program_may_not_file_for_the_bakery(garage: ApiCaller) -> None:
    response = garage.post(REQUESTS, body())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v1/problems/enterprise-not-allowed"
    assert not LeaveRequest.objects.exists()


def test_a_secretariat_whose_mandate_ended_may_no_longer_file(secupay: ApiCaller) -> None:
    response = secupay.post(REQUESTS, body(enterprise=demo_data.LOGISTIQUE_MEUSE_NUMBER))
    assert response.status_code == 403
    assert not LeaveRequest.objects.exists()


def test_a_read_only_token_may_not_file(bakery_client) -> None:  # type: ignore[no-untyped-def]
    reader = ApiCaller(api_token(bakery_client, ApiScope.REQUESTS_READ))
    assert reader.post(REQUESTS, body()).status_code == 403
    assert reader.post(f"{REQUESTS}/validate", body()).status_code == 403
    assert not LeaveRequest.objects.exists()


def test_refused_input_answers_each_problem_with_its_field_code_and_message(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body(worker={"niss": "90.06.15-122.03"}))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "worker.niss" and error["code"] and error["message"]
    response = bakery.post(REQUESTS, body(leave__start="31/02/2027", leave__form="2/3"))
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"leave.start", "leave.form"}
    assert not LeaveRequest.objects.exists() and not Draft.objects.exists()


def test_a_rule_s_refusal_carries_its_legal_reference_in_the_caller_s_language(bakery: ApiCaller) -> None:
    response = bakery.post(
        REQUESTS,
        body(leave__child_birth_date="2013-06-01", leave__child_niss=None),
        **{"Accept-Language": "nl"},
    )
    assert response.status_code == 422
    [error] = [e for e in response.json()["errors"] if e["code"] == "parental.child_too_old"]
    assert error["field"] == "leave.child_birth_date"
    assert error["legal_reference"]
    assert "12 jaar" in error["message"]
    # The rules refuse it in the confirmation (they run once): the draft it went through is undone.
    assert not LeaveRequest.objects.exists() and not Draft.objects.exists()


def test_a_worker_the_enterprise_does_not_employ_is_refused(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body(worker={"niss": demo_data.SECUPAY_MANAGER_NISS}))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "worker_not_employed"


def test_a_type_not_offered_for_the_sector_is_refused(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body(type="PUBLIC_CAREER_BREAK"))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "code": "type_not_offered",
        "field": "type",
        "message": "Ce type ne peut pas être demandé pour cette entreprise et ce travailleur.",
    }


def test_an_uncertified_request_is_refused(bakery: ApiCaller) -> None:
    response = bakery.post(REQUESTS, body(certified=False))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "certified"
    assert not LeaveRequest.objects.exists()
    # Uncertified and refused by the rules: the rules' problems, as validate gives them.
    response = bakery.post(REQUESTS, body(certified=False, leave__child_birth_date="2013-06-01"))
    assert "parental.child_too_old" in {e["code"] for e in response.json()["errors"]}
    assert not LeaveRequest.objects.exists() and not Draft.objects.exists()


def test_unknown_fields_are_refused(bakery: ApiCaller) -> None:
    assert bakery.post(REQUESTS, {**body(), "priority": "high"}).status_code == 422
    assert bakery.post(REQUESTS, body(leave__colour="blue")).status_code == 422
    assert not LeaveRequest.objects.exists()


def test_validate_checks_everything_and_files_nothing(bakery: ApiCaller) -> None:
    response = bakery.post(f"{REQUESTS}/validate", body())
    assert response.status_code == 200
    assert response.json() == {"valid": True, "warnings": []}
    assert not LeaveRequest.objects.exists() and not Draft.objects.exists()
    refused = bakery.post(f"{REQUESTS}/validate", body(leave__end="2027-01-01"))
    assert refused.status_code == 422


def test_the_list_filters_and_pages_the_enterprise_s_requests(bakery: ApiCaller, garage: ApiCaller) -> None:
    first = filed(bakery)
    second = bakery.post(REQUESTS, body(leave__start="2027-08-01", leave__end="2027-12-31")).json()
    page = bakery.get(REQUESTS, {"enterprise": "0812.345.603", "limit": "1"}).json()
    assert [item["ticket"] for item in page["items"]] == [second["ticket"]]
    assert page["next_cursor"]
    rest = bakery.get(REQUESTS, {"enterprise": "0812345603", "cursor": page["next_cursor"]}).json()
    assert [item["ticket"] for item in rest["items"]] == [first["ticket"]]
    assert rest["next_cursor"] == ""
    by_worker = bakery.get(
        REQUESTS, {"enterprise": "0812345603", "worker": "90.06.15-122.02", "type": "PARENTAL"}
    )
    assert len(by_worker.json()["items"]) == 2
    assert bakery.get(REQUESTS, {"enterprise": "0812345603", "status": "cancelled"}).json()["items"] == []
    later = bakery.get(REQUESTS, {"enterprise": "0812345603", "updated_since": "2026-11-28T00:00:00Z"})
    assert later.json()["items"] == []
    assert garage.get(REQUESTS, {"enterprise": "0812345603"}).status_code == 403


def test_the_detail_shows_versions_history_and_documents_but_not_the_worker_part(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    response = bakery.get(f"{REQUESTS}/{slug}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    answer = response.json()
    assert [v["number"] for v in answer["versions"]] == [1]
    assert answer["versions"][0]["links"]["pdf"].endswith("/versions/1/pdf")
    assert [(h["from"], h["to"]) for h in answer["history"]] == [("", "awaiting_worker")]
    assert answer["worker_part_sent_at"] is None
    assert "iban" not in response.content.decode().lower()
    assert AuditEvent.objects.filter(action="careerbreak.request.viewed", object_id=answer["ticket"]).exists()


def test_another_enterprise_s_program_finds_no_request_at_all(bakery: ApiCaller, garage: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    for path in [f"{REQUESTS}/{slug}", f"{REQUESTS}/{slug}/versions/1/pdf"]:
        assert garage.get(path).status_code == 404
    assert garage.get(f"{REQUESTS}/2026-99999999-99").status_code == 404
    assert garage.post(f"{REQUESTS}/{slug}/cancellation", {"reason": "x"}).status_code == 404
    assert (
        garage.post(f"{REQUESTS}/{slug}/modifications", {"leave": {}, "certified": True}).status_code == 404
    )
    assert LeaveRequest.objects.get().status == "awaiting_worker"


def test_a_modification_adds_a_version_through_the_modification_service(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    leave = {**body()["leave"], "start": "2027-03-01", "end": "2027-07-31"}
    response = bakery.post(f"{REQUESTS}/{slug}/modifications", {"leave": leave, "certified": True})
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2 and response.json()["end_date"] == "2027-07-31"
    assert list(RequestVersion.objects.values_list("kind", flat=True)) == ["original", "modification"]
    refused = bakery.post(
        f"{REQUESTS}/{slug}/modifications", {"leave": {**leave, "end": "2026-01-01"}, "certified": True}
    )
    assert refused.status_code == 422
    assert LeaveRequest.objects.get().version == 2


def test_a_cancellation_needs_a_reason_and_happens_once(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    assert bakery.post(f"{REQUESTS}/{slug}/cancellation", {"reason": ""}).status_code == 422
    response = bakery.post(f"{REQUESTS}/{slug}/cancellation", {"reason": "The worker withdrew the notice."})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = bakery.post(f"{REQUESTS}/{slug}/cancellation", {"reason": "Again."})
    assert again.status_code == 409
    assert LeaveRequest.objects.get().versions.count() == 2


def test_the_pdf_of_a_version_is_served_and_its_download_audited(bakery: ApiCaller, bakery_client) -> None:  # type: ignore[no-untyped-def]
    slug = filed(bakery)["id"]
    response = bakery.get(f"{REQUESTS}/{slug}/versions/1/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="careerbreak.document.downloaded")
    assert event.data["api_client_id"] == bakery_client.client_id and event.data["version"] == 1
    assert bakery.get(f"{REQUESTS}/{slug}/versions/7/pdf").status_code == 404


def test_the_same_idempotency_key_and_body_replay_the_first_answer(bakery: ApiCaller) -> None:
    first = bakery.post(REQUESTS, body(), **{"Idempotency-Key": "k-1"})
    second = bakery.post(REQUESTS, body(), **{"Idempotency-Key": "k-1"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() and second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert LeaveRequest.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(bakery: ApiCaller) -> None:
    bakery.post(f"{REQUESTS}/validate", body(), **{"Idempotency-Key": "k-2"})
    response = bakery.post(
        f"{REQUESTS}/validate", body(leave__end="2027-05-31"), **{"Idempotency-Key": "k-2"}
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/api/v1/problems/idempotency-key-reused"


def test_idempotency_keys_belong_to_one_client(bakery: ApiCaller, make_client: MakeClient) -> None:
    other = ApiCaller(api_token(make_client(demo_data.BOULANGERIE_DUBOIS_NUMBER, demo_data.JEAN_DUBOIS_NISS)))
    assert bakery.post(REQUESTS, body(), **{"Idempotency-Key": "shared"}).status_code == 201
    # The same key from another client is a new call: here refused by the overlap rule, not replayed.
    response = other.post(REQUESTS, body(), **{"Idempotency-Key": "shared"})
    assert response.status_code == 422 and "Idempotent-Replayed" not in response


def test_the_pdf_of_a_request_filed_through_the_api_names_the_client_and_its_enterprise_not_a_login_level(
    make_client: MakeClient,
) -> None:
    program = make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS, name="SecuPay Paie")
    secupay = ApiCaller(api_token(program))
    slug = filed(secupay)["id"]
    version = RequestVersion.objects.get()
    assert version.api_client_id == program.client_id
    text = text_of(secupay.get(f"{REQUESTS}/{slug}/versions/1/pdf").content)
    assert f"Introduit via l'API par SecuPay Paie ({program.client_id})" in text
    assert "Entreprise du client API SecuPay ASBL (0456.123.791)" in text
    assert "Niveau de garantie" not in text


def test_validating_a_request_reads_the_worker_s_employment_once_and_stays_within_its_queries(
    bakery: ApiCaller,
) -> None:
    bakery.post(f"{REQUESTS}/validate", body())  # the token's and the limiter's first reads
    with CaptureQueriesContext(connection) as queries:
        assert bakery.post(f"{REQUESTS}/validate", body()).status_code == 200
    employment_reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "registries_employment"' in q["sql"]
    ]
    # Step 4's look-up of the worker's periods (their employment among them, the rules reuse both) and
    # the workers under contract (with the rules' other reads since ADR 0046).
    assert len(employment_reads) == 2, employment_reads
    assert len(queries.captured_queries) <= 4, [q["sql"][:60] for q in queries.captured_queries]


@pytest.mark.parametrize("leave", [{}, {"leave__child_birth_date": "2013-06-01"}], ids=["valid", "refused"])
def test_a_validation_s_look_up_is_audited_in_the_same_insert_as_the_call(
    bakery: ApiCaller, leave: dict
) -> None:
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = bakery.post(f"{REQUESTS}/validate", body(**leave))
    assert response.status_code == (422 if leave else 200)
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_auditevent"')
    ]
    assert len(inserts) == 1, inserts
    written = AuditEvent.objects.exclude(pk__in=before).order_by("pk")
    assert [(e.action, e.subject_niss) for e in written] == [
        ("careerbreak.person.looked_up", demo_data.SOPHIE_LAMBERT_NISS),
        ("careerbreak.api.called", ""),
    ]
    assert all(e.data["api_client_id"] for e in written)


def test_a_filing_s_look_up_is_audited_on_its_own_before_the_confirmation(bakery: ApiCaller) -> None:
    filed(bakery)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        "careerbreak.person.looked_up",
        "careerbreak.request.confirmed",
        "careerbreak.api.called",
    ]
