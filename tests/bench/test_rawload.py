"""bench/rawload.py, the light load generator: its HTTP/1.1 reading, counting and deadline, against a
tiny server started in the test (no timed assertion: counts, statuses, errors, the bytes sent)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bench import rawload

Answer = Callable[[bytes, bytes], bytes]


def _ok(body: bytes = b'{"ok":true}', *, status: str = "200 OK", extra: str = "") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode() + body


async def _serve(
    answer: Answer,
    seen: list[tuple[bytes, bytes]],
    work: Callable[[str], Awaitable[Any]],
    *,
    close_each: bool = False,
) -> Any:
    """A keep-alive server on 127.0.0.1 that reads each request (head and Content-Length body), records
    it in ``seen`` and writes ``answer(head, body)``; closes after an answer with ``Connection: close``,
    or after every answer without saying so when ``close_each`` (a keep-alive connection closed idle)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                payload = await reader.readexactly(length)
                seen.append((head, payload))
                response = answer(head, payload)
                writer.write(response)
                await writer.drain()
                if close_each or b"Connection: close" in response:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        return await asyncio.wait_for(work(f"http://127.0.0.1:{port}"), timeout=30)
    finally:
        server.close()
        await server.wait_closed()


def _level(
    answer: Answer, items: list[Any], *, connections: int, seconds: float = 0.3, close_each: bool = False
) -> Any:
    seen: list[tuple[bytes, bytes]] = []

    async def work(base: str) -> rawload.Level:
        requests = [
            rawload.encode(
                "POST",
                base,
                "/api/v1/requests/validate",
                headers={"Authorization": "Bearer t"},
                json_body=item,
            )
            for item in items
        ]
        return await rawload.run_level(
            base, requests, connections=connections, seconds=seconds, label="validate"
        )

    level = asyncio.run(_serve(answer, seen, work, close_each=close_each))
    return level, seen


def test_it_sends_the_encoded_requests_counts_every_answer_and_stops_at_the_deadline() -> None:
    level, seen = _level(lambda head, body: _ok(), [{"i": i} for i in range(5)], connections=3)

    recorded = level.recorder.requests
    # One untimed request per connection, then every timed one; none in flight after the level returned.
    assert recorded > 0
    assert len(seen) == recorded + 3
    assert len(level.recorder.samples["validate"]) == recorded
    assert level.recorder.errors == []
    assert level.summary()["count"] == recorded
    assert level.summary()["errors"] == 0
    assert level.cpu_seconds >= 0
    head, body = seen[0]
    assert head.startswith(b"POST /api/v1/requests/validate HTTP/1.1\r\n")
    assert b"\r\nHost: 127.0.0.1:" in head
    assert b"\r\nAuthorization: Bearer t\r\n" in head
    assert b"\r\nContent-Type: application/json\r\n" in head
    assert f"\r\nContent-Length: {len(body)}\r\n".encode() in head
    # Connection i sends items i, i + 3, …: the warm-up requests are the first three items.
    assert sorted(json.loads(b)["i"] for _h, b in seen[:3]) == [0, 1, 2]
    assert {json.loads(b)["i"] for _h, b in seen} == {0, 1, 2, 3, 4}


def test_an_answer_outside_2xx_is_an_error_with_the_first_bytes_of_its_body() -> None:
    def answer(head: bytes, body: bytes) -> bytes:
        if json.loads(body)["i"] == 1:
            return _ok(b'{"title":"refused"}' + b"x" * 1000, status="422 Unprocessable Content")
        return _ok()

    level, seen = _level(answer, [{"i": 0}, {"i": 1}], connections=1)

    refused = sum(1 for _h, b in seen if json.loads(b)["i"] == 1)
    assert refused >= 1
    assert len(level.recorder.errors) == refused
    assert level.recorder.errors[0].startswith('validate: HTTP 422 {"title":"refused"}xxx')
    assert len(level.recorder.errors[0]) < 400
    assert len(seen) == level.recorder.requests + 1


def test_connection_close_is_followed_by_a_new_connection() -> None:
    level, seen = _level(lambda head, body: _ok(extra="Connection: close\r\n"), [{"i": 0}], connections=2)

    assert level.recorder.errors == []
    assert level.recorder.requests > 0
    assert len(seen) == level.recorder.requests + 2


def test_a_keep_alive_connection_the_server_closed_is_opened_again_and_the_request_sent_once() -> None:
    level, seen = _level(lambda head, body: _ok(), [{"i": 0}], connections=2, close_each=True)

    assert level.recorder.errors == []
    assert level.recorder.requests > 0
    assert len(seen) == level.recorder.requests + 2


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "chunked"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello", "without Content-Length"),
        (b"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
    ],
)
def test_an_answer_it_cannot_read_stops_the_level_with_a_protocol_error(
    response: bytes, message: str
) -> None:
    with pytest.raises(rawload.ProtocolError, match=message):
        _level(lambda head, body: response, [{"i": 0}], connections=1)


def test_read_response_reads_status_body_and_keep_alive() -> None:
    async def read(raw: bytes) -> tuple[int, bytes, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await rawload.read_response(reader)

    assert asyncio.run(read(_ok(b"abc"))) == (200, b"abc", True)
    assert asyncio.run(read(_ok(b"", extra="Connection: close\r\n"))) == (200, b"", False)
    assert asyncio.run(read(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi")) == (200, b"hi", False)
    assert asyncio.run(read(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhi")) == (
        200,
        b"hi",
        True,
    )
    assert asyncio.run(read(b"HTTP/1.1 204 No Content\r\n\r\n")) == (204, b"", True)


def test_it_loads_127_0_0_1_only() -> None:
    for url in (
        "http://localhost:8000",
        "http://10.0.0.1:8000",
        "https://127.0.0.1:8000",
        "http://127.0.0.1",
    ):
        with pytest.raises(ValueError, match=r"loads http://127\.0\.0\.1:<port> only"):
            rawload.encode("GET", url, "/")
