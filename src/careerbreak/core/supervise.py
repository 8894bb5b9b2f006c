"""Run a few child processes together, restart the background ones that die, and stop them all.

Used by ``manage.py rundemo`` (``make run``). Standard library only, without Django, so that it can be
started on its own (the tests do).

Stopping: the first SIGINT or SIGTERM sends SIGTERM to every child (each runs in its own process group,
so that its own children get it too) and waits up to ``stop_timeout`` seconds; a task worker finishes
its current task meanwhile. A second signal sends SIGTERM again (a task worker then interrupts its task
and hands it back) and waits two seconds more; a third kills at once. Whatever arrives, and whenever,
every child is killed (SIGKILL) before ``run`` returns: the signal handler only notes the signal, it
never raises inside the clean-up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    command: Sequence[str]
    env: dict[str, str] | None = None
    # A background process (task worker, sweeper) is restarted when it dies; the others stop everything.
    restart: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    restarts: int = 0
    restart_at: float | None = None
    started_at: float = 0.0


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        stop_timeout: float = 10.0,
        poll_interval: float = 0.2,
        backoff_first: float = 1.0,
        backoff_max: float = 30.0,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.children = list(children)
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.backoff_first = backoff_first
        self.backoff_max = backoff_max
        self._say = say or (lambda text: print(text, flush=True))
        self.failure = ""
        self._signals = 0
        self._wake = threading.Event()

    # -- signals ---------------------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: object) -> None:
        # Only notes it: raising here could interrupt the clean-up half-way and orphan children.
        self._signals += 1
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._signals > 0 or bool(self.failure)

    # -- running ---------------------------------------------------------------------------------------

    def run(self, on_started: Callable[[], None] | None = None) -> int:
        """Start every child, watch them until a signal or a child that may not be restarted stops.

        Returns 0 after a signal, 1 if a child stopped on its own (``failure`` says which).
        """
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in self.children:
                if self.stopping:
                    break
                self._start(child)
            if on_started is not None and not self.stopping:
                on_started()
            while not self.stopping:
                self._watch()
                self._wake.wait(self.poll_interval)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 1 if self.failure else 0

    def _start(self, child: Child) -> None:
        # Own session and process group: Ctrl-C in the terminal reaches only us, and we stop each child
        # with its own children. The commands are fixed argument lists (no shell, no user input).
        child.process = subprocess.Popen(list(child.command), env=child.env, start_new_session=True)  # noqa: S603
        child.restart_at = None
        child.started_at = time.monotonic()

    def _watch(self) -> None:
        now = time.monotonic()
        for child in self.children:
            process = child.process
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._say(f"Restarting the {child.name}.")
                    self._start(child)
                continue
            if process is None or process.poll() is None:
                continue
            if not child.restart:
                self.failure = f"The {child.name} stopped (exit code {process.returncode})."
                self._say(self.failure)
                return
            # Doubling pause, so that a child that cannot start (database down) does not spin; one that
            # ran for a while before it died starts over from the shortest pause.
            if now - child.started_at > 60:
                child.restarts = 0
            delay = min(self.backoff_max, self.backoff_first * 2**child.restarts)
            child.restarts += 1
            child.restart_at = now + delay
            self._say(f"The {child.name} stopped (exit code {process.returncode}); restart in {delay:.0f} s.")

    # -- stopping --------------------------------------------------------------------------------------

    def _alive(self) -> list[Child]:
        return [c for c in self.children if c.process is not None and c.process.poll() is None]

    def _signal_groups(self, signum: int, children: Sequence[Child]) -> None:
        for child in children:
            assert child.process is not None
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signum)

    def _stop_all(self) -> None:
        self._say("Stopping…")
        before = self._signals  # the signal that started the shutdown, if one did
        self._signal_groups(signal.SIGTERM, self._alive())
        deadline = time.monotonic() + self.stop_timeout
        hurried = False
        while self._alive() and time.monotonic() < deadline:
            more = self._signals - before
            if more >= 2:
                break  # asked three times: no more waiting
            if more == 1 and not hurried:
                # Asked again: the children are told again too (a task worker then hands its task
                # back), and get two more seconds.
                hurried = True
                self._signal_groups(signal.SIGTERM, self._alive())
                deadline = min(deadline, time.monotonic() + 2)
            time.sleep(0.05)
        # Whatever is left, and whatever the children started in their groups.
        started = [c for c in self.children if c.process is not None]
        self._signal_groups(signal.SIGKILL, started)
        for child in started:
            assert child.process is not None
            try:
                child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._say(f"The {child.name} (pid {child.process.pid}) did not stop.")
        self._say("Stopped.")
