"""The provider's client registry: the one relying party configured in settings."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    def check_secret(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret.encode(), secret.encode())

    def allows_redirect_uri(self, uri: str) -> bool:
        # Exact string match, as OpenID Connect Core §3.1.2.1 requires: no prefix or pattern matching.
        return uri in self.redirect_uris


def registered_clients() -> dict[str, Client]:
    client = Client(
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        redirect_uris=tuple(settings.DEVIDP_REDIRECT_URIS),
    )
    return {client.client_id: client}


def get_client(client_id: str) -> Client | None:
    return registered_clients().get(client_id)
