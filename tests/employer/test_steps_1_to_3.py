"""Start page, Continuer, choice of enterprise, company data: and who is refused on each."""

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import AccessGrant, Mandate
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, LUC_NISS, NINA_NISS, OSCAR_NISS, OTHER_NUMBER

pytestmark = pytest.mark.django_db

PROTECTED = [
    "employer:logged_in",
    "employer:choose_enterprise",
    "employer:company",
    "employer:corrections",
    "employer:consultation",
    "employer:access",
    "employer:no_access",
]


def test_the_start_page_offers_to_file_a_request_and_consultation(client: Client) -> None:
    body = client.get(reverse("employer:start")).content.decode()
    assert "Introduire une demande" in body
    assert "Consultation" in body


@pytest.mark.parametrize("name", PROTECTED)
def test_an_anonymous_visitor_is_sent_to_the_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login") + "?next=")


@pytest.mark.parametrize("name", PROTECTED)
def test_a_login_below_the_required_assurance_level_is_refused(world, login_as, name: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(ALICE_NISS, assurance_level=200, enterprise=ACME_NUMBER)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_after_login_the_user_sees_who_is_logged_in_and_continue(world, login_as) -> None:  # type: ignore[no-untyped-def]
    body = login_as(ALICE_NISS).get(reverse("employer:logged_in")).content.decode()
    assert "Alice Manager" in body
    assert "Continuer" in body


def test_a_user_with_one_enterprise_goes_straight_to_its_company_data(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(BOB_NISS)
    response = client.get(reverse("employer:choose_enterprise"))
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:company")
    assert client.session["acting_enterprise"] == ACME_NUMBER


def test_a_secretariat_user_chooses_among_the_employers_that_mandated_the_secretariat(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(LUC_NISS)
    body = client.get(reverse("employer:choose_enterprise")).content.decode()
    assert "Acme Bakery SRL" in body
    assert "PayCo Social Secretariat" in body
    assert "Other Logistics SA" not in body
    response = client.post(reverse("employer:choose_enterprise"), {"enterprise": ACME_NUMBER})
    assert response.status_code == 302
    assert client.session["acting_enterprise"] == ACME_NUMBER
    company = client.get(reverse("employer:company")).content.decode()
    assert "Acme Bakery SRL" in company
    assert "PayCo Social Secretariat" in company  # acting through its mandate


def test_an_expired_mandate_no_longer_gives_access(world, login_as) -> None:  # type: ignore[no-untyped-def]
    import datetime

    Mandate.objects.update(valid_until=datetime.date(2021, 1, 1))
    client = login_as(LUC_NISS, enterprise=ACME_NUMBER)
    response = client.get(reverse("employer:company"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("employer:choose_enterprise"))


def test_an_enterprise_posted_by_hand_that_the_user_may_not_act_for_is_refused(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(LUC_NISS)
    response = client.post(reverse("employer:choose_enterprise"), {"enterprise": OTHER_NUMBER})
    assert response.status_code == 400
    assert "acting_enterprise" not in client.session
    assert "Choisissez une des entreprises" in response.content.decode()


def test_the_outsider_never_sees_another_enterprise_s_data_even_with_a_forged_session(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(OSCAR_NISS, enterprise=ACME_NUMBER)
    response = client.get(reverse("employer:company"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("employer:choose_enterprise"))
    followed = client.get(reverse("employer:company"), follow=True).content.decode()
    assert "Acme Bakery SRL" not in followed
    assert "Other Logistics SA" in followed


def test_the_company_data_page_shows_the_registry_data_read_only(world, login_as) -> None:  # type: ignore[no-untyped-def]
    body = login_as(ALICE_NISS, enterprise=ACME_NUMBER).get(reverse("employer:company")).content.decode()
    for expected in [
        "0812.345.603",
        "1234567-49",
        "Acme Bakery SRL",
        "SRL",
        "Rue du Four 12",
        "5000 Namur",
        "Secteur privé",
        "Suivant",
    ]:
        assert expected in body, expected
    assert "<input" not in body.split("<dl", 1)[1].split("</dl>", 1)[0]
    # Two current Dimona employments in the fixtures.
    assert "<dd>2</dd>" in body
    assert reverse("employer:corrections") in body


def test_next_on_the_company_data_records_the_check_and_starts_a_draft_at_the_worker_step(
    world, login_as
) -> None:  # type: ignore[no-untyped-def]
    from careerbreak.interruptions.models import Draft

    client = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    response = client.post(reverse("employer:company"))
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert (draft.owner.niss, draft.enterprise.number, draft.step) == (ALICE_NISS, ACME_NUMBER, 4)
    assert response["Location"] == reverse("employer:step_worker", args=[draft.pk])
    event = AuditEvent.objects.get(action="careerbreak.company_data.checked")
    assert event.actor_niss == ALICE_NISS
    assert event.enterprise_number == ACME_NUMBER
    assert event.assurance_level == 500


def test_a_revoked_grant_takes_effect_at_the_next_request(world, login_as) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    client = login_as(BOB_NISS, enterprise=ACME_NUMBER)
    assert client.get(reverse("employer:company")).status_code == 200
    AccessGrant.objects.filter(niss=BOB_NISS).update(revoked_at=timezone.now())
    response = client.get(reverse("employer:company"))
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:no_access")


def test_a_user_without_any_access_sees_who_can_grant_it_and_nothing_else(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(NINA_NISS)
    response = client.get(reverse("employer:choose_enterprise"))
    assert response["Location"] == reverse("employer:no_access")
    page = client.get(reverse("employer:no_access")).content.decode()
    assert "Acme Bakery SRL" not in page
    found = client.post(reverse("employer:no_access"), {"enterprise_number": "0812.345.603"}).content.decode()
    assert "Alice Manager" in found
    assert "Bob User" not in found  # a plain user cannot grant access
    assert ALICE_NISS not in found  # names only, no national numbers
    assert "0812.345.603" in found


def test_the_access_managers_of_an_enterprise_the_user_is_not_tied_to_are_not_shown(world, login_as) -> None:  # type: ignore[no-untyped-def]
    # Nina works at Acme (Dimona) only: Other Logistics' managers are none of her business.
    response = login_as(NINA_NISS).post(reverse("employer:no_access"), {"enterprise_number": OTHER_NUMBER})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Oscar Outsider" not in body
    assert "Ask your employer" in body or "Demandez à votre employeur" in body


def test_a_former_user_whose_access_was_revoked_still_sees_who_can_grant_it_again(world, login_as) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    AccessGrant.objects.create(niss=ALICE_NISS, enterprise=world["other"], role="access_manager")
    AccessGrant.objects.filter(niss=OSCAR_NISS).update(revoked_at=timezone.now())
    client = login_as(OSCAR_NISS)
    refused = client.post(reverse("employer:no_access"), {"enterprise_number": ACME_NUMBER})
    assert refused.status_code == 400
    assert "Alice Manager" not in refused.content.decode()
    found = client.post(reverse("employer:no_access"), {"enterprise_number": OTHER_NUMBER})
    assert found.status_code == 200
    assert "Alice Manager" in found.content.decode()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0812.345.604", "chiffre de contrôle"),
        ("12345", "10 chiffres"),
        ("0403.019.261", "Aucune entreprise"),
    ],
)
def test_the_access_manager_lookup_explains_a_wrong_enterprise_number(
    world, login_as, number: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = login_as(NINA_NISS).post(reverse("employer:no_access"), {"enterprise_number": number})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_user_with_access_is_sent_from_the_no_access_page_to_the_choice(world, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as(ALICE_NISS).get(reverse("employer:no_access"))
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:choose_enterprise")


def test_the_choice_ignores_a_next_address_on_another_site(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(LUC_NISS)
    response = client.post(
        reverse("employer:choose_enterprise"), {"enterprise": ACME_NUMBER, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("employer:company")


def test_the_change_enterprise_link_is_offered_only_to_who_has_several(world, login_as) -> None:  # type: ignore[no-untyped-def]
    luc = login_as(LUC_NISS)
    luc.post(reverse("employer:choose_enterprise"), {"enterprise": ACME_NUMBER})
    assert reverse("employer:choose_enterprise") in luc.get(reverse("employer:company")).content.decode()
    bob = login_as(BOB_NISS)
    bob.get(reverse("employer:choose_enterprise"))
    page = bob.get(reverse("employer:company")).content.decode()
    assert f'href="{reverse("employer:choose_enterprise")}"' not in page


def test_a_secretariat_with_many_mandates_searches_instead_of_scrolling(world, login_as) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from careerbreak.employer.views import CHOICE_LIMIT
    from careerbreak.identity.models import Mandate
    from careerbreak.registries.identifiers import build_enterprise_number
    from careerbreak.registries.models import Enterprise

    Enterprise.objects.bulk_create(
        Enterprise(number=build_enterprise_number(7_000_000 + i), name=f"Client {i:03d}", sector="private")
        for i in range(40)
    )
    Mandate.objects.bulk_create(
        Mandate(secretariat=world["secretariat"], employer=e, valid_from=datetime.date(2020, 1, 1))
        for e in Enterprise.objects.filter(name__startswith="Client ")
    )
    luc = login_as(LUC_NISS)
    page = luc.get(reverse("employer:choose_enterprise"))
    assert len(page.context["accesses"]) == CHOICE_LIMIT
    assert 'name="q"' in page.content.decode()
    found = luc.get(reverse("employer:choose_enterprise"), {"q": "client 039"})
    assert [a.enterprise.name for a in found.context["accesses"]] == ["Client 039"]
    by_number = luc.get(reverse("employer:choose_enterprise"), {"q": build_enterprise_number(7_000_039)[:7]})
    assert "Client 039" in [a.enterprise.name for a in by_number.context["accesses"]]
    # An enterprise not shown on this page can still be chosen: the choice is checked against them all.
    hidden = Enterprise.objects.get(name="Client 039")
    response = luc.post(reverse("employer:choose_enterprise"), {"enterprise": hidden.number})
    assert response.status_code == 302
    assert luc.session["acting_enterprise"] == hidden.number
