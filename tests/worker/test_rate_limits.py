"""A worker sending notices is limited per user; a refused notice is not sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.mailbox.models import OutboxMessage
from tests.factories import demo_cast
from tests.rate_limit_fixtures import assert_too_many, limits, send_up_to_the_limit
from tests.request_fixtures import NOTICE_FORM as NOTICE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HOUR = 3600


@pytest.fixture
def opted_in(db: None, login_as: Any) -> None:
    demo_cast()
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert jean.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 302


def worker(login_as: Any, niss: str, language: str) -> Client:
    client = login_as(niss)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_worker_sends_notices_up_to_the_limit_and_the_refused_one_is_not_sent(
    opted_in: None, login_as: Any, settings: Any
) -> None:
    limits(settings, notice_per_user="2/h")
    sophie = worker(login_as, demo_data.SOPHIE_LAMBERT_NISS, "nl")
    # Two attempts refused by the form (no duration): counted all the same.
    send_up_to_the_limit(
        lambda: sophie.post(reverse("worker:notice_new"), {**NOTICE, "months": "0"}, follow=True), 2
    )
    outbox = OutboxMessage.objects.count()

    response = sophie.post(reverse("worker:notice_new"), NOTICE)

    assert_too_many(response, language="nl", window=HOUR)
    assert not WorkerNotice.objects.exists()
    assert OutboxMessage.objects.count() == outbox
    assert sophie.get(reverse("worker:notice_new")).status_code == 200  # the form itself stays open


def test_another_worker_is_not_affected(opted_in: None, login_as: Any, settings: Any) -> None:
    limits(settings, notice_per_user="1/h")
    sophie = worker(login_as, demo_data.SOPHIE_LAMBERT_NISS, "fr")
    send_up_to_the_limit(lambda: sophie.post(reverse("worker:notice_new"), {**NOTICE, "months": "0"}), 1)
    assert sophie.post(reverse("worker:notice_new"), NOTICE).status_code == 429

    marc = worker(login_as, demo_data.MARC_PEETERS_NISS, "fr")
    assert marc.post(reverse("worker:notice_new"), NOTICE).status_code != 429


def test_an_anonymous_visitor_is_sent_to_the_login_and_never_counted(opted_in: None, settings: Any) -> None:
    limits(settings, notice_per_user="1/h")
    anonymous = Client()
    for _ in range(3):
        response = anonymous.post(reverse("worker:notice_new"), NOTICE)
        assert response.status_code == 302
        # A form posted without a session: the page that says the session ended, never counted.
        assert response["Location"].startswith(reverse("identity:session_ended"))
