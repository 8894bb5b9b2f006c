"""Model instances from the rows of hand-written SQL, through the same converters as a queryset's.

For the few reads on a hot path whose SQL the ORM would compile again on every call (ADR 0027's identity
query, ADR 0030's API token and the rules' facts): only the models' own table and column names go into
the text, values are parameters, and each column's value goes through the converters Django applies to it
in a queryset (JSON, booleans on SQLite, time zones), so that the instance is the one the ORM would give.

On PostgreSQL such a read may run as a prepared statement (``prepared_cursor``, ``fetch(prepared=True)``):
Django binds parameters on the client, so PostgreSQL parses and plans each call's text afresh, which for a
short indexed read costs several times its execution (ADR 0031 for the work queue, ADR 0034 for an API
validation's reads). A prepared statement gets one generic plan (``plan_cache_mode = force_generic_plan``,
config/settings.py): only a statement whose generic plan was checked is prepared, with the constants that
choose a partial index written into its text.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connections, models
from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.backends.utils import CursorWrapper
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from psycopg import adapters as psycopg_adapters
from psycopg.adapt import Loader
from psycopg.postgres import types as postgres_types
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

Columns = list[tuple[str, "models.Field[Any, Any]"]]

# (database alias, the columns, their fields' identities) → the columns that have converters: each one's
# place in the row, expression and converters (they depend on the field and the backend only).
_CONVERTERS: dict[tuple[Any, ...], list[tuple[int, Any, list[Callable[..., Any]]]]] = {}


# (model, alias) → its columns; (model, database alias) → its quoted table name: made once per process
# (they were a twentieth of an API validation's CPU, rebuilt for each read: ADR 0034).
_COLUMNS: dict[tuple[type[models.Model], str], _KeptColumns] = {}
_TABLES: dict[tuple[type[models.Model], str], str] = {}


class _KeptColumns(list[tuple[str, "models.Field[Any, Any]"]]):
    """``columns``' answer: a list of columns that carries what ``converted`` and ``instance`` would
    otherwise work out from it on every row (ADR 0040): its converters' key and its fields' attribute
    names. A list made from it by slicing or adding is a plain list and gets them worked out."""

    __slots__ = ("attnames", "key", "whole")

    key: tuple[Any, ...]
    attnames: list[str]
    whole: type[models.Model] | None  # the model whose every concrete column these are, in field order

    def copy(self) -> _KeptColumns:
        """A copy for a caller to change, carrying the same key and names (not worked out again)."""
        kept = _KeptColumns(self)
        kept.key, kept.attnames, kept.whole = self.key, self.attnames, self.whole
        return kept


def columns(model: type[models.Model], alias: str) -> Columns:
    """Every concrete column of ``model`` under the table alias ``alias``, with its field, in field order."""
    found = _COLUMNS.get((model, alias))
    if found is None:
        found = _COLUMNS[(model, alias)] = kept_columns(
            [(f'{alias}."{field.column}"', field) for field in model._meta.concrete_fields]
        )
        found.whole = model
    return found.copy()


def named_columns(model: type[models.Model], alias: str, *names: str) -> Columns:
    """The columns of ``model``'s fields ``names`` (concrete fields; a foreign key gives its id column)."""
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    return [(f'{alias}."{field.column}"', field) for field in fields]


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted for its database."""
    using = model._default_manager.db
    found = _TABLES.get((model, using))
    if found is None:
        found = str(connections[using].ops.quote_name(model._meta.db_table))
        _TABLES[(model, using)] = found
    return found


def fetch(
    model: type[models.Model], sql: str, params: Sequence[Any], *parts: Columns, prepared: bool = False
) -> list[list[list[Any]]]:
    """The rows of ``sql`` (selecting ``select_list(*parts)``) on ``model``'s database, each row cut into
    one list of values per part (``split``), through Django's cursor (query counts and logging see it);
    with ``prepared``, as a prepared statement where the database allows it (``prepared_cursor``)."""
    using = model._default_manager.db
    with prepared_cursor(using) if prepared else connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [split(row, *parts) for row in rows]


def prepared_cursor(using: str) -> CursorWrapper:
    """A cursor of the database ``using`` whose statements run prepared, bound on the server, on
    PostgreSQL with prepared statements allowed (``OPTIONS["prepare_threshold"]``, config/settings.py);
    Django's own cursor elsewhere (SQLite, or PostgreSQL behind a pooler without them). Either way Django's
    cursor wrapper (query counts, the query log and the database's wrappers see each statement).

    psycopg keeps one named statement per query text and parameter types, per connection, prepares it
    again on a new connection and deallocates beyond 100. The statement is planned once, generically: only
    a text whose generic plan is known good may run here (docstring of this module)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # prepared statements turned off (OPTIONS)
        return connection.cursor()
    connection.validate_thread_sharing()
    raw = _PreparingCursor(connection.connection)
    raw.logged = connection.queries_logged
    return connection.make_debug_cursor(raw) if raw.logged else connection.make_cursor(raw)


class _PreparingCursor(ServerBindingCursor):
    """Django's server-binding cursor asking psycopg to prepare what it runs, its dates read by psycopg's
    C loader (``_c_dates``)."""

    logged = False

    def __init__(self, connection: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(connection, *args, **kwargs)
        loader = _c_dates(self.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT))
        if loader is not None:
            self.adapters.register_loader(_TIMESTAMPTZ, loader)

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        result = super().execute(query, params, prepare=True)
        if self.logged and self._query is None:  # type: ignore[has-type]
            # Django's query log reads the query's text from the cursor, which psycopg leaves empty for
            # a prepared statement: the text with its placeholders ($1…), as psycopg sent it.
            self._query = self._convert_query(query, params)
        return result


# Django reads ``timestamptz`` with a subclass of psycopg's pure-Python loader that puts the connection's
# time zone on each value (``BaseTzLoader``): about 3 µs a date, two per row of a queue page. The same,
# by psycopg's C loader (psycopg[binary]; its class cannot be subclassed, so it is wrapped): about 1.4 µs
# (ADR 0039). Only for the prepared cursor's statements; Django's own cursors are left as they are.
_TIMESTAMPTZ = postgres_types["timestamptz"].oid
_C_DATES: dict[type[Any], type[Loader] | None] = {}


def _c_dates(django_loader: type[Any] | None) -> type[Loader] | None:
    """A loader writing what ``django_loader`` (Django's time-zone loader) writes, by psycopg's C loader;
    None when Django's is not the one registered or psycopg has no C loader."""
    if django_loader is None:
        return None
    if django_loader in _C_DATES:
        return _C_DATES[django_loader]
    c_loader = psycopg_adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
    found: type[Loader] | None = None
    if (
        isinstance(django_loader, type)
        and issubclass(django_loader, BaseTzLoader)
        and c_loader is not None
        and not issubclass(c_loader, TimestamptzLoader)  # the pure-Python one: nothing to gain
    ):
        timezone, c_class = django_loader.timezone, c_loader

        class CTzLoader(Loader):
            def __init__(self, oid: int, context: Any = None) -> None:
                super().__init__(oid, context)
                self._load = c_class(oid, context).load

            def load(self, data: Any) -> Any:
                return self._load(data).replace(tzinfo=timezone)

        found = CTzLoader
    _C_DATES[django_loader] = found
    return found


def select_list(*parts: Columns) -> str:
    return ", ".join(column for part in parts for column, _field in part)


def split(row: Sequence[Any], *parts: Columns) -> list[list[Any]]:
    """The row's values cut into one list per part, in the order of ``select_list(*parts)``."""
    values, start = [], 0
    for part in parts:
        values.append(list(row[start : start + len(part)]))
        start += len(part)
    return values


def _key(fields: Columns) -> tuple[Any, ...]:
    return (*(column for column, _field in fields), *(id(field) for _column, field in fields))


def _converters(fields: Columns, using: str) -> list[tuple[int, Any, list[Callable[..., Any]]]]:
    # A field by its identity: hashing a field is Python code (ADR 0034); a model's fields live as long as
    # the process.
    kept = getattr(fields, "key", None)
    key = (using, kept if kept is not None else _key(fields))
    found = _CONVERTERS.get(key)
    if found is None:
        connection = connections[using]
        found = []
        for place, (column, field) in enumerate(fields):
            col = field.get_col(column.split(".", 1)[0])
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if converters:  # most columns have none on PostgreSQL: their values are taken as they are
                found.append((place, col, converters))
        _CONVERTERS[key] = found
    return found


def converted(fields: Columns, values: Sequence[Any], using: str) -> list[Any]:
    """The row's ``values`` of ``fields`` (``columns``' pairs, any mix of models) as a queryset gives them."""
    if len(values) != len(fields):
        raise ValueError(f"{len(values)} values for {len(fields)} columns")
    out = list(values)
    converting = _converters(fields, using)
    if converting:
        connection = connections[using]
        for place, col, converters in converting:
            value = out[place]
            for converter in converters:
                value = converter(value, col, connection)
            out[place] = value
    return out


def instance(
    model: type[models.Model], alias: str, fields: Columns, values: Sequence[Any], using: str | None = None
) -> Any:
    """A model instance from its columns of the row (``columns(model, alias)``), converted as a queryset
    converts them (on ``model``'s database unless ``using`` is named)."""
    using = using or model._default_manager.db
    plain = _PLAIN.get(model)
    if plain is None:
        plain = _plain(model)
    if plain and getattr(fields, "whole", None) is model:
        # What ``model.from_db`` makes of every concrete column (``_plain``), without ``Model.__init__``'s
        # work per field (a validation makes about a dozen instances; ADR 0046).
        state = ModelState()
        state.adding, state.db = False, using
        new = model.__new__(model)
        attributes = new.__dict__
        attributes["_state"] = state
        attributes.update(
            zip(cast(_KeptColumns, fields).attnames, converted(fields, values, using), strict=True)
        )
        return new
    attnames = getattr(fields, "attnames", None)
    if attnames is None:
        attnames = [field.attname for _column, field in fields]
    return model.from_db(using, attnames, converted(fields, values, using))


# model → whether ``instance`` may write a row's values straight into a new instance (``_plain``).
_PLAIN: dict[type[models.Model], bool] = {}


def _plain(model: type[models.Model]) -> bool:
    """Whether an instance with its attributes written in is the one ``model.from_db`` would make of a
    row of every concrete column: the model keeps Django's own ``__init__`` and ``from_db``, nothing
    receives its ``pre_init`` or ``post_init`` (asked once per model and process: receivers are connected
    at start-up, as ``ImageField``'s are), and each column's attribute is Django's plain descriptor (a
    foreign key's id descriptor only clears a cached related object, which a new instance does not have).
    """
    found = (
        model.__init__ is models.Model.__init__
        and getattr(model.from_db, "__func__", None) is getattr(models.Model.from_db, "__func__", None)
        and not model._meta.abstract
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(inspect.getattr_static(model, field.attname, None)) in _PLAIN_DESCRIPTORS
            for field in model._meta.concrete_fields
        )
    )
    _PLAIN[model] = found
    return found


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def optional_instance(
    model: type[models.Model], alias: str, fields: Columns, values: Sequence[Any], using: str | None = None
) -> Any:
    """``instance``, or None for the columns of a LEFT OUTER JOIN that found no row (its key is NULL)."""
    return None if values[0] is None else instance(model, alias, fields, values, using)


def kept_columns(fields: Columns) -> _KeptColumns:
    """``fields`` (any mix of models' columns, e.g. ``named_columns`` added together) as a list that
    carries its converters' key and attribute names, as ``columns``' answers do: for a caller that keeps
    its column list across calls (ADR 0040)."""
    found = _KeptColumns(fields)
    found.whole = None
    found.key = _key(found)
    found.attnames = [field.attname for _column, field in found]
    return found
