"""Background tasks of the mailbox. A task takes ids and only nudges the outbox rows."""

from __future__ import annotations

from careerbreak.core.tasks import task
from careerbreak.mailbox import services


@task()
def deliver_message(message_id: str, *more_message_ids: str) -> str:
    """One delivery attempt of each of the outbox messages (several in one run, ADR 0029); doing nothing
    for one that is delivered or taken. Returns the outcome of the message, or with several, how many
    had each outcome ("delivered 24, retry 1")."""
    if not more_message_ids:
        return services.message_deliver(message_id=message_id)
    outcomes = services.messages_deliver(message_ids=[message_id, *more_message_ids])
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return ", ".join(f"{outcome} {count}" for outcome, count in sorted(counts.items()))
