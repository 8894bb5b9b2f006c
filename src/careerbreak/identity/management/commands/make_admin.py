"""Give a person (by national number) access to the administration, or take it away. Audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.identity.models import User
from careerbreak.registries.identifiers import normalize_niss
from careerbreak.registries.sources import national_register


class Command(BaseCommand):
    help = "Make the person with this national number an administrator (they log in with eID or itsme)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("niss")
        parser.add_argument("--revoke", action="store_true", help="Take the administration away.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            niss = normalize_niss(options["niss"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        person = national_register().get_person(niss)
        if person is None:
            raise CommandError(f"{niss} is not known to the national register.")
        revoke = options["revoke"]
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                niss=niss, defaults={"first_name": person.first_name, "last_name": person.last_name}
            )
            user.is_staff = user.is_superuser = not revoke
            user.save(update_fields=["is_staff", "is_superuser"])
            audit_log(
                action=AuditAction.ADMIN_REVOKED if revoke else AuditAction.ADMIN_GRANTED,
                object_type="user",
                object_id=niss,
            )
        state = "no longer an administrator" if revoke else "an administrator"
        self.stdout.write(f"{person.full_name} ({niss}) is {state}.")
