"""How a message leaves: one interface, three transports.

``Transport.send(message, attachment)`` returns the identifier the receiving side gave the message, or
raises ``TransientError`` (try again later) or ``PermanentError`` (trying again cannot help). Transports
are called outside any transaction of ours, after the outbox row was claimed, and may be called twice
for the same message: each one makes the second call harmless (the local eBox by a unique column, the
eBox REST API by the Idempotency-Key, e-mail by a stable Message-ID).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.parameters import prepare_token_request
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.module_loading import import_string

from careerbreak.core.oauth2 import ClientAuth
from careerbreak.mailbox.models import LANGUAGES, Channel, EboxMessage, OutboxMessage

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A delivery did not happen. The message is what administrators see as the last error."""


class TransientError(DeliveryError):
    """The other side is down, slow or overloaded: try again later."""


class PermanentError(DeliveryError):
    """The other side refused the message: trying again will not help."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class Transport(Protocol):
    def send(self, message: OutboxMessage, attachment: Attachment | None) -> str:
        """Deliver the message; return the receiving side's identifier for it."""
        ...


class LocalEboxTransport:
    """The eBox inside this application: a row per message, read by the worker under "Mon eBox"."""

    def send(self, message: OutboxMessage, attachment: Attachment | None) -> str:
        fields: dict[str, Any] = {
            "recipient_niss": message.recipient_niss,
            "language": message.language,
            "subject": message.subject[:300],
            "body": message.body,
            "subjects": message.subjects,
            "bodies": message.bodies,
            "kind": message.kind,
            "reference": message.reference,
            "version": message.version,
        }
        if attachment is not None:
            fields.update(
                attachment_name=attachment.filename,
                attachment_content_type=attachment.content_type,
                attachment_data=attachment.content,
                attachment_size=len(attachment.content),
                sha256=attachment.sha256,
            )
        with transaction.atomic():
            # The unique outbox_message_id makes a second delivery find the first row.
            ebox, _created = EboxMessage.objects.get_or_create(outbox_message_id=message.id, defaults=fields)
        return str(ebox.id)


