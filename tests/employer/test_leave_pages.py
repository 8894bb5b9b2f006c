"""Step 6 in the web, a topic per page: the register's child offered as a choice, the working time prefilled
from Dimona and computed, where each value came from, only the questions that apply, *Retour* everywhere."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.drafts import ValueSource
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.registries.models import Person
from tests.request_fixtures import (
    choose_type,
    choose_worker,
    date_parts,
    draft_at_the_leave_step,
    start_draft,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PERIOD_FIFTH = {
    **date_parts("notice_date", datetime.date(2026, 11, 20)),
    **date_parts("start", datetime.date(2027, 2, 1)),
    **date_parts("end", datetime.date(2027, 6, 30)),
    "form": "1/5",
}


def page_url(draft: Draft, page: str = "") -> str:
    url = reverse("employer:step_leave", args=[draft.pk])
    return f"{url}?page={page}" if page else url


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


def names_on(body: str) -> set[str]:
    """The leave fields a page asks (by the name of their inputs, dates by their day input)."""
    import re

    return {name.removesuffix("_0") for name in re.findall(r'name="([a-z_0-9]+)"', body)} - {
        "csrfmiddlewaretoken",
        "language",
        "next",
    }


def test_the_register_s_child_is_a_choice_and_the_working_time_comes_prefilled_with_its_sources(
    jean: Client,
) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    first = jean.get(page_url(draft)).content.decode()
    # The first page: the notice and the period, nothing about the child, the hours or any agreement.
    assert names_on(first) >= {"notice_date", "start", "end", "form"}
    assert not names_on(first) & {"child_birth_date", "weekly_hours", "employer_agreement", "child_disabled"}
    assert f'href="{reverse("employer:step_type", args=[draft.pk])}"' in first  # Retour: step 5
    response = post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    assert response["Location"] == page_url(draft, "child")
    child_page = jean.get(response["Location"]).content.decode()
    # The child known to the national register, by name and birth date, and the way to name another one.
    assert "Louise Lambert, né(e) le 10/02/2024" in child_page
    assert f'value="{demo_data.SOPHIE_LAMBERT_CHILD_NISS}"' in child_page
    assert 'value="another"' in child_page
    assert "child_birth_date_0" not in child_page and "child_niss" not in names_on(child_page)
    assert f'href="{page_url(draft, "period")}"' in child_page  # Retour: the previous page
    response = post(
        jean, page_url(draft, "child"), {"child": demo_data.SOPHIE_LAMBERT_CHILD_NISS, "child_disabled": "no"}
    )
    assert response["Location"] == page_url(draft, "work")
    draft.refresh_from_db()
    leave = draft.content.leave
    assert leave is not None
    assert leave.child_birth_date == demo_data.SOPHIE_LAMBERT_CHILD_BIRTH
    assert leave.child_niss == demo_data.SOPHIE_LAMBERT_CHILD_NISS
    assert draft.content.source_of("child_birth_date") is ValueSource.REGISTER
    assert draft.content.source_of("start") is ValueSource.EMPLOYER
    work = jean.get(response["Location"]).content.decode()
    # Q and S from Dimona (38/38), full-time before, 15 months under contract, 30.4 hours during a 1/5.
    assert 'name="weekly_hours" value="38' in work and 'name="reference_hours" value="38' in work
    assert 'name="months_of_contract_last_15" value="15"' in work
    assert 'name="hours_during_leave" value="30,40"' in work
    assert 'value="full_time"' in work and "checked" in work.split('value="full_time"')[1].split(">")[0]
    # Only what a 1/5 parental leave needs: no regime over 24 months, no collective agreement.
    assert "regime_24_months" not in names_on(work) and "collective_agreement_number" not in names_on(work)
    # The employer confirms Dimona's hours, corrects the months, keeps the computed hours.
    response = post(
        jean,
        page_url(draft, "work"),
        {
            "weekly_hours": "38",
            "reference_hours": "38",
            "days_per_week": "5",
            "hours_during_leave": "30,40",
            "regime_12_months": "full_time",
            "months_of_contract_last_15": "14",
        },
    )
    for _page in range(10):  # each page after the work page, answered, up to the last
        if response.status_code != 302 or "page=" not in response["Location"]:
            break
        page = jean.get(response["Location"]).content.decode()
        answers = {"employer_agreement": "yes"} if "employer_agreement" in page else {}
        response = post(jean, response["Location"], answers)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("employer:step_confirm", args=[draft.pk])
    draft.refresh_from_db()
    content = draft.content
    assert content.source_of("weekly_hours") is ValueSource.DIMONA
    assert content.source_of("regime_12_months") is ValueSource.DIMONA
    assert content.source_of("hours_during_leave") is ValueSource.COMPUTED
    assert content.source_of("months_of_contract_last_15") is ValueSource.EMPLOYER
    assert content.leave is not None and content.leave.months_of_contract_last_15 == Decimal("14")
    summary = jean.get(response["Location"]).content.decode()
    assert "(du registre national)" in summary and "(de la déclaration Dimona)" in summary
    last = "agreements" if "employer_agreement" in content.leave.as_values() else "work"
    assert f'href="{page_url(draft, last)}"' in summary  # Retour: the last page of step 6
    assert jean.post(response["Location"], {"certified": "on"}).status_code == 302
    filed = LeaveRequest.objects.get()
    assert filed.details["child_niss"] == demo_data.SOPHIE_LAMBERT_CHILD_NISS


def test_another_child_is_declared_on_a_page_of_its_own_with_its_birth_date_required(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    response = post(jean, page_url(draft, "child"), {"child": "another", "child_disabled": "no"})
    assert response["Location"] == page_url(draft, "other-child")
    other = jean.get(response["Location"]).content.decode()
    assert {"child_birth_date", "child_adopted_on", "child_niss"} <= names_on(other)
    # Refused: the page is shown again by the GET the POST redirects to (POST-redirect-GET).
    posted = post(jean, page_url(draft, "other-child"), {})
    assert posted["Location"] == page_url(draft, "other-child")
    refused = jean.get(posted["Location"])
    assert refused.status_code == 400
    assert "Indiquez la date de naissance de l&#x27;enfant." in refused.content.decode()
    response = post(
        jean,
        page_url(draft, "other-child"),
        {
            **date_parts("child_birth_date", datetime.date(2023, 5, 4)),
            **date_parts("child_adopted_on", datetime.date(2025, 1, 6)),
        },
    )
    assert response["Location"] == page_url(draft, "work")
    draft.refresh_from_db()
    content = draft.content
    assert content.leave is not None and content.leave.child_birth_date == datetime.date(2023, 5, 4)
    assert content.source_of("child_birth_date") is ValueSource.EMPLOYER
    # Back on the child page, "another child" is the answer given; the adopted child's page stays in the way.
    child_page = jean.get(page_url(draft, "child")).content.decode()
    assert "checked" in child_page.split('value="another"')[1].split(">")[0]
    work = jean.get(page_url(draft, "work")).content.decode()
    assert f'href="{page_url(draft, "other-child")}"' in work


def test_choosing_the_register_s_child_after_another_one_forgets_the_other_one(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    post(jean, page_url(draft, "child"), {"child": "another", "child_disabled": "no"})
    post(
        jean,
        page_url(draft, "other-child"),
        {
            **date_parts("child_birth_date", datetime.date(2023, 5, 4)),
            **date_parts("child_adopted_on", datetime.date(2025, 1, 6)),
        },
    )
    post(
        jean, page_url(draft, "child"), {"child": demo_data.SOPHIE_LAMBERT_CHILD_NISS, "child_disabled": "no"}
    )
    draft.refresh_from_db()
    leave = draft.content.leave
    assert leave is not None and leave.child_adopted_on is None
    assert leave.child_birth_date == demo_data.SOPHIE_LAMBERT_CHILD_BIRTH


def test_a_worker_without_children_in_the_register_is_asked_the_child_directly(jean: Client) -> None:
    Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS).children.clear()
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    response = post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    assert response["Location"] == page_url(draft, "other-child")


def test_step_5_offers_a_child_type_with_the_way_to_declare_a_child_the_register_does_not_know(
    jean: Client,
) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    url = reverse("employer:step_type", args=[draft.pk])
    # Louise, born 2024, is under 8: no hint.
    assert "Aucun enfant de moins de" not in jean.get(url).content.decode()
    Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS).children.clear()
    body = jean.get(url).content.decode()
    assert "Aucun enfant de moins de 8 ans" in body and "Aucun enfant de moins de 12 ans" in body
    # Still offered: the child is declared on the next step.
    assert 'value="TC_CHILD_CARE"' in body
    assert choose_type(jean, draft, "TC_CHILD_CARE").status_code == 302


def test_only_the_questions_of_the_chosen_form_are_asked(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "TC_TRAINING")
    post(jean, page_url(draft, "period"), {**PERIOD_FIFTH, "form": "full"})
    work = jean.get(page_url(draft, "work")).content.decode()
    # A full suspension: no hours during the leave; the regimes over 12 and 24 months (allowance).
    assert "hours_during_leave" not in names_on(work)
    assert {"regime_12_months", "regime_24_months"} <= names_on(work)
    agreements = jean.get(page_url(draft, "agreements")).content.decode()
    assert "collective_agreement_number" in names_on(agreements)
    post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    work = jean.get(page_url(draft, "work")).content.decode()
    assert "hours_during_leave" in names_on(work) and "regime_24_months" not in names_on(work)
    # A 1/5 time credit needs no collective agreement: its page is not in the way.
    assert "collective_agreement_number" not in names_on(
        jean.get(page_url(draft, "agreements"), follow=True).content.decode()
    )


def test_an_error_found_after_the_last_page_is_shown_on_the_page_that_asks_the_field(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "TC_TRAINING")
    inverted = {**PERIOD_FIFTH, **date_parts("end", datetime.date(2027, 1, 15))}
    post(jean, page_url(draft, "period"), inverted)
    response = post(
        jean,
        page_url(draft, "work"),
        {
            "weekly_hours": "38",
            "reference_hours": "38",
            "regime_12_months": "full_time",
            "hours_during_leave": "30,40",
        },
    )
    for _page in range(10):  # the pages after the work page, each answered, up to the last
        if response.status_code != 302 or "check=1" in response["Location"]:
            break
        response = post(jean, response["Location"], {"employer_agreement": "yes"})
    # The last page's POST redirects (POST-redirect-GET) to the page that asks the field in error.
    assert response["Location"] == page_url(draft, "period") + "&check=1"
    response = jean.get(response["Location"])
    assert response.status_code == 400
    body = response.content.decode()
    # The period's page, with its fields filled as saved and the error on it.
    assert 'action="?page=period"' in body and 'name="end_0" value="15"' in body
    assert "error-message" in body


def test_changing_the_type_keeps_the_dates_already_entered(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    post(jean, page_url(draft, "period"), PERIOD_FIFTH)
    post(
        jean, page_url(draft, "child"), {"child": demo_data.SOPHIE_LAMBERT_CHILD_NISS, "child_disabled": "no"}
    )
    choose_type(jean, draft, "TC_CHILD_CARE")
    draft.refresh_from_db()
    leave = draft.content.leave
    assert leave is not None
    assert (leave.notice_date, leave.start, leave.end) == (
        datetime.date(2026, 11, 20),
        datetime.date(2027, 2, 1),
        datetime.date(2027, 6, 30),
    )
    assert leave.form is not None and leave.form.value == "1/5"
    assert leave.child_birth_date is None and leave.child_disabled is None
    assert 'name="start_2" value="2027"' in jean.get(page_url(draft)).content.decode()


def test_every_step_page_has_a_back_link(jean: Client) -> None:
    draft = start_draft(jean)
    worker_page = jean.get(reverse("employer:step_worker", args=[draft.pk])).content.decode()
    assert f'href="{reverse("employer:company")}"' in worker_page and ">Retour<" in worker_page
    choose_worker(jean, draft)
    type_page = jean.get(reverse("employer:step_type", args=[draft.pk])).content.decode()
    assert (
        f'href="{reverse("employer:step_worker", args=[draft.pk])}"' in type_page and ">Retour<" in type_page
    )


def test_an_unknown_page_leads_to_the_first_one(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "TC_TRAINING")
    response = jean.get(page_url(draft, "child"))
    assert response.status_code == 302 and response["Location"] == page_url(draft)
