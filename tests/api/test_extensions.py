"""The API's POST /requests/{ticket}/extensions: *Prolonger* of the web's step 5 in one call, on the same
services and rules, for the client's own enterprise or a mandating employer, and refused (404) for any
other, whether the request exists or not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope, Mandate
from careerbreak.interruptions import services
from careerbreak.interruptions.models import LeaveRequest, RequestEvent
from careerbreak.interruptions.types import RequestKind
from tests.api.conftest import ApiCaller, body
from tests.factories import acting_for, api_token, user_for
from tests.request_fixtures import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REQUESTS = "/api/v1/requests"
# The base request (tests/api/conftest.BODY) runs from 1 February to 30 June 2027: five months of 1/5,
# extended by five more (parental leave 1/5 goes by blocks of five months).
EXTENSION: dict[str, Any] = {"leave": {"notice_date": "27/11/2026", "end": "2027-11-30"}, "certified": True}


def filed(caller: ApiCaller) -> dict[str, Any]:
    response = caller.post(REQUESTS, body())
    assert response.status_code == 201, response.content
    answer: dict[str, Any] = response.json()
    return answer


def extensions(slug: str) -> str:
    return f"{REQUESTS}/{slug}/extensions"


def test_an_extension_is_a_new_request_of_the_same_worker_and_type_from_the_day_after(
    bakery: ApiCaller, bakery_client: Any
) -> None:
    base = filed(bakery)
    response = bakery.post(extensions(base["id"]), EXTENSION)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["ticket"] != base["ticket"]
    assert (answer["kind"], answer["type"], answer["form"]) == ("extension", "PARENTAL", "1/5")
    assert (answer["start_date"], answer["end_date"]) == ("2027-07-01", "2027-11-30")
    assert answer["worker"]["niss"] == demo_data.SOPHIE_LAMBERT_NISS
    assert response["Location"] == answer["links"]["self"]
    extension = LeaveRequest.objects.get(ticket=answer["ticket"])
    assert extension.kind == RequestKind.EXTENSION
    assert extension.extends is not None and extension.extends.ticket == base["ticket"]
    # The details of the request extended came along (what *Prolonger* prefills).
    assert extension.details["child_niss"] == demo_data.SOPHIE_LAMBERT_CHILD_NISS
    assert extension.draft is not None and extension.draft.content.type.related_ticket == base["ticket"]
    # Audited as a confirmation by the client, and an event of the feed.
    confirmed = AuditEvent.objects.filter(action="careerbreak.request.confirmed", object_id=extension.ticket)
    assert confirmed.get().data["api_client_id"] == bakery_client.client_id
    event = RequestEvent.objects.get(ticket=answer["ticket"])
    assert (event.type, event.data["extends"]) == ("request.filed", base["ticket"])


def test_the_extension_is_the_draft_prolonger_makes_on_the_web(bakery: ApiCaller) -> None:
    base = LeaveRequest.objects.get(ticket=filed(bakery)["ticket"])
    through_api = LeaveRequest.objects.get(
        ticket=bakery.post(extensions(base.slug), EXTENSION).json()["ticket"]
    )
    # The web: step 4 with the same worker, *Prolonger* at step 5, step 6 with the end typed in.
    acting = acting_for(user_for(demo_data.JEAN_DUBOIS_NISS), base.enterprise)
    web = services.draft_start(acting=acting)
    worker = through_api.draft.content.worker
    services.draft_save_worker(
        draft=web, niss=worker.niss, status=worker.status, joint_committee=worker.joint_committee
    )
    web = services.draft_save_extension(draft=web, base=base)
    assert web.content.leave is not None
    leave = web.content.leave.replace(notice_date=TODAY.date(), end=datetime.date(2027, 11, 30))
    web = services.draft_save_leave(draft=web, values=leave, complete=True)
    assert web.content.to_json() == through_api.draft.content.to_json()


def test_an_extension_that_does_not_follow_on_is_refused_by_the_rules(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    response = bakery.post(
        extensions(slug), {"leave": {**EXTENSION["leave"], "start": "2027-08-01"}, "certified": True}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/invalid-request"
    codes = {(e["code"], e["field"]) for e in problem["errors"]}
    assert ("kind.extension_not_contiguous", "leave.start") in codes
    assert LeaveRequest.objects.count() == 1


def test_an_uncertified_extension_and_unknown_fields_are_refused(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    uncertified = bakery.post(extensions(slug), {**EXTENSION, "certified": False})
    assert uncertified.status_code == 422
    assert uncertified.json()["errors"][0]["code"] == "not_certified"
    unknown = bakery.post(extensions(slug), {**EXTENSION, "type": "TC_CHILD_CARE"})
    assert unknown.status_code == 422
    assert LeaveRequest.objects.count() == 1


def test_a_cancelled_request_cannot_be_extended(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    assert bakery.post(f"{REQUESTS}/{slug}/cancellation", {"reason": "Withdrawn."}).status_code == 200
    response = bakery.post(extensions(slug), EXTENSION)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_extendable"
    assert LeaveRequest.objects.count() == 1


def test_an_outsider_finds_no_request_to_extend_whether_it_exists_or_not(
    bakery: ApiCaller, garage: ApiCaller
) -> None:
    slug = filed(bakery)["id"]
    existing = garage.post(extensions(slug), EXTENSION)
    unknown = garage.post(extensions("2026-99999999-99"), EXTENSION)
    assert existing.status_code == unknown.status_code == 404
    assert existing.json() == unknown.json()
    assert existing.json()["type"] == "/api/v1/problems/not-found"
    assert LeaveRequest.objects.count() == 1


def test_a_secretariat_extends_while_its_mandate_holds_and_not_once_it_ended(secupay: ApiCaller) -> None:
    slug = filed(secupay)["id"]
    assert secupay.post(extensions(slug), EXTENSION).status_code == 201
    Mandate.objects.filter(employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER).update(
        valid_until=TODAY - datetime.timedelta(days=1)
    )
    later = {"leave": {**EXTENSION["leave"], "start": "2027-12-01", "end": "2028-04-30"}, "certified": True}
    second = LeaveRequest.objects.get(kind=RequestKind.EXTENSION)
    assert secupay.post(extensions(second.slug), later).status_code == 404
    assert LeaveRequest.objects.count() == 2


def test_a_read_only_token_may_not_extend(bakery: ApiCaller, bakery_client: Any) -> None:
    slug = filed(bakery)["id"]
    reader = ApiCaller(api_token(bakery_client, ApiScope.REQUESTS_READ))
    response = reader.post(extensions(slug), EXTENSION)
    assert response.status_code == 403
    assert response.json()["type"] == "/api/v1/problems/insufficient-scope"
    assert LeaveRequest.objects.count() == 1


def test_a_replayed_key_files_the_extension_once(bakery: ApiCaller) -> None:
    slug = filed(bakery)["id"]
    first = bakery.post(extensions(slug), EXTENSION, **{"Idempotency-Key": "ext-1"})
    again = bakery.post(extensions(slug), EXTENSION, **{"Idempotency-Key": "ext-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    other = bakery.post(
        extensions(slug),
        {**EXTENSION, "leave": {**EXTENSION["leave"], "end": "2027-08-31"}},
        **{"Idempotency-Key": "ext-1"},
    )
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    assert LeaveRequest.objects.filter(kind=RequestKind.EXTENSION).count() == 1
