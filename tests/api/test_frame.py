"""The API's frame: bearer tokens, the authority of a client over an employer, problem details for every
error (in the caller's language), the per-client rate limit, the body limit, the audit of each call, and
the OpenAPI document (committed, served with the interactive docs under the site's CSP)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from ninja.errors import ValidationError

from careerbreak.api.auth import (
    PARSED_BODY,
    ApiCaller,
    NotForThisEnterprise,
    ParsedOnce,
    ScopeMissing,
    body_enterprise,
)
from careerbreak.api.frame import problem_for
from careerbreak.api.schema import COMMITTED, openapi_text
from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.identity.acting import Via
from careerbreak.identity.api_tokens import issue_access_token
from careerbreak.identity.models import ApiAccessToken, ApiScope
from tests.factories import ApiClientFactory, EnterpriseFactory, MandateFactory, bearer_for

pytestmark = pytest.mark.django_db

WHOAMI = "/api/v1/whoami"


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/problems/")
    assert body["title"]
    return body


# --- Bearer tokens ----------------------------------------------------------------------------------


def test_a_live_token_tells_the_client_who_it_is(client: Client) -> None:
    api_client = ApiClientFactory(scopes=[ApiScope.REQUESTS_READ, ApiScope.NOTICES])

    response = client.get(WHOAMI, **bearer_for(api_client, ApiScope.NOTICES))

    assert response.status_code == 200
    assert response.json() == {
        "client_id": api_client.client_id,
        "name": api_client.name,
        "enterprise": {"number": api_client.enterprise.number, "name": api_client.enterprise.name},
        "scopes": ["notices"],
    }


def test_a_call_without_a_token_is_a_401_problem_with_a_bearer_challenge(client: Client) -> None:
    response = client.get(WHOAMI)

    problem_of(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="careerbreak"'


def test_an_expired_token_is_refused_as_an_invalid_token(client: Client) -> None:
    api_client = ApiClientFactory()
    token, row = issue_access_token(client=api_client, scopes=api_client.scopes)
    ApiAccessToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(WHOAMI, HTTP_AUTHORIZATION=f"Bearer {token}")

    problem_of(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_the_tokens_of_a_revoked_client_stop_working_at_once(client: Client) -> None:
    api_client = ApiClientFactory()
    headers = bearer_for(api_client)
    assert client.get(WHOAMI, **headers).status_code == 200

    api_client.revoked_at = timezone.now()
    api_client.save()

    problem_of(client.get(WHOAMI, **headers), 401)


def test_a_token_without_the_scope_a_call_needs_is_a_403_problem_naming_the_scope() -> None:
    caller = ApiCaller(client=ApiClientFactory(), scopes=frozenset({ApiScope.REQUESTS_READ}))
    caller.require(ApiScope.REQUESTS_READ)

    with pytest.raises(ScopeMissing) as raised:
        caller.require(ApiScope.REQUESTS_WRITE)
    response = problem_for(RequestFactory().get(WHOAMI), raised.value)

    body = problem_of(response, 403)
    assert "requests:write" in body["detail"]
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]


# --- Authority: for which employer a client may act -------------------------------------------------


def test_a_client_acts_for_its_own_enterprise_through_the_api_under_its_registrant() -> None:
    api_client = ApiClientFactory()
    caller = ApiCaller(client=api_client, scopes=frozenset())

    acting = caller.acting_for(api_client.enterprise.number)

    assert acting is not None
    assert acting.via == Via.API
    assert acting.api_client_id == api_client.client_id
    assert acting.user == api_client.registered_by
    assert acting.enterprise == api_client.enterprise


def test_a_secretariat_s_client_acts_for_an_employer_only_while_the_mandate_holds() -> None:
    today = timezone.localdate()
    current = MandateFactory()
    ended = MandateFactory(
        secretariat=current.secretariat,
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    caller = ApiCaller(client=ApiClientFactory(enterprise=current.secretariat), scopes=frozenset())

    acting = caller.acting_for(current.employer.number)

    assert acting is not None and acting.secretariat == current.secretariat
    assert caller.acting_for(ended.employer.number) is None
    with pytest.raises(NotForThisEnterprise):
        caller.acting_for_or_refuse(ended.employer.number)


def test_a_client_of_another_enterprise_is_refused_with_a_403_problem() -> None:
    outsider = ApiCaller(client=ApiClientFactory(), scopes=frozenset())
    employer = EnterpriseFactory()

    assert outsider.acting_for(employer.number) is None
    with pytest.raises(NotForThisEnterprise) as raised:
        outsider.acting_for_or_refuse(employer.number)
    problem_of(problem_for(RequestFactory().get(WHOAMI), raised.value), 403)


def test_an_employer_s_client_may_not_use_a_mandate_it_does_not_hold() -> None:
    # A mandate names a secretariat: an ordinary employer's client never acts through it.
    mandate = MandateFactory()
    caller = ApiCaller(client=ApiClientFactory(enterprise=mandate.employer), scopes=frozenset())

    assert caller.acting_for(EnterpriseFactory().number) is None


# --- Audit ------------------------------------------------------------------------------------------


def test_each_call_is_audited_with_the_client_its_enterprise_the_method_path_and_status(
    client: Client,
) -> None:
    api_client = ApiClientFactory()

    client.get(WHOAMI, **bearer_for(api_client))
    client.post(WHOAMI, **bearer_for(api_client))

    rows = list(AuditEvent.objects.filter(action=AuditAction.API_CALLED).order_by("pk"))
    assert [(row.data["path"], row.data["status"]) for row in rows] == [(WHOAMI, 200)]
    first = rows[0]
    assert first.data["api_client_id"] == api_client.client_id
    assert first.data["method"] == "GET"
    assert first.enterprise_number == api_client.enterprise.number
    assert first.actor_niss == api_client.registered_by.niss


def test_a_call_without_a_valid_token_is_not_audited_as_a_client_s_call(client: Client) -> None:
    client.get(WHOAMI, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert not AuditEvent.objects.filter(action=AuditAction.API_CALLED).exists()


def test_what_a_client_does_is_audited_with_its_client_id() -> None:
    api_client = ApiClientFactory()
    acting = ApiCaller(client=api_client, scopes=frozenset()).acting_for(api_client.enterprise.number)

    event = audit_log(action=AuditAction.ACCESS_GRANTED, acting=acting, data={"role": "user"})

    assert event.data == {"role": "user", "api_client_id": api_client.client_id}
    assert event.enterprise_number == api_client.enterprise.number


# --- Problems, limits ---------------------------------------------------------------------------------


def test_an_unknown_address_and_a_wrong_method_are_problems(client: Client) -> None:
    problem_of(client.get("/api/v1/no-such-thing"), 404)
    response = client.post(WHOAMI, **bearer_for(ApiClientFactory()))
    problem_of(response, 405)
    assert response["Allow"] == "GET"


def test_refused_input_is_a_422_problem_naming_each_field_by_its_path() -> None:
    error = ValidationError(
        [{"loc": ("body", "payload", "worker", "niss"), "msg": "Field required", "type": "missing"}]
    )

    body = problem_of(problem_for(RequestFactory().post("/api/v1/x"), error), 422)

    assert body["errors"] == [{"code": "missing", "field": "worker.niss", "message": "Field required"}]


def test_an_unexpected_error_is_a_500_problem_that_tells_nothing_of_it() -> None:
    response = problem_for(RequestFactory().get(WHOAMI), RuntimeError("database password is hunter2"))

    body = problem_of(response, 500)
    assert "hunter2" not in response.content.decode()
    assert "RuntimeError" not in str(body)


def test_problems_speak_the_caller_s_language(client: Client) -> None:
    body = problem_of(client.get(WHOAMI, HTTP_ACCEPT_LANGUAGE="nl"), 401)

    assert body["title"] == "Authenticatie vereist"


def test_a_client_over_its_rate_limit_gets_a_429_problem_with_retry_after(
    client: Client, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_per_client": "2/m"}
    api_client = ApiClientFactory()
    headers = bearer_for(api_client)
    other = bearer_for(ApiClientFactory())

    statuses = [client.get(WHOAMI, **headers).status_code for _ in range(3)]
    response = client.get(WHOAMI, **headers)

    assert statuses == [200, 200, 429]
    problem_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 61
    assert client.get(WHOAMI, **other).status_code == 200, "each client has its own count"


def test_a_body_over_the_limit_is_a_413_problem_before_anything_runs(client: Client, settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 1000
    headers = {**bearer_for(ApiClientFactory()), "HTTP_ACCEPT_LANGUAGE": "en"}

    response = client.post(WHOAMI, "x" * 1001, content_type="application/json", **headers)

    body = problem_of(response, 413)
    assert "MB" in body["detail"]
    assert client.post(WHOAMI, "x" * 999, content_type="application/json", **headers).status_code == 405


# --- The OpenAPI document and the interactive documentation ---------------------------------------


def test_the_committed_openapi_document_is_the_code_s() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "The API's contract changed: run `make api-schema` and commit docs/api/openapi.json."
    )


def test_the_openapi_document_is_served_as_openapi_3_1(client: Client) -> None:
    response = client.get(reverse("api:openapi-json"))

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")
    assert WHOAMI in response.json()["paths"]


def test_the_interactive_docs_run_from_our_own_static_files_under_the_site_s_csp(client: Client) -> None:
    response = client.get(reverse("api:openapi-view"))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs in scripts]
    # Every script is a same-origin file of ours, or JSON data (which the browser does not run).
    for attrs, source in zip(scripts, sources, strict=True):
        assert source is not None or 'type="application/json"' in attrs, attrs
    files = [source.group(1) for source in sources if source is not None]
    assert files and all(path.startswith("/static/") for path in files)
    assert all(finders.find(path.removeprefix("/static/")) for path in files)
    assert "https://" not in html
    assert '"validatorUrl": null' in html


# --- The body, parsed once ----------------------------------------------------------------------------


def test_the_operation_reuses_the_body_the_token_check_parsed_and_only_that_one() -> None:
    factory = RequestFactory()
    request = factory.post(
        "/api/v1/requests/validate", {"enterprise": "0812.345.603", "n": 1}, "application/json"
    )

    assert body_enterprise(request) == "0812345603"
    parsed = ParsedOnce().parse_body(request)
    assert parsed == {"enterprise": "0812.345.603", "n": 1}
    assert parsed is getattr(request, PARSED_BODY)[1]
    # Another request's body (or bytes set anew) is parsed, never taken for the kept one.
    other = factory.post("/api/v1/requests/validate", {"enterprise": "x", "n": 2}, "application/json")
    setattr(other, PARSED_BODY, getattr(request, PARSED_BODY))
    assert ParsedOnce().parse_body(other) == {"enterprise": "x", "n": 2}
    # A body without an enterprise is not parsed by the check: the operation parses it.
    plain = factory.post("/api/v1/requests/validate", {"n": 3}, "application/json")
    assert body_enterprise(plain) == ""
    assert not hasattr(plain, PARSED_BODY)
    assert ParsedOnce().parse_body(plain) == {"n": 3}
