"""Django's database sessions, whose read of a request's session row is a prepared statement (ADR 0036).

Every logged-in request reads its session's row: ``Session.objects.get(session_key=…,
expire_date__gt=now)``, a queryset built and compiled by the ORM each time and sent to PostgreSQL as a new
text, parsed and planned each time (the planning costs more than the look-up by primary key). Here the same
read is written once in SQL and run through ``core.sqlrows.prepared_cursor``: planned once per connection on
PostgreSQL, bound on the client elsewhere. Everything else is Django's own store: the same table, the same
rows, the same expiry (an expired row is not read, whatever its data), creation, saving, cycling the key at
login, flushing at logout (``SESSION_ENGINE = "careerbreak.core.session_store"``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from careerbreak.core.sqlrows import prepared_cursor

# (database alias) → the read's SQL: only the model's own table and column names go into the text.
_READ: dict[str, str] = {}


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        """The session's row if it exists and has not expired (Django's read), else None (and the key
        forgotten, as Django forgets it)."""
        model = self.model
        using = router.db_for_read(model)
        sql = _READ.get(using)
        if sql is None:
            meta = model._meta
            quote = connections[using].ops.quote_name
            sql = _READ[using] = (
                f"SELECT {quote(meta.get_field('session_data').column)} "  # noqa: S608 - names from the model
                f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('session_key').column)} = %s "
                f"AND {quote(meta.get_field('expire_date').column)} > %s"
            )
        key = self.session_key
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        if key is None:
            self._session_key = None
            return None
        with prepared_cursor(using) as cursor:
            cursor.execute(sql, [key, now])
            rows = cursor.fetchall()
        if not rows:
            self._session_key = None
            return None
        return model(session_key=key, session_data=rows[0][0])
