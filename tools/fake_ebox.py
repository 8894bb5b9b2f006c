"""A fake eBox publication API for tests and benchmarks, on the standard library only.

It speaks what ``EboxRestTransport`` speaks (domain research §9): an OAuth2 client-credentials token
endpoint and ``POST …/publishMessage`` (multipart: a JSON part ``messageToPublish`` and the files it
names), with a bearer token and an ``Idempotency-Key`` header. Messages are kept in memory, one per key;
a key seen before is answered 409 with the first message's id. Failures are injected on demand: the next
N publications answered 503 (or any status), the next N answered only after a pause (the client times
out), every token expired (the next publication gets 401).

In tests::

    with FakeEbox() as ebox:           # port 0: a free port; serves in a thread
        settings.EBOX_API_URL = ebox.api_url
        settings.EBOX_TOKEN_URL = ebox.token_url
        ebox.fail_next(3)               # three 503s
        ...
        assert ebox.stats()["unique"] == 1

As a process (for the benchmark)::

    python -m tools.fake_ebox --port 8090   # from the repository root

Counting and control over HTTP: ``GET /_stats`` (received, unique, duplicates, …), ``GET /_messages``,
``POST /_control`` with JSON ``{"fail_next": 3, "status": 503, "delay_next": 1, "delay_seconds": 5,
"expire_tokens": true, "reset": true}``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import email.parser
import email.policy
import json
import re
import secrets
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

DEFAULT_CLIENT_ID = "careerbreak"
DEFAULT_CLIENT_SECRET = "fake-ebox-secret"
API_PREFIX = "/ebox/citizen/v2"
ALLOWED_MEDIA_TYPES = {
    "application/pdf",
    "application/zip",
    "text/csv",
    "text/html",
    "text/plain",
    "application/xml",
    "text/xml",
}
NISS = re.compile(r"^[0-9]{11}$")


@dataclass
class StoredMessage:
    id: str
    idempotency_key: str
    recipient: str
    subject: dict[str, str]
    message: dict[str, Any]
    attachments: list[dict[str, Any]]
    received_at: float

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "idempotencyKey": self.idempotency_key,
            "recipient": self.recipient,
            "subject": self.subject,
            "attachments": [{k: v for k, v in a.items() if k != "content"} for a in self.attachments],
            "receivedAt": self.received_at,
        }


@dataclass
class FakeEboxState:
    """Everything the server knows; every access under ``lock``."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    token_ttl: float = 3600.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    tokens: dict[str, float] = field(default_factory=dict)
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, by: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + by

    def reset(self) -> None:
        with self.lock:
            self.tokens.clear()
            self.messages.clear()
            self.failures.clear()
            self.delays.clear()
            self.counters.clear()

    def stats(self) -> dict[str, int]:
        with self.lock:
            c = self.counters
            return {
                # Publications that reached the mailbox (authorised, not failed on purpose).
                "received": c.get("received", 0),
                "unique": len(self.messages),
                "duplicates": c.get("duplicates", 0),
                # Every publication request, including those answered 401, 400 or an injected failure.
                "requests": c.get("requests", 0),
                "injected_failures": c.get("injected_failures", 0),
                "unauthorized": c.get("unauthorized", 0),
                "rejected": c.get("rejected", 0),
                "tokens_issued": c.get("tokens_issued", 0),
            }


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Answer at once: with Nagle's algorithm a keep-alive reply waited ~40 ms for the client's ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def state(self) -> FakeEboxState:
        return self.server.state

    # -- plumbing ------------------------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, payload: Any = None, headers: dict[str, str] | None = None) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (an injected delay): what a real server sees too.
            self.close_connection = True

    def _error(self, status: int, code: str, message: str) -> None:
        self._reply(status, {"code": code, "message": message})

    # -- routes --------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self.path == "/_stats":
            self._reply(200, self.state.stats())
        elif self.path == "/_messages":
            with self.state.lock:
                listed = [m.summary() for m in self.state.messages.values()]
            self._reply(200, listed)
        elif self.path == "/_health":
            self._reply(200, {"status": "ok"})
        else:
            self._error(404, "not_found", f"No such resource: {self.path}")

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/token":
            self._token(body)
        elif self.path.endswith("/publishMessage"):
            self._publish(body)
        elif self.path == "/_control":
            self._control(body)
        else:
            self._error(404, "not_found", f"No such resource: {self.path}")

    def _token(self, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode("latin-1")).items()}
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                client_id = client_secret = ""
        if form.get("grant_type") != "client_credentials":
            self._error(400, "unsupported_grant_type", "Only client_credentials is supported.")
            return
        state = self.state
        if not (
            secrets.compare_digest(client_id, state.client_id)
            and secrets.compare_digest(client_secret, state.client_secret)
        ):
            self._reply(401, {"error": "invalid_client"})
            return
        token = secrets.token_urlsafe(24)
        with state.lock:
            state.tokens[token] = time.time() + state.token_ttl
            state.count("tokens_issued")
        self._reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": int(state.token_ttl)})

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self.state.lock:
            expires = self.state.tokens.get(token)
        return expires is not None and expires > time.time()

    def _publish(self, body: bytes) -> None:
        state = self.state
        with state.lock:
            state.count("requests")
            failure = state.failures.pop(0) if state.failures else None
            delay = state.delays.pop(0) if state.delays else None
            if failure is not None:
                state.count("injected_failures")
        if failure is not None:
            self._error(failure, "injected", f"Failure injected on purpose ({failure}).")
            return
        if delay:
            state.stopping.wait(delay)
        if not self._authorised():
            with state.lock:
                state.count("unauthorized")
            self._reply(401, {"code": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return
        key = self.headers.get("Idempotency-Key", "")
        if not key:
            self._reject("missing_idempotency_key", "The Idempotency-Key header is required.")
            return
        try:
            message, attachments = self._parse_publication(body)
        except ValueError as exc:
            self._reject("invalid_message", str(exc))
            return
        with state.lock:
            state.count("received")
            existing = state.messages.get(key)
            if existing is None:
                stored = StoredMessage(
                    id=str(uuid.uuid4()),
                    idempotency_key=key,
                    recipient=message["recipient"]["eboxIdValue"],
                    subject=message["subject"],
                    message=message,
                    attachments=attachments,
                    received_at=time.time(),
                )
                state.messages[key] = stored
            else:
                state.count("duplicates")
        if existing is not None:
            self._reply(409, {"code": "duplicate", "id": existing.id, "message": "Already published."})
        else:
            self._reply(201, {"id": stored.id}, {"Location": f"{API_PREFIX}/ebox/messages/{stored.id}"})

    def _reject(self, code: str, message: str) -> None:
        with self.state.lock:
            self.state.count("rejected")
        self._error(400, code, message)

    def _parse_publication(self, body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            raise ValueError("Expected multipart/form-data.")
        raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
        parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        parts: dict[str, Any] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                parts[name] = part
        if "messageToPublish" not in parts:
            raise ValueError("The part messageToPublish is missing.")
        try:
            message = json.loads(parts["messageToPublish"].get_payload(decode=True))
        except ValueError as exc:
            raise ValueError(f"messageToPublish is not JSON: {exc}") from exc
        recipient = message.get("recipient") or {}
        if not NISS.match(str(recipient.get("eboxIdValue", ""))):
            raise ValueError("recipient.eboxIdValue must be a national number of 11 digits.")
        subject = message.get("subject")
        if not isinstance(subject, dict) or not any(subject.values()):
            raise ValueError("subject must give the subject in at least one language.")
        attachments = []
        for declared in message.get("attachments") or []:
            part_name = declared.get("httpPartName", "")
            file_part = parts.get(part_name)
            if file_part is None:
                raise ValueError(f"The attachment part {part_name!r} is missing.")
            media_type = file_part.get_content_type()
            if media_type not in ALLOWED_MEDIA_TYPES:
                raise ValueError(f"The media type {media_type} is not accepted.")
            content = file_part.get_payload(decode=True) or b""
            attachments.append(
                {
                    "httpPartName": part_name,
                    "filename": file_part.get_filename() or "",
                    "mediaType": media_type,
                    "size": len(content),
                    "content": content,
                }
            )
        return message, attachments

    def _control(self, body: bytes) -> None:
        try:
            command = json.loads(body or b"{}")
        except ValueError:
            self._error(400, "invalid_json", "Send a JSON object.")
            return
        server = self.server.owner
        if command.get("reset"):
            server.reset()
        if command.get("expire_tokens"):
            server.expire_tokens()
        if command.get("fail_next"):
            server.fail_next(int(command["fail_next"]), status=int(command.get("status", 503)))
        if command.get("delay_next"):
            server.delay_next(int(command["delay_next"]), seconds=float(command.get("delay_seconds", 5)))
        self._reply(200, self.state.stats())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: FakeEboxState, owner: FakeEbox, verbose: bool):
        super().__init__(address, _Handler)
        self.state = state
        self.owner = owner
        self.verbose = verbose


class FakeEbox:
    """The fake server; a context manager that serves in a background thread."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        token_ttl: float = 3600.0,
        verbose: bool = False,
    ) -> None:
        self.state = FakeEboxState(client_id=client_id, client_secret=client_secret, token_ttl=token_ttl)
        self._server = _Server((host, port), self.state, self, verbose)
        self._thread: threading.Thread | None = None

    # -- addresses -----------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}{API_PREFIX}"

    @property
    def client_id(self) -> str:
        return self.state.client_id

    @property
    def client_secret(self) -> str:
        return self.state.client_secret

    # -- control -------------------------------------------------------------------------------------

    def fail_next(self, count: int, *, status: int = 503) -> None:
        """Answer the next ``count`` publications with ``status`` without looking at them."""
        with self.state.lock:
            self.state.failures.extend([status] * count)

    def delay_next(self, count: int, *, seconds: float) -> None:
        """Hold the next ``count`` publications ``seconds`` before handling them (normally) anyway."""
        with self.state.lock:
            self.state.delays.extend([seconds] * count)

    def expire_tokens(self) -> None:
        """Every token issued so far is refused from now on (401)."""
        with self.state.lock:
            self.state.tokens.clear()

    def reset(self) -> None:
        self.state.reset()

    def stats(self) -> dict[str, int]:
        return self.state.stats()

    @property
    def messages(self) -> list[StoredMessage]:
        with self.state.lock:
            return list(self.state.messages.values())

    # -- running -------------------------------------------------------------------------------------

    def start(self) -> FakeEbox:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-ebox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self.state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeEbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake eBox publication API (tests and benchmarks).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    parser.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime in seconds")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    ebox = FakeEbox(
        host=args.host,
        port=args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_ttl=args.token_ttl,
        verbose=args.verbose,
    )

    def stop(signum: int, frame: Any) -> None:
        # shutdown() waits for serve_forever, which runs in this thread: ask from another one.
        threading.Thread(target=ebox.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Fake eBox on {ebox.base_url}", flush=True)
    print(f"  EBOX_TOKEN_URL={ebox.token_url}", flush=True)
    print(f"  EBOX_API_URL={ebox.api_url}", flush=True)
    print(f"  EBOX_CLIENT_ID={ebox.client_id} EBOX_CLIENT_SECRET={ebox.client_secret}", flush=True)
    print("  GET /_stats, GET /_messages, POST /_control", flush=True)
    ebox.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
