"""Rate limits: the named scopes, the one call that counts a request, and the one 429 page.

Every limit is a scope: a counter (its group), the setting that gives its rate (settings.RATE_LIMITS) and
what it counts per (a user, the enterprise acted for, a client address). A view applies scopes with the
``rate_limit`` decorator placed under its access guard, so that a refused visitor is never counted; any
other code (the future API) calls ``check``. A request over a limit raises ``RateLimited`` before the view
runs, so nothing is half-saved; ``RateLimitMiddleware`` answers it with 429, ``Retry-After`` and a page in
the user's language. The counters are django-ratelimit's, in the cache (docs/adr/0009-rate-limits.md).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import ngettext
from django_ratelimit import ALL
from django_ratelimit.core import EXPIRATION_FUDGE, _get_window, _make_cache_key, _split_rate, get_usage
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Per = Literal["user", "enterprise", "ip", "client"]


@dataclass(frozen=True)
class Scope:
    group: str  # the counter: every view applying the same scope shares one count
    setting: str  # the key of its rate in settings.RATE_LIMITS
    per: Per

    @property
    def rate(self) -> str:
        return str(settings.RATE_LIMITS[self.setting])


# Look-ups of a national number in a registry: per user and per enterprise acted for.
NISS_LOOKUP_PER_USER = Scope("niss_lookup.user", "niss_lookup_per_user", "user")
NISS_LOOKUP_PER_ENTERPRISE = Scope("niss_lookup.enterprise", "niss_lookup_per_enterprise", "enterprise")
NISS_LOOKUP = (NISS_LOOKUP_PER_USER, NISS_LOOKUP_PER_ENTERPRISE)
# Searches (Consultation, the enterprise choice, step 4 and its Dimona list, the no-access page).
SEARCH_PER_USER = Scope("search.user", "search_per_user", "user")
# The login's two legs, per client address: nobody is known yet.
LOGIN_START_PER_IP = Scope("login_start.ip", "login_per_ip", "ip")
LOGIN_CALLBACK_PER_IP = Scope("login_callback.ip", "login_per_ip", "ip")
# Written notices: a worker sending one, an employer answering one.
NOTICE_SEND_PER_USER = Scope("notice_send.user", "notice_per_user", "user")
NOTICE_ANSWER_PER_USER = Scope("notice_answer.user", "notice_per_user", "user")
# The API: each client's calls (the bearer's client), and token requests per client address.
API_PER_CLIENT = Scope("api.client", "api_per_client", "client")
API_TOKEN_PER_IP = Scope("api_token.ip", "api_token_per_ip", "ip")
# The public verification page of issued documents: codes looked up and files checked, per address.
VERIFICATION_PER_IP = Scope("verification.ip", "verification_per_ip", "ip")

SCOPES = (
    NISS_LOOKUP_PER_USER,
    NISS_LOOKUP_PER_ENTERPRISE,
    SEARCH_PER_USER,
    LOGIN_START_PER_IP,
    LOGIN_CALLBACK_PER_IP,
    NOTICE_SEND_PER_USER,
    NOTICE_ANSWER_PER_USER,
    API_PER_CLIENT,
    API_TOKEN_PER_IP,
    VERIFICATION_PER_IP,
)

# What a plain django_ratelimit.Ratelimited (raised without our scopes) tells the client to wait.
DEFAULT_RETRY_AFTER = 60


class RateLimited(Ratelimited):
    """A limit is reached; ``retry_after`` seconds until the window of the scope that refused ends."""

    def __init__(self, scope: Scope, retry_after: int) -> None:
        super().__init__(f"rate limit {scope.group} reached")
        self.scope = scope
        self.retry_after = retry_after


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies of ours, the address the
    outermost of them saw (X-Forwarded-For's entry that many places from the right; what a client writes
    further left is not trusted)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _address(request: HttpRequest) -> str:
    """The client's address as counted: an IPv6 client by its /64, which one subscriber usually holds all
    of (as django-ratelimit's own "ip" key does)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def _key(scope: Scope) -> Callable[[str, HttpRequest], str]:
    def key(group: str, request: HttpRequest) -> str:
        if scope.per == "client":
            # An API client, named by the interface that authenticated it (``request.api_client_id``).
            client_id = getattr(request, "api_client_id", "")
            if client_id:
                return f"client:{client_id}"
        if scope.per == "enterprise":
            access = getattr(request, "enterprise_access", None)
            if access is not None:
                return f"enterprise:{access.enterprise.number}"
        if scope.per in {"user", "enterprise"} and request.user.is_authenticated:
            # A view without an enterprise counts per user: never one shared bucket for everybody.
            return f"user:{request.user.pk}"
        return f"ip:{_address(request)}"

    return key


def _usage(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """This request counted in ``scope``: django-ratelimit's ``get_usage(…, increment=True)``.

    On Django's RedisCache in one round trip instead of three (``add``'s SET NX, then ``incr``'s EXISTS and
    INCR): SET NX with the window's expiry and INCR in one MULTI/EXEC, on django-ratelimit's own key. The
    same count (1 for a new window, one more otherwise), the same expiry (set when the window's key is
    made), the same key (django-ratelimit or ``cache.get`` read it as before)."""
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not isinstance(cache, RedisCache) or not getattr(settings, "RATELIMIT_ENABLE", True):
        return get_usage(request, group=scope.group, key=_key(scope), rate=scope.rate, increment=True)
    limit, period = _split_rate(scope.rate)
    value = _key(scope)(scope.group, request)
    window = _get_window(value, period)
    key = cache.make_and_validate_key(_make_cache_key(scope.group, window, scope.rate, value, ALL))
    client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
    with client.pipeline(transaction=True) as pipeline:
        pipeline.set(key, 0, ex=period + EXPIRATION_FUDGE, nx=True)
        pipeline.incr(key)
        _made, count = pipeline.execute()
    return {
        "count": count,
        "limit": limit,
        "should_limit": count > limit,
        "time_left": window - int(time.time()),
    }


def check(request: HttpRequest, *scopes: Scope) -> None:
    """Count this request in each scope; raise RateLimited if any of them is over its limit.

    Every scope is counted even when an earlier one refuses, so each count stays true. While the cache
    cannot be reached the request passes (and the failure is logged): the limits lapse, the service stays.
    """
    refused: tuple[Scope, int] | None = None
    for scope in scopes:
        try:
            usage = _usage(request, scope)
        except (RedisError, OSError):
            logger.exception("rate limit %s not counted: the cache cannot be reached", scope.group)
            continue
        if usage is None or not usage["should_limit"]:
            continue
        # The window's last second still belongs to it: the count starts again one second later.
        wait = max(1, int(usage["time_left"]) + 1)
        if refused is None or wait > refused[1]:
            refused = (scope, wait)
    if refused is not None:
        raise RateLimited(*refused)


View = Callable[..., HttpResponse]


def rate_limit(
    *scopes: Scope,
    methods: Collection[str] | None = None,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[View], View]:
    """Count the view's requests (only these methods, only when ``when`` says so) in these scopes.

    Place it under the view's access guard: the guard refuses first and a refused visitor is not counted.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (methods is None or request.method in methods) and (when is None or when(request)):
                check(request, *scopes)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with the page that says when to try again, in whole minutes, and Retry-After in seconds."""
    minutes = max(1, math.ceil(retry_after / 60))
    when = ngettext(
        "Try again in %(minutes)s minute.",
        "Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": formats.number_format(minutes, force_grouping=True)}
    response = render(request, "429.html", {"try_again": when, "minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


class RateLimitMiddleware:
    """Turns a limit reached in any view into the 429 page, instead of the 403 Django would make of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Ratelimited):
            return None
        if isinstance(exception, RateLimited):
            retry_after, group = exception.retry_after, exception.scope.group
        else:
            retry_after, group = DEFAULT_RETRY_AFTER, "django_ratelimit"
        logger.warning(
            "rate limit %s reached: %s %s by user %s",
            group,
            request.method,
            request.path,
            getattr(request.user, "pk", None) if hasattr(request, "user") else None,
        )
        return too_many_requests(request, retry_after)
