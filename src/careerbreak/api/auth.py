"""Who calls the API: the bearer token's client, its scopes, and for which employer it may act.

``ApiCaller.acting_for`` applies the same rule as the web (``identity.access``): the client's enterprise
is the employer itself, or a social secretariat holding that employer's mandate on that day. It is asked
again on every call, so an ended mandate or a revoked client stops the very next call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.types import DictStrAny

from careerbreak.core.audit import client_ip
from careerbreak.core.ratelimit import API_PER_CLIENT, check
from careerbreak.identity.access import EnterpriseAccess, organisation_access_through
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_acting import acting_for_client, acting_of_client
from careerbreak.identity.api_tokens import token_and_mandate
from careerbreak.identity.models import ApiClient
from careerbreak.registries.identifiers import normalize_enterprise_number


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
    # The client's access to the enterprise its body names, read with the token in this request
    # (``token_and_mandate``): (that enterprise's number, ``organisation_access``'s answer).
    read_with_token: tuple[str, EnterpriseAccess | None] | None = field(default=None, compare=False)

    def require(self, scope: str) -> None:
        """Raise ScopeMissing (a 403 problem) unless the token carries ``scope``."""
        if scope not in self.scopes:
            raise ScopeMissing(scope)

    def acting_for(self, enterprise_number: str) -> Acting | None:
        """The acting context for a call for ``enterprise_number``, or None if the client may not act
        for it today (another enterprise, no mandate, an ended mandate)."""
        read = self.read_with_token
        if read is not None and read[0] == enterprise_number:
            acting = acting_of_client(client=self.client, access=read[1], ip_address=self.ip_address)
        else:
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
        employer_number = body_enterprise(request)
        found = token_and_mandate(token, employer_number=employer_number)
        if found is None:
            return None
        row, mandate = found
        request.api_client_id = row.client.client_id  # type: ignore[attr-defined]
        request.api_client = row.client  # type: ignore[attr-defined]
        check(request, API_PER_CLIENT)
        read = None
        if employer_number:
            access = organisation_access_through(
                organisation=row.client.enterprise, enterprise_number=employer_number, mandate=mandate
            )
            read = (employer_number, access)
        return ApiCaller(
            client=row.client,
            scopes=frozenset(row.scopes),
            ip_address=client_ip(request),
            read_with_token=read,
        )


# Where ``body_enterprise`` leaves the body it parsed, with the bytes it parsed: ``ParsedOnce`` hands it to
# the operation instead of parsing it again.
PARSED_BODY = "_careerbreak_parsed_body"


class ParsedOnce(Parser):
    """django-ninja's JSON parser, reusing the body ``body_enterprise`` parsed for the same request (the
    same ``json.loads`` of the same bytes; neither changes it)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        kept = getattr(request, PARSED_BODY, None)
        if kept is not None and kept[0] is request.body:
            return cast(DictStrAny, kept[1])
        return super().parse_body(request)


# A body larger than this is not parsed for its enterprise (a batch's items): its call reads the mandate
# by itself, as before.
BODY_ENTERPRISE_MAX_BYTES = 16 * 1024


def body_enterprise(request: HttpRequest) -> str:
    """The enterprise number the JSON body of a small POST names at its top level (``"enterprise"``),
    normalised, or "" (none, malformed, or not such a body): the token's query reads that enterprise's
    mandate along. The operation validates the body itself, as before."""
    if request.method != "POST" or not (request.content_type or "").startswith("application/json"):
        return ""
    body = request.body
    if len(body) > BODY_ENTERPRISE_MAX_BYTES or b'"enterprise"' not in body:
        return ""
    try:
        parsed = json.loads(body)
    except ValueError:
        return ""
    setattr(request, PARSED_BODY, (body, parsed))
    number = parsed.get("enterprise") if isinstance(parsed, dict) else None
    if not isinstance(number, str):
        return ""
    try:
        return normalize_enterprise_number(number)
    except ValidationError:
        return ""
