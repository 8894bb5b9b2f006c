"""Who saw or changed one person's data, and when: the audit events about a national number."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction, action_label
from careerbreak.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "List the audit events about the person with this national number (reads, look-ups and changes "
        "of their data), oldest first: when, what, who, for which enterprise, from which address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("niss", help="National register or BIS number, with or without dots and dashes.")
        parser.add_argument("--since", help="Only events on or after this day (YYYY-MM-DD).")
        parser.add_argument("--json", action="store_true", help="One JSON object a line.")

    def handle(self, *args: Any, **options: Any) -> None:
        # core knows no identifier rules (registries does): digits only, eleven of them, is enough here.
        niss = "".join(ch for ch in str(options["niss"]) if ch.isdigit())
        if len(niss) != 11:
            raise CommandError("A national number has 11 digits.")
        events = AuditEvent.objects.filter(subject_niss=niss).order_by("occurred_at", "id")
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since takes a day as YYYY-MM-DD.") from exc
            events = events.filter(occurred_at__date__gte=since)
        rows = list(events)
        with transaction.atomic():
            # Reading someone's audit trail is itself a read of their data.
            audit_log(action=AuditAction.PERSON_AUDIT_LISTED, subject_niss=niss, data={"events": len(rows)})
        for event in rows:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "occurred_at": event.occurred_at.isoformat(),
                            "action": event.action,
                            "action_label": action_label(event.action),
                            "actor_niss": event.actor_niss,
                            "enterprise_number": event.enterprise_number,
                            "object_type": event.object_type,
                            "object_id": event.object_id,
                            "ip_address": event.ip_address,
                            "data": event.data,
                        },
                        sort_keys=True,
                    )
                )
                continue
            when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
            what = f"{event.object_type} {event.object_id}".strip() or "-"
            label = f"{action_label(event.action)} ({event.action})"
            self.stdout.write(
                f"{when}  {label}  by {event.actor_niss or 'system':<11}  "
                f"enterprise {event.enterprise_number or '-':<10}  {what}  ip {event.ip_address or '-'}"
            )
        if not options["json"]:
            self.stdout.write(f"{len(rows)} event(s) about {niss}.")
