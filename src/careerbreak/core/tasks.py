"""Background tasks that carry the request id of whoever enqueued them.

Use `careerbreak.core.tasks.task` instead of `django_tasks.task`: a task enqueued while a request (or
another task) is running stores that request's id with its arguments, and runs with it, so that the
worker's log lines carry the same `request_id` as the request that caused them. The task function itself
never sees the id.
"""

from __future__ import annotations

from collections.abc import Callable
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
    """A django_tasks Task whose enqueue adds the current request id and whose call restores it."""

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskResult[T]:
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
