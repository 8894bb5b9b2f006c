"""Serve the whole embedded system for a demo: the web application, the development identity provider
and the task worker, each its own process (careerbreak.core.supervise). A task worker or sweeper that
dies is restarted; Ctrl-C stops all of them, and a second Ctrl-C during the shutdown hurries it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.core.supervise import Child, Supervisor
from careerbreak.demo.data import DEMO_API_CLIENT_ID, DEMO_API_CLIENT_SECRET, DEMO_IDENTITIES
from careerbreak.demo.requests import sophie_s_request
from careerbreak.interruptions.states import Status
from careerbreak.registries.identifiers import format_niss

# How often the sweeper looks for due deliveries and for those a dead worker left (cheap: one query).
SWEEP_SECONDS = 5
# How often the reminder job looks for reminders of missing worker parts due today (each is sent once).
REMIND_SECONDS = 600


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
        children = [
            Child("web", [sys.executable, manage, "runserver", f"{host}:{port}", "--noreload"], env),
            Child(
                "identity provider",
                [sys.executable, manage, "runserver", f"{host}:{idp_port}", "--noreload"],
                idp_env,
            ),
            # The background processes are restarted if they die (after a pause that doubles); the
            # worker also waits out a database restart by itself (run_worker).
            Child("task worker", [sys.executable, manage, "run_worker", "--no-reload"], env, restart=True),
            # Re-queues deliveries that are due or were left half-sent by a worker that died.
            Child(
                "outbox sweeper",
                [sys.executable, manage, "sweep_outbox", "--loop", str(SWEEP_SECONDS)],
                env,
                restart=True,
            ),
            # Reminders of missing worker parts (14 days before the start, on the start date), once each.
            Child(
                "reminder job",
                [sys.executable, manage, "send_reminders", "--loop", str(REMIND_SECONDS)],
                env,
                restart=True,
            ),
        ]
        supervisor = Supervisor(children, say=self.stdout.write)
        supervisor.run(on_started=lambda: self._banner(host, port, idp_port))
        if supervisor.failure:
            raise CommandError(supervisor.failure)

    def _banner(self, host: str, port: int, idp_port: int) -> None:
        lines = [
            "",
            "careerbreak is running (Ctrl-C stops everything):",
            f"  portal             http://{host}:{port}/",
            f"  employer service   http://{host}:{port}/employer/",
            f"  worker service     http://{host}:{port}/worker/",
            f"  employment office  http://{host}:{port}/office/ (log in as the demo agent or supervisor)",
            f"  identity provider  http://{host}:{idp_port}/devidp/.well-known/openid-configuration",
            f"  administration     http://{host}:{port}/admin/",
            f"  task worker        running (database queue), outbox sweeper every {SWEEP_SECONDS} s",
            f"  reminder job       every {REMIND_SECONDS // 60} min (missing worker parts)",
            "",
            "Demo identities (log in with eID, PIN 1234 for every demo card, or itsme):",
        ]
        lines += [
            f"  {who.first_name + ' ' + who.last_name:<18} {format_niss(who.niss)}  {who.description}"
            for who in DEMO_IDENTITIES
        ]
        lines += [
            "",
            f"Demo API client of SecuPay (docs/api.md; interactive docs http://{host}:{port}/api/v1/docs):",
            f"  client id  {DEMO_API_CLIENT_ID}",
            f"  secret     {DEMO_API_CLIENT_SECRET}   (demo only)",
            f"  curl -u {DEMO_API_CLIENT_ID}:{DEMO_API_CLIENT_SECRET} -d grant_type=client_credentials"
            f" http://{host}:{port}/api/v1/oauth/token",
        ]
        awaiting = sophie_s_request()
        if awaiting is not None and awaiting.status == Status.AWAITING_WORKER:
            lines += [
                "",
                f"Worker part to complete: log in as Sophie Lambert; request {awaiting.ticket} (her parental",
                '  leave, filed by Boulangerie Dubois) is under "Demandes à compléter" on her page.',
            ]
        self.stdout.write("\n".join(lines) + "\n")
