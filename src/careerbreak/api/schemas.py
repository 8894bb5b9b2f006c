"""The API's request bodies. Unknown fields are refused (``extra="forbid"``): a misspelt field is an
error, never silently ignored. National numbers and dates are taken as the web takes them (any common
punctuation; dates ISO or day first) and checked by the same forms; answers give them normalised
(11 digits, ISO dates)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# A number as JSON gives it, or as text with a comma or a point.
Number = float | int | str


class Strict(BaseModel):
    """A body: a plain pydantic model, not ninja's ``Schema``. A ``Schema`` that forbids extra fields is
    validated twice by ninja's root validator, the dict and then the dict wrapped in a ``DjangoGetter``
    (for model instances and ``resolve_*`` methods, which bodies have not), so a nested body four times:
    the same errors and values, at twice to four times the cost (ADR 0042). ``from_attributes`` as a
    ``Schema`` has it."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class WorkerIn(Strict):
    niss: str = Field(description="NISS or BIS number, with or without punctuation.")
    status: str = Field("", description="Worker status code; from the Dimona declaration when empty.")
    joint_committee: str | None = Field(None, description="Joint committee number; from Dimona when null.")


class LeaveIn(Strict):
    """Step 6's values; send those the type and form need (the others are ignored, as on the web)."""

    notice_date: str | None = None
    start: str | None = None
    end: str | None = None
    form: str | None = None
    weekly_hours: Number | None = None
    reference_hours: Number | None = None
    days_per_week: Number | None = None
    hours_during_leave: Number | None = None
    regime_12_months: str | None = None
    regime_24_months: str | None = None
    months_of_contract_last_15: Number | None = None
    collective_agreement_number: str | None = None
    collective_agreement_date: str | None = None
    employer_agreement: bool | None = None
    shorter_notice_agreed: bool | None = None
    child_birth_date: str | None = None
    child_adopted_on: str | None = None
    child_disabled: bool | None = None
    child_niss: str | None = None
    patient_niss: str | None = None
    patient_birth_date: str | None = None
    single_parent: bool | None = None
    end_of_career_exception: str | None = None
    career_years: Number | None = None
    caregiver_recognition: bool | None = None
    replacement: bool | None = None


class RequestIn(Strict):
    enterprise: str = Field(description="The employer's enterprise number (BCE/KBO), any punctuation.")
    worker: WorkerIn
    type: str = Field(description="The type of interruption (PARENTAL, TC_CHILD_CARE, …).")
    leave: LeaveIn
    certified: bool = Field(False, description="The caller certifies the data are accurate and complete.")


class ModificationIn(Strict):
    leave: LeaveIn
    certified: bool = False


class ExtensionIn(Strict):
    # Over the values of the request extended (its form and details, from the day after it ends).
    leave: LeaveIn
    certified: bool = False


class CancellationIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class BatchIn(Strict):
    # Each item is checked on its own (a malformed item is refused, not the batch).
    items: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)
