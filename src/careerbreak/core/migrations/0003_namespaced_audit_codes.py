"""Audit codes namespaced: ``careerbreak.<object>.<event>`` (core/audit_actions.py).

The old → new table is written out here (not imported) so that the migration stays what it was when
codes are added later. One UPDATE per code, in both directions; codes not listed are left as they are.
"""

from django.db import migrations

RENAMED = {
    "access.granted": "careerbreak.access.granted",
    "access.revoked": "careerbreak.access.revoked",
    "admin.granted": "careerbreak.admin.granted",
    "admin.revoked": "careerbreak.admin.revoked",
    "audit.person_listed": "careerbreak.person.audit_listed",
    "company_data.checked": "careerbreak.company_data.checked",
    "document.downloaded": "careerbreak.document.downloaded",
    "documents.orphan_deleted": "careerbreak.document.orphan_deleted",
    "ebox.message_read": "careerbreak.message.read",
    "login.refused": "careerbreak.login.refused",
    "login.succeeded": "careerbreak.login.succeeded",
    "message.delivered": "careerbreak.message.delivered",
    "message.failed": "careerbreak.message.failed",
    "message.retried": "careerbreak.message.retried",
    "notice.accepted": "careerbreak.notice.accepted",
    "notice.postponement_proposed": "careerbreak.notice.postponement_proposed",
    "notice.refused": "careerbreak.notice.refused",
    "notice.sent": "careerbreak.notice.sent",
    "notice.viewed": "careerbreak.notice.viewed",
    "notices.opt_in": "careerbreak.notice_settings.opted_in",
    "notices.opt_out": "careerbreak.notice_settings.opted_out",
    "person.looked_up": "careerbreak.person.looked_up",
    "request.cancelled": "careerbreak.request.cancelled",
    "request.confirmed": "careerbreak.request.confirmed",
    "request.modified": "careerbreak.request.modified",
    "request.viewed": "careerbreak.request.viewed",
}


def _rename(apps, table):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in table.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rename(apps, RENAMED)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_subject_niss")]

    operations = [migrations.RunPython(forward, backward)]
