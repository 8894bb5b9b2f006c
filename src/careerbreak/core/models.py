from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One thing that happened, who did it, for whom. Written in the same transaction as the change.

    Rows are never updated or deleted by the application.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    # The acting person's national number (empty for the system or an anonymous visitor).
    actor_niss = models.CharField(max_length=11, blank=True, db_index=True)
    # The enterprise number the actor acted for, if any.
    enterprise_number = models.CharField(max_length=10, blank=True, db_index=True)
    # The person whose data were read, looked up or changed (their national number), so that the audit
    # answers "who saw or changed this person's data, and when" (``manage.py audit_person``).
    subject_niss = models.CharField(max_length=11, blank=True, db_index=True)
    assurance_level = models.PositiveSmallIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_niss or '-'}"
