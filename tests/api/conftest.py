"""Fixtures of the API tests: the demo's cast and its API clients (the bakery's own, SecuPay's with its
mandates, Zorggroep's as the outsider), each calling with a bearer token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiClient
from careerbreak.registries.models import Enterprise
from tests.factories import ApiClientFactory, api_bearer, demo_cast, user_for


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
