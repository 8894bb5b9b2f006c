"""The administration: reached through the eID/itsme login, only for administrators."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import User
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_of_the_administration_is_sent_to_the_eid_login() -> None:
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    login = Client().get(response["Location"])
    assert login.status_code == 302
    assert reverse("identity:login") in login["Location"]


def test_a_logged_in_person_who_is_not_an_administrator_is_refused_not_looped(login_as) -> None:  # type: ignore[no-untyped-def]
    make_person("78041213507", "Jean", "Dubois")
    client = login_as("78041213507")
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_make_admin_gives_and_takes_the_administration_and_audits_it(login_as) -> None:  # type: ignore[no-untyped-def]
    make_person("78041213507", "Jean", "Dubois")
    call_command("make_admin", "78.04.12-135.07", verbosity=0)
    assert User.objects.get(niss="78041213507").is_staff
    assert login_as("78041213507").get(reverse("admin:index")).status_code == 200
    call_command("make_admin", "78041213507", "--revoke", verbosity=0)
    assert not User.objects.get(niss="78041213507").is_staff
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "careerbreak.admin.granted",
        "careerbreak.admin.revoked",
    ]


@pytest.mark.parametrize("niss", ["78041213508", "85073003328"])
def test_make_admin_refuses_a_wrong_or_unknown_number(niss: str) -> None:
    with pytest.raises(CommandError):
        call_command("make_admin", niss, verbosity=0)
