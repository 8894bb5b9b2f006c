"""Background tasks of the mailbox. A task takes an id and only nudges the outbox row."""

from __future__ import annotations

from careerbreak.core.tasks import task
from careerbreak.mailbox import services


@task()
def deliver_message(message_id: str) -> str:
    """One delivery attempt of the outbox message; doing nothing if it is delivered or taken."""
    return services.message_deliver(message_id=message_id)
