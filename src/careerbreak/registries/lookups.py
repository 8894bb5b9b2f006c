"""Looking up a person by national number on behalf of a user acting for an enterprise: always audited.

The national register answers for every resident, a child included; an employer may learn about a person
only what its reason to ask gives it. So callers acting for a user never call ``national_register()`` or
``dimona()`` with a number typed by someone: they call ``person_lookup``, which

- with ``employed_only``, answers from the enterprise's own Dimona employments and never reads the
  national register, so that "not a worker here" is the same answer whether the person exists or not;
- with ``last_name``, answers only when the number and the last name belong together (granting access:
  the manager proves they know the person; a number alone reveals no name);
- otherwise reads the register for a number the caller already holds for a reason (the worker of the
  user's own draft);

and writes one audit event per look-up (who, for which enterprise, which number, why, found or not).
Who asks comes in as the acting context (``identity.acting.Acting``, seen here through ``core.audit``'s
``AuditActor`` so that ``registries`` still imports only ``core``).
``lookup_audit`` is the same audit for a search by national number that reads no registry (Consultation).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from careerbreak.core.audit import AuditActor, audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.registries.models import Employment, Enterprise, Person
from careerbreak.registries.sources import dimona, employment_among, national_register


@dataclass(frozen=True)
class Lookup:
    """What a look-up found: the person (None when not found) and, from Dimona, their employment and
    every period of theirs at the enterprise (what the rules read: one query for both)."""

    person: Person | None
    employment: Employment | None = None
    periods: tuple[Employment, ...] = ()

    @property
    def found(self) -> bool:
        return self.person is not None


def lookup_audit(
    *,
    acting: AuditActor,
    enterprise: Enterprise | None,
    niss: str,
    purpose: str,
    source: str,
    found: bool,
    data: dict[str, Any] | None = None,
) -> None:
    """The audit event of one look-up of a national number (the single place that writes it)."""
    audit_log(
        action=AuditAction.PERSON_LOOKED_UP,
        acting=acting,
        enterprise_number=enterprise.number if enterprise else "",
        subject_niss=niss,
        data={"purpose": purpose, "source": source, "found": found, **(data or {})},
    )


def person_lookup(
    *,
    acting: AuditActor,
    enterprise: Enterprise,
    niss: str,
    purpose: str,
    employed_only: bool = False,
    last_name: str | None = None,
    on: datetime.date | None = None,
) -> Lookup:
    """The person with ``niss`` as ``enterprise`` may know them, looked up for ``acting``; audited.

    ``purpose`` says why (``worker_search``, ``access_grant``, ``draft`` …). ``employed_only``: only a
    worker with a Dimona employment at the enterprise (running on ``on``, or the one that ended last).
    ``last_name``: only when it matches the register's, ignoring case, accents, spaces and hyphens.
    """
    if employed_only:
        periods = tuple(dimona().periods_of(enterprise, niss))
        employment = employment_among(periods, on or timezone.localdate())
        person = employment.worker if employment is not None else None
        lookup = Lookup(person=person, employment=employment, periods=periods if person else ())
        source = "dimona"
    else:
        person = national_register().get_person(niss)
        if person is not None and last_name is not None and not same_name(person.last_name, last_name):
            person = None
        lookup = Lookup(person=person)
        source = "national_register"
    lookup_audit(
        acting=acting,
        enterprise=enterprise,
        niss=niss,
        purpose=purpose,
        source=source,
        found=lookup.found,
        data={"name_checked": True} if last_name is not None else None,
    )
    return lookup


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in letters.casefold() if ch.isalnum())


def same_name(registered: str, typed: str) -> bool:
    """Whether a typed last name is the registered one: "Van den Broeck" = "vandenbroeck", "Müller" =
    "Muller"; never for an empty name."""
    key = _name_key(typed)
    return bool(key) and key == _name_key(registered)
