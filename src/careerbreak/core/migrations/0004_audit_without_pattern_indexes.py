"""The audit table without the ``varchar_pattern_ops`` copies of its four indexed text columns (ADR 0040).

On PostgreSQL Django gives every indexed ``CharField`` a second index for ``LIKE 'prefix%'`` searches
(``…_like``). Nothing searches the audit table by a prefix (``audit_person`` and the tests compare whole
values), and with the database's C collation the plain index serves a prefix search anyway; each row the
API writes (two per validation) paid four index insertions more for them. The plain indexes stay.
Other databases have no such indexes: nothing to do. Backwards: the four are made again.
"""

from django.db import migrations

COLUMNS = ("action", "actor_niss", "enterprise_number", "subject_niss")


def _like_names(schema_editor):  # type: ignore[no-untyped-def]
    table = "core_auditevent"
    return [(schema_editor._create_index_name(table, [column], suffix="_like"), column) for column in COLUMNS]


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in _like_names(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in _like_names(schema_editor):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON core_auditevent "
            f"({schema_editor.quote_name(column)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_namespaced_audit_codes")]

    operations = [migrations.RunPython(drop, restore)]
