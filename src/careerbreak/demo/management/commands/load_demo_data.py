"""``manage.py load_demo_data``: the demo enterprises, persons, employments, access and mandates, the
allowance rates, Sophie Lambert's parental leave filed by Boulangerie Dubois, awaiting her worker part
(``careerbreak.demo.requests``), and the employment office's files in every status
(``careerbreak.demo.office_requests``); ``--without-requests`` leaves the requests out, as the browser
journeys do.

Deterministic and idempotent (see ``careerbreak.demo.data``): running it again changes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from careerbreak.demo.data import SEED, load_demo_data
from careerbreak.demo.office_requests import file_office_demo_requests
from careerbreak.demo.requests import file_demo_request
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.rates import DEMO_RATES, rates_import
from careerbreak.interruptions.services import RulesRefused
from careerbreak.registries.importing import ImportFailed


def _status(filed: LeaveRequest) -> str:
    with translation.override("en"):
        return str(filed.get_status_display()).lower()


class Command(BaseCommand):
    help = "Load the demo data (enterprises, a few hundred persons, employments, access grants, mandates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=SEED, help="another seed gives other generated persons"
        )
        parser.add_argument(
            "--without-requests",
            action="store_true",
            help="file no request: neither Sophie Lambert's parental leave nor the office's files",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = load_demo_data(options["seed"])
        except ImportFailed as failure:
            raise CommandError(str(failure)) from failure
        for line in summary.lines():
            self.stdout.write(line)
        rates = rates_import(
            acting=Acting.system(), text=DEMO_RATES.read_text(encoding="utf-8"), source_name=DEMO_RATES.name
        )
        self.stdout.write(
            f"Allowance rates (provisional figures of domain-research §4): {rates.created} added, "
            f"{rates.unchanged} already loaded."
        )
        if not options["without_requests"]:
            try:
                filed, created = file_demo_request()
            except RulesRefused as refused:
                messages = "; ".join(str(f.message) for f in refused.findings if f.is_error)
                self.stderr.write(f"Sophie Lambert's demo request was not filed: {messages}")
            else:
                self.stdout.write(
                    f"Demo request {filed.ticket}: Sophie Lambert's parental leave, "
                    "filed by Boulangerie Dubois" + (" now" if created else "") + f", {_status(filed)}."
                )
            for made in file_office_demo_requests():
                item, worker = made.leave_request, made.leave_request.worker
                self.stdout.write(
                    f"Office demo request {item.ticket}: {worker.full_name} ({worker.niss}), {made.what}."
                )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
