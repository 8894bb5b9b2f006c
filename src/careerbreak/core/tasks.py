"""Background tasks that carry the request id of whoever enqueued them.

Use `careerbreak.core.tasks.task` instead of `django_tasks.task`: a task enqueued while a request (or
another task) is running stores that request's id with its arguments, and runs with it, so that the
worker's log lines carry the same `request_id` as the request that caused them. The task function itself
never sees the id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, Literal, TypeVar, overload

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task, TaskContext, TaskResult
from typing_extensions import ParamSpec

from careerbreak.core.logs import current_request_id, request_id_context, safe_request_id

P = ParamSpec("P")
T = TypeVar("T")

# The keyword under which the id travels in the queue (stored with the task's arguments).
REQUEST_ID_KWARG = "_request_id"


class TracedTask(Task[P, T]):
    """A django_tasks Task whose enqueue adds the current request id and whose call restores it (and,
    inside ``tasks_gathered(priority=...)``, queues it at the block's priority)."""

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
        priority = _block_priority.get()
        if priority is not None and priority != self.priority:
            return self.using(priority=priority).enqueue(*args, **kwargs)
        request_id = current_request_id()
        if request_id and REQUEST_ID_KWARG not in kwargs:
            kwargs[REQUEST_ID_KWARG] = request_id
        return super().enqueue(*args, **kwargs)

    async def aenqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
        request_id = current_request_id()
        if request_id and REQUEST_ID_KWARG not in kwargs:
            kwargs[REQUEST_ID_KWARG] = request_id
        return await super().aenqueue(*args, **kwargs)

    def call(self, *args: P.args, **kwargs: P.kwargs) -> T:
        # Popped before the function runs: it never sees the id. A value that is not a plain token (a
        # forged queue row) is dropped rather than written into the logs.
        request_id = safe_request_id(kwargs.pop(REQUEST_ID_KWARG, None))  # type: ignore[arg-type]
        with request_id_context(request_id or current_request_id()):
            return super().call(*args, **kwargs)

    async def acall(self, *args: P.args, **kwargs: P.kwargs) -> T:
        request_id = safe_request_id(kwargs.pop(REQUEST_ID_KWARG, None))  # type: ignore[arg-type]
        with request_id_context(request_id or current_request_id()):
            return await super().acall(*args, **kwargs)


@overload
def task(
    *,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: Literal[False] = False,
) -> Callable[[Callable[P, T]], TracedTask[P, T]]: ...


@overload
def task(
    *,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: Literal[True],
) -> Callable[[Callable[Concatenate[TaskContext, P], T]], TracedTask[P, T]]: ...


def task(
    *,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: bool = False,
) -> Callable[[Callable[..., T]], TracedTask[Any, T]]:
    """`@task()` as in django_tasks (the same options), for a TracedTask."""

    def wrap(function: Callable[..., T]) -> TracedTask[Any, T]:
        options: dict[str, Any] = {
            "priority": priority,
            "queue_name": queue_name,
            "backend": backend,
            "takes_context": takes_context,
        }
        return TracedTask(func=function, run_after=None, **options)

    return wrap


# -- ids gathered over several transactions ---------------------------------------------------------

# Inside ``tasks_gathered()``: for each enqueueing function, the ids committed and not queued yet.
_gathered: ContextVar[dict[Callable[[list[Any]], None], list[Any]] | None] = ContextVar(
    "tasks_gathered", default=None
)


# Inside ``tasks_gathered(priority=...)``: the priority of every task queued (the block's follow-ups).
_block_priority: ContextVar[int | None] = ContextVar("tasks_gathered_priority", default=None)


@contextmanager
def tasks_gathered(*, priority: int | None = None) -> Iterator[None]:
    """A block that commits many small transactions (the API's batch task: one per item), each of which
    would queue its own background tasks after commit: inside it, ``gather`` keeps their ids and queues
    them together, one task per group of ids, and queues what is left when the block ends (even when it
    ends with an error: those ids were committed). A process that dies inside the block leaves its last
    ids unqueued, as a crash between a commit and its ``on_commit`` does: each task's safety net covers
    them (the outbox's sweeper; the PDF rendered by whoever reads it).

    With ``priority``, every task queued inside the block (those ``gather`` queues, and any other
    ``TracedTask``), and what is left when it ends, is queued at that priority instead of its own: the
    database worker takes the ready task of the highest priority first (ADR 0037: a batch's PDFs and
    deliveries wait for the filing and for everyone else's tasks)."""
    token = _gathered.set({})
    priority_token = _block_priority.set(priority)
    try:
        yield
    finally:
        gathered = _gathered.get() or {}
        _gathered.reset(token)
        try:
            for enqueue, ids in gathered.items():
                if ids:
                    enqueue(ids)
        finally:
            _block_priority.reset(priority_token)


def gather(enqueue: Callable[[list[Any]], None], ids: Sequence[Any], *, size: int) -> None:
    """Queue the task of ``ids`` with ``enqueue(ids)``: at once, or, inside ``tasks_gathered()``, with
    the ids other transactions of the block gave the same ``enqueue``, in groups of ``size`` as soon as
    there are that many. Call after commit (from ``transaction.on_commit``), with a module-level
    ``enqueue``."""
    gathered = _gathered.get()
    if gathered is None:
        enqueue(list(ids))
        return
    pending = gathered.setdefault(enqueue, [])
    pending.extend(ids)
    while len(pending) >= size:
        group, pending[:] = pending[:size], pending[size:]
        enqueue(group)
