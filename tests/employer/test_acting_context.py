"""The guards build one acting context per request (``request.acting``), which views hand to services:
who acts, at which assurance level, for which enterprise and how (grant or mandate), from where."""

from __future__ import annotations

from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity.acting import Via
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, LUC_NISS, NINA_NISS, SECRETARIAT_NUMBER


def test_a_user_with_a_grant_acts_for_the_enterprise_through_the_grant(world, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as(ALICE_NISS, enterprise=ACME_NUMBER).get(reverse("employer:company"))

    acting = response.wsgi_request.acting
    assert (acting.niss, acting.via, acting.enterprise_number, acting.assurance_level) == (
        ALICE_NISS,
        Via.GRANT,
        ACME_NUMBER,
        500,
    )
    assert acting.secretariat is None


def test_a_secretariat_s_user_acts_under_its_mandate_and_the_audit_says_for_whom(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(LUC_NISS, assurance_level=450, enterprise=ACME_NUMBER)

    response = client.post(reverse("employer:company"))

    acting = response.wsgi_request.acting
    assert (acting.via, acting.enterprise_number, acting.secretariat.number) == (
        Via.MANDATE,
        ACME_NUMBER,
        SECRETARIAT_NUMBER,
    )
    event = AuditEvent.objects.get(action="careerbreak.company_data.checked")
    assert (event.actor_niss, event.enterprise_number, event.assurance_level, event.ip_address) == (
        LUC_NISS,
        ACME_NUMBER,
        450,
        "127.0.0.1",
    )


def test_before_choosing_an_enterprise_the_person_acts_for_no_enterprise(world, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as(NINA_NISS).get(reverse("employer:logged_in"))

    acting = response.wsgi_request.acting
    assert (acting.niss, acting.via, acting.enterprise) == (NINA_NISS, Via.SELF, None)


def test_the_worker_acts_for_themselves(world, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as(BOB_NISS, assurance_level=450).get(reverse("worker:home"))

    assert response.status_code == 200
    acting = response.wsgi_request.acting
    assert (acting.niss, acting.via, acting.enterprise, acting.assurance_level) == (
        BOB_NISS,
        Via.SELF,
        None,
        450,
    )


def test_an_outsider_gets_no_acting_context_for_the_enterprise(world, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as(NINA_NISS, enterprise=ACME_NUMBER).get(reverse("employer:company"))

    assert response.status_code == 302
    assert response.wsgi_request.acting.enterprise is None
