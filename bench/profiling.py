"""Where the time goes: py-spy samples of running processes, summarised as text.

py-spy attaches to the running gunicorn (and its workers) without restarting or slowing the code it
samples much; the raw "collapsed stacks" are kept under bench/results/profiles/ and summarised here
as the functions of the project and of Django that the samples were in (inclusive) and the frames
that were on top (self), which is what docs/performance.md quotes.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.stack import RESULTS, VENV_BIN

PROFILES = RESULTS / "profiles"
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")


def start_py_spy(
    pid: int, name: str, duration: int, *, subprocesses: bool = True
) -> tuple[subprocess.Popen[bytes], Path]:
    PROFILES.mkdir(parents=True, exist_ok=True)
    output = PROFILES / f"{name}.txt"
    command = [
        str(VENV_BIN / "py-spy"),
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(duration),
        "--rate",
        "200",
        "--format",
        "raw",
        "--output",
        str(output),
        "--nonblocking",
    ]
    if subprocesses:
        command.append("--subprocesses")
    log = (PROFILES / f"{name}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - our own command
    log.close()
    return process, output


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match.group("file")
    for marker in ("site-packages/", "src/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match.group('function')} ({path})"


def summarise(raw: Path, *, top: int = 60) -> dict[str, object]:
    """Inclusive share of the project's and Django's functions, and the top self frames."""
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    total = 0
    idle = 0
    if not raw.exists():
        return {"samples": 0, "error": f"no profile at {raw}"}
    for line in raw.read_text(errors="replace").splitlines():
        stack, _sep, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        total += count
        leaf = _short(frames[-1])
        # Waiting for a request (gunicorn's select) or for the database is not CPU of ours.
        if any(
            word in leaf for word in ("select (selectors", "wait (gunicorn", "sleep (gunicorn", "accept (")
        ):
            idle += count
            continue
        self_time[leaf] += count
        seen: set[str] = set()
        for frame in frames:
            short = _short(frame)
            if short in seen:
                continue
            seen.add(short)
            if "careerbreak/" in short or "django/" in short or "weasyprint/" in short or "psycopg/" in short:
                inclusive[short] += count
    busy = max(total - idle, 1)

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / busy, 1)) for name, n in counter.most_common(top)]

    return {
        "samples": total,
        "busy_samples": total - idle,
        "inclusive_percent_of_busy": share(inclusive),
        "self_percent_of_busy": share(self_time),
    }


def project_functions(summary: dict[str, object], *, top: int = 20) -> list[tuple[str, float]]:
    """The project's own functions among the inclusive ones (what a reader of the code can act on)."""
    rows = summary.get("inclusive_percent_of_busy") or []
    assert isinstance(rows, list)
    return [(name, pct) for name, pct in rows if "careerbreak/" in name][:top]


@dataclass
class StatementCounts:
    """The statements run on the default connection, by their first word, and its commits."""

    kinds: Counter[str] = field(default_factory=Counter)
    commits: int = 0


@contextmanager
def statements_counted(*, show_sql: bool = False) -> Iterator[StatementCounts]:
    """Count (and with ``show_sql`` print, shortened) the statements and commits of the block."""
    from django.db import connection

    counts = StatementCounts()

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts.kinds[sql.split(None, 1)[0].upper()] += 1
        if show_sql:
            print("   ", " ".join(sql.split())[:240])
        return execute(sql, params, many, context)

    real_commit = connection._commit  # type: ignore[attr-defined]

    def counted_commit() -> Any:
        counts.commits += 1
        return real_commit()

    connection._commit = counted_commit  # type: ignore[attr-defined]
    try:
        with connection.execute_wrapper(count):
            yield counts
    finally:
        connection._commit = real_commit  # type: ignore[attr-defined]
