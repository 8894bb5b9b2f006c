"""The login's two legs are limited per client address: nobody is known yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.rate_limit_fixtures import assert_too_many, limits, send_up_to_the_limit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

MINUTE = 60


def browser(address: str, language: str = "fr", **extra: str) -> Client:
    client = Client(REMOTE_ADDR=address, **extra)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_starting_logins_is_limited_per_address_and_another_address_is_not_affected(
    oidc_provider: Any, settings: Any
) -> None:
    limits(settings, login_per_ip="3/m")
    office = browser("203.0.113.7", "nl")
    send_up_to_the_limit(lambda: office.get(reverse("identity:login")), 3)

    assert_too_many(office.get(reverse("identity:login")), language="nl", window=MINUTE)
    # Another browser behind the same address shares its count; another address does not.
    assert browser("203.0.113.7").get(reverse("identity:login")).status_code == 429
    assert browser("198.51.100.20").get(reverse("identity:login")).status_code == 302


def test_callbacks_are_limited_per_address_apart_from_login_starts(oidc_provider: Any, settings: Any) -> None:
    limits(settings, login_per_ip="2/m")
    attacker = browser("203.0.113.9", "de")
    callback = reverse("identity:callback")
    # Forged answers of the provider: each refused (no login started), each counted.
    send_up_to_the_limit(lambda: attacker.get(callback, {"state": "forged", "code": "guess"}), 2)

    assert_too_many(
        attacker.get(callback, {"state": "forged", "code": "guess"}), language="de", window=MINUTE
    )
    assert attacker.get(reverse("identity:login")).status_code == 302  # the start has its own count
    assert browser("198.51.100.21").get(callback, {"state": "forged"}).status_code == 400


def test_behind_our_proxy_the_address_it_saw_is_counted_not_what_the_client_wrote(
    oidc_provider: Any, settings: Any
) -> None:
    limits(settings, login_per_ip="2/m")
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def via_proxy(client_address: str, forged: str = "") -> Client:
        chain = f"{forged}, {client_address}" if forged else client_address
        return browser(proxy, HTTP_X_FORWARDED_FOR=chain)

    send_up_to_the_limit(lambda: via_proxy("203.0.113.50").get(reverse("identity:login")), 2)

    assert via_proxy("203.0.113.50").get(reverse("identity:login")).status_code == 429
    # A client cannot escape its count by writing another address in front of the proxy's.
    assert via_proxy("203.0.113.50", forged="192.0.2.1").get(reverse("identity:login")).status_code == 429
    assert via_proxy("203.0.113.51").get(reverse("identity:login")).status_code == 302
