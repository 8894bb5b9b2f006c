"""Module-level tasks for tests/core/test_request_logs.py (the database queue imports them by path)."""

from __future__ import annotations

import logging

from django_tasks.base import TaskContext

from careerbreak.core.tasks import task

logger = logging.getLogger("tests.core.traced_tasks")


@task()
def log_a_line(text: str, then_enqueue: bool = False) -> str:
    logger.warning("task says %s", text)
    if then_enqueue:
        log_a_line.enqueue(f"{text} (follow-up)")
    return text


@task(takes_context=True)
def log_with_context(context: TaskContext, text: str) -> str:
    logger.warning("task %s says %s", context.task_result.id, text)
    return text
