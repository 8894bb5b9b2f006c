"""Administrators see every outbox message, filter the failed ones, and send them again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careerbreak.mailbox.models import EboxMessage, OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import message_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the application only: an administrator reads them, and acts through actions."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "channel",
        "kind",
        "reference",
        "version",
        "recipient_niss",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=id", "reference", "recipient_niss", "recipient_email", "external_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    exclude = ["bodies"]

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mailbox.retry_outboxmessage")

    @admin.action(description=_("Send the selected messages again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        actor = getattr(request.user, "niss", "")
        retried = sum(
            message_retry(message_id=message.pk, actor_niss=actor)
            for message in queryset.filter(status__in=[OutboxStatus.FAILED, OutboxStatus.PENDING])
        )
        skipped = queryset.count() - retried
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.", "%(count)d messages will be sent again.", retried
            )
            % {"count": retried},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was left alone: it is delivered or being sent.",
                    "%(count)d messages were left alone: they are delivered or being sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(EboxMessage)
class EboxMessageAdmin(ReadOnlyAdmin):
    """The local eBox. Bodies and documents stay out of the admin: they are the worker's to read."""

    list_display = ["created_at", "recipient_niss", "kind", "reference", "version", "read_at"]
    list_filter = ["kind"]
    search_fields = ["reference", "recipient_niss", "=outbox_message_id"]
    fields = [
        "outbox_message_id",
        "recipient_niss",
        "kind",
        "reference",
        "version",
        "language",
        "attachment_name",
        "attachment_size",
        "sha256",
        "created_at",
        "read_at",
    ]
