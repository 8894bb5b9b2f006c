"""The user, their access at the enterprise their session acts for and their office role are read in one
query per request (``identity.request_identity``, ADR 0027), and nothing of it outlives the request: every
way of ending an access takes effect at the very next request, and one person's access is never anyone
else's. The API's bearer token and mandate are read on every call too."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careerbreak.demo import data as demo_data
from careerbreak.identity.access import access_revoke
from careerbreak.identity.api_clients import api_client_revoke, api_client_rotate
from careerbreak.identity.models import AccessGrant, ApiClient, Mandate, OfficeRole, User
from careerbreak.identity.office_roles import office_role_revoke
from careerbreak.identity.request_identity import load_user, request_identity
from careerbreak.registries.models import Enterprise
from tests.api.conftest import ApiCaller, body
from tests.conftest import (
    ACME_NUMBER,
    ALICE_NISS,
    BOB_NISS,
    LUC_NISS,
    OSCAR_NISS,
    OTHER_NUMBER,
    LoginAs,
)
from tests.factories import ApiClientFactory, acting_for, api_token, user_for
from tests.office.conftest import Member, _member, client_of

pytestmark = pytest.mark.django_db

COMPANY = "employer:company"
VALIDATE = "/api/v1/requests/validate"


def tables_read(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


def served(client: Client, name: str = COMPANY) -> bool:
    return client.get(reverse(name)).status_code == 200


# -- the one query ---------------------------------------------------------------------------------------


def test_the_user_is_read_with_their_grant_at_the_session_s_enterprise_in_one_query(
    world: dict[str, Any],
) -> None:
    alice = user_for(ALICE_NISS)
    with CaptureQueriesContext(connection) as queries:
        user = load_user(alice.pk, enterprise_number=ACME_NUMBER)
    assert len(queries.captured_queries) == 1
    assert user is not None and user.pk == alice.pk and user.niss == ALICE_NISS
    identity = request_identity(user)
    assert identity is not None and identity.grant is not None
    assert identity.grant.enterprise == world["acme"]
    assert identity.grant.enterprise.name == "Acme Bakery SRL"
    assert identity.grant.is_main_access_manager
    assert identity.office_role is None


def test_a_grant_elsewhere_a_revoked_grant_or_another_person_s_grant_is_not_read_as_the_user_s(
    world: dict[str, Any],
) -> None:
    oscar, bob = user_for(OSCAR_NISS), user_for(BOB_NISS)
    # Oscar's grant is at Other Logistics; Alice's and Bob's at Acme are theirs, not his.
    read = load_user(oscar.pk, enterprise_number=ACME_NUMBER)
    assert read is not None and request_identity(read).grant is None  # type: ignore[union-attr]
    read = load_user(oscar.pk, enterprise_number=OTHER_NUMBER)
    assert read is not None and request_identity(read).grant is not None  # type: ignore[union-attr]
    AccessGrant.objects.filter(niss=BOB_NISS).update(revoked_at=timezone.now())
    read = load_user(bob.pk, enterprise_number=ACME_NUMBER)
    assert read is not None and request_identity(read).grant is None  # type: ignore[union-attr]
    assert load_user(10**9, enterprise_number=ACME_NUMBER) is None


def test_the_employer_guard_reads_no_grant_of_its_own_and_a_mandate_only_without_a_grant(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    alice = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    with CaptureQueriesContext(connection) as queries:
        assert served(alice)
    grant_reads = [sql for sql in tables_read(queries) if 'FROM "identity_accessgrant"' in sql]
    mandate_reads = [sql for sql in tables_read(queries) if 'FROM "identity_mandate"' in sql]
    assert (grant_reads, mandate_reads) == ([], [])
    luc = login_as(LUC_NISS, enterprise=ACME_NUMBER)  # through the secretariat's mandate
    with CaptureQueriesContext(connection) as queries:
        assert served(luc)
    assert len([sql for sql in tables_read(queries) if 'FROM "identity_mandate"' in sql]) == 1
    assert not [sql for sql in tables_read(queries) if 'FROM "identity_accessgrant"' in sql]


@pytest.fixture
def agent(db: None) -> Member:
    return _member(demo_data.OFFICE_AGENT_NISS, "Julien", "Moreau")


def test_the_office_guard_reads_no_role_of_its_own(agent: Member) -> None:
    client = client_of(agent)
    with CaptureQueriesContext(connection) as queries:
        assert served(client, "office:queue")
    assert not [sql for sql in tables_read(queries) if 'FROM "identity_officerole"' in sql]


def test_a_session_made_before_the_one_query_backend_still_works_through_its_own_queries(
    world: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(user_for(ALICE_NISS), backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["assurance_level"] = 500
    session["acting_enterprise"] = ACME_NUMBER
    session.save()
    assert served(client)
    AccessGrant.objects.filter(niss=ALICE_NISS).update(revoked_at=timezone.now())
    assert not served(client)


# -- every revocation takes effect at the very next request -----------------------------------------------


def test_a_grant_revoked_by_the_manager_refuses_the_next_page(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    bob = login_as(BOB_NISS, enterprise=ACME_NUMBER)
    assert served(bob)
    grant = AccessGrant.objects.get(niss=BOB_NISS)
    access_revoke(acting=acting_for(user_for(ALICE_NISS), world["acme"]), grant_id=grant.pk)
    response = bob.get(reverse(COMPANY))
    assert response.status_code == 302 and response["Location"] == reverse("employer:no_access")


def test_an_ended_mandate_refuses_the_secretariat_s_next_page(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    luc = login_as(LUC_NISS, enterprise=ACME_NUMBER)
    assert served(luc)
    Mandate.objects.filter(employer=world["acme"]).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert luc.get(reverse(COMPANY)).status_code == 302


def test_a_revoked_grant_at_the_secretariat_ends_acting_under_its_mandates(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    luc = login_as(LUC_NISS, enterprise=ACME_NUMBER)
    assert served(luc)
    AccessGrant.objects.filter(niss=LUC_NISS).update(revoked_at=timezone.now())
    assert luc.get(reverse(COMPANY)).status_code == 302


def test_a_revoked_office_role_refuses_the_next_page(agent: Member) -> None:
    client = client_of(agent)
    assert served(client, "office:queue")
    supervisor = _member(demo_data.OFFICE_SUPERVISOR_NISS, "Anne", "Delcourt", kind="supervisor")
    office_role_revoke(acting=supervisor.acting, niss=agent.user.niss)
    assert client.get(reverse("office:queue")).status_code == 403
    assert not OfficeRole.objects.active().filter(niss=agent.user.niss).exists()


def test_a_deactivated_user_is_logged_out_at_the_next_request(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    alice = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    assert served(alice)
    User.objects.filter(niss=ALICE_NISS).update(is_active=False)
    response = alice.get(reverse(COMPANY))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_logged_out_session_is_not_served_again(world: dict[str, Any], login_as: LoginAs) -> None:
    alice = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    assert served(alice)
    cookie = alice.cookies["sessionid"].value
    alice.post(reverse("identity:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(reverse(COMPANY)).status_code == 302


# -- one person's access is never another's --------------------------------------------------------------


def test_two_people_in_turn_each_get_their_own_access_only(world: dict[str, Any], login_as: LoginAs) -> None:
    alice = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    oscar = login_as(OSCAR_NISS, enterprise=OTHER_NUMBER)
    for _ in range(2):
        assert "Acme Bakery SRL" in alice.get(reverse(COMPANY)).content.decode()
        page = oscar.get(reverse(COMPANY)).content.decode()
        assert "Other Logistics SA" in page and "Acme Bakery SRL" not in page
    # Oscar's session names Acme (as if he had chosen it): Alice's grant there is not his.
    session = oscar.session
    session["acting_enterprise"] = ACME_NUMBER
    session.save()
    response = oscar.get(reverse(COMPANY))
    assert response.status_code == 302 and reverse("employer:choose_enterprise") in response["Location"]
    assert served(alice)


def test_a_session_is_read_for_the_user_it_names(world: dict[str, Any], login_as: LoginAs) -> None:
    oscar = login_as(OSCAR_NISS, enterprise=ACME_NUMBER)
    assert oscar.session[SESSION_KEY] == str(user_for(OSCAR_NISS).pk)
    assert oscar.get(reverse(COMPANY)).status_code == 302


# -- the API: the token and the mandate on every call -----------------------------------------------------


def program_of(number: str, manager_niss: str) -> ApiClient:
    return ApiClientFactory(
        enterprise=Enterprise.objects.get(number=number), registered_by=user_for(manager_niss)
    )


@pytest.fixture
def bakery_program(demo: None) -> ApiClient:
    return program_of(demo_data.BOULANGERIE_DUBOIS_NUMBER, demo_data.JEAN_DUBOIS_NISS)


@pytest.mark.parametrize("end", [api_client_revoke, api_client_rotate], ids=["revoked", "rotated"])
def test_a_revoked_or_rotated_api_client_s_token_is_refused_at_the_next_call(
    bakery_program: ApiClient, end: Any
) -> None:
    caller = ApiCaller(api_token(bakery_program))
    assert caller.post(VALIDATE, body()).status_code == 200
    jean = acting_for(user_for(demo_data.JEAN_DUBOIS_NISS), bakery_program.enterprise)
    end(acting=jean, client_id=bakery_program.client_id)
    assert caller.post(VALIDATE, body()).status_code == 401


def test_an_ended_mandate_refuses_the_secretariat_s_next_call(demo: None) -> None:
    program = program_of(demo_data.SECUPAY_NUMBER, demo_data.SECUPAY_MANAGER_NISS)
    caller = ApiCaller(api_token(program))
    assert caller.post(VALIDATE, body()).status_code == 200
    Mandate.objects.filter(
        secretariat=program.enterprise, employer__number=demo_data.BOULANGERIE_DUBOIS_NUMBER
    ).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert caller.post(VALIDATE, body()).status_code == 403
