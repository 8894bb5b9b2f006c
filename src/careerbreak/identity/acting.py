"""Who is acting: the one typed context the guards build and views pass to services and selectors.

A service never sees an ``HttpRequest``: it receives an ``Acting`` that says who the person is, how
strongly they logged in, for which enterprise they act and how (their own grant there, or the mandate
of the social secretariat where they hold one), and the client address the audit records. The worker
acts for themselves (``enterprise`` is None); the system (tasks, commands) acts as ``Acting.system()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import client_ip
from careerbreak.core.errors import PermissionDenied

if TYPE_CHECKING:
    from careerbreak.identity.access import EnterpriseAccess
    from careerbreak.identity.models import OfficeRole, User
    from careerbreak.registries.models import Enterprise


class Via(models.TextChoices):
    """How the person acts: for an enterprise (grant or mandate), for themselves, or as the system."""

    GRANT = "grant", _("Access granted by the enterprise")
    MANDATE = "mandate", _("Mandate of a social secretariat")
    SELF = "self", _("For themselves")
    SYSTEM = "system", _("The service itself")
    OFFICE = "office", _("Agent of the employment office")
    API = "api", _("API client of the enterprise")


@dataclass(frozen=True)
class Acting:
    """Who acts: the person (``niss``, ``user``), how strongly they logged in, and for which enterprise
    through which access (``access``: a grant there, or a secretariat's mandate)."""

    niss: str
    assurance_level: int | None
    via: Via
    user: User | None = None
    access: EnterpriseAccess | None = None
    ip_address: str | None = None
    # An agent's or supervisor's role at the employment office (``via`` is OFFICE).
    office_role: OfficeRole | None = None
    # The API client that made the call (``via`` is API): its client_id, for the audit.
    api_client_id: str = ""

    @property
    def enterprise(self) -> Enterprise | None:
        return self.access.enterprise if self.access is not None else None

    @property
    def enterprise_number(self) -> str:
        enterprise = self.enterprise
        return enterprise.number if enterprise is not None else ""

    @property
    def secretariat(self) -> Enterprise | None:
        """The social secretariat whose mandate the person acts under, if any."""
        return self.access.via if self.access is not None else None

    def employer(self) -> tuple[User, Enterprise]:
        """The user and the enterprise they act for, for a service that acts for an enterprise only.

        Raises PermissionDenied for a person acting for themselves or the system: a guard let through
        something it should not have (the employer guards always build an enterprise's acting context).
        """
        if self.user is None or self.access is None:
            raise PermissionDenied(_("You do not act for an enterprise."), code="no_enterprise")
        return self.user, self.access.enterprise

    @property
    def level(self) -> int:
        """The assurance level, for the rows that record it (0 when unknown: the system)."""
        return self.assurance_level or 0

    @classmethod
    def for_enterprise(
        cls,
        *,
        user: User,
        access: EnterpriseAccess,
        assurance_level: int | None,
        ip_address: str | None = None,
    ) -> Acting:
        return cls(
            niss=user.niss,
            assurance_level=assurance_level,
            via=Via.MANDATE if access.via is not None else Via.GRANT,
            user=user,
            access=access,
            ip_address=ip_address,
        )

    @classmethod
    def for_self(cls, *, user: User, assurance_level: int | None, ip_address: str | None = None) -> Acting:
        return cls(
            niss=user.niss, assurance_level=assurance_level, via=Via.SELF, user=user, ip_address=ip_address
        )

    @classmethod
    def from_request(
        cls, request: HttpRequest, *, user: User, assurance_level: int | None, access: EnterpriseAccess | None
    ) -> Acting:
        """What a guard builds: for the enterprise of ``access``, or for oneself without one."""
        ip_address = client_ip(request)
        if access is None:
            return cls.for_self(user=user, assurance_level=assurance_level, ip_address=ip_address)
        return cls.for_enterprise(
            user=user, access=access, assurance_level=assurance_level, ip_address=ip_address
        )

    @classmethod
    def for_office(
        cls, *, user: User, role: OfficeRole, assurance_level: int | None, ip_address: str | None = None
    ) -> Acting:
        """An agent (of ``role.office``) or a supervisor (every office) of the employment office."""
        return cls(
            niss=user.niss,
            assurance_level=assurance_level,
            via=Via.OFFICE,
            user=user,
            ip_address=ip_address,
            office_role=role,
        )

    @classmethod
    def system(cls) -> Acting:
        return cls(niss="", assurance_level=None, via=Via.SYSTEM)


class ActingRequest(HttpRequest):
    """A request past an interface's guard (typing only): ``acting`` is what views hand to services."""

    user: User
    acting: Acting
