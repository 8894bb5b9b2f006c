"""Browser journeys: the whole system served for real, driven by Playwright in Debian's Chromium.

One session fixture serves the web application, the development identity provider and the task worker
(as ``make run`` does) on free ports, against a fresh SQLite file in a temporary folder, with the demo
data and what ``seed.py`` files. Each test module gets its own browser (Playwright's synchronous API
keeps an event loop open while it runs, which the database tests that follow must not see), and each
test its own browser context: no cookie crosses from one journey to the next.

Without Chromium (or Playwright, or axe-core) the journeys are skipped with a message saying how to
install it; under ``CI=true`` they fail instead: CI must run them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.support import ARTIFACTS, AXE_PATH, Journey, axe_summary
from tests.subprocesses import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

ROOT = Path(__file__).resolve().parents[2]
MANAGE = str(ROOT / "manage.py")
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Settings the developer's shell may carry that must not reach the served system.
_DROPPED_ENV = ("DATABASE_URL", "TASKS_BACKEND", "DJANGO_", "CAREERBREAK_", "OIDC_", "DEVIDP_", "SESSION_")


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def _missing_tools() -> list[str]:
    missing = []
    if not Path(chromium_path()).exists():
        missing.append(
            "Chromium is not installed: install Debian's package with `sudo apt-get install chromium` "
            "(or set CHROMIUM_PATH to a Chromium binary)"
        )
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("Playwright is not installed: run `make install-dev`")
    if not AXE_PATH.exists():
        missing.append("axe-core is not installed: run `npm ci` (`make e2e` does it)")
    return missing


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def e2e_tools() -> None:
    missing = _missing_tools()
    if missing:
        message = "Browser journeys not run. " + "; ".join(missing) + "."
        if _ci():
            pytest.fail(message + " Under CI=true they must run.", pytrace=False)
        pytest.skip(message)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Journeys last: the served system is stopped as soon as they are done."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    screenshots = ARTIFACTS / "screenshots"
    if screenshots.exists() and any(screenshots.iterdir()):
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(f"Screenshots: {screenshots}/<journey>/<nn>-<step>.png")
        terminalreporter.write_line(f"Server logs: {ARTIFACTS / 'e2e-logs'}")
        for line in axe_summary():
            terminalreporter.write_line(line)


# --- The served system ---------------------------------------------------------------------------------


@dataclass
class LiveSystem:
    base_url: str
    idp_url: str
    var_dir: Path
    seed: dict[str, Any]
    env: dict[str, str]
    processes: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def check_alive(self) -> None:
        for name, process, log in self.processes:
            if process.poll() is not None:
                raise AssertionError(
                    f"The {name} stopped (exit {process.returncode}); its log:\n{_tail(log)}"
                )


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _wait_for(url: str, system: LiveSystem, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while True:
        system.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer within {timeout} s")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def fresh_artifacts() -> None:
    """The previous run's screenshots, accessibility reports and server logs go, once per run."""
    for previous in (ARTIFACTS / "e2e-logs", ARTIFACTS / "axe", ARTIFACTS / "screenshots"):
        shutil.rmtree(previous, ignore_errors=True)


def _serve(
    var_dir: Path, logs: Path, prepare: Callable[[dict[str, str]], dict[str, Any]]
) -> Iterator[LiveSystem]:
    """Prepare a fresh database in ``var_dir`` (``prepare`` returns the seed), then serve the web
    application, the development identity provider and the task worker on free ports until the end."""
    started = time.monotonic()
    logs.mkdir(parents=True, exist_ok=True)
    web_port, idp_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV)}
    env.update(
        {
            "CAREERBREAK_VAR_DIR": str(var_dir),
            "CAREERBREAK_ENV": "development",
            # Production-like pages (our error pages, no debug toolbar of any kind).
            "DJANGO_DEBUG": "false",
            "PORT": str(web_port),
            "DEVIDP_PORT": str(idp_port),
            "OIDC_ISSUER": f"http://127.0.0.1:{idp_port}/devidp",
            "PYTHONUNBUFFERED": "1",
        }
    )
    seed = prepare(env)
    system = LiveSystem(
        base_url=f"http://127.0.0.1:{web_port}",
        idp_url=f"http://127.0.0.1:{idp_port}",
        var_dir=var_dir,
        seed=seed,
        env=env,
    )
    commands = [
        ("web", [MANAGE, "runserver", f"127.0.0.1:{web_port}", "--noreload"], env),
        (
            "identity provider",
            [MANAGE, "runserver", f"127.0.0.1:{idp_port}", "--noreload"],
            dict(env, CAREERBREAK_URLCONF="config.urls_devidp"),
        ),
        ("task worker", [MANAGE, "run_worker", "--no-reload"], env),
    ]
    try:
        for name, args, command_env in commands:
            log = logs / f"{name.replace(' ', '-')}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, *args],
                    env=command_env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            system.processes.append((name, process, log))
        _wait_for(system.url("/"), system)
        _wait_for(f"{system.idp_url}/devidp/.well-known/openid-configuration", system)
        print(f"\nServed system ready in {time.monotonic() - started:.1f} s: {system.base_url}")
        yield system
    finally:
        for _name, process, _log in system.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _name, process, _log in system.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


