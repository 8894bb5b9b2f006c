"""Model instances from hand-written SQL's rows are the ones a queryset gives (core.sqlrows, ADR 0046)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_init

from careerbreak.core import sqlrows
from careerbreak.core.models import AuditEvent
from careerbreak.registries.models import Employment, Person
from tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


def _row(model: type[Any], alias: str, pk: int) -> tuple[sqlrows.Columns, list[Any]]:
    parts = sqlrows.columns(model, alias)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sqlrows.select_list(parts)} FROM {sqlrows.table(model)} {alias} WHERE {alias}.id = %s",
            [pk],
        )
        return parts, list(cursor.fetchone())


def _same(made: Any, queried: Any) -> None:
    assert type(made) is type(queried)
    attributes = {name: value for name, value in vars(made).items() if name != "_state"}
    assert attributes == {name: value for name, value in vars(queried).items() if name != "_state"}
    assert list(vars(made)) == list(vars(queried))  # the same attributes, in the same order
    assert (made._state.adding, made._state.db) == (False, "default")
    assert made._state.fields_cache == {}


def test_an_instance_is_the_one_the_orm_reads_with_its_attributes_written_in() -> None:
    employment = EmploymentFactory()
    for model, pk in [(Employment, employment.pk), (Person, employment.worker_id)]:
        assert sqlrows._plain(model)
        parts, values = _row(model, "x", pk)
        made = sqlrows.instance(model, "x", parts, values)
        _same(made, model.objects.get(pk=pk))
    # Its foreign key's object is read as the ORM reads it, and set as it sets it.
    made = sqlrows.instance(Employment, "x", *_row(Employment, "x", employment.pk))
    assert made.worker == employment.worker
    made.worker = Person.objects.exclude(pk=employment.worker_id).first() or employment.worker
    assert made.worker_id == made.worker.pk
    # A JSON column goes through its converter, as in a queryset.
    event = AuditEvent.objects.create(action="test.sqlrows", data={"a": [1, "b"]})
    made = sqlrows.instance(AuditEvent, "x", *_row(AuditEvent, "x", event.pk))
    assert made.data == {"a": [1, "b"]}
    _same(made, AuditEvent.objects.get(pk=event.pk))


def test_a_model_with_a_post_init_receiver_is_made_by_its_init() -> None:
    employment = EmploymentFactory()
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Person)
    sqlrows._PLAIN.pop(Person, None)
    try:
        made = sqlrows.instance(Person, "x", *_row(Person, "x", employment.worker_id))
        assert seen == [made]
        _same(made, Person.objects.get(pk=employment.worker_id))
    finally:
        post_init.disconnect(receiver, sender=Person)
        sqlrows._PLAIN.pop(Person, None)
    # A list of some of a model's columns is not the whole model's: made by from_db (deferred fields).
    employment = EmploymentFactory()
    parts = sqlrows.kept_columns(sqlrows.named_columns(Person, "p", "id", "niss"))
    made = sqlrows.instance(Person, "p", parts, [employment.worker_id, employment.worker.niss])
    assert made.get_deferred_fields() and made.niss == employment.worker.niss
