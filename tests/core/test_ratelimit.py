"""The rate-limit machinery: counting, the refusal and when it lifts, the 429 page, the cache behind it
(Redis in production, the local memory otherwise) and what happens when that cache cannot be reached."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import translation
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from careerbreak.core.ratelimit import (
    LOGIN_START_PER_IP,
    SCOPES,
    RateLimited,
    RateLimitMiddleware,
    _key,
    check,
    client_ip,
    too_many_requests,
)
from config.env import env_cache, env_rate
from tests.devidp.test_production_guard import PRODUCTION_ENV
from tests.rate_limit_fixtures import limits
from tests.subprocesses import ROOT, env_without_settings, run

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def anonymous_request(address: str = "192.0.2.10") -> HttpRequest:
    request = RequestFactory().get("/auth/login/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_every_scope_has_its_rate_in_the_settings(settings: Any) -> None:
    for scope in SCOPES:
        assert scope.setting in settings.RATE_LIMITS
        assert scope.rate == settings.RATE_LIMITS[scope.setting]
    assert len({scope.group for scope in SCOPES}) == len(SCOPES)


def test_the_refusal_lifts_exactly_when_retry_after_says(settings: Any) -> None:
    limits(settings, login_per_ip="2/h")
    with time_machine.travel(NOW, tick=False):
        check(anonymous_request(), LOGIN_START_PER_IP)
        check(anonymous_request(), LOGIN_START_PER_IP)
        with pytest.raises(RateLimited) as refused:
            check(anonymous_request(), LOGIN_START_PER_IP)
    retry_after = refused.value.retry_after
    assert 0 < retry_after <= 3600
    assert refused.value.scope == LOGIN_START_PER_IP

    just_before = NOW + datetime.timedelta(seconds=retry_after - 1)
    with time_machine.travel(just_before, tick=False), pytest.raises(RateLimited):
        check(anonymous_request(), LOGIN_START_PER_IP)
    with time_machine.travel(NOW + datetime.timedelta(seconds=retry_after), tick=False):
        check(anonymous_request(), LOGIN_START_PER_IP)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Réessayez dans 1\xa0440 minutes."),
        ("nl", "Probeer het over 1.440 minuten opnieuw."),
        ("de", "Versuchen Sie es in 1.440 Minuten erneut."),
        ("en", "Try again in 1,440 minutes."),
    ],
)
def test_the_page_says_when_to_try_again_in_minutes_written_the_languages_way(
    language: str, text: str
) -> None:
    with translation.override(language):
        response = too_many_requests(anonymous_request(), 86_400)
    assert response.status_code == 429
    assert response["Retry-After"] == "86400"
    assert text in response.content.decode()


def test_less_than_a_minute_left_is_said_as_one_minute() -> None:
    with translation.override("fr"):
        response = too_many_requests(anonymous_request(), 5)
    assert response["Retry-After"] == "5"
    assert "Réessayez dans 1 minute." in response.content.decode()


def test_a_limit_raised_by_the_library_itself_gets_the_same_page_with_a_default_wait() -> None:
    # The future API may use django-ratelimit's own decorator: its plain exception is answered too.
    middleware = RateLimitMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    with translation.override("en"):
        response = middleware.process_exception(anonymous_request(), Ratelimited())
    assert response is not None and response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Try again in 1 minute." in response.content.decode()
    assert middleware.process_exception(anonymous_request(), ValueError("other")) is None


@pytest.mark.parametrize(
    ("forwarded", "proxies", "address"),
    [
        ("", 0, "10.0.0.2"),  # no proxy of ours: the connection's address
        ("203.0.113.5", 0, "10.0.0.2"),  # a header nobody trusts is ignored
        ("203.0.113.5", 1, "203.0.113.5"),
        ("192.0.2.99, 203.0.113.5", 1, "203.0.113.5"),  # what the client wrote first is not trusted
        ("192.0.2.99, 203.0.113.5, 10.0.0.1", 2, "203.0.113.5"),
        ("not-an-address", 1, "10.0.0.2"),
        ("", 1, "10.0.0.2"),  # fewer entries than proxies: the connection's address
    ],
)
def test_the_client_address_is_the_one_our_outermost_proxy_saw(
    settings: Any, forwarded: str, proxies: int, address: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address


def test_an_ipv6_client_is_counted_by_its_64_block(settings: Any) -> None:
    limits(settings, login_per_ip="2/h")
    with time_machine.travel(NOW, tick=False):
        check(anonymous_request("2001:db8:1:2::10"), LOGIN_START_PER_IP)
        check(anonymous_request("2001:db8:1:2:ffff::99"), LOGIN_START_PER_IP)
        with pytest.raises(RateLimited):
            check(anonymous_request("2001:db8:1:2::abcd"), LOGIN_START_PER_IP)
        check(anonymous_request("2001:db8:1:3::10"), LOGIN_START_PER_IP)  # another /64


def test_while_the_cache_cannot_be_reached_requests_pass_and_the_failure_is_logged(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }
    limits(settings, login_per_ip="1/h")
    for _ in range(3):
        check(anonymous_request(), LOGIN_START_PER_IP)
    assert "cache cannot be reached" in caplog.text


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure: no Redis to test against here
        pytest.skip(f"no Redis at {url} (set TEST_REDIS_URL)")
    return url


@pytest.fixture
def redis_keys(settings: Any) -> Iterator[tuple[Any, str]]:
    """Django's RedisCache as the default cache, its keys under a prefix of this test's (deleted after):
    a connection to that Redis and the prefix."""
    import redis

    url = redis_url()
    prefix = f"careerbreak-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    connection = redis.Redis.from_url(url)
    try:
        yield connection, prefix
    finally:
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)
        connection.close()
        caches["default"].close()


def test_on_redis_concurrent_clients_share_one_count_and_never_let_more_through(
    settings: Any, redis_keys: tuple[Any, str]
) -> None:
    """Django's own RedisCache, which django-ratelimit 4.1 does not list: its INCR is atomic, so threads
    with their own connections (as separate web processes would be) let exactly the limit through."""
    limits(settings, login_per_ip="50/h")
    allowed: list[int] = []
    refused: list[int] = []

    def client(number: int) -> None:
        for _ in range(5):
            try:
                check(anonymous_request("198.51.100.77"), LOGIN_START_PER_IP)
            except RateLimited:
                refused.append(number)
            else:
                allowed.append(number)
        caches["default"].close()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert (len(allowed), len(refused)) == (50, 50)


def test_on_redis_a_count_is_one_round_trip_on_django_ratelimit_s_own_key(
    settings: Any, monkeypatch: pytest.MonkeyPatch, redis_keys: tuple[Any, str]
) -> None:
    """SET NX and INCR in one MULTI/EXEC (not add's SET NX, then incr's EXISTS and INCR): the same count
    django-ratelimit reads on its own key, the window's expiry set."""
    from redis.connection import AbstractConnection

    connection, prefix = redis_keys
    limits(settings, login_per_ip="2/h")
    sent: list[object] = []
    send = AbstractConnection.send_packed_command

    def counted(self: AbstractConnection, command: object, check_health: bool = True) -> None:
        sent.append(command)
        send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    with time_machine.travel(NOW, tick=False):
        check(anonymous_request("198.51.100.8"), LOGIN_START_PER_IP)  # the first also connects
        sent.clear()
        check(anonymous_request("198.51.100.8"), LOGIN_START_PER_IP)
        assert len(sent) == 1
        with pytest.raises(RateLimited):
            check(anonymous_request("198.51.100.8"), LOGIN_START_PER_IP)
        usage = get_usage(
            anonymous_request("198.51.100.8"),
            group=LOGIN_START_PER_IP.group,
            key=_key(LOGIN_START_PER_IP),
            rate="2/h",
            increment=False,
        )
    assert usage is not None
    assert (usage["count"], usage["should_limit"]) == (3, True)
    [key] = connection.keys(f"{prefix}:*")
    assert 0 < connection.ttl(key) <= 3600 + 5