@pytest.fixture(scope="session")
def live_system(
    e2e_tools: None, fresh_artifacts: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSystem]:
    def prepare(env: dict[str, str]) -> dict[str, Any]:
        _run(env, MANAGE, "compile_translations")
        _run(env, MANAGE, "migrate", "--no-input", "--verbosity", "0")
        # seed.py files the journeys' requests itself (Sophie's demo request would overlap them).
        _run(env, MANAGE, "load_demo_data", "--without-requests")
        _run(env, MANAGE, "collectstatic", "--no-input", "--verbosity", "0")
        return dict(json.loads(_run(env, str(Path(__file__).with_name("seed.py"))).strip().splitlines()[-1]))

    yield from _serve(tmp_path_factory.mktemp("e2e-system"), ARTIFACTS / "e2e-logs", prepare)


DEMO_REQUEST = re.compile(r"Demo request (\d{4}/\d{8}/\d{2}): ")
OFFICE_COMPLETE = re.compile(
    r"Office demo request (\d{4}/\d{8}/\d{2}): (.+) \((\d{11})\), complete, ready to decide\."
)


@pytest.fixture(scope="module")
def demo_system(
    e2e_tools: None, fresh_artifacts: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSystem]:
    """The system as ``make run`` serves it: the demo data *with* Sophie Lambert's request awaiting her
    part (which the journeys' own requests for Sophie would overlap) and the office's files in every status,
    in a database of its own, for the module that asks for it. The seed holds the demo request's ticket and
    the office's complete request (its ticket, its worker's name and number)."""

    def prepare(env: dict[str, str]) -> dict[str, Any]:
        _run(env, MANAGE, "migrate", "--no-input", "--verbosity", "0")
        loaded = _run(env, MANAGE, "load_demo_data")
        found = DEMO_REQUEST.search(loaded)
        assert found, f"load_demo_data filed no demo request:\n{loaded[-2000:]}"
        complete = OFFICE_COMPLETE.search(loaded)
        assert complete, f"load_demo_data filed no complete request for the office:\n{loaded[-2000:]}"
        _run(env, MANAGE, "collectstatic", "--no-input", "--verbosity", "0")
        return {
            "demo_ticket": found.group(1),
            "office_complete": {
                "ticket": complete.group(1),
                "name": complete.group(2),
                "niss": complete.group(3),
            },
        }

    yield from _serve(tmp_path_factory.mktemp("e2e-demo"), ARTIFACTS / "e2e-logs" / "demo", prepare)


# --- The browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(e2e_tools: None) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


NewJourney = Callable[..., Journey]


@pytest.fixture
def journey(browser: Browser, request: pytest.FixtureRequest) -> Iterator[NewJourney]:
    """``journey(name, locale="fr-BE", javascript=True, system=None)``: a fresh browser context and its
    first page on ``system`` (the journeys' served system by default), with screenshots and accessibility
    checks at each step."""
    contexts: list[BrowserContext] = []
    journeys: list[Journey] = []

    def start(
        name: str, *, locale: str = "fr-BE", javascript: bool = True, system: LiveSystem | None = None
    ) -> Journey:
        served: LiveSystem = system or request.getfixturevalue("live_system")
        context = browser.new_context(
            base_url=served.base_url,
            locale=locale,
            java_script_enabled=javascript,
            viewport={"width": 1100, "height": 900},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        started = Journey(context.new_page(), name, served, javascript=javascript)
        journeys.append(started)
        return started

    yield start
    failed = getattr(request.node, "rep_call", None)
    for started in journeys:
        if failed is not None and failed.failed:
            started.shot("failure")
            started.save_navigations()
        started.save_report()
    for context in contexts:
        context.close()
    for started in journeys:
        started.system.check_alive()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
