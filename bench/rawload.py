"""A light HTTP/1.1 load generator for throughput: asyncio streams, requests encoded before the clock runs.

bench/loadgen.py (asyncio + httpx) costs its process about 3 ms of CPU per request on this machine; at
a few hundred requests per second on two cores shared with the server, a throughput figure then measures
the generator as much as the server (docs/adr/0035-rawload-light-load-generator.md). This one does the
least a keep-alive client must:

- N connections to 127.0.0.1 only, each sending requests that were encoded once, before the timed loop
  (request line, Host, Content-Length, the caller's headers, the body), connection i taking the
  requests i, i + N, i + 2N, … in turn;
- it reads the status line, the headers and a body of the announced Content-Length; a chunked answer
  or one without a length raises ``ProtocolError`` (nothing this project's server sends to these
  calls); an answer with ``Connection: close``, or a connection the server closed while idle, is
  followed by a new connection, whose opening is counted in the next request's time (as httpx does).
  The production configuration's gunicorn (deploy/gunicorn.conf.py: sync workers, one thread) answers
  every request with ``Connection: close``, so against it each request opens its own connection;
- each request is timed from its first byte sent to the last byte of the answer read, labelled, and
  counted in a ``bench.loadgen.Recorder``; a status outside 2xx is an error recorded with the first
  bytes of its body;
- one request per connection is sent first, untimed (the warm-up); the timed loop then runs until the
  deadline: no request starts after it; a connection stops at its first network error (recorded);
  a ``ProtocolError`` stops the level (raised: the figures would mean nothing);
- the generator's own CPU (``time.process_time`` of this process over the timed loop) is reported with
  the requests per second and the latency percentiles (``bench.loadgen.summary``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bench import loadgen

LOCAL_HOSTS = {"127.0.0.1"}


class ProtocolError(Exception):
    """An answer this generator does not read (chunked, no length, not HTTP/1.x)."""


def _local(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or parts.port is None:
        raise ValueError(f"rawload loads http://127.0.0.1:<port> only, not {base_url!r}")
    return parts.hostname, parts.port


def encode(
    method: str,
    base_url: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    json_body: Any = None,
) -> bytes:
    """One request, ready to send: request line, Host, the headers, Content-Length and the JSON body."""
    host, port = _local(base_url)
    body = b"" if json_body is None else json.dumps(json_body, separators=(",", ":")).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: careerbreak-rawload"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if json_body is not None:
        lines.append("Content-Type: application/json")
    if body or method not in {"GET", "HEAD"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the server keeps the connection open, of the next answer on ``reader``."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")  # one call for the status line and the headers
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise ConnectionResetError("the server closed the connection") from exc
        raise
    status_line, *lines = head[:-4].split(b"\r\n")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"not an HTTP/1.x status line: {status_line[:80]!r}")
    status = int(parts[1])
    keep_alive = parts[0] == b"HTTP/1.1"
    length: int | None = None
    for line in lines:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and value.lower() != b"identity":
            raise ProtocolError(f"Transfer-Encoding {value.decode('latin-1')} is not read by rawload")
        elif name == b"connection":
            token = value.lower()
            keep_alive = token != b"close" and (keep_alive or token == b"keep-alive")
    if length is None:
        if status in (204, 304) or 100 <= status < 200:
            return status, b"", keep_alive
        raise ProtocolError(f"HTTP {status} without Content-Length is not read by rawload")
    return status, await reader.readexactly(length), keep_alive


@dataclass
class Level:
    """What one level measured: the samples and errors, the timed window and the generator's CPU."""

    recorder: loadgen.Recorder
    label: str
    connections: int
    wall_seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.recorder.requests / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.recorder.requests if self.recorder.requests else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "per_second": round(self.per_second, 1),
            **loadgen.summary(self.recorder.samples[self.label]),
            "errors": len(self.recorder.errors),
            "first_errors": self.recorder.errors[:3],
            "generator_cpu_seconds": round(self.cpu_seconds, 3),
            "generator_cpu_ms_per_request": round(self.cpu_ms_per_request, 3),
        }


async def run_level(
    base_url: str,
    requests: list[bytes],
    *,
    connections: int,
    seconds: float,
    label: str,
    timeout: float = 30.0,
) -> Level:
    """``connections`` keep-alive connections send ``requests`` (encoded) without pause for ``seconds``."""
    if not requests:
        raise ValueError("no request to send")
    host, port = _local(base_url)
    recorder = loadgen.Recorder()
    loop = asyncio.get_running_loop()

    class Connection:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None

        async def send(self, payload: bytes) -> tuple[int, bytes]:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(host, port)
            assert self.reader is not None
            self.writer.write(payload)
            async with asyncio.timeout(timeout):
                status, body, keep_alive = await read_response(self.reader)
            if not keep_alive:
                await self.close()
            return status, body

        async def exchange(self, payload: bytes) -> tuple[int, bytes]:
            reused = self.writer is not None
            try:
                return await self.send(payload)
            except (ConnectionResetError, BrokenPipeError):
                if not reused:
                    raise
                await self.close()  # closed by the server while idle: once more, on a new connection
                return await self.send(payload)

        async def close(self) -> None:
            if self.writer is not None:
                self.writer.close()
                with contextlib.suppress(OSError):
                    await self.writer.wait_closed()
            self.reader = self.writer = None

    def check(status: int, body: bytes) -> None:
        if not 200 <= status < 300:
            recorder.error(f"{label}: HTTP {status} {body[:300].decode('utf-8', 'replace')}")

    opened = [Connection() for _ in range(connections)]

    async def warm(number: int) -> None:
        check(*await opened[number].exchange(requests[number % len(requests)]))

    async def user(number: int, deadline: float) -> None:
        connection = opened[number]
        index = number
        while loop.time() < deadline:
            payload = requests[index % len(requests)]
            index += connections
            started = time.perf_counter()
            try:
                status, body = await connection.exchange(payload)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                recorder.error(f"{label}: {exc!r}")
                return
            recorder.add(label, time.perf_counter() - started)
            check(status, body)

    try:
        await asyncio.gather(*(warm(n) for n in range(connections)))
        cpu_before = time.process_time()
        started = loop.time()
        deadline = started + seconds
        await asyncio.gather(*(user(n, deadline) for n in range(connections)))
        wall = loop.time() - started
        cpu = time.process_time() - cpu_before
    finally:
        for connection in opened:
            await connection.close()
    return Level(recorder, label, connections, wall, cpu)
