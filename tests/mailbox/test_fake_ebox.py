"""The fake eBox also runs as its own process (for the benchmark), controlled and counted over HTTP."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

# The fake eBox is tooling of the repository (tools/), not of the installed application.
ROOT = Path(__file__).resolve().parents[2]


def test_the_fake_ebox_runs_as_a_process_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.fake_ebox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", first_line)
        assert match, first_line
        base = match.group(0)

        control = httpx.post(f"{base}/_control", json={"fail_next": 2, "status": 503}, timeout=5)
        assert control.status_code == 200
        token = httpx.post(
            f"{base}/token",
            data={"grant_type": "client_credentials"},
            auth=("careerbreak", "fake-ebox-secret"),
            timeout=5,
        )
        assert token.status_code == 200
        publish = httpx.post(f"{base}/ebox/citizen/v2/publishMessage", timeout=5)
        assert publish.status_code == 503
        stats = httpx.get(f"{base}/_stats", timeout=5).json()
        assert stats["tokens_issued"] == 1
        assert stats["injected_failures"] == 1
        assert stats["received"] == stats["unique"] == stats["duplicates"] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        if process.stdout is not None:
            process.stdout.close()
