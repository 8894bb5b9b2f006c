"""The four causes of server errors found by the review (issue 9), each shut; the fuzz test keeps them shut.

A "next" that is not a local path is ignored (it used to be reversed as a view name), a Consultation
cursor that our own pages cannot have written gives the first page (it used to overflow), and the
development identity provider's own process has its own error and CSRF pages (the site's link to portal
URLs that process does not serve).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings
from django.urls import clear_url_caches, reverse

from careerbreak.core.forms import DayMonthYearField
from careerbreak.core.http import safe_next
from careerbreak.demo.data import BOULANGERIE_DUBOIS_NUMBER, JEAN_DUBOIS_NISS
from careerbreak.interruptions import selectors
from careerbreak.interruptions.models import LeaveRequest
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, LUC_NISS

HOSTILE_NEXT = [
    "-1",
    "NaN",
    "1e309",
    "employer:company",
    "portal:home",
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/employer/\nSet-Cookie: x=1",
    "/employer/\x00",
    "/" + "a" * 3000,
    "",
]


@pytest.mark.parametrize("candidate", HOSTILE_NEXT)
def test_a_next_that_is_not_a_local_path_is_replaced_by_the_default(candidate: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, candidate, "/default/") == "/default/"


@pytest.mark.parametrize(
    "candidate", ["/employer/company/", "/employer/consultation/?status=sent&q=1", "/worker/ebox/é/"]
)
def test_a_local_path_is_kept_as_it_is(candidate: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, candidate, "/default/") == candidate


@pytest.mark.django_db
@pytest.mark.parametrize("candidate", ["-1", "NaN", "1e309", "employer:company"])
def test_the_login_callback_ignores_a_next_that_names_a_view(
    client: Client, oidc_login_as: Any, candidate: str
) -> None:
    response = oidc_login_as(ALICE_NISS, next_url=candidate)
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:start")


@pytest.mark.parametrize("candidate", ["-1", "NaN", "1e309", "//evil.example/"])
def test_the_enterprise_choice_ignores_a_next_that_is_not_a_local_path(
    world: dict[str, Any], login_as: Any, candidate: str
) -> None:
    # Bob acts for Acme only: the choice is made at once (GET)…
    bob = login_as(BOB_NISS)
    response = bob.get(reverse("employer:choose_enterprise"), {"next": candidate})
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:company")
    # …Luc chooses between his secretariat and Acme, which mandated it (POST).
    luc = login_as(LUC_NISS)
    response = luc.post(reverse("employer:choose_enterprise"), {"enterprise": ACME_NUMBER, "next": candidate})
    assert response.status_code == 302
    assert response["Location"] == reverse("employer:company")


@pytest.mark.parametrize(
    "cursor",
    [
        "9999-12-31T23:59:59|1",
        "9999-12-31T23:59:59+00:00|1",
        "0001-01-01T00:00:00+14:00|1",
        "0001-01-01T00:00:00-23:59|1",
        "2026-01-01T00:00:00|1",  # naive: not written by our pages
        "2026-01-01T00:00:00+00:00|99999999999999999999999",
        "2026-01-01T00:00:00+00:00|-1",
        "2026-01-01T00:00:00+00:00|1e309",
        "2026-01-01T00:00:00+00:00|NaN",
        "2026-01-01T00:00:00+00:00|٣",
        "|",
        "x" * 10_000,
        "\x00|\x00",
    ],
)
def test_a_forged_cursor_gives_the_first_page(filed: LeaveRequest, login_as: Any, cursor: str) -> None:
    jean = login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)
    response = jean.get(reverse("employer:consultation"), {"status": "", "after": cursor})
    assert response.status_code == 200
    assert filed.ticket in response.content.decode()


def test_a_cursor_written_by_a_page_is_read_back(filed: LeaveRequest) -> None:
    cursor = selectors._cursor(filed)
    assert selectors._parse_cursor(cursor) == (filed.created_at, filed.pk)
    assert filed.created_at.tzinfo is not None
    assert selectors._parse_cursor(f"{datetime.datetime(2026, 1, 1).isoformat()}|{filed.pk}") is None


@pytest.fixture
def devidp_process():  # type: ignore[no-untyped-def]
    """The URLs of the provider's own process (config.urls_devidp), as `make run` serves it."""
    with override_settings(ROOT_URLCONF="config.urls_devidp"):
        clear_url_caches()
        yield
    clear_url_caches()


@pytest.mark.django_db
def test_the_provider_process_answers_a_csrf_failure_with_its_own_page(devidp_process: None) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post("/i18n/setlang/", {"language": "nl", "next": "/devidp/"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Development identity provider" in body
    assert "/employer/" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nope", "/devidp/nope", "/employer/"])
def test_the_provider_process_answers_an_unknown_address_with_its_own_page(
    devidp_process: None, path: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 404
    assert "Development identity provider" in response.content.decode()


@pytest.mark.django_db
def test_the_site_keeps_its_own_csrf_page() -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post(reverse("portal:switch_language"), {"language": "nl"})
    assert response.status_code == 403
    assert reverse("portal:home") in response.content.decode()
    assert "Development identity provider" not in response.content.decode()


@pytest.mark.parametrize("day", ["²", "①", "³", "١٥"])
def test_a_date_typed_with_characters_other_than_ascii_digits_is_refused_with_a_message(day: str) -> None:
    # "²".isdigit() is true but int("²") raised: the field says what is wrong instead.
    with pytest.raises(ValidationError) as refused:
        DayMonthYearField().clean([day, "3", "2026"])
    assert refused.value.code == "invalid"


def test_consultation_answers_a_superscript_day_with_its_message(filed: LeaveRequest, login_as: Any) -> None:
    jean = login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)
    response = jean.get(
        reverse("employer:consultation"),
        {"period_from_0": "²", "period_from_1": "3", "period_from_2": "2026"},
    )
    assert response.status_code == 400
