"""Who calls the API: the bearer token's client, its scopes, and for which employer it may act.

``ApiCaller.acting_for`` applies the same rule as the web (``identity.access``): the client's enterprise
is the employer itself, or a social secretariat holding that employer's mandate on that day. It is asked
again on every call, so an ended mandate or a revoked client stops the very next call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from careerbreak.core.audit import client_ip
from careerbreak.core.ratelimit import API_PER_CLIENT, check
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_acting import acting_for_client
from careerbreak.identity.api_tokens import token_lookup
from careerbreak.identity.models import ApiClient


class ScopeMissing(HttpError):
    """The token lacks the scope the call needs: 403 (RFC 6750 §3.1 insufficient_scope)."""

    def __init__(self, scope: str) -> None:
        super().__init__(403, _("This call needs the scope %(scope)s.") % {"scope": scope})
        self.scope = scope


class NotForThisEnterprise(HttpError):
    """The client may not act for this enterprise today (another enterprise, no or an ended mandate)."""

    def __init__(self) -> None:
        super().__init__(
            403,
            _(
                "This client may not act for this enterprise today: it is not the client's enterprise "
                "and no mandate of it holds."
            ),
        )


@dataclass(frozen=True)
class ApiCaller:
    client: ApiClient
    scopes: frozenset[str]
    ip_address: str | None = None
    # The enterprises this call acted for (``acting_for`` granted), for the call's audit row
    # (api/middleware.py): the employer a secretariat acts for, not the secretariat.
    acted_for: list[str] = field(default_factory=list, compare=False)

    def require(self, scope: str) -> None:
        """Raise ScopeMissing (a 403 problem) unless the token carries ``scope``."""
        if scope not in self.scopes:
            raise ScopeMissing(scope)

    def acting_for(self, enterprise_number: str) -> Acting | None:
        """The acting context for a call for ``enterprise_number``, or None if the client may not act
        for it today (another enterprise, no mandate, an ended mandate)."""
        acting = acting_for_client(
            client=self.client, enterprise_number=enterprise_number, ip_address=self.ip_address
        )
        if acting is not None and acting.enterprise_number not in self.acted_for:
            self.acted_for.append(acting.enterprise_number)
        return acting

    def acting_for_or_refuse(self, enterprise_number: str) -> Acting:
        """As ``acting_for``, raising NotForThisEnterprise (a 403 problem) instead of answering None."""
        acting = self.acting_for(enterprise_number)
        if acting is None:
            raise NotForThisEnterprise()
        return acting


class ClientToken(HttpBearer):
    """``Authorization: Bearer <token>`` from the token endpoint; ``request.auth`` is an ApiCaller.

    A live token's client is counted against its rate limit (``API_PER_CLIENT``) here, before the
    operation runs: over it, ``RateLimited`` becomes a 429 problem with Retry-After.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        row = token_lookup(token)
        if row is None:
            return None
        request.api_client_id = row.client.client_id  # type: ignore[attr-defined]
        request.api_client = row.client  # type: ignore[attr-defined]
        check(request, API_PER_CLIENT)
        return ApiCaller(client=row.client, scopes=frozenset(row.scopes), ip_address=client_ip(request))
