"""The audit table's indexes on PostgreSQL (ADR 0040): the plain ones, without their pattern copies."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

INDEXED = ("action", "actor_niss", "enterprise_number", "subject_niss")


def test_the_audit_table_keeps_its_plain_indexes_and_not_their_pattern_copies() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL gives a CharField's index a varchar_pattern_ops copy")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'core_auditevent'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert [text for text in definitions if "pattern_ops" in text] == []
    for column in INDEXED:  # the searches by a whole value keep their index
        assert any(text.endswith(f"btree ({column})") for text in definitions), column
