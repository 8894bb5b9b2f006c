"""The page where a main access manager grants and revokes access by national number."""

import pytest
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import AccessGrant, Role
from careerbreak.registries.identifiers import format_niss
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, LUC_NISS, NINA_NISS, OSCAR_NISS, OTHER_NUMBER

pytestmark = pytest.mark.django_db


def test_the_main_access_manager_sees_everyone_with_access(world, login_as) -> None:  # type: ignore[no-untyped-def]
    body = login_as(ALICE_NISS, enterprise=ACME_NUMBER).get(reverse("employer:access")).content.decode()
    assert "Alice Manager" in body and "Bob User" in body
    assert "Oscar Outsider" not in body


def test_the_main_access_manager_grants_access_by_national_number_with_any_punctuation(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(
        reverse("employer:access"), {"niss": "81.11.03-244.86", "last_name": "nobody", "role": Role.USER}
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.active().get(niss=NINA_NISS)
    assert grant.enterprise.number == ACME_NUMBER
    assert grant.granted_by_niss == ALICE_NISS
    event = AuditEvent.objects.get(action="careerbreak.access.granted")
    assert event.actor_niss == ALICE_NISS and event.data == {"niss": NINA_NISS, "role": Role.USER}
    assert event.subject_niss == NINA_NISS
    lookup = AuditEvent.objects.get(action="careerbreak.person.looked_up")
    assert (lookup.actor_niss, lookup.enterprise_number, lookup.subject_niss) == (
        ALICE_NISS,
        ACME_NUMBER,
        NINA_NISS,
    )
    assert lookup.data["found"] is True and lookup.data["purpose"] == "access_grant"


def test_the_new_user_can_then_act_for_the_enterprise(world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(ALICE_NISS, enterprise=ACME_NUMBER).post(
        reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Nobody", "role": "user"}
    )
    response = login_as(NINA_NISS).get(reverse("employer:choose_enterprise"))
    assert response["Location"] == reverse("employer:company")


@pytest.mark.parametrize(
    ("niss", "message"),
    [
        ("81110324487", "chiffre de contrôle"),
        ("8111", "11 chiffres"),
        ("85073003328", "ce nom de famille"),  # valid, but not a known person
        ("", "Ce champ est obligatoire"),
    ],
)
def test_a_wrong_national_number_is_refused_with_a_message_naming_what_to_do(
    world, login_as, niss: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(reverse("employer:access"), {"niss": niss, "last_name": "Nobody", "role": "user"})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Erreur" in body
    assert AccessGrant.objects.count() == 4


def test_a_number_with_the_wrong_last_name_gets_the_same_answer_as_an_unknown_number_and_no_name(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    wrong_name = client.post(
        reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Smith", "role": "user"}
    )
    unknown = client.post(
        reverse("employer:access"), {"niss": "85073003328", "last_name": "Smith", "role": "user"}
    )
    assert wrong_name.status_code == unknown.status_code == 400
    assert wrong_name.context["form"].errors == unknown.context["form"].errors
    assert "Nina" not in wrong_name.content.decode()
    assert not AccessGrant.objects.filter(niss=NINA_NISS).exists()
    looked_up = AuditEvent.objects.filter(action="careerbreak.person.looked_up", actor_niss=ALICE_NISS)
    assert sorted((e.subject_niss, e.data["found"]) for e in looked_up) == [
        ("81110324486", False),
        ("85073003328", False),
    ]


def test_the_last_name_matches_whatever_its_case_accents_and_spaces(world, login_as) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_person

    make_person("85073003328", "Zoë", "Van den Broeck-Müller")
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(
        reverse("employer:access"),
        {"niss": "85073003328", "last_name": "vandenbroeck muller", "role": "user"},
    )
    assert response.status_code == 302
    assert AccessGrant.objects.active().filter(niss="85073003328").exists()


def test_granting_twice_is_refused_without_a_second_grant(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(
        reverse("employer:access"), {"niss": BOB_NISS, "last_name": "User", "role": "user"}
    )
    assert response.status_code == 400
    assert "déjà accès" in response.content.decode()
    assert AccessGrant.objects.active().filter(niss=BOB_NISS).count() == 1


def test_a_role_posted_by_hand_that_may_not_be_granted_is_refused(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(
        reverse("employer:access"),
        {"niss": NINA_NISS, "last_name": "Nobody", "role": Role.MAIN_ACCESS_MANAGER},
    )
    assert response.status_code == 400
    assert not AccessGrant.objects.filter(niss=NINA_NISS).exists()


def test_the_main_access_manager_revokes_a_user(world, login_as) -> None:  # type: ignore[no-untyped-def]
    grant = AccessGrant.objects.get(niss=BOB_NISS)
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(reverse("employer:access_revoke", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by_niss == ALICE_NISS
    assert AuditEvent.objects.filter(action="careerbreak.access.revoked", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize(
    ("grant_niss", "actor_niss", "enterprise"),
    [
        pytest.param(ALICE_NISS, ALICE_NISS, ACME_NUMBER, id="the main access manager, their own access"),
        pytest.param(OSCAR_NISS, ALICE_NISS, ACME_NUMBER, id="a grant of another enterprise, by number"),
        pytest.param(BOB_NISS, OSCAR_NISS, OTHER_NUMBER, id="the outsider, at another enterprise"),
    ],
)
def test_a_grant_that_is_not_the_actor_s_to_revoke_stays(  # type: ignore[no-untyped-def]
    world, login_as, grant_niss, actor_niss, enterprise
) -> None:
    grant = AccessGrant.objects.get(niss=grant_niss)
    client = login_as(actor_niss, enterprise=enterprise)
    client.post(reverse("employer:access_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_plain_user_may_not_manage_access(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(BOB_NISS, enterprise=ACME_NUMBER)
    assert client.get(reverse("employer:access")).status_code == 403
    answer = client.post(
        reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Nobody", "role": "user"}
    )
    assert answer.status_code == 403
    assert not AccessGrant.objects.filter(niss=NINA_NISS).exists()


def test_a_secretariat_user_acting_through_a_mandate_may_not_manage_the_employer_s_access(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(LUC_NISS, enterprise=ACME_NUMBER)
    assert client.get(reverse("employer:access")).status_code == 403


def test_revoking_asks_first_naming_the_person_and_changes_nothing(world, login_as) -> None:  # type: ignore[no-untyped-def]
    grant = AccessGrant.objects.get(niss=BOB_NISS)
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.get(reverse("employer:access_revoke", args=[grant.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bob User" in body and "90.06.15-122.02" in body
    assert (
        f'action="{reverse("employer:access_revoke", args=[grant.pk])}"' in body and 'method="post"' in body
    )
    grant.refresh_from_db()
    assert grant.revoked_at is None
    # The list links to the question, it has no button that revokes at once.
    listing = client.get(reverse("employer:access")).content.decode()
    assert f'href="{reverse("employer:access_revoke", args=[grant.pk])}"' in listing
    assert f'action="{reverse("employer:access_revoke", args=[grant.pk])}"' not in listing


@pytest.mark.parametrize(
    ("grant_niss", "actor_niss", "enterprise", "status"),
    [
        pytest.param(ALICE_NISS, ALICE_NISS, ACME_NUMBER, 404, id="their own access"),
        pytest.param(OSCAR_NISS, ALICE_NISS, ACME_NUMBER, 404, id="a grant of another enterprise"),
        pytest.param(BOB_NISS, OSCAR_NISS, OTHER_NUMBER, 404, id="the outsider, at another enterprise"),
        pytest.param(BOB_NISS, BOB_NISS, ACME_NUMBER, 403, id="a plain user"),
        pytest.param(BOB_NISS, LUC_NISS, ACME_NUMBER, 403, id="a secretariat's user"),
    ],
)
def test_the_question_before_revoking_is_not_shown_to_whoever_may_not_revoke(  # type: ignore[no-untyped-def]
    world, login_as, grant_niss, actor_niss, enterprise, status
) -> None:
    grant = AccessGrant.objects.get(niss=grant_niss)
    response = login_as(actor_niss, enterprise=enterprise).get(
        reverse("employer:access_revoke", args=[grant.pk])
    )
    assert response.status_code == status
    assert format_niss(grant_niss) not in response.content.decode()


def test_the_messages_name_who_was_granted_and_who_was_revoked(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    granted = client.post(
        reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Nobody", "role": Role.USER}, follow=True
    )
    assert "Accès accordé à Nina Nobody (81.11.03-244.86). Rôle : Utilisateur." in granted.content.decode()
    grant = AccessGrant.objects.active().get(niss=NINA_NISS)
    revoked = client.post(reverse("employer:access_revoke", args=[grant.pk]), follow=True)
    assert "Accès de Nina Nobody (81.11.03-244.86) retiré." in revoked.content.decode()


def test_the_list_shows_national_numbers_formatted(world, login_as) -> None:  # type: ignore[no-untyped-def]
    body = login_as(ALICE_NISS, enterprise=ACME_NUMBER).get(reverse("employer:access")).content.decode()
    assert "90.06.15-122.02" in body and "90061512202" not in body
