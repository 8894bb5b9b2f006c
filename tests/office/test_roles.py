"""Office roles: granted and revoked by ``manage.py office_role`` and in the administration, both through
the audited services; one active role a person; offices as reference data covering every demo domicile."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from careerbreak.core.errors import DomainError
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole, User
from careerbreak.identity.office_roles import office_role_grant
from careerbreak.registries.models import Office
from careerbreak.registries.sources import office_for_postcode
from tests.commands import run_command
from tests.office.conftest import Office as Cast

pytestmark = pytest.mark.django_db

NISS = demo_data.OFFICE_AGENT_NISS


def test_every_demo_domicile_has_an_office_and_sophie_s_is_the_demo_agent_s() -> None:
    assert Office.objects.count() == 3
    for person in demo_data.FIXED_PERSONS:
        assert office_for_postcode(person[7]) is not None, person
    assert office_for_postcode("1301").code == demo_data.OFFICE_AGENT_OFFICE  # Sophie Lambert, Bierges
    assert office_for_postcode("1000").code == "BXL" and office_for_postcode("9000").code == "VLA"
    assert office_for_postcode("L-1234") is None


def test_the_command_grants_lists_and_revokes_a_role_with_audit() -> None:
    status, out = run_command("office_role", "grant", "79.05.21-117.74", "agent", "--office", "wal")
    assert status == 0 and "WAL" in out
    role = OfficeRole.objects.active().get(niss=NISS)
    assert (role.kind, role.office.code) == ("agent", "WAL")
    assert NISS in run_command("office_role", "list")[1]
    status, out = run_command("office_role", "grant", NISS, "supervisor")
    assert status == 0
    assert OfficeRole.objects.active().get(niss=NISS).kind == "supervisor"
    assert OfficeRole.objects.filter(niss=NISS).count() == 2  # the first kept, revoked
    assert run_command("office_role", "revoke", NISS)[0] == 0
    assert not OfficeRole.objects.active().filter(niss=NISS).exists()
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "careerbreak.office_role.granted",
        "careerbreak.office_role.revoked",
        "careerbreak.office_role.granted",
        "careerbreak.office_role.revoked",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("grant", NISS, "agent"),  # an agent needs an office
        ("grant", NISS, "supervisor", "--office", "WAL"),  # a supervisor has none
        ("grant", NISS, "agent", "--office", "XXX"),
        ("grant", "79052111775", "agent", "--office", "WAL"),  # a wrong check digit
        ("revoke", NISS),  # holds none
    ],
)
def test_the_command_refuses_a_wrong_role_and_writes_nothing(args: tuple[str, ...]) -> None:
    status, out = run_command("office_role", *args)
    assert status == 1 and out
    assert not OfficeRole.objects.exists() and not AuditEvent.objects.exists()


def test_granting_the_same_role_again_changes_nothing() -> None:
    wal = Office.objects.get(code="WAL")
    first = office_role_grant(acting=Acting.system(), niss=NISS, kind="agent", office=wal)
    assert office_role_grant(acting=Acting.system(), niss=NISS, kind="agent", office=wal) == first
    assert AuditEvent.objects.count() == 1
    with pytest.raises(DomainError):
        office_role_grant(acting=Acting.system(), niss=NISS, kind="boss", office=None)


@pytest.fixture
def admin_client(login_as: Any) -> Any:
    User.objects.create_user("78041213507", is_staff=True, is_superuser=True)
    return login_as("78041213507")


def test_the_administration_grants_and_revokes_through_the_audited_services(admin_client: Any) -> None:
    wal = Office.objects.get(code="WAL")
    response = admin_client.post(
        reverse("admin:identity_officerole_add"), {"niss": NISS, "kind": "agent", "office": wal.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = OfficeRole.objects.active().get(niss=NISS)
    granted = AuditEvent.objects.get(action="careerbreak.office_role.granted")
    assert (granted.actor_niss, granted.subject_niss) == ("78041213507", NISS)
    response = admin_client.post(
        reverse("admin:identity_officerole_changelist"),
        {"action": "revoke", "_selected_action": [role.pk]},
    )
    assert response.status_code == 302
    assert not OfficeRole.objects.active().exists()
    assert AuditEvent.objects.get(action="careerbreak.office_role.revoked").actor_niss == "78041213507"


def test_the_administration_refuses_a_supervisor_with_an_office_on_the_form(admin_client: Any) -> None:
    wal = Office.objects.get(code="WAL")
    response = admin_client.post(
        reverse("admin:identity_officerole_add"), {"niss": NISS, "kind": "supervisor", "office": wal.pk}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not OfficeRole.objects.exists()


def test_a_role_is_never_deleted_in_the_administration(admin_client: Any, office: Cast) -> None:
    response = admin_client.get(reverse("admin:identity_officerole_delete", args=[office.agent.role.pk]))
    assert response.status_code == 403


def test_an_agent_without_the_administration_cannot_grant_roles(office: Cast, login_as: Any) -> None:
    client = login_as(office.agent.user.niss)
    assert client.get(reverse("admin:identity_officerole_add"), follow=True).status_code == 403