def test_the_rate_and_cache_settings_are_checked_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE", "120/10m")
    assert env_rate("RATE", "1/h") == "120/10m"
    for wrong in ("sixty", "60", "0/h", "60/w", "60 per hour"):
        monkeypatch.setenv("RATE", wrong)
        with pytest.raises(ImproperlyConfigured, match="RATE"):
            env_rate("RATE", "1/h")

    monkeypatch.setenv("CACHE", "rediss://user:s3cret@cache.internal:6380/2")
    assert env_cache("CACHE") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "rediss://user:s3cret@cache.internal:6380/2",
    }
    monkeypatch.setenv("CACHE", "locmem://here")
    assert env_cache("CACHE")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("CACHE", "memcached://user:s3cret@cache.internal")
    with pytest.raises(ImproperlyConfigured) as wrong_scheme:
        env_cache("CACHE")
    assert "memcached" in str(wrong_scheme.value) and "s3cret" not in str(wrong_scheme.value)


def test_outside_production_the_local_memory_passes_the_checks() -> None:
    # The library's E003 (not shared) is silenced only outside production: see the next test.
    reported = [m for m in run_checks() if not m.is_silenced()]
    assert [m for m in reported if m.id and m.id.startswith("django_ratelimit")] == []


def manage_check(**extra: str) -> subprocess.CompletedProcess[str]:
    env = env_without_settings()
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings")
    env.update(extra)
    env = {key: value for key, value in env.items() if value}
    return run([sys.executable, str(ROOT / "manage.py"), "check"], env)


def test_in_production_the_cache_must_be_given_and_shared() -> None:
    missing = manage_check(CACHE_URL="")
    assert missing.returncode != 0 and "CACHE_URL (or CACHE_URL_FILE) must be set" in missing.stderr

    local = manage_check(CACHE_URL="locmem://")
    assert local.returncode != 0
    assert "django_ratelimit.E003" in local.stderr and "is not a shared cache" in local.stderr

    shared = manage_check(CACHE_URL="redis://127.0.0.1:6379/0")
    assert shared.returncode == 0, shared.stderr
    assert "django_ratelimit" not in shared.stdout + shared.stderr
