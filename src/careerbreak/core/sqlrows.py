"""Model instances from the rows of hand-written SQL, through the same converters as a queryset's.

For the few reads on a hot path whose SQL the ORM would compile again on every call (ADR 0027's identity
query, ADR 0030's API token and the rules' facts): only the models' own table and column names go into
the text, values are parameters, and each column's value goes through the converters Django applies to it
in a queryset (JSON, booleans on SQLite, time zones), so that the instance is the one the ORM would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connections, models

Columns = list[tuple[str, "models.Field[Any, Any]"]]

# (database alias, the columns) → each column's expression and converters (they depend on the field and
# the backend only).
_CONVERTERS: dict[tuple[Any, ...], list[tuple[Any, list[Callable[..., Any]]]]] = {}


def columns(model: type[models.Model], alias: str) -> Columns:
    """Every concrete column of ``model`` under the table alias ``alias``, with its field, in field order."""
    return [(f'{alias}."{field.column}"', field) for field in model._meta.concrete_fields]


def named_columns(model: type[models.Model], alias: str, *names: str) -> Columns:
    """The columns of ``model``'s fields ``names`` (concrete fields; a foreign key gives its id column)."""
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    return [(f'{alias}."{field.column}"', field) for field in fields]


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted for its database."""
    return str(connections[model._default_manager.db].ops.quote_name(model._meta.db_table))


def fetch(
    model: type[models.Model], sql: str, params: Sequence[Any], *parts: Columns
) -> list[list[list[Any]]]:
    """The rows of ``sql`` (selecting ``select_list(*parts)``) on ``model``'s database, each row cut into
    one list of values per part (``split``), through Django's cursor (query counts and logging see it)."""
    with connections[model._default_manager.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [split(row, *parts) for row in rows]


def select_list(*parts: Columns) -> str:
    return ", ".join(column for part in parts for column, _field in part)


def split(row: Sequence[Any], *parts: Columns) -> list[list[Any]]:
    """The row's values cut into one list per part, in the order of ``select_list(*parts)``."""
    values, start = [], 0
    for part in parts:
        values.append(list(row[start : start + len(part)]))
        start += len(part)
    return values


def _converters(fields: Columns, using: str) -> list[tuple[Any, list[Callable[..., Any]]]]:
    key = (using, *(column for column, _field in fields), *(field for _column, field in fields))
    found = _CONVERTERS.get(key)
    if found is None:
        connection = connections[using]
        found = []
        for column, field in fields:
            col = field.get_col(column.split(".", 1)[0])
            found.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
        _CONVERTERS[key] = found
    return found


def converted(fields: Columns, values: Sequence[Any], using: str) -> list[Any]:
    """The row's ``values`` of ``fields`` (``columns``' pairs, any mix of models) as a queryset gives them."""
    connection = connections[using]
    out = []
    for value, (col, converters) in zip(values, _converters(fields, using), strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        out.append(value)
    return out


def instance(
    model: type[models.Model], alias: str, fields: Columns, values: Sequence[Any], using: str | None = None
) -> Any:
    """A model instance from its columns of the row (``columns(model, alias)``), converted as a queryset
    converts them (on ``model``'s database unless ``using`` is named)."""
    using = using or model._default_manager.db
    return model.from_db(
        using, [field.attname for _column, field in fields], converted(fields, values, using)
    )


def optional_instance(
    model: type[models.Model], alias: str, fields: Columns, values: Sequence[Any], using: str | None = None
) -> Any:
    """``instance``, or None for the columns of a LEFT OUTER JOIN that found no row (its key is NULL)."""
    return None if values[0] is None else instance(model, alias, fields, values, using)