class EboxRestTransport:
    """A client of the eBox publication API (domain research §9): ``POST {api}/publishMessage``.

    OAuth2 client credentials on Authlib (ADR 0010): the token request, the client authentication
    (client_secret_basic by default, client_secret_post on request) and the token's expiry are
    Authlib's. The token is kept until shortly before it expires, and refreshed once when the API
    answers 401. One instance per process (see ``get_transport``) so that the token and
    the HTTP connections are shared by all deliveries; it is thread-safe.
    """

    # Refresh this long before the announced expiry, so a token does not expire in flight.
    TOKEN_EXPIRY_MARGIN = 30.0

    def __init__(
        self,
        *,
        api_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str = "",
        timeout: float = 10.0,
        sender_organization_id: str = "",
        sender_application_id: str = "",
        message_type_id: str = "",
        token_auth_method: str = "client_secret_basic",  # noqa: S107 (a method name, not a secret)
    ) -> None:
        if not api_url or not token_url:
            raise PermanentError("EBOX_API_URL and EBOX_TOKEN_URL must be set to use the eBox REST API.")
        self.api_url = api_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.sender_organization_id = sender_organization_id
        self.sender_application_id = sender_application_id
        self.message_type_id = message_type_id
        self._client_auth = ClientAuth(client_id, client_secret, token_auth_method)
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))
        self._lock = threading.Lock()
        self._token: OAuth2Token | None = None

    @classmethod
    def from_settings(cls) -> EboxRestTransport:
        return cls(
            api_url=settings.EBOX_API_URL,
            token_url=settings.EBOX_TOKEN_URL,
            client_id=settings.EBOX_CLIENT_ID,
            client_secret=settings.EBOX_CLIENT_SECRET,
            scope=settings.EBOX_SCOPE,
            timeout=float(settings.EBOX_TIMEOUT),
            sender_organization_id=settings.EBOX_SENDER_ORGANIZATION_ID,
            sender_application_id=settings.EBOX_SENDER_APPLICATION_ID,
            message_type_id=settings.EBOX_MESSAGE_TYPE_ID,
        )

    def close(self) -> None:
        self._client.close()

    # -- token ---------------------------------------------------------------------------------------

    def _access_token(self) -> str:
        with self._lock:
            if self._token is None or self._token.is_expired(leeway=self.TOKEN_EXPIRY_MARGIN) is not False:
                self._token = self._fetch_token()
            return str(self._token["access_token"])

    def _forget_token(self, token: str) -> None:
        with self._lock:
            # Another thread may already have replaced it.
            if self._token is not None and self._token.get("access_token") == token:
                self._token = None

    def _fetch_token(self) -> OAuth2Token:
        body = prepare_token_request("client_credentials", **({"scope": self.scope} if self.scope else {}))
        try:
            response = self._client.post(
                self.token_url,
                content=body.encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                auth=self._client_auth,
            )
        except httpx.HTTPError as exc:
            raise TransientError(f"eBox token endpoint unreachable: {exc!r}") from exc
        if response.status_code != 200:
            # A refused client is a configuration problem of ours: keep the messages and retry, so
            # that nothing is lost once the credentials are fixed.
            raise TransientError(
                f"eBox token endpoint answered {response.status_code}: {response.text[:300]}"
            )
        try:
            payload = response.json()
            if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
                raise KeyError("access_token")
            # Without an announced lifetime, five minutes (then the 401 refresh covers an early end).
            return OAuth2Token({"expires_in": 300, **payload})
        except (ValueError, KeyError, TypeError) as exc:
            raise TransientError(f"eBox token endpoint answered without a token: {exc!r}") from exc

    # -- publication ---------------------------------------------------------------------------------

    def message_to_publish(self, message: OutboxMessage, attachment: Attachment | None) -> dict[str, Any]:
        """The JSON part ``messageToPublish`` of the multipart request."""
        payload: dict[str, Any] = {
            "recipient": {"eboxType": "citizen", "eboxIdValue": message.recipient_niss},
            "subject": {lang: message.subjects[lang] for lang in LANGUAGES if message.subjects.get(lang)},
            "bodyMainContent": {lang: message.bodies[lang] for lang in LANGUAGES if message.bodies.get(lang)},
            "messageTypeId": self.message_type_id,
            "senderOrganizationId": self.sender_organization_id,
            "senderApplicationId": self.sender_application_id,
            "replyAuthorized": False,
            "attachments": [],
            "businessData": [
                {"key": "kind", "value": message.kind},
                {"key": "reference", "value": message.reference},
                {"key": "version", "value": str(message.version)},
                {"key": "language", "value": message.language},
            ],
        }
        if attachment is not None:
            payload["attachments"] = [
                {"httpPartName": "upfile1", "mainContent": True, "attachmentSigned": False}
            ]
        return payload

    def send(self, message: OutboxMessage, attachment: Attachment | None) -> str:
        files: dict[str, tuple[str | None, bytes, str]] = {
            "messageToPublish": (
                None,
                json.dumps(self.message_to_publish(message, attachment)).encode(),
                "application/json",
            )
        }
        if attachment is not None:
            files["upfile1"] = (attachment.filename, attachment.content, attachment.content_type)

        token = self._access_token()
        response = self._publish(message, files, token)
        if response.status_code == 401:
            self._forget_token(token)
            response = self._publish(message, files, self._access_token())
        return self._outcome(response)

    def _publish(
        self, message: OutboxMessage, files: dict[str, tuple[str | None, bytes, str]], token: str
    ) -> httpx.Response:
        request = self._client.build_request(
            "POST",
            f"{self.api_url}/publishMessage",
            files=files,
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": str(message.id),
                "Accept": "application/json",
            },
        )
        # The multipart body in one piece (it is in memory anyway): one write to the socket rather
        # than one for each part's boundary, headers and content.
        request.read()
        try:
            return self._client.send(request)
        except httpx.TimeoutException as exc:
            raise TransientError(f"eBox did not answer in time: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise TransientError(f"eBox unreachable: {exc!r}") from exc

    @staticmethod
    def _outcome(response: httpx.Response) -> str:
        status = response.status_code
        if 200 <= status < 300 or status == 409:
            # 409: a message with this Idempotency-Key is already there; that is a delivery.
            return _external_id(response)
        detail = f"eBox answered {status}: {response.text[:500]}"
        # 401 after a fresh token, 408 and 429 say "not now" rather than "never".
        if status >= 500 or status in (401, 408, 429):
            raise TransientError(detail)
        raise PermanentError(detail)


def _external_id(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        for key in ("id", "messageId"):
            if payload.get(key):
                return str(payload[key])
    return response.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]


class EmailTransport:
    """E-mail through Django's mail framework (console in development, SMTP in production)."""

    def send(self, message: OutboxMessage, attachment: Attachment | None) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "careerbreak.localhost"
        # Stable across attempts: a mail sent twice is recognisable as one by the receiving side.
        message_id = f"<{message.id}@{domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient_email],
            # The subject and body are in the recipient's language, and the mail says which.
            headers={
                "Message-ID": message_id,
                "X-Careerbreak-Reference": message.reference,
                "Content-Language": message.language,
            },
        )
        if attachment is not None:
            email.attach(attachment.filename, attachment.content, attachment.content_type)
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            error = f"The mail server refused the recipient: {exc.recipients!r}"
            if codes and all(code >= 500 for code in codes):
                raise PermanentError(error) from exc
            raise TransientError(error) from exc
        except smtplib.SMTPResponseException as exc:
            error = f"The mail server answered {exc.smtp_code}: {exc.smtp_error!r}"
            if exc.smtp_code >= 500:
                raise PermanentError(error) from exc
            raise TransientError(error) from exc
        except OSError as exc:
            # Connection refused, timeouts, a server that hung up (SMTPServerDisconnected).
            raise TransientError(f"The mail server is unreachable: {exc!r}") from exc
        return message_id


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` and the hex HMAC-SHA256 of ``timestamp.body`` under the webhook's secret."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class WebhookTransport:
    """``POST`` of the event (the message's body, JSON) to an API client's webhook, signed.

    Headers: ``Webhook-Id`` (the outbox message's id, the same on every attempt: the receiver keeps a
    delivery once), ``Webhook-Timestamp`` (Unix seconds) and ``Webhook-Signature``
    (``webhook_signature``). A 2xx answer is a delivery; 408, 429 and 5xx, or no answer, are tried again
    with the outbox's backoff; another 4xx, or a webhook deleted meanwhile, is permanent.
    """

    def __init__(self) -> None:
        self._targets = import_string(settings.MAILBOX_WEBHOOK_TARGETS)
        timeout = float(settings.WEBHOOK_TIMEOUT)
        # Redirects are not followed: the signature was made for the registered address.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))

    def close(self) -> None:
        self._client.close()

    def send(self, message: OutboxMessage, attachment: Attachment | None) -> str:
        target = self._targets(message.endpoint)
        if target is None:
            raise PermanentError(f"The webhook {message.endpoint} was deleted.")
        body = message.body.encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "careerbreak-webhooks/1",
            "Webhook-Id": str(message.id),
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": webhook_signature(target.secret, timestamp, body),
        }
        try:
            response = self._client.post(target.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise TransientError(f"The webhook is unreachable: {exc!r}") from exc
        status = response.status_code
        if 200 <= status < 300:
            return f"HTTP {status}"
        error = f"The webhook answered {status}: {response.text[:300]}"
        if status in {408, 429} or status >= 500:
            raise TransientError(error)
        raise PermanentError(error)


_transports: dict[str, Transport] = {}
_transports_lock = threading.Lock()


def _build(channel: str) -> Transport:
    if channel == Channel.EMAIL:
        return EmailTransport()
    if channel == Channel.WEBHOOK:
        return WebhookTransport()
    name = settings.MAILBOX_TRANSPORT
    if name == "local":
        return LocalEboxTransport()
    if name == "rest":
        return EboxRestTransport.from_settings()
    transport: Transport = import_string(name)()
    return transport


def get_transport(channel: str) -> Transport:
    """The transport for a channel; one instance per process, rebuilt when the settings change."""
    with _transports_lock:
        if channel not in _transports:
            _transports[channel] = _build(channel)
        return _transports[channel]


def reset_transports() -> None:
    with _transports_lock:
        for transport in _transports.values():
            close = getattr(transport, "close", None)
            if close is not None:
                close()
        _transports.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(("EBOX_", "MAILBOX_", "EMAIL_", "WEBHOOK_")):
        reset_transports()
