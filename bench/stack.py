"""What the benchmarks run against, started and stopped by the benchmark itself.

PostgreSQL (started if it is down, as .ci/run does), a database of its own, the application under
gunicorn with the bench URLconf, the development identity provider as its own gunicorn, two task
workers (`manage.py db_worker`) and the fake eBox REST server. Every process is started in its own
session and stopped by its own process group id, never by name.

Settings: CAREERBREAK_ENV=development with DJANGO_DEBUG=false, persistent database connections
(DATABASE_CONN_MAX_AGE=60, the production default) and LOG_LEVEL=WARNING. Production mode proper
(CAREERBREAK_ENV=production) refuses the development identity provider, which the benchmark needs to
log in; what else production changes (HTTPS redirects, secure cookies, the manifest static storage,
SMTP) does not touch the code paths measured here. See docs/performance.md.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent

DB_NAME = os.environ.get("BENCH_DB", "careerbreak_bench")
PG_HOST = "127.0.0.1"
PG_PORT = 5432
DATABASE_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{DB_NAME}"

APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8410"))
IDP_PORT = int(os.environ.get("BENCH_IDP_PORT", "8411"))
EBOX_PORT = int(os.environ.get("BENCH_EBOX_PORT", "8412"))
# The application runs under the production web server's own configuration, deploy/gunicorn.conf.py
# (docs/deployment.md): its workers, threads, keep-alive, timeouts and worker recycling. BENCH_APP_WORKERS
# and BENCH_APP_THREADS override its GUNICORN_WORKERS and GUNICORN_THREADS for an experiment.
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
_OVERRIDABLE = (("GUNICORN_WORKERS", "BENCH_APP_WORKERS"), ("GUNICORN_THREADS", "BENCH_APP_THREADS"))
_APP_OVERRIDES = {name: os.environ[variable] for name, variable in _OVERRIDABLE if variable in os.environ}


def _gunicorn_settings(overrides: dict[str, str]) -> dict[str, object]:
    """What deploy/gunicorn.conf.py decides under these environment overrides (read, not guessed)."""
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        return runpy.run_path(str(GUNICORN_CONF))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_APP_SETTINGS = _gunicorn_settings(_APP_OVERRIDES)
APP_WORKERS = int(str(_APP_SETTINGS["workers"]))
APP_THREADS = int(str(_APP_SETTINGS["threads"]))
IDP_WORKERS = int(os.environ.get("BENCH_IDP_WORKERS", "2"))
TASK_WORKERS = 2

APP_URL = f"http://127.0.0.1:{APP_PORT}"
IDP_URL = f"http://127.0.0.1:{IDP_PORT}"
EBOX_URL = f"http://127.0.0.1:{EBOX_PORT}"


RATE_LIMITS_LIFTED = (
    "NISS_LOOKUP_PER_USER",
    "NISS_LOOKUP_PER_ENTERPRISE",
    "SEARCH_PER_USER",
    "LOGIN_PER_IP",
    "API_PER_CLIENT",
    "API_TOKEN_PER_IP",
)


def base_env() -> dict[str, str]:
    """The environment of every process of the benchmark (the runner's own Django included)."""
    env = dict(os.environ)
    env.update(
        {
            "CAREERBREAK_ENV": "development",
            "DJANGO_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": DATABASE_URL,
            "DATABASE_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "CAREERBREAK_VAR_DIR": str(ROOT / "var" / "bench"),
            "PORT": str(APP_PORT),
            "DEVIDP_PORT": str(IDP_PORT),
            "OIDC_ISSUER": f"{IDP_URL}/devidp",
            "MAILBOX_TRANSPORT": "rest",
            "EBOX_API_URL": f"{EBOX_URL}/ebox/citizen/v2",
            "EBOX_TOKEN_URL": f"{EBOX_URL}/token",
            "EBOX_CLIENT_ID": "careerbreak",
            "EBOX_CLIENT_SECRET": "fake-ebox-secret",
            "PYTHONUNBUFFERED": "1",
            # The rate limits are a guard against people, not what is measured: the virtual users share
            # one address and, for Consultation and the work queue, one person, far beyond what one
            # person does. Each is lifted here (and the counters are per process: locmem cache).
            **{f"RATE_LIMIT_{name}": "1000000/m" for name in RATE_LIMITS_LIFTED},
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        }
    )
    env.pop("CAREERBREAK_URLCONF", None)
    return env


def run(command: list[str], *, env: dict[str, str] | None = None, quiet: bool = True) -> None:
    """Run a command of our own to completion; stop the benchmark if it fails."""
    result = subprocess.run(  # noqa: S603 - fixed argument lists of our own
        command, cwd=ROOT, env=env or base_env(), capture_output=quiet, text=True, check=False
    )
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "")
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{output[-4000:]}")


