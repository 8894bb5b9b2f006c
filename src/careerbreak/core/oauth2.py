"""OAuth 2.0 client authentication for httpx, from Authlib's framework-neutral client auth (ADR 0010).

Authlib's own httpx integration is deprecated in favour of the ``httpx2`` fork; this adapter keeps the
project on httpx while Authlib encodes the credentials (RFC 6749 §2.3.1 client_secret_basic and
client_secret_post, RFC 7523 private_key_jwt).
"""

from __future__ import annotations

import base64
from collections.abc import Generator
from typing import Any
from urllib.parse import quote

import httpx
from authlib.oauth2.auth import ClientAuth as _AuthlibClientAuth


def _client_secret_basic(
    client: _AuthlibClientAuth, method: str, uri: str, headers: dict[str, str], body: str
) -> tuple[str, dict[str, str], str]:
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined and base64-encoded (Authlib
    # joins them raw, which breaks a secret with ":" or "%" in it).
    raw = f"{quote(client.client_id, safe='')}:{quote(client.client_secret or '', safe='')}"
    headers["Authorization"] = "Basic " + base64.b64encode(raw.encode()).decode("ascii")
    return uri, headers, body


class ClientAuth(httpx.Auth):
    """Authenticates a request to a token endpoint as this client, by ``method``.

    ``method`` is an Authlib method name (client_secret_basic, client_secret_post) or an Authlib
    callable such as ``PrivateKeyJWT(token_endpoint)`` (then ``secret`` is the private key).
    """

    requires_request_body = True

    def __init__(self, client_id: str, secret: Any, method: Any = "client_secret_basic") -> None:
        self._auth = _AuthlibClientAuth(
            client_id, secret, _client_secret_basic if method == "client_secret_basic" else method
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        headers = {name: value for name, value in request.headers.items() if name.lower() != "content-length"}
        url, headers, body = self._auth.prepare(
            request.method, str(request.url), headers, request.content.decode("ascii")
        )
        yield httpx.Request(request.method, url, headers=headers, content=body.encode("ascii"))
