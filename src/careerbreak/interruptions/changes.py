"""What a modification of the employer part changed, field by field, in the active language.

Used by the message that tells the worker of a modification (`interruptions.notifications`) and by the
worker's page of the request (what changed since they sent their part). Compares two versions' snapshots
(`RequestVersion.snapshot`, written by `services.snapshot_of`); the labels and values are those of the
employer part's PDF (`documents.detail_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext

from careerbreak.interruptions.documents import detail_rows
from careerbreak.interruptions.models import LeaveRequest, RequestVersion
from careerbreak.vocabularies import LeaveForm


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _date(value: Any) -> str:
    day = parse_date(value) if isinstance(value, str) else value
    return date_format(day, "DATE_FORMAT") if day else "–"


def _form(value: Any) -> str:
    try:
        return str(LeaveForm(value).label)
    except ValueError:
        return str(value or "–")


def _main_rows(snapshot: Mapping[str, Any], day: Callable[[Any], str]) -> list[tuple[str, str]]:
    return [
        (gettext("Form of the interruption"), _form(snapshot.get("form"))),
        (gettext("Start date"), day(snapshot.get("start_date"))),
        (gettext("End date"), day(snapshot.get("end_date"))),
        (gettext("Date of the written notice"), day(snapshot.get("notice_date"))),
    ]


def version_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], *, day: Callable[[Any], str] = _date
) -> list[Change]:
    """The fields that differ between two snapshots (form, dates, the type's details), in step 6's order;
    ``day`` writes the dates (the PDF writes them in words)."""
    before = dict(_main_rows(old, day) + detail_rows(old.get("details") or {}, day=day))
    after = dict(_main_rows(new, day) + detail_rows(new.get("details") or {}, day=day))
    labels = list(after) + [label for label in before if label not in after]
    return [
        Change(label, before.get(label, "–"), after.get(label, "–"))
        for label in labels
        if before.get(label, "–") != after.get(label, "–")
    ]


def previous_version(version: RequestVersion) -> RequestVersion | None:
    """The version before this one (None for the first)."""
    return (
        RequestVersion.objects.filter(request_id=version.request_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def changes_of(version: RequestVersion) -> list[Change]:
    """What this version changed from the one before it (nothing for the first)."""
    previous = previous_version(version)
    return version_changes(previous.snapshot, version.snapshot) if previous else []


def changes_since_part(leave_request: LeaveRequest) -> list[Change]:
    """What the employer changed after the worker sent their part (nothing if the part is not sent)."""
    part = getattr(leave_request, "worker_part", None)
    if part is None or part.submitted_at is None:
        return []
    versions = list(leave_request.versions.exclude(kind=RequestVersion.Kind.CANCELLATION).order_by("number"))
    certified = [v for v in versions if v.created_at <= part.submitted_at]
    if not certified or certified[-1] is versions[-1]:
        return []
    return version_changes(certified[-1].snapshot, versions[-1].snapshot)


def changes_text(changes: list[Change]) -> str:
    """One line per change, "label: old → new", for a message."""
    return "\n".join(f"- {change.label}: {change.old} → {change.new}" for change in changes)
