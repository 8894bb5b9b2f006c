"""registries.lookups: the one audited way to look a national number up for a user."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import User
from careerbreak.registries.lookups import person_lookup, same_name
from careerbreak.registries.sources import reset_sources
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, OSCAR_NISS
from tests.factories import acting_for

pytestmark = pytest.mark.django_db


class RegisterThatMustNotBeRead:
    def get_person(self, niss: str) -> None:
        raise AssertionError("the national register was read")


@pytest.fixture
def register_off_limits() -> Iterator[None]:
    with override_settings(REGISTRY_SOURCES={"national_register": f"{__name__}.RegisterThatMustNotBeRead"}):
        reset_sources()
        yield
    reset_sources()


@pytest.mark.parametrize(
    ("registered", "typed", "same"),
    [
        ("Van den Broeck", "vandenbroeck", True),
        ("Müller", "MULLER", True),
        ("D'Hondt-Peeters", "d hondt peeters", True),
        ("Nobody", "Nobod", False),
        ("Nobody", "", False),
        ("Nobody", " - ", False),
    ],
)
def test_a_typed_last_name_matches_ignoring_case_accents_and_punctuation_only(
    registered: str, typed: str, same: bool
) -> None:
    assert same_name(registered, typed) is same


def test_employed_only_answers_from_dimona_without_reading_the_national_register(
    world: dict[str, object], register_off_limits: None
) -> None:
    acme = world["acme"]
    worker, stranger = (
        person_lookup(
            acting=acting_for(User(niss=ALICE_NISS), acme),  # type: ignore[arg-type]
            enterprise=acme,
            niss=niss,
            purpose="test",
            employed_only=True,  # type: ignore[arg-type]
        )
        for niss in (BOB_NISS, OSCAR_NISS)
    )
    assert worker.person is not None and worker.person.niss == BOB_NISS and worker.employment is not None
    assert stranger.person is None and stranger.employment is None
    events = list(AuditEvent.objects.filter(action="careerbreak.person.looked_up").order_by("id"))
    assert [(e.subject_niss, e.enterprise_number, e.data["found"], e.data["source"]) for e in events] == [
        (BOB_NISS, ACME_NUMBER, True, "dimona"),
        (OSCAR_NISS, ACME_NUMBER, False, "dimona"),
    ]
