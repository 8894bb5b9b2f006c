"""Delete the API's rows nothing needs any longer, and print how many of each (docs/api.md, "What is
kept"): expired access tokens, assertion jti rows past their expiry, Idempotency-Keys past
``API_IDEMPOTENCY_KEEP_HOURS`` (at least 24), events older than ``API_EVENTS_KEEP_DAYS``, and the item
bodies of batches finished more than ``API_BATCH_PAYLOADS_KEEP_DAYS`` ago. Audited as a system action.

``sweep_outbox --loop`` runs it every hour with ``prune_tasks``; run it from cron otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from careerbreak.interruptions.pruning import api_prune

LABELS = {
    "access_tokens": "expired access token(s)",
    "assertion_jtis": "expired assertion jti(s)",
    "idempotency_keys": "idempotency key(s)",
    "events": "event(s)",
    "batch_payloads": "finished batch item bod(ies) emptied",
}


def summary(counts: dict[str, int]) -> str:
    return "Pruned the API: " + ", ".join(f"{counts[name]} {label}" for name, label in LABELS.items()) + "."


class Command(BaseCommand):
    help = "Delete expired API tokens and jtis, old idempotency keys and events, finished batches' bodies."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(summary(api_prune(now=timezone.now())))
