"""Runs Locust headless for one level of a benchmark and reads its results (docs/adr/0012-locust.md).

Locust runs as its own process (gevent patches the standard library, which the runner's Django and
asyncio must not see) against 127.0.0.1, bounded by `--run-time`. It writes, under
bench/results/locust/ (ignored by git): the HTML report of the level (`<name>.html`, about 1 MB: the
artifact to open in a browser) and its CSV statistics, which this module turns into the figures of
bench/results/<benchmark>.json.
"""

from __future__ import annotations

import csv
import json
import math
import os
import resource
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.stack import RESULTS, ROOT, VENV_BIN, base_env

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
REPORTS = RESULTS / "locust"


@dataclass
class LocustRun:
    """What one headless run measured, after its warm-up."""

    stats: dict[str, dict[str, Any]]
    errors: list[str]
    error_count: int
    requests: int
    seconds: float
    generator_cpu_seconds: float
    report: Path
    extra: dict[str, list[str]] = field(default_factory=dict)

    def summary(self, label: str) -> dict[str, Any]:
        """count, median, p95, p99 and max in ms of one label (NaN when it has no sample)."""
        row = self.stats.get(label)
        if not row or not int(row["Request Count"]):
            nan = float("nan")
            return {"count": 0, "median_ms": nan, "p95_ms": nan, "p99_ms": nan, "max_ms": nan}
        return {
            "count": int(row["Request Count"]),
            "median_ms": float(row["Median Response Time"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "max_ms": round(float(row["Max Response Time"]), 2),
        }

    def successes(self, label: str) -> int:
        row = self.stats.get(label)
        return int(row["Request Count"]) - int(row["Failure Count"]) if row else 0


def run(
    user_class: str,
    *,
    name: str,
    host: str,
    users: int,
    seconds: float,
    warmup: float,
    env: dict[str, str] | None = None,
    outputs: Iterable[str] = (),
) -> LocustRun:
    """`users` Locust users of `user_class` for `warmup` + `seconds`; statistics after the warm-up.

    `outputs`: names of files the users append lines to (passed as BENCH_<NAME> in their environment),
    returned in `extra` (the tickets filed, the people of the pool taken).
    """
    REPORTS.mkdir(parents=True, exist_ok=True)
    prefix = REPORTS / name
    for old in REPORTS.glob(f"{name}_*.csv"):
        old.unlink()
    files = {output: REPORTS / f"{name}.{output}.txt" for output in outputs}
    for path in files.values():
        path.write_text("")
    process_env = base_env() | (env or {})
    process_env["BENCH_WARMUP_SECONDS"] = str(warmup)
    for output, path in files.items():
        process_env[f"BENCH_{output.upper()}"] = str(path)
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        user_class,
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{math.ceil(warmup + seconds)}s",
        # In-flight journeys are cancelled at the deadline, as the quick run always did.
        "--stop-timeout",
        "0",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--html",
        f"{prefix}.html",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - a fixed command of our own
        command, cwd=ROOT, env=process_env, capture_output=True, text=True, check=False
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats_file = Path(f"{prefix}_stats.csv")
    if done.returncode != 0 or not stats_file.exists():
        raise RuntimeError(f"locust failed ({done.returncode}):\n{(done.stdout + done.stderr)[-4000:]}")
    with stats_file.open(newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    aggregated = stats.pop("Aggregated", None)
    errors: list[str] = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            for row in csv.DictReader(handle):
                errors.append(f"{row['Name']}: {row['Error']} (×{row['Occurrences']})")
    request_count = int(aggregated["Request Count"]) if aggregated else 0
    # The samples of whole journeys are not HTTP requests; a failed journey is one error (its failed
    # request is the same error), a failed request outside journeys is one.
    journeys = {label: row for label, row in stats.items() if row["Type"] == "JOURNEY"}
    requests = request_count - sum(int(row["Request Count"]) for row in journeys.values())
    if journeys:
        failure_count = sum(int(row["Failure Count"]) for row in journeys.values())
    else:
        failure_count = int(aggregated["Failure Count"]) if aggregated else 0
    return LocustRun(
        stats=stats,
        errors=errors,
        error_count=failure_count,
        requests=requests,
        # The measured window: what is left of the run after the warm-up.
        seconds=max(min(seconds, wall - warmup), 0.001),
        generator_cpu_seconds=round(
            (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 2
        ),
        report=Path(f"{prefix}.html"),
        extra={output: path.read_text().splitlines() for output, path in files.items()},
    )


def write_pool(entries: list[dict[str, str]], name: str) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / f"{name}.pool.json"
    path.write_text(json.dumps(entries))
    return path


def environment_for_pool(path: Path) -> dict[str, str]:
    return {"BENCH_JOURNEY_POOL": str(path), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
