"""Who may act for which enterprise: reads (selectors) and writes (services) on grants and mandates.

A person acts for an enterprise either through an active access grant at that enterprise, or through a
grant at a social secretariat that holds a mandate of that enterprise valid today.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, PermissionDenied
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import AccessGrant, Domain, Mandate, Role, User
from careerbreak.registries.lookups import person_lookup
from careerbreak.registries.models import Enterprise
from careerbreak.registries.sources import dimona, national_register


@dataclass(frozen=True)
class EnterpriseAccess:
    """The user may act for ``enterprise``: with ``role`` there, or through the mandate of ``via``
    (``mandate``: the one read to allow it, that the version filed under it records)."""

    enterprise: Enterprise
    role: str | None = None
    via: Enterprise | None = None
    mandate: Mandate | None = None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def is_main_access_manager(self) -> bool:
        return self.role == Role.MAIN_ACCESS_MANAGER

    @property
    def can_manage_access(self) -> bool:
        return self.role in {Role.MAIN_ACCESS_MANAGER, Role.ACCESS_MANAGER}


def enterprise_accesses(
    *, user: User, domain: str = Domain.CAREER_BREAK, on: datetime.date | None = None
) -> list[EnterpriseAccess]:
    """Every enterprise the user may act for today, direct grants first, then mandated employers."""
    day = on or timezone.localdate()
    grants = list(
        AccessGrant.objects.active()
        .filter(niss=user.niss, domain=domain)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    result = [EnterpriseAccess(enterprise=g.enterprise, role=g.role) for g in grants]
    seen = {g.enterprise_id for g in grants}
    secretariat_ids = [g.enterprise_id for g in grants if g.enterprise.is_social_secretariat]
    if secretariat_ids:
        mandates = (
            Mandate.objects.valid_on(day)
            .filter(secretariat_id__in=secretariat_ids, domain=domain)
            .select_related("employer", "secretariat")
            .order_by("employer__name")
        )
        for mandate in mandates:
            if mandate.employer_id not in seen:
                seen.add(mandate.employer_id)
                result.append(EnterpriseAccess(enterprise=mandate.employer, via=mandate.secretariat))
    return result


def enterprise_access(
    *,
    user: User,
    enterprise_number: str,
    domain: str = Domain.CAREER_BREAK,
    on: datetime.date | None = None,
    grant_checked: bool = False,
) -> EnterpriseAccess | None:
    """The user's access to one enterprise, or None. Checked again on every request.

    Looks at that enterprise only (a grant there, or a mandate it gave to a secretariat where the user has
    a grant), so that a secretariat with a thousand mandates costs the same as a small employer.
    ``grant_checked``: the caller read in this request that the user has no grant there (the guards, with
    the user: ``identity.request_identity``); only the mandates are looked at.
    """
    day = on or timezone.localdate()
    if not grant_checked:
        grant = (
            AccessGrant.objects.active()
            .filter(niss=user.niss, domain=domain, enterprise__number=enterprise_number)
            .select_related("enterprise")
            .first()
        )
        if grant is not None:
            return EnterpriseAccess(enterprise=grant.enterprise, role=grant.role)
    mandate = (
        Mandate.objects.valid_on(day)
        .filter(
            domain=domain,
            employer__number=enterprise_number,
            secretariat__is_social_secretariat=True,
            secretariat__access_grants__niss=user.niss,
            secretariat__access_grants__domain=domain,
            secretariat__access_grants__revoked_at__isnull=True,
        )
        .select_related("employer", "secretariat")
        .first()
    )
    if mandate is not None:
        return EnterpriseAccess(enterprise=mandate.employer, via=mandate.secretariat, mandate=mandate)
    return None


def organisation_access(
    *,
    organisation: Enterprise,
    enterprise_number: str,
    domain: str = Domain.CAREER_BREAK,
    on: datetime.date | None = None,
) -> EnterpriseAccess | None:
    """Whether an organisation itself (an API client's enterprise, not a person) may act for an
    enterprise: it is that enterprise, or a social secretariat holding its mandate on that day."""
    if organisation.number == enterprise_number:
        return EnterpriseAccess(enterprise=organisation)
    mandate = organisation_mandate(
        organisation=organisation, enterprise_number=enterprise_number, domain=domain, on=on
    )
    return organisation_access_through(
        organisation=organisation, enterprise_number=enterprise_number, mandate=mandate
    )


def organisation_mandate(
    *,
    organisation: Enterprise,
    enterprise_number: str,
    domain: str = Domain.CAREER_BREAK,
    on: datetime.date | None = None,
) -> Mandate | None:
    """The mandate ``enterprise_number`` gave ``organisation`` valid on that day (today), the latest
    start first, with both enterprises; None without one. ``organisation_access``'s query."""
    day = on or timezone.localdate()
    return (
        Mandate.objects.valid_on(day)
        .filter(domain=domain, employer__number=enterprise_number, secretariat=organisation)
        .select_related("employer", "secretariat")
        .first()
    )


def organisation_access_through(
    *, organisation: Enterprise, enterprise_number: str, mandate: Mandate | None
) -> EnterpriseAccess | None:
    """``organisation_access`` given the mandate it reads (the one ``enterprise_number`` gave
    ``organisation`` valid on the day, or None), read by the caller along with something else (the API's
    token: ``api_tokens.token_and_mandate``)."""
    if organisation.number == enterprise_number:
        return EnterpriseAccess(enterprise=organisation)
    if mandate is None or not organisation.is_social_secretariat:
        return None
    return EnterpriseAccess(enterprise=mandate.employer, via=mandate.secretariat, mandate=mandate)


def has_several_enterprises(
    *, user: User, domain: str = Domain.CAREER_BREAK, on: datetime.date | None = None
) -> bool:
    """Whether the user may act for more than one enterprise (to offer "Change enterprise").

    One query for most users; a second only for a secretariat user with a single grant.
    """
    day = on or timezone.localdate()
    grants = list(
        AccessGrant.objects.active()
        .filter(niss=user.niss, domain=domain)
        .values_list("enterprise__is_social_secretariat", flat=True)[:2]
    )
    if len(grants) != 1:
        return len(grants) > 1
    if not grants[0]:
        return False
    return (
        Mandate.objects.valid_on(day)
        .filter(
            domain=domain,
            secretariat__is_social_secretariat=True,
            secretariat__access_grants__niss=user.niss,
            secretariat__access_grants__domain=domain,
            secretariat__access_grants__revoked_at__isnull=True,
        )
        .exists()
    )


def access_managers(*, enterprise: Enterprise, domain: str = Domain.CAREER_BREAK) -> list[tuple[str, str]]:
    """(name, role label) of the people who can grant access to the enterprise. Names only, no numbers."""
    grants = AccessGrant.objects.active().filter(
        enterprise=enterprise, domain=domain, role__in=[Role.MAIN_ACCESS_MANAGER, Role.ACCESS_MANAGER]
    )
    register = national_register()
    result = []
    for grant in grants.order_by("role", "niss"):
        person = register.get_person(grant.niss)
        name = person.full_name if person else grant.niss
        result.append((name, str(Role(grant.role).label)))
    return result


def is_tied_to(
    *, user: User, enterprise: Enterprise, domain: str = Domain.CAREER_BREAK, on: datetime.date | None = None
) -> bool:
    """Whether the user has a reason to learn who manages access at the enterprise: it employs them today
    (Dimona), or they held access there before (a revoked grant). Anyone else is told nothing."""
    day = on or timezone.localdate()
    if dimona().is_employed(enterprise, user.niss, on=day):
        return True
    return AccessGrant.objects.filter(enterprise=enterprise, domain=domain, niss=user.niss).exists()


def active_grants(*, enterprise: Enterprise, domain: str = Domain.CAREER_BREAK) -> list[AccessGrant]:
    return list(
        AccessGrant.objects.active().filter(enterprise=enterprise, domain=domain).order_by("role", "niss")
    )


def _grantable_roles(manager_role: str | None) -> set[str]:
    if manager_role == Role.MAIN_ACCESS_MANAGER:
        return {Role.ACCESS_MANAGER, Role.USER}
    if manager_role == Role.ACCESS_MANAGER:
        return {Role.USER}
    return set()


def _managing(acting: Acting) -> tuple[User, EnterpriseAccess]:
    """The user and their access at the enterprise they act for (grant and revoke act there only)."""
    user, _enterprise = acting.employer()  # raises without an access
    return user, cast(EnterpriseAccess, acting.access)


def grantable_roles(*, access: EnterpriseAccess) -> list[tuple[str, str]]:
    allowed = _grantable_roles(access.role)
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


def access_grant(*, acting: Acting, niss: str, last_name: str, role: str) -> AccessGrant:
    """Grant ``niss`` the ``role`` at the actor's enterprise.

    Preconditions: the actor manages access there (main access manager: access managers and users;
    access manager: users); the national register knows this number with this last name; the person has
    no active grant yet. An unknown number and a wrong name get the same answer, so that typing numbers
    reveals no one's name. Raises PermissionDenied or DomainError (with ``field``). Writes the grant and
    an audit event; the look-up is audited whatever its outcome.
    """
    actor, access = _managing(acting)
    if role not in _grantable_roles(access.role):
        raise PermissionDenied(_("You may not grant this role."), field="role")
    found = person_lookup(
        acting=acting,
        enterprise=access.enterprise,
        niss=niss,
        purpose="access_grant",
        last_name=last_name,
    )
    if not found.found:
        raise DomainError(
            _(
                "No person is known with this national register number and this last name. Check both "
                "against the person's identity card."
            ),
            code="unknown_person",
            field="niss",
        )
    try:
        with transaction.atomic():
            grant = AccessGrant.objects.create(
                niss=niss, enterprise=access.enterprise, role=role, granted_by_niss=actor.niss
            )
            audit_log(
                action=AuditAction.ACCESS_GRANTED,
                acting=acting,
                subject_niss=niss,
                object_type="access_grant",
                object_id=grant.pk,
                data={"niss": niss, "role": role},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("This person already has access to this enterprise. Revoke it first to change the role."),
            code="already_granted",
            field="niss",
        ) from exc
    return grant


def may_revoke(*, acting: Acting, niss: str, role: str) -> bool:
    """Whether the user may revoke the access of ``niss`` with ``role``: never their own, and only the
    roles they may grant."""
    actor, access = _managing(acting)
    return niss != actor.niss and role in _grantable_roles(access.role)


def grant_to_revoke(*, acting: Acting, grant_id: int) -> AccessGrant | None:
    """The active grant at the actor's enterprise that they may revoke (for the question before it), or
    None: another enterprise's, revoked already, or one they may not revoke."""
    _actor, access = _managing(acting)
    grant = AccessGrant.objects.active().filter(pk=grant_id, enterprise=access.enterprise).first()
    if grant is None or not may_revoke(acting=acting, niss=grant.niss, role=grant.role):
        return None
    return grant


def access_revoke(*, acting: Acting, grant_id: int) -> AccessGrant:
    """Revoke an active grant at the actor's enterprise.

    A main access manager revokes access managers and users; an access manager, users. Nobody revokes a
    main access manager here (the legal representative designates them) nor their own access.
    """
    actor, access = _managing(acting)
    with transaction.atomic():
        grant = (
            AccessGrant.objects.active()
            .select_for_update()
            .filter(pk=grant_id, enterprise=access.enterprise)
            .first()
        )
        if grant is None:
            raise DomainError(_("This access no longer exists."), code="not_found")
        if not may_revoke(acting=acting, niss=grant.niss, role=grant.role):
            raise PermissionDenied(_("You may not revoke this access."))
        grant.revoked_at = timezone.now()
        grant.revoked_by_niss = actor.niss
        grant.save(update_fields=["revoked_at", "revoked_by_niss"])
        audit_log(
            action=AuditAction.ACCESS_REVOKED,
            acting=acting,
            subject_niss=grant.niss,
            object_type="access_grant",
            object_id=grant.pk,
            data={"niss": grant.niss, "role": grant.role},
        )
    return grant


def organisation_scope(
    *, organisation: Enterprise, enterprise_field: str, since_field: str = "", on: datetime.date | None = None
) -> Q:
    """The rows (of any model with an enterprise) an organisation may read through the API: its own
    enterprise's, and those of the employers whose mandate it holds on ``on`` (today). With
    ``since_field`` (a date of the row), only the rows dated within such a mandate, too: a secretariat
    that takes over an employer does not read what happened under its predecessor."""
    own = Q(**{enterprise_field: organisation.pk})
    if not organisation.is_social_secretariat:
        return own
    day = on or timezone.localdate()
    mandates = Mandate.objects.valid_on(day).filter(
        domain=Domain.CAREER_BREAK, secretariat=organisation, employer=OuterRef(enterprise_field)
    )
    if since_field:
        mandates = mandates.filter(valid_from__lte=OuterRef(since_field))
    return own | Q(Exists(mandates))
