"""Grant, revoke and list the roles of the employment office. Audited (identity/office_roles.py).

manage.py office_role grant NISS agent --office WAL
manage.py office_role grant NISS supervisor
manage.py office_role revoke NISS
manage.py office_role list [--all]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole
from careerbreak.identity.office_roles import office_role_grant, office_role_revoke, office_roles
from careerbreak.registries.models import Office


class Command(BaseCommand):
    help = "Grant, revoke or list the roles of the employment office (agents and supervisors)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        grant = commands.add_parser("grant", help="Make a person an agent of an office, or a supervisor.")
        grant.add_argument("niss")
        grant.add_argument("kind", choices=OfficeRole.Kind.values)
        grant.add_argument("--office", default="", help="The office's code (agents only).")
        revoke = commands.add_parser("revoke", help="Take a person's role away, at once.")
        revoke.add_argument("niss")
        listing = commands.add_parser("list", help="The active roles (--all: the revoked ones too).")
        listing.add_argument("--all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        acting = Acting.system()
        action = options["action"]
        if action == "list":
            for held in office_roles(active_only=not options["all"]):
                code = held.office.code if held.office else "*"
                revoked = f" revoked {held.revoked_at:%Y-%m-%d %H:%M}" if held.revoked_at else ""
                self.stdout.write(f"{held.niss} {held.kind} {code} since {held.granted_at:%Y-%m-%d}{revoked}")
            return
        if action == "revoke":
            revoked_role = office_role_revoke(acting=acting, niss=options["niss"])
            if revoked_role is None:
                raise CommandError(f"{options['niss']} holds no office role.")
            self.stdout.write(f"{revoked_role.niss} is no longer {revoked_role.kind}.")
            return
        office: Office | None = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"].upper()).first()
            if office is None:
                codes = ", ".join(Office.objects.values_list("code", flat=True))
                raise CommandError(f"No office {options['office']!r}; the offices are: {codes}.")
        try:
            role = office_role_grant(acting=acting, niss=options["niss"], kind=options["kind"], office=office)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        where = f" of {role.office.code}" if role.office else " of every office"
        self.stdout.write(f"{role.niss} is {role.kind}{where}.")
