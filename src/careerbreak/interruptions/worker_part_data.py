"""The schema of the worker part's answers (`WorkerPart.data`), as typed values.

`WorkerPart.data` stays a JSON object in the database; `WorkerPartData.from_json` reads it and
`WorkerPartData.to_json` writes it. Code reads and writes the answers through `WorkerPart.content`, never
by string key. One section per page; a page not answered yet is absent::

    {"schema_version": 1,
     "identity": {"zone": "belgium", "street": "…", "postal_code": "…", "city": "…", "country": "…"},
     "household": {"situation": "alone", "dependent_children": 0},
     "needs": {"child_niss": "…", "child_name": "…", "child_birth_date": "…", "child_registered_on": "…",
               "person_name": "…", "person_niss": "…", "relation": "…", "training_hours": 360},
     "activities": [{"kind": "self_employed", "start": "2020-01-01", "end": null, "detail": "…"}],
     "payment": {"iban": "BE71096123456769", "bic": "", "holder_confirmed": true}}

A future version 2 adds its upgrade to `_UPGRADES` (as `interruptions/drafts.py` does for the employer
part's draft).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.drafts import upgrade_schema

SCHEMA_VERSION = 1

# The pages of the worker part, in order; the summary comes after the last.
IDENTITY, HOUSEHOLD, NEEDS, ACTIVITIES, PAYMENT = 1, 2, 3, 4, 5
SUMMARY = 6
PAGES = (IDENTITY, HOUSEHOLD, NEEDS, ACTIVITIES, PAYMENT)


class DomicileZone(models.TextChoices):
    """Where the worker lives: an allowance needs a domicile in Belgium, the EEA or Switzerland."""

    BELGIUM = "belgium", _("Belgium")
    EEA = "eea", _("Another country of the European Economic Area, or Switzerland")
    OUTSIDE = "outside", _("A country outside the European Economic Area and Switzerland")


class Household(models.TextChoices):
    ALONE = "alone", _("I live alone")
    PARTNER = "partner", _("I live with a partner (married or not)")
    ONLY_CHILDREN = "only_children", _("I live only with my dependent children")


class Relation(models.TextChoices):
    """The worker's relation to the person they care for or help."""

    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    FAMILY = "family", _("Other member of the family")
    HOUSEHOLD = "household", _("Member of the household")


