"""Drafts expire after DRAFT_TTL_DAYS of inactivity and are then purged; confirmed ones are kept."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from careerbreak.interruptions.models import Draft
from careerbreak.interruptions.selectors import drafts_for
from tests.conftest import make_enterprise
from tests.factories import DraftFactory, UserFactory, acting_for

pytestmark = pytest.mark.django_db

STARTED = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def draft(settings: Any) -> Draft:
    """A draft started at STARTED, drafts living 10 days."""
    settings.DRAFT_TTL_DAYS = 10
    with time_machine.travel(STARTED, tick=False):
        return DraftFactory(
            owner=UserFactory(niss="78041213507"), enterprise=make_enterprise("0812345603", "Acme")
        )


def test_a_draft_expires_after_the_configured_time_and_is_then_purged(draft: Draft) -> None:
    user, enterprise, start = draft.owner, draft.enterprise, STARTED
    with time_machine.travel(start + datetime.timedelta(days=9, hours=23), tick=False):
        assert list(drafts_for(acting=acting_for(user, enterprise))) == [draft]
        call_command("purge_drafts", verbosity=0)
        assert Draft.objects.filter(pk=draft.pk).exists()
    with time_machine.travel(start + datetime.timedelta(days=10, seconds=1), tick=False):
        assert list(drafts_for(acting=acting_for(user, enterprise))) == []
        call_command("purge_drafts", verbosity=0)
        assert not Draft.objects.filter(pk=draft.pk).exists()


def test_saving_a_step_gives_the_draft_a_new_lease_of_life(draft: Draft) -> None:
    from careerbreak.interruptions.services import draft_save_worker

    user, enterprise, start = draft.owner, draft.enterprise, STARTED
    with time_machine.travel(start + datetime.timedelta(days=9), tick=False):
        draft_save_worker(
            draft=draft, niss="90061512202", status="PRIVATE_WHITE_COLLAR", joint_committee="118"
        )
    with time_machine.travel(start + datetime.timedelta(days=15), tick=False):
        assert list(drafts_for(acting=acting_for(user, enterprise))) == [draft]
