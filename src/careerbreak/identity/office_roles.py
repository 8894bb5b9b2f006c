"""Granting and revoking the roles of the employment office (agent of one office, supervisor of all).

Called by ``manage.py office_role`` and by the administration (``identity/admin.py``): both go through
these services, so every grant and every revocation writes its audit event. A person holds at most one
active role; granting another one replaces it (the old row is revoked, kept).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole
from careerbreak.registries.identifiers import normalize_niss
from careerbreak.registries.models import Office


def _audit(acting: Acting, action: AuditAction, role: OfficeRole) -> None:
    audit_log(
        action=action,
        acting=acting,
        subject_niss=role.niss,
        object_type="office_role",
        object_id=role.pk,
        data={"kind": role.kind, "office": role.office.code if role.office else ""},
    )


def office_role_grant(*, acting: Acting, niss: str, kind: str, office: Office | None) -> OfficeRole:
    """Make ``niss`` an agent of ``office`` or a supervisor (``office`` None), from now.

    A role the person holds already is revoked in the same transaction (one active role a person).
    Raises DomainError (a malformed national number, an unknown kind, an agent without an office or a
    supervisor with one). Writes the role and one audit event per change; nothing when it raises.
    """
    try:
        niss = normalize_niss(niss)
    except Exception as exc:  # ValidationError: the message names the fault
        raise DomainError(
            _("Enter a national register number of 11 digits."), code="niss", field="niss"
        ) from exc
    if kind not in OfficeRole.Kind.values:
        raise DomainError(_("Choose agent or supervisor."), code="kind", field="kind")
    if (kind == OfficeRole.Kind.AGENT) != (office is not None):
        raise DomainError(
            _("An agent works for one office; a supervisor for none (they see every office)."),
            code="office",
            field="office",
        )
    with transaction.atomic():
        current = OfficeRole.objects.active().select_for_update().filter(niss=niss).first()
        if current is not None:
            if current.kind == kind and current.office_id == (office.pk if office else None):
                return current
            _revoke(acting, current)
        role = OfficeRole.objects.create(
            niss=niss, kind=kind, office=office, granted_at=timezone.now(), granted_by_niss=acting.niss
        )
        _audit(acting, AuditAction.OFFICE_ROLE_GRANTED, role)
    return role


def office_role_revoke(*, acting: Acting, niss: str) -> OfficeRole | None:
    """Revoke the active role of ``niss`` at once (the office guard re-reads it on every request).

    Returns the revoked role, or None when the person held none (nothing written). Audited.
    """
    with transaction.atomic():
        role = OfficeRole.objects.active().select_for_update().filter(niss=niss).first()
        if role is None:
            return None
        _revoke(acting, role)
    return role


def _revoke(acting: Acting, role: OfficeRole) -> None:
    role.revoked_at = timezone.now()
    role.revoked_by_niss = acting.niss
    role.save(update_fields=["revoked_at", "revoked_by_niss"])
    _audit(acting, AuditAction.OFFICE_ROLE_REVOKED, role)


def office_roles(*, active_only: bool = True) -> list[OfficeRole]:
    """The roles (the active ones by default), by national number."""
    roles = OfficeRole.objects.select_related("office")
    return list(roles.active() if active_only else roles.all())
