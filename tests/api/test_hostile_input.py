"""Hostile input to the notices, events and webhooks endpoints, with a valid token: refused with a 4xx,
never a server error, and nothing changed."""

from __future__ import annotations

import pytest

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import Webhook
from careerbreak.interruptions.models import WorkerNotice
from careerbreak.registries.models import Enterprise, Person
from tests.api.conftest import Caller
from tests.factories import notice_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HOSTILE = ["-1", "0", "9" * 30, "abc", "1e3", "", "' OR 1=1 --", "\x00", "é" * 300, "[]"]


@pytest.fixture
def notice(cast: None) -> WorkerNotice:
    return notice_to(
        Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS),
    )


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/api/v1/notices", ("enterprise", "status", "cursor", "limit")),
        ("/api/v1/events", ("after", "limit", "enterprise")),
        ("/api/v1/webhooks", ("url",)),
    ],
)
def test_hostile_query_values_are_refused_without_a_server_error(
    secupay_api: Caller, notice: WorkerNotice, path: str, names: tuple[str, ...]
) -> None:
    for name in names:
        for value in HOSTILE:
            answer = secupay_api.get(path, **{name: value})
            assert answer.status_code < 500, (name, value, answer.content[:300])


@pytest.mark.parametrize("number", ["0", "9" * 30, "99999999999999999999"])
def test_an_id_beyond_any_row_is_not_found(secupay_api: Caller, notice: WorkerNotice, number: str) -> None:
    assert secupay_api.get(f"/api/v1/notices/{number}").status_code == 404
    assert secupay_api.post(f"/api/v1/notices/{number}/refusal", {"reason": "Non."}).status_code == 404
    assert secupay_api.delete(f"/api/v1/webhooks/{number}").status_code == 404


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("/refusal", {"reason": None}),
        ("/refusal", {"reason": ["Non."]}),
        ("/refusal", {"reason": "x" * 100_000}),
        ("/refusal", {"reason": "Non.\x00"}),
        ("/postponement", {"proposed_start_date": "31/02/2027", "reason": "Saison."}),
        ("/postponement", {"proposed_start_date": "99999-01-01", "reason": "Saison."}),
        ("/postponement", {"proposed_start_date": 20270601, "reason": "Saison."}),
        ("/acceptance", {"decision": "refused"}),
        ("/acceptance", []),
    ],
)
def test_hostile_bodies_change_nothing(
    secupay_api: Caller, notice: WorkerNotice, suffix: str, body: object
) -> None:
    answer = secupay_api.post(f"/api/v1/notices/{notice.pk}{suffix}", body)  # type: ignore[arg-type]
    assert 400 <= answer.status_code < 500
    assert WorkerNotice.objects.get().status == "sent"


@pytest.mark.parametrize(
    "url",
    [
        None,
        42,
        "https://",
        "https://" + "a" * 600 + ".example/",
        "javascript:alert(1)",
        "https://a\x00b.example/",
    ],
)
def test_hostile_webhook_addresses_are_refused(secupay_api: Caller, url: object) -> None:
    answer = secupay_api.post("/api/v1/webhooks", {"url": url})
    assert answer.status_code == 422
    assert not Webhook.objects.exists()
