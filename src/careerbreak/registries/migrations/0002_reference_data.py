"""Ship the reference data (joint committees, worker statuses) in every database, tests included.

Runs the same import as ``manage.py import_registry`` on the JSON files in ``registries/data``; it is an
upsert, so a later migration can call it again after the files change.
"""

from django.db import migrations


def load(apps, schema_editor):
    from careerbreak.registries.importing import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
