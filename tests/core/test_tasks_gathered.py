"""Task ids gathered over several transactions (``core.tasks.tasks_gathered``): queued by groups."""

from __future__ import annotations

import pytest

from careerbreak.core.tasks import gather, tasks_gathered

queued: list[list[int]] = []


def _enqueue(ids: list[int]) -> None:
    queued.append(ids)


@pytest.fixture(autouse=True)
def _empty() -> None:
    queued.clear()


def test_outside_the_block_each_call_queues_its_ids_at_once() -> None:
    gather(_enqueue, [1], size=3)
    gather(_enqueue, [2], size=3)
    assert queued == [[1], [2]]


def test_inside_the_block_ids_are_queued_by_groups_and_the_rest_when_it_ends() -> None:
    with tasks_gathered():
        for one in range(1, 8):
            gather(_enqueue, [one], size=3)
        assert queued == [[1, 2, 3], [4, 5, 6]]
    assert queued == [[1, 2, 3], [4, 5, 6], [7]]
    gather(_enqueue, [8], size=3)  # the block is over: at once again
    assert queued[-1] == [8]


def test_a_block_that_ends_with_an_error_still_queues_what_it_gathered() -> None:
    with pytest.raises(RuntimeError), tasks_gathered():
        gather(_enqueue, [1, 2], size=3)
        raise RuntimeError("the run died")
    assert queued == [[1, 2]]


@pytest.mark.django_db
def test_a_block_with_a_priority_queues_every_task_at_it_even_at_its_end_and_no_other(database_queue) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from careerbreak.interruptions.tasks import process_batch

    def _enqueue_at_the_end(ids: list[int]) -> None:
        process_batch.enqueue(f"end-{ids[0]}")

    with tasks_gathered(priority=-5):
        process_batch.enqueue("inside")
        gather(_enqueue_at_the_end, [1], size=3)
    process_batch.enqueue("after")
    priorities = {row.args_kwargs["args"][0]: row.priority for row in DBTaskResult.objects.all()}
    assert priorities == {"inside": -5, "end-1": -5, "after": 0}
