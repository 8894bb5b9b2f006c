"""The acting context: who acts, for which enterprise and how, and what the audit records of it."""

from __future__ import annotations

from careerbreak.core.audit import audit_log
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.identity.acting import Acting, Via
from careerbreak.identity.models import User
from careerbreak.registries.models import Enterprise


def _enterprise(number: str, name: str) -> Enterprise:
    return Enterprise(number=number, name=name)


def test_a_grant_and_a_mandate_say_how_the_person_acts() -> None:
    user = User(niss="85073003328")
    employer = _enterprise("0403170701", "Employer")
    secretariat = _enterprise("0202239951", "Secretariat")

    direct = Acting.for_enterprise(
        user=user, access=EnterpriseAccess(enterprise=employer, role="main"), assurance_level=500
    )
    mandated = Acting.for_enterprise(
        user=user, access=EnterpriseAccess(enterprise=employer, via=secretariat), assurance_level=450
    )

    assert (direct.via, direct.enterprise_number, direct.secretariat) == (Via.GRANT, "0403170701", None)
    assert (mandated.via, mandated.enterprise_number, mandated.secretariat) == (
        Via.MANDATE,
        "0403170701",
        secretariat,
    )
    assert Acting.for_self(user=user, assurance_level=500).enterprise is None
    assert Acting.system().via == Via.SYSTEM


def test_the_audit_row_records_the_acting_person_unless_told_otherwise(db: None) -> None:
    user = User(niss="85073003328")
    acting = Acting.for_enterprise(
        user=user,
        access=EnterpriseAccess(enterprise=_enterprise("0403170701", "Employer"), role="main"),
        assurance_level=450,
        ip_address="192.0.2.7",
    )

    row = audit_log(action="test.acted", acting=acting)
    explicit = audit_log(
        action="test.acted", acting=acting, enterprise_number="0202239951", assurance_level=500
    )

    assert (row.actor_niss, row.enterprise_number, row.assurance_level, row.ip_address) == (
        "85073003328",
        "0403170701",
        450,
        "192.0.2.7",
    )
    assert (explicit.enterprise_number, explicit.assurance_level) == ("0202239951", 500)
