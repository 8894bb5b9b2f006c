from django.contrib import admin
from django.http import HttpRequest

from careerbreak.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "action",
        "actor_niss",
        "enterprise_number",
        "subject_niss",
        "object_type",
        "object_id",
    ]
    list_filter = ["action"]
    # A national number typed in the search box finds what that person did and what was done with
    # their data; ``subject_niss=`` in the address (the admin's own field filter) finds only the latter.
    search_fields = ["=actor_niss", "=subject_niss", "enterprise_number", "object_id"]

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