class ActivityKind(models.TextChoices):
    SELF_EMPLOYED = "self_employed", _("A complementary self-employed activity")
    OTHER_EMPLOYMENT = "other_employment", _("Employment with another employer")
    POLITICAL_MANDATE = "political_mandate", _("A political mandate")
    PENSION = "pension", _("A pension or another social benefit")


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _choice(enum: Any, value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Identity:
    """Page 1: the domicile (prefilled from the national register)."""

    zone: DomicileZone
    street: str = ""
    postal_code: str = ""
    city: str = ""
    # The country's name for a domicile abroad.
    country: str = ""

    @property
    def allowance_possible(self) -> bool:
        return self.zone != DomicileZone.OUTSIDE

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> Identity | None:
        zone = _choice(DomicileZone, values.get("zone"))
        if zone is None:
            return None
        return cls(
            zone=zone,
            street=str(values.get("street") or ""),
            postal_code=str(values.get("postal_code") or ""),
            city=str(values.get("city") or ""),
            country=str(values.get("country") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "zone": self.zone.value,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
        }


@dataclass(frozen=True)
class HouseholdAnswer:
    """Page 2."""

    situation: Household
    dependent_children: int = 0

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> HouseholdAnswer | None:
        situation = _choice(Household, values.get("situation"))
        if situation is None:
            return None
        try:
            children = int(values.get("dependent_children") or 0)
        except (TypeError, ValueError):
            children = 0
        return cls(situation=situation, dependent_children=max(children, 0))

    def to_json(self) -> dict[str, Any]:
        return {"situation": self.situation.value, "dependent_children": self.dependent_children}


@dataclass(frozen=True)
class Needs:
    """Page 3: what the type of leave needs (the child, the person cared for or helped, the training)."""

    # The child: one the national register knows (their number), or another one (name, dates).
    child_niss: str = ""
    child_name: str = ""
    child_birth_date: datetime.date | None = None
    child_registered_on: datetime.date | None = None
    # The patient (medical assistance, palliative care) or the person helped (caregiver leave).
    person_name: str = ""
    person_niss: str = ""
    relation: Relation | None = None
    training_hours: int | None = None

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> Needs:
        hours = values.get("training_hours")
        training_hours = hours if isinstance(hours, int) and not isinstance(hours, bool) else None
        return cls(
            child_niss=str(values.get("child_niss") or ""),
            child_name=str(values.get("child_name") or ""),
            child_birth_date=_date(values.get("child_birth_date")),
            child_registered_on=_date(values.get("child_registered_on")),
            person_name=str(values.get("person_name") or ""),
            person_niss=str(values.get("person_niss") or ""),
            relation=_choice(Relation, values.get("relation")),
            training_hours=training_hours,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "child_niss": self.child_niss,
            "child_name": self.child_name,
            "child_birth_date": _iso(self.child_birth_date),
            "child_registered_on": _iso(self.child_registered_on),
            "person_name": self.person_name,
            "person_niss": self.person_niss,
            "relation": self.relation.value if self.relation else None,
            "training_hours": self.training_hours,
        }


@dataclass(frozen=True)
class Activity:
    """Page 4: one activity or income during the leave, with its dates."""

    kind: ActivityKind
    start: datetime.date
    end: datetime.date | None = None
    detail: str = ""

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> Activity | None:
        kind = _choice(ActivityKind, values.get("kind"))
        start = _date(values.get("start"))
        if kind is None or start is None:
            return None
        return cls(
            kind=kind, start=start, end=_date(values.get("end")), detail=str(values.get("detail") or "")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Payment:
    """Page 5: the account the allowance is paid into."""

    iban: str
    bic: str = ""
    holder_confirmed: bool = False

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> Payment | None:
        iban = str(values.get("iban") or "")
        if not iban:
            return None
        return cls(
            iban=iban,
            bic=str(values.get("bic") or ""),
            holder_confirmed=values.get("holder_confirmed") is True,
        )

    def to_json(self) -> dict[str, Any]:
        return {"iban": self.iban, "bic": self.bic, "holder_confirmed": self.holder_confirmed}


def _upgrade_from_0(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "schema_version": 1}


_UPGRADES: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _upgrade_from_0}


def upgrade(data: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers in the current version's shape, whatever version they were saved in."""
    return upgrade_schema(data, version=SCHEMA_VERSION, upgrades=_UPGRADES, what="Worker part")


@dataclass(frozen=True)
class WorkerPartData:
    """The worker's answers: one section per page answered (None before it; no activity is ``()``)."""

    identity: Identity | None = None
    household: HouseholdAnswer | None = None
    needs: Needs | None = None
    activities: tuple[Activity, ...] | None = None
    payment: Payment | None = None
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> WorkerPartData:
        current = upgrade(data or {})
        identity, household = current.get("identity"), current.get("household")
        needs, activities, payment = current.get("needs"), current.get("activities"), current.get("payment")
        return cls(
            identity=Identity.from_json(identity) if isinstance(identity, Mapping) else None,
            household=HouseholdAnswer.from_json(household) if isinstance(household, Mapping) else None,
            needs=Needs.from_json(needs) if isinstance(needs, Mapping) else None,
            activities=tuple(
                activity
                for activity in (Activity.from_json(item) for item in activities if isinstance(item, Mapping))
                if activity is not None
            )
            if isinstance(activities, list)
            else None,
            payment=Payment.from_json(payment) if isinstance(payment, Mapping) else None,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": self.schema_version}
        if self.identity is not None:
            out["identity"] = self.identity.to_json()
        if self.household is not None:
            out["household"] = self.household.to_json()
        if self.needs is not None:
            out["needs"] = self.needs.to_json()
        if self.activities is not None:
            out["activities"] = [activity.to_json() for activity in self.activities]
        if self.payment is not None:
            out["payment"] = self.payment.to_json()
        return out

    def replace(self, **changes: Any) -> WorkerPartData:
        return dataclasses.replace(self, **changes)

    def answered(self, page: int) -> bool:
        section = {
            IDENTITY: self.identity,
            HOUSEHOLD: self.household,
            NEEDS: self.needs,
            ACTIVITIES: self.activities,
            PAYMENT: self.payment,
        }[page]
        return section is not None

    @property
    def complete(self) -> bool:
        return all(self.answered(page) for page in PAGES)
