"""Ship the three demo offices of the employment office and their postcode areas (``registries/data/
offices.json``) in every database, tests included. An upsert by code: call it again after the file changes."""

from django.db import migrations


def load(apps, schema_editor):
    from careerbreak.registries.importing import load_offices

    load_offices(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0005_office_officearea"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
