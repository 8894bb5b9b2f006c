"""Drafts saved before the schema (interruptions/drafts.py) get its version, 1: same sections, versioned.

`DraftData.from_json` reads version-less drafts too; this rewrites the stored rows so that the database
holds one shape. The upgrade is written out here (not imported) so that the migration stays what it was
when later versions of the schema come.
"""

from django.db import migrations

BATCH = 500


def add_version(apps, schema_editor):  # type: ignore[no-untyped-def]
    Draft = apps.get_model("interruptions", "Draft")
    pending = []
    for draft in Draft.objects.only("pk", "data").iterator(chunk_size=BATCH):
        if not isinstance(draft.data, dict) or "schema_version" in draft.data:
            continue
        draft.data = {**draft.data, "schema_version": 1}
        pending.append(draft)
        if len(pending) >= BATCH:
            Draft.objects.bulk_update(pending, ["data"])
            pending = []
    if pending:
        Draft.objects.bulk_update(pending, ["data"])


def remove_version(apps, schema_editor):  # type: ignore[no-untyped-def]
    Draft = apps.get_model("interruptions", "Draft")
    pending = []
    for draft in Draft.objects.only("pk", "data").iterator(chunk_size=BATCH):
        if isinstance(draft.data, dict) and draft.data.get("schema_version") == 1:
            draft.data = {key: value for key, value in draft.data.items() if key != "schema_version"}
            pending.append(draft)
    Draft.objects.bulk_update(pending, ["data"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("interruptions", "0003_leave_type_and_form_choices")]

    operations = [migrations.RunPython(add_version, remove_version)]
