"""A webhook receiver on a real socket, as a client would write it: it checks each delivery's signature
with ``verify`` (the code of docs/api.md), keeps each delivery id once, and can be told to fail
its first answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verify(secret: str, headers: Any, body: bytes, tolerance: int = 300) -> bool:
    """True when the delivery was signed with ``secret`` less than ``tolerance`` seconds ago."""
    timestamp = headers.get("Webhook-Timestamp", "")
    signature = headers.get("Webhook-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    candidates = [part.removeprefix("v1=") for part in signature.split() if part.startswith("v1=")]
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


@dataclass
class Receiver:
    url: str
    secret: str = ""
    fail_first: int = 0
    fail_status: int = 503
    attempts: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    # Delivery id -> the event, each kept once.
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: Any, body: bytes) -> int:
        with self.lock:
            delivery = headers.get("Webhook-Id", "")
            self.attempts.append(delivery)
            if not verify(self.secret, headers, body):
                self.bad_signatures += 1
                return 401
            if self.fail_first > 0:
                self.fail_first -= 1
                return self.fail_status
            self.events.setdefault(delivery, json.loads(body))
            return 204


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 (a free port) until the block ends."""
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = state["receiver"].answer(self.headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/careerbreak")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
