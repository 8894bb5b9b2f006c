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
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from careerbreak.identity.access import EnterpriseAccess
    from careerbreak.identity.models import User
    from careerbreak.registries.models import Enterprise


class Via(models.TextChoices):
    """How the person acts: for an enterprise (grant or mandate), for themselves, or as the system."""

    GRANT = "grant", _("Access granted by the enterprise")
    MANDATE = "mandate", _("Mandate of a social secretariat")
    SELF = "self", _("For themselves")
    SYSTEM = "system", _("The service itself")


@dataclass(frozen=True)
class Acting:
    niss: str
    assurance_level: int | None
    via: Via
    user: User | None = None
    access: EnterpriseAccess | None = None
    ip_address: str | None = None

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
    def system(cls) -> Acting:
        return cls(niss="", assurance_level=None, via=Via.SYSTEM)
