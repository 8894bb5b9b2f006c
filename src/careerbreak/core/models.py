from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _choice_labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` with each field's choices read once per process.

    Django builds a dictionary of the field's choices at every call, hashing each lazy label (a translation
    each): 60 to 170 µs per call, three calls per row of Consultation. The labels stay lazy, translated
    when shown. For fields with fixed choices only (the project's TextChoices), not callable ones.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> str:
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


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
