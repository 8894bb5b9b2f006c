from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit_actions import AuditAction, action_label
from careerbreak.core.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The codes by their labels. The field has no ``choices`` (a new code needs no migration)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return sorted(AuditAction.choices, key=lambda choice: str(choice[1]))

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "action_label",
        "actor_niss",
        "enterprise_number",
        "subject_niss",
        "object_type",
        "object_id",
    ]
    list_filter = [ActionFilter]
    # A national number typed in the search box finds what that person did and what was done with
    # their data; ``subject_niss=`` in the address (the admin's own field filter) finds only the latter.
    search_fields = ["=actor_niss", "=subject_niss", "enterprise_number", "object_id"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
