"""The office's work queue: when a request became Complete (``queued_at``, with the queue's partial
indexes), and the office of every request filed before offices existed (from the worker's domicile)."""

from django.db import migrations, models

QUEUE_STATUSES = ["complete", "under_review", "information_requested"]


def backfill(apps, schema_editor):
    LeaveRequest = apps.get_model("interruptions", "LeaveRequest")
    StatusTransition = apps.get_model("interruptions", "StatusTransition")
    OfficeArea = apps.get_model("registries", "OfficeArea")
    areas = list(OfficeArea.objects.values_list("postcode_from", "postcode_to", "office_id"))

    def office_for(postal_code):
        code = (postal_code or "").strip()
        if not code.isdigit():
            return None
        return next((office for start, end, office in areas if start <= int(code) <= end), None)

    for request in LeaveRequest.objects.filter(office__isnull=True).select_related("worker").iterator():
        office = office_for(request.worker.postal_code)
        if office is not None:
            LeaveRequest.objects.filter(pk=request.pk).update(office_id=office)
    completed = StatusTransition.objects.filter(to_status="complete", request__queued_at__isnull=True)
    for request_id, occurred_at in completed.values_list("request_id", "occurred_at").iterator():
        LeaveRequest.objects.filter(pk=request_id, queued_at__isnull=True).update(queued_at=occurred_at)


class Migration(migrations.Migration):
    dependencies = [
        ("interruptions", "0008_office_decisions"),
        ("registries", "0006_offices_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="leaverequest",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="leaverequest",
            index=models.Index(
                condition=models.Q(("status__in", QUEUE_STATUSES)),
                fields=["office", "queued_at", "id"],
                name="office_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="leaverequest",
            index=models.Index(
                condition=models.Q(("status__in", QUEUE_STATUSES)),
                fields=["queued_at", "id"],
                name="office_queue_all",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
