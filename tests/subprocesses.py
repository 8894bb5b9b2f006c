"""Running the project in a new process from a test: a clean environment, the repository as the folder.

Settings are read once per process, so checks of the production settings, of the settings modules and of
the deploy scripts start a new interpreter with only the variables they mean to set.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# What any program needs to run, and nothing the settings read.
_ESSENTIAL = {"PATH", "HOME", "LANG", "LC_ALL"}
# The prefixes of the variables the settings read.
_SETTINGS_PREFIXES = ("DEVIDP_", "OIDC_", "DJANGO_", "CAREERBREAK_", "DATABASE_", "CACHE_", "SEAL_")

# What production needs of the seal to start (config/settings.py); the settings only check that it is
# given, nothing here signs with it.
SEAL_ENV = {
    "SEAL_CERT": "-----BEGIN CERTIFICATE-----\nnot-read-at-start-up\n-----END CERTIFICATE-----",
    "SEAL_KEY": "-----BEGIN PRIVATE KEY-----\nnot-read-at-start-up\n-----END PRIVATE KEY-----",
    "SEAL_VERIFICATION_URL": "https://careerbreak.example.be/verify/",
}


def essential_env() -> dict[str, str]:
    """Only PATH, HOME and the locale of this process (no DJANGO_*/DATABASE_URL of the test run)."""
    return {key: value for key, value in os.environ.items() if key in _ESSENTIAL}


def env_without_settings() -> dict[str, str]:
    """This process's environment less every variable the settings read."""
    return {key: value for key, value in os.environ.items() if not key.startswith(_SETTINGS_PREFIXES)}


def run(
    command: Sequence[str], env: dict[str, str], *, timeout: int = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """``command`` from the repository's root with exactly ``env``; its output captured as text."""
    return subprocess.run(
        list(command), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=check
    )


def probe(command: Sequence[str], env: dict[str, str], *, timeout: int = 120) -> Any:
    """The JSON that ``command`` prints on its last line (it must succeed)."""
    done = run(command, env, timeout=timeout, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now, for a server the test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
