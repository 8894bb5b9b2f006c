"""For the commands that run in a loop (``sweep_outbox --loop``, ``send_reminders --loop``)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event that SIGINT or SIGTERM sets while the block runs, so that the loop ends between two runs.

    Only the main thread can install handlers: elsewhere (a test calling the command in a thread) the
    event is set by nobody but the caller. The previous handlers are put back after the block.
    """
    stop = threading.Event()
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
