"""Request ids: given to every request, echoed, written into every log line (JSON with LOG_FORMAT=json)
and carried into the tasks the request enqueued, across the database queue to the worker."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from careerbreak.core.logs import (
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
    request_id_context,
)
from careerbreak.core.tasks import REQUEST_ID_KWARG
from tests.core.traced_tasks import log_a_line
from tests.task_worker import run_database_worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def capture() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def lines_of(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client: Client) -> None:
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_plain_incoming_id_is_kept_and_echoed(client: Client) -> None:
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "lb-7f3a9c01-42"})
    assert response["X-Request-ID"] == "lb-7f3a9c01-42"


@pytest.mark.parametrize(
    "hostile",
    ["a b c d e f g h", 'x" injected="1', "x" * 129, "short", "abcdefgh\nforged log line", "<script>1234"],
)
def test_an_incoming_id_unfit_for_log_lines_is_replaced(client: Client, hostile: str) -> None:
    response = client.get(reverse("healthz"), headers={"X-Request-ID": hostile})
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_every_log_line_of_a_request_carries_its_id(capture: io.StringIO) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        logging.getLogger("careerbreak.somewhere").warning("inside the view")
        return HttpResponse("ok")

    request = RequestFactory().get("/", headers={"X-Request-ID": "req-0123456789"})
    response = RequestIdMiddleware(view)(request)
    logging.getLogger("careerbreak.somewhere").warning("after the request")
    first, after = lines_of(capture)
    assert first["request_id"] == "req-0123456789" == response["X-Request-ID"]
    assert first["message"] == "inside the view" and first["logger"] == "careerbreak.somewhere"
    assert first["level"] == "WARNING" and first["timestamp"].endswith("+00:00")
    assert after["request_id"] == "-"
    assert current_request_id() is None


def test_a_json_line_holds_the_exception_text(capture: io.StringIO) -> None:
    try:
        raise ValueError("the detail of the failure")
    except ValueError:
        logging.getLogger("careerbreak.x").exception("it failed for Zoë")
    [line] = lines_of(capture)
    assert line["message"] == "it failed for Zoë"
    assert "Traceback" in line["exc_info"] and "ValueError: the detail of the failure" in line["exc_info"]
    # One line per record, whatever the traceback: a collector splits on newlines.
    assert capture.getvalue().count("\n") == 1


def test_a_task_run_at_once_logs_with_the_request_id(capture: io.StringIO) -> None:
    with request_id_context("req-immediate-01"):
        result = log_a_line.enqueue("hello")
    assert result.return_value == "hello"
    # Only the task's own line: django_tasks' state lines reach the root logger too when another test
    # has lowered its level (in the same worker process).
    [line] = [line for line in lines_of(capture) if line["message"].startswith("task says")]
    assert line["message"] == "task says hello" and line["request_id"] == "req-immediate-01"


@pytest.mark.django_db
def test_a_task_queued_in_the_database_runs_in_the_worker_with_the_request_id(
    capture: io.StringIO,
) -> None:
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_QUEUE):
        with request_id_context("req-queued-0001"):
            log_a_line.enqueue("queued", then_enqueue=True)
        [queued] = DBTaskResult.objects.all()
        # Stored with the arguments, so that another process (the worker) gets it.
        assert queued.args_kwargs["kwargs"] == {"then_enqueue": True, REQUEST_ID_KWARG: "req-queued-0001"}
        assert current_request_id() is None
        run_database_worker()
    messages = {line["message"]: line["request_id"] for line in lines_of(capture)}
    assert messages["task says queued"] == "req-queued-0001"
    # A task enqueued by that task (a retry, a follow-up) keeps the same id.
    assert messages["task says queued (follow-up)"] == "req-queued-0001"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_a_task_enqueued_outside_a_request_carries_no_id(capture: io.StringIO) -> None:
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_QUEUE):
        log_a_line.enqueue("by the sweeper")
        assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {}
        run_database_worker()
    [line] = [line for line in lines_of(capture) if line["logger"] == "tests.core.traced_tasks"]
    assert line["request_id"] == "-"


@pytest.mark.django_db
def test_a_forged_id_in_the_queue_is_not_written_into_the_logs(capture: io.StringIO) -> None:
    with override_settings(TASKS=DATABASE_QUEUE):
        log_a_line.enqueue("forged", **{REQUEST_ID_KWARG: "x\ny"})
        run_database_worker()
    [line] = [line for line in lines_of(capture) if line["logger"] == "tests.core.traced_tasks"]
    assert line["request_id"] == "-"


@pytest.mark.django_db
def test_the_pdf_and_delivery_tasks_store_the_request_id_with_their_arguments() -> None:
    from django_tasks_db.models import DBTaskResult

    from careerbreak.interruptions.tasks import render_employer_part
    from careerbreak.mailbox.tasks import deliver_message

    with override_settings(TASKS=DATABASE_QUEUE), request_id_context("req-confirm-0001"):
        render_employer_part.enqueue(1)
        deliver_message.enqueue("5f0c7a52-0000-4000-8000-000000000000")
    stored = [result.args_kwargs["kwargs"] for result in DBTaskResult.objects.all()]
    assert stored == [{REQUEST_ID_KWARG: "req-confirm-0001"}] * 2


def test_with_request_logging_each_request_is_one_line_without_its_query_string(
    capture: io.StringIO, client: Client, settings: Any
) -> None:
    settings.LOG_REQUESTS = True
    response = client.get(
        reverse("healthz") + "?niss=90061512202", headers={"X-Request-ID": "req-access-001"}
    )
    [line] = [line for line in lines_of(capture) if line["logger"] == "careerbreak.requests"]
    assert line["request_id"] == "req-access-001" == response["X-Request-ID"]
    assert line["message"].startswith("GET /healthz 200 ")
    assert "90061512202" not in capture.getvalue()


def test_without_request_logging_nothing_is_logged_for_a_request(
    capture: io.StringIO, client: Client, settings: Any
) -> None:
    settings.LOG_REQUESTS = False
    client.get(reverse("healthz"))
    assert capture.getvalue() == ""


@pytest.mark.django_db
def test_a_task_that_takes_its_context_also_runs_with_the_request_id(capture: io.StringIO) -> None:
    from tests.core.traced_tasks import log_with_context

    with override_settings(TASKS=DATABASE_QUEUE):
        with request_id_context("req-context-0001"):
            result = log_with_context.enqueue("with context")
        run_database_worker()
    [line] = [line for line in lines_of(capture) if line["logger"] == "tests.core.traced_tasks"]
    assert line["message"] == f"task {result.id} says with context"
    assert line["request_id"] == "req-context-0001"