def _pg_ready() -> bool:
    command = ["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"]
    return subprocess.run(command, check=False).returncode == 0  # noqa: S603 - fixed command


def _psql(sql: str) -> str:
    command = ["psql", "-h", PG_HOST, "-U", "postgres", "-d", "postgres", "-tAc", sql]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return result.stdout.strip()


def ensure_postgres() -> None:
    """Start the local cluster if it is down (as .ci/run does); create the benchmark database."""
    if not _pg_ready():
        versions = sorted(os.listdir("/etc/postgresql"))
        run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], quiet=False)
        for _ in range(30):
            if _pg_ready():
                break
            time.sleep(1)
    if not DB_NAME.replace("_", "").isalnum():
        raise RuntimeError("BENCH_DB must be letters, digits and underscores.")
    # DB_NAME is checked above: letters, digits and underscores only.
    if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":  # noqa: S608
        _psql(f"CREATE DATABASE {DB_NAME}")


def prepare_database() -> None:
    """Migrations, translations, static files and the demo data (each idempotent)."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--no-input"])
    run([*manage, "compile_translations"])
    run([*manage, "collectstatic", "--no-input", "--verbosity", "0"])
    run([*manage, "load_demo_data"])


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    ready_url: str | None = None
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> Process:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = (LOGS / f"{self.name}.log").open("ab")
        # Own session: stopped by its process group, the children (gunicorn workers) with it.
        self.popen = subprocess.Popen(  # noqa: S603 - fixed argument lists of our own
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} stopped at start-up; see {LOGS / (self.name + '.log')}")
            if self.ready_url is None:
                return
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.ready_url, timeout=2).status_code < 500:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s; see {LOGS / (self.name + '.log')}")

    def stop(self, timeout: float = 15) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


def gunicorn(name: str, port: int, urlconf: str, settings: dict[str, str]) -> Process:
    """gunicorn started exactly as in production (`gunicorn -c deploy/gunicorn.conf.py`), on our port."""
    env = (
        base_env()
        | settings
        | {
            "CAREERBREAK_URLCONF": urlconf,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_LOG_LEVEL": "warning",
        }
    )
    command = [str(VENV_BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "--chdir", str(ROOT)]
    return Process(name, command, env)


def app_server() -> Process:
    process = gunicorn("app", APP_PORT, "bench.urls", _APP_OVERRIDES)
    process.ready_url = f"{APP_URL}/bench/baseline/"
    return process


def idp_server() -> Process:
    process = gunicorn("idp", IDP_PORT, "config.urls_devidp", {"GUNICORN_WORKERS": str(IDP_WORKERS)})
    process.ready_url = f"{IDP_URL}/devidp/.well-known/openid-configuration"
    return process


def task_worker(index: int) -> Process:
    command = [
        PYTHON,
        str(ROOT / "manage.py"),
        # db_worker that waits out a database restart (careerbreak.core run_worker).
        "run_worker",
        "--no-reload",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--worker-id",
        f"bench-{index}",
    ]
    return Process(f"task-worker-{index}", command, base_env())


def fake_ebox(*, nodelay: bool = False) -> Process:
    module = "bench.fake_ebox_nodelay" if nodelay else "tools.fake_ebox"
    command = [PYTHON, "-m", module, "--port", str(EBOX_PORT)]
    process = Process("fake-ebox", command, base_env())
    process.ready_url = f"{EBOX_URL}/_health"
    return process


@dataclass
class Stack:
    app: Process
    idp: Process
    ebox: Process
    workers: list[Process]

    def all(self) -> list[Process]:
        return [self.app, self.idp, self.ebox, *self.workers]

    def start_workers(self) -> None:
        self.workers = [task_worker(i).start() for i in range(1, TASK_WORKERS + 1)]

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop()

    def restart_ebox(self, *, nodelay: bool) -> None:
        self.ebox.stop()
        for _ in range(50):
            if port_free(EBOX_PORT):
                break
            time.sleep(0.1)
        self.ebox = fake_ebox(nodelay=nodelay).start()
        self.ebox.wait_ready()


@contextlib.contextmanager
def running_stack() -> Iterator[Stack]:
    """The whole system running; everything stopped on the way out, whatever happens."""
    for port in (APP_PORT, IDP_PORT, EBOX_PORT):
        if not port_free(port):
            raise RuntimeError(f"Port {port} is taken: set BENCH_APP_PORT, BENCH_IDP_PORT, BENCH_EBOX_PORT.")
    stack = Stack(app=app_server(), idp=idp_server(), ebox=fake_ebox(), workers=[])
    try:
        for process in (stack.ebox, stack.idp, stack.app):
            process.start()
        stack.start_workers()
        for process in stack.all():
            process.wait_ready()
        yield stack
    finally:
        for process in reversed(stack.all()):
            process.stop()


# -- what the processes cost ---------------------------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for child in _children(pid):
        pids.extend(process_tree(child))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds of these processes and of their children that have exited: gunicorn recycles its
    workers (max_requests) and PostgreSQL's backends end with their connection; what they spent is then
    in their parent's cutime and cstime."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / _CLOCK_TICKS


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def postgres_pids() -> list[int]:
    """Every PostgreSQL backend on the machine (read only, to count their CPU)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """CPU seconds spent by each part of the system between start() and stop()."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.before: dict[str, float] = {}

    def _sample(self) -> dict[str, float]:
        return {
            "app (gunicorn)": cpu_seconds(process_tree(self.stack.app.pid)),
            "identity provider": cpu_seconds(process_tree(self.stack.idp.pid)),
            "task workers": sum(cpu_seconds(process_tree(w.pid)) for w in self.stack.workers),
            "fake eBox": cpu_seconds([self.stack.ebox.pid]),
            "postgresql": cpu_seconds(postgres_pids()),
            "load generator": cpu_seconds([os.getpid()]),
        }

    def start(self) -> None:
        self.before = self._sample()
        self.started = time.monotonic()

    def stop(self) -> dict[str, float | None]:
        after = self._sample()
        elapsed = time.monotonic() - self.started
        result: dict[str, float | None] = {}
        for name, value in after.items():
            delta = value - self.before.get(name, 0.0)
            # PostgreSQL backends that ended in between take their CPU with them: no figure then.
            result[name] = round(delta, 2) if delta >= 0 else None
        result["wall seconds"] = round(elapsed, 2)
        return result


def machine() -> dict[str, object]:
    """What the figures came from."""
    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_gib = 0.0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    pg_version = subprocess.run(  # noqa: S603
        ["psql", "-h", PG_HOST, "-U", "postgres", "-tAc", "SHOW server_version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu_model,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "postgresql": pg_version,
        "kernel": os.uname().release,
        "app_workers": APP_WORKERS,
        "app_threads": APP_THREADS,
        "app_server": "gunicorn -c deploy/gunicorn.conf.py",
        "idp_workers": IDP_WORKERS,
        "task_workers": TASK_WORKERS,
    }
