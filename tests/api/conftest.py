"""Fixtures of the API tests: the demo's cast and its API clients (the bakery's own, SecuPay's with its
mandates, Zorggroep's or the garage as outsiders), calling with a bearer token; a JSON body to file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiClient
from careerbreak.registries.models import Enterprise
from tests.factories import ApiClientFactory, api_bearer, api_token, demo_cast, user_for

# Sophie Lambert's parental leave 1/5 at the bakery, as a payroll program sends it (dates as typed on
# the web: ISO or day first; the NISS with its punctuation).
BODY: dict[str, Any] = {
    "enterprise": "0812.345.603",
    "worker": {"niss": "90.06.15-122.02", "status": "PRIVATE_WHITE_COLLAR", "joint_committee": "118"},
    "type": "PARENTAL",
    "leave": {
        "notice_date": "20/11/2026",
        "start": "2027-02-01",
        "end": "2027-06-30",
        "form": "1/5",
        "weekly_hours": 38,
        "reference_hours": "38",
        "days_per_week": 5,
        "hours_during_leave": "30,4",
        "regime_12_months": "full_time",
        "months_of_contract_last_15": 15,
        "child_birth_date": "2024-02-10",
        "child_niss": demo_data.SOPHIE_LAMBERT_CHILD_NISS,
        "child_disabled": False,
        "employer_agreement": True,
    },
    "certified": True,
}


def body(**changes: Any) -> dict[str, Any]:
    """``BODY`` with top-level ``changes`` and ``leave`` values merged in (``leave__start="…"``)."""
    out = copy.deepcopy(BODY)
    for name, value in changes.items():
        if name.startswith("leave__"):
            out["leave"][name.removeprefix("leave__")] = value
        else:
            out[name] = value
    return out


class ApiCaller:
    """A test client that sends JSON with a bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, headers: dict[str, str]) -> dict[str, str]:
        out = dict(headers)
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        return out

    def get(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, data or {}, headers=self._headers(headers))

    def post(self, path: str, payload: Any, **headers: str) -> Any:
        return self.client.post(
            path, json.dumps(payload), content_type="application/json", headers=self._headers(headers)
        )


MakeClient = Callable[..., ApiClient]


@pytest.fixture
def make_client(demo: None) -> MakeClient:
    def make(number: str, manager_niss: str, **kwargs: Any) -> ApiClient:
        return ApiClientFactory(
            enterprise=Enterprise.objects.get(number=number), registered_by=user_for(manager_niss), **kwargs
        )

    return make


@pytest.fixture
def bakery_client(make_client: MakeClient) -> ApiClient:
    return make_client(demo_data.BOULANGERIE_DUBOIS_NUMBER, demo_data.JEAN_DUBOIS_NISS)


@pytest.fixture
def bakery(bakery_client: ApiClient) -> ApiCaller:
    """The bakery's own payroll program, with every scope."""
    return ApiCaller(api_token(bakery_client))


@pytest.fixture
def secupay(make_client: MakeClient) -> ApiCaller:
    """The social secretariat's program (mandated by the bakery; its mandate for Logistique Meuse ended)."""
    return ApiCaller(api_token(make_client(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)))


@pytest.fixture
def garage(make_client: MakeClient) -> ApiCaller:
    """Another employer's program: an outsider for the bakery's requests."""
    return ApiCaller(
        api_token(make_client(demo_data.GARAGE_SCHMITZ_NUMBER, demo_data.GARAGE_SCHMITZ_MANAGER_NISS))
    )


@dataclass
class Caller:
    """An API client calling with a token of ``scopes`` (every scope unless told)."""

    client: ApiClient
    scopes: tuple[str, ...] = ()

    def _headers(self) -> dict[str, str]:
        return api_bearer(self.client, *self.scopes)

    def get(self, path: str, **params: Any) -> Any:
        return Client().get(path, params, **self._headers())

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body if body is not None else {})
        return Client().post(path, data, content_type="application/json", **self._headers())

    def delete(self, path: str) -> Any:
        return Client().delete(path, **self._headers())

    def only(self, *scopes: str) -> Caller:
        return Caller(self.client, scopes)


def caller_of(number: str, manager_niss: str) -> Caller:
    enterprise = Enterprise.objects.get(number=number)
    return Caller(ApiClientFactory(enterprise=enterprise, registered_by=user_for(manager_niss)))


@pytest.fixture
def cast(db: None) -> None:
    demo_cast()


@pytest.fixture
def bakery_api(cast: None) -> Caller:
    """The bakery's own client."""
    return caller_of(demo_data.BOULANGERIE_DUBOIS_NUMBER, demo_data.JEAN_DUBOIS_NISS)


@pytest.fixture
def secupay_api(cast: None) -> Caller:
    """SecuPay's client: the bakery's mandate holds; Logistique Meuse's ended in 2022."""
    return caller_of(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)


@pytest.fixture
def outsider_api(cast: None) -> Caller:
    """Zorggroep's client: neither the bakery nor a holder of its mandate."""
    return caller_of(demo_data.ZORGGROEP_NUMBER, demo_data.ZORGGROEP_MANAGER_NISS)


@pytest.fixture(autouse=True)
def events_settle_at_once(settings: Any) -> None:
    """The clock is frozen in these tests: an event is in the feed as soon as it is written."""
    settings.EVENTS_SETTLE_SECONDS = 0
