"""Who calls the API: the bearer token's client, its scopes, and for which employer it may act.

``ApiCaller.acting_for`` applies the same rule as the web (``identity.access``): the client's enterprise
is the employer itself, or a social secretariat holding that employer's mandate on that day.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from careerbreak.core.audit import client_ip
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_acting import acting_for_client
from careerbreak.identity.api_tokens import token_lookup
from careerbreak.identity.models import ApiClient


@dataclass(frozen=True)
class ApiCaller:
    client: ApiClient
    scopes: frozenset[str]
    ip_address: str | None = None

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise HttpError(403, f"This call needs the scope {scope}.")

    def acting_for(self, enterprise_number: str) -> Acting | None:
        """The acting context for a call for ``enterprise_number``, or None if the client may not act
        for it today (another enterprise, no mandate, an ended mandate)."""
        return acting_for_client(
            client=self.client, enterprise_number=enterprise_number, ip_address=self.ip_address
        )


class ClientToken(HttpBearer):
    """``Authorization: Bearer <token>`` from the token endpoint; ``request.auth`` is an ApiCaller."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        row = token_lookup(token)
        if row is None:
            return None
        return ApiCaller(client=row.client, scopes=frozenset(row.scopes), ip_address=client_ip(request))
