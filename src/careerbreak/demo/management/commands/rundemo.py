"""Serve the whole embedded system for a demo: the web application, the development identity provider
and the task worker, each its own process. Ctrl-C stops all of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.demo.data import DEMO_IDENTITIES
from careerbreak.registries.identifiers import format_niss


class Command(BaseCommand):
    help = "Run the web application, the development identity provider and the task worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--devidp-port", type=int, default=settings.DEVIDP_PORT)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVIDP_ENABLED:
            raise CommandError("rundemo needs the development identity provider (DEVIDP_ENABLED=true).")
        host, port, idp_port = options["host"], options["port"], options["devidp_port"]
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.setdefault("OIDC_ISSUER", f"http://{host}:{idp_port}/devidp")
        env.setdefault("DEVIDP_PORT", str(idp_port))
        env.setdefault("PORT", str(port))
        idp_env = dict(env, CAREERBREAK_URLCONF="config.urls_devidp")
        commands = [
            ("web", [sys.executable, manage, "runserver", f"{host}:{port}", "--noreload"], env),
            (
                "identity provider",
                [sys.executable, manage, "runserver", f"{host}:{idp_port}", "--noreload"],
                idp_env,
            ),
            ("task worker", [sys.executable, manage, "db_worker", "--no-reload"], env),
            # Re-queues deliveries that are due or were left half-sent by a worker that died.
            ("outbox sweeper", [sys.executable, manage, "sweep_outbox", "--loop", "60"], env),
        ]
        processes: list[tuple[str, subprocess.Popen[bytes]]] = []

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        # Explicit handlers: a shell may start us with SIGINT ignored, and SIGTERM should stop us too.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command, command_env in commands:
                # Own process group, so that Ctrl-C reaches us and we stop each child cleanly.
                # The commands are fixed argument lists of our own (no shell, no user input).
                child = subprocess.Popen(command, env=command_env, start_new_session=True)  # noqa: S603
                processes.append((name, child))
            self._banner(host, port, idp_port)
            while True:
                for name, process in processes:
                    if process.poll() is not None:
                        raise CommandError(f"The {name} stopped (exit code {process.returncode}).")
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for _name, process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for _name, process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            self.stdout.write("Stopped.")

    def _banner(self, host: str, port: int, idp_port: int) -> None:
        lines = [
            "",
            "careerbreak is running (Ctrl-C stops everything):",
            f"  portal             http://{host}:{port}/",
            f"  employer service   http://{host}:{port}/employer/",
            f"  identity provider  http://{host}:{idp_port}/devidp/.well-known/openid-configuration",
            f"  administration     http://{host}:{port}/admin/",
            "  task worker        running (database queue), outbox sweeper every 60 s",
            "",
            "Demo identities (log in with eID, PIN 1234 for every demo card, or itsme):",
        ]
        lines += [
            f"  {who.first_name + ' ' + who.last_name:<18} {format_niss(who.niss)}  {who.description}"
            for who in DEMO_IDENTITIES
        ]
        self.stdout.write("\n".join(lines) + "\n")
