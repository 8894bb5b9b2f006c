"""Tests of what happens at once: calls released together in threads, and the mark of the tests that need
PostgreSQL for it (row locks across connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

Test = TypeVar("Test", bound=Callable[..., Any])

ROW_LOCKS = "row locks across connections need PostgreSQL"


def needs_postgres(reason: str = ROW_LOCKS) -> Callable[[Test], Test]:
    """Marks a test ``postgres`` and skips it on any other database; ``reason`` says what it needs."""
    skip = pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)

    def mark(test: Test) -> Test:
        return pytest.mark.postgres(skip(test))

    return mark


def race(calls: list[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Run the calls in threads released at the same moment, each with its own database connection; their
    results in the calls' order, an exception standing for the result of a call that raised it."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
