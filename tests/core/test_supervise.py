"""make run's supervisor stops every child whatever signals arrive, and restarts the background ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.subprocesses import free_port

ROOT = Path(__file__).resolve().parents[2]
# Whether a process is alive, and whose child it is, is read from /proc (Linux).
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
Supervise = Callable[..., subprocess.Popen[bytes]]

CHILD = """
import os, signal, subprocess, sys, time
pidfile, mode = sys.argv[1], sys.argv[2]
def note(pid):
    with open(pidfile, "a") as f:
        f.write(f"{pid}\\n")
note(os.getpid())
if mode == "exit":
    sys.exit(3)
if mode == "stubborn":
    # Ignores SIGTERM, and has a child of its own in its process group that ignores it too.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    grandchild = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"])
    note(grandchild.pid)
while True:
    time.sleep(0.05)
"""

SUPERVISOR = """
import json, sys
from careerbreak.core.supervise import Child, Supervisor
children = [Child(name, command, restart=restart) for name, command, restart in json.loads(sys.argv[1])]
supervisor = Supervisor(children, stop_timeout=float(sys.argv[2]), backoff_first=0.2, poll_interval=0.05)
sys.exit(supervisor.run(on_started=lambda: print("started", flush=True)))
"""


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def wait_for(condition: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def supervise(tmp_path: Path) -> Iterator[Supervise]:
    started: list[subprocess.Popen[bytes]] = []
    child_script = tmp_path / "child.py"
    child_script.write_text(CHILD)

    def run(children: list[tuple[str, str, bool]], *, stop_timeout: float) -> subprocess.Popen[bytes]:
        spec = [
            (name, [sys.executable, str(child_script), str(tmp_path / f"{name}.pids"), mode], restart)
            for name, mode, restart in children
        ]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        process = subprocess.Popen(
            [sys.executable, "-c", SUPERVISOR, json.dumps(spec), str(stop_timeout)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_second_ctrl_c_during_the_shutdown_still_stops_every_child_and_their_children(
    supervise: Supervise, tmp_path: Path
) -> None:
    # Both ignore SIGTERM: without the second Ctrl-C the supervisor would wait its 60 s.
    supervisor = supervise([("web", "stubborn", False), ("worker", "stubborn", True)], stop_timeout=60)
    assert wait_for(lambda: len(pids(tmp_path / "web.pids") + pids(tmp_path / "worker.pids")) == 4, 15)
    children = pids(tmp_path / "web.pids") + pids(tmp_path / "worker.pids")
    assert all(alive(pid) for pid in children)

    supervisor.send_signal(signal.SIGINT)
    time.sleep(0.3)
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=10) == 0
    assert wait_for(lambda: not any(alive(pid) for pid in children), 5), [p for p in children if alive(p)]


def test_a_third_signal_kills_the_children_at_once(supervise: Supervise, tmp_path: Path) -> None:
    supervisor = supervise([("worker", "stubborn", True)], stop_timeout=60)
    assert wait_for(lambda: len(pids(tmp_path / "worker.pids")) == 2, 15)
    children = pids(tmp_path / "worker.pids")
    began = time.monotonic()
    for _ in range(3):
        supervisor.send_signal(signal.SIGTERM)
        time.sleep(0.1)
    assert supervisor.wait(timeout=10) == 0
    # Not the two seconds of grace a second signal gives.
    assert time.monotonic() - began < 1.9
    assert wait_for(lambda: not any(alive(pid) for pid in children), 5)


def test_a_background_child_that_dies_is_restarted_after_a_pause_and_stopped_with_the_rest(
    supervise: Supervise, tmp_path: Path
) -> None:
    supervisor = supervise([("web", "sleep", False), ("sweeper", "exit", True)], stop_timeout=5)
    # Restarted after 0.2 s, 0.4 s, 0.8 s…: the supervisor does not give up, nor spin.
    assert wait_for(lambda: len(pids(tmp_path / "sweeper.pids")) >= 3, 10)
    assert supervisor.poll() is None
    assert len(pids(tmp_path / "sweeper.pids")) < 8
    web = pids(tmp_path / "web.pids")
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=10) == 0
    assert wait_for(lambda: not any(alive(pid) for pid in web), 5)


def test_a_foreground_child_that_dies_stops_everything_with_an_error(
    supervise: Supervise, tmp_path: Path
) -> None:
    supervisor = supervise([("worker", "sleep", True), ("web", "exit", False)], stop_timeout=5)
    assert supervisor.wait(timeout=15) == 1
    assert b"The web stopped (exit code 3)" in supervisor.stdout.read()
    assert not any(alive(pid) for pid in pids(tmp_path / "worker.pids"))


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_make_run_stopped_by_two_ctrl_c_leaves_no_process_behind(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    rundemo = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "rundemo",
            "--port",
            str(free_port()),
            "--devidp-port",
            str(free_port()),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # web, identity provider, task worker, outbox sweeper, reminder job
        assert wait_for(lambda: len(children_of(rundemo.pid)) == 5, 60)
        children = children_of(rundemo.pid)
        time.sleep(1)  # the children are starting Django
        rundemo.send_signal(signal.SIGINT)
        time.sleep(0.2)
        rundemo.send_signal(signal.SIGINT)
        rundemo.wait(timeout=20)
        assert wait_for(lambda: not any(alive(pid) for pid in children), 5), [p for p in children if alive(p)]
    finally:
        if rundemo.poll() is None:
            rundemo.kill()
            rundemo.wait()
