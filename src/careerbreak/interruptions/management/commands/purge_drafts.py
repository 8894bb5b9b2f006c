"""Delete drafts of the employer part that expired (DRAFT_TTL_DAYS after their last change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from careerbreak.interruptions.models import Draft


class Command(BaseCommand):
    help = "Delete expired drafts that were never confirmed. Run it daily (cron or a scheduled task)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, _detail = Draft.objects.filter(expires_at__lte=timezone.now(), request__isnull=True).delete()
        self.stdout.write(f"Deleted {deleted} expired draft(s).")
