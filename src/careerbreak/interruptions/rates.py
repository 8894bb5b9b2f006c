"""The allowance rate table: reading a CSV file of rates and loading it, all or nothing.

The file has a header ``scheme,form,category,monthly_amount,valid_from,provisional,source`` (UTF-8,
comma-separated): one line per scheme (``allowance.Scheme``), form (``LeaveForm``), category
(``allowance.Category``) and day the amount applies from (ISO date). ``monthly_amount`` is the gross
monthly amount in euros with a decimal point (``914.67``); ``provisional`` is yes/no (empty: no).

An indexation is a new line from its first day; a line is never changed. Loading the same file again is
a no-op: a line identical to one in the table (same scheme, form, category, day and amount) is left as it
is; a line with the same key but another amount is refused (a wrong figure is corrected by a deliberate,
reviewed data change, never by re-importing). Any bad line refuses the whole file, naming its line number and
what is wrong; nothing is loaded then.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.allowance import Category, Scheme
from careerbreak.interruptions.models import AllowanceRate
from careerbreak.vocabularies import LeaveForm

# The figures of domain-research §4, marked provisional: what ``load_demo_data`` loads.
DEMO_RATES = Path(__file__).resolve().parent / "data" / "demo_allowance_rates.csv"
COLUMNS = ("scheme", "form", "category", "monthly_amount", "valid_from", "provisional", "source")
YES = {"yes", "true", "1", "oui", "ja"}
NO = {"no", "false", "0", "non", "nee", "nein", ""}
MAX_AMOUNT = Decimal("9999999.99")


class RateFileError(DomainError):
    code = "rate_file"


@dataclass(frozen=True)
class RateRow:
    line: int
    scheme: str
    form: str
    category: str
    monthly_amount: Decimal
    valid_from: datetime.date
    provisional: bool
    source: str

    @property
    def key(self) -> tuple[str, str, str, datetime.date]:
        return (self.scheme, self.form, self.category, self.valid_from)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    unchanged: int


def _bad(line: int, message: str | Promise) -> RateFileError:
    return RateFileError(_("Line %(line)s: %(reason)s") % {"line": line, "reason": message})


def _row(line: int, values: dict[str, str]) -> RateRow:
    cells = {column: (values.get(column) or "").strip() for column in COLUMNS}
    if cells["scheme"] not in Scheme.values:
        raise _bad(line, _("unknown scheme “%(value)s”.") % {"value": cells["scheme"]})
    if cells["form"] not in LeaveForm.values:
        raise _bad(line, _("unknown form “%(value)s”.") % {"value": cells["form"]})
    if cells["category"] not in Category.values:
        raise _bad(line, _("unknown category “%(value)s”.") % {"value": cells["category"]})
    try:
        amount = Decimal(cells["monthly_amount"])
    except InvalidOperation:
        amount = Decimal("NaN")
    if (
        not amount.is_finite()
        or amount < 0
        or amount > MAX_AMOUNT
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise _bad(
            line,
            _("the monthly amount “%(value)s” is not an amount in euros (for example 914.67).")
            % {"value": cells["monthly_amount"]},
        )
    try:
        valid_from = datetime.date.fromisoformat(cells["valid_from"])
    except ValueError:
        raise _bad(
            line,
            _("the date “%(value)s” is not a date written as year-month-day (for example 2024-05-01).")
            % {"value": cells["valid_from"]},
        ) from None
    flag = cells["provisional"].lower()
    if flag not in YES | NO:
        raise _bad(
            line, _("“provisional” must be yes or no, not “%(value)s”.") % {"value": cells["provisional"]}
        )
    if len(cells["source"]) > 255:
        raise _bad(line, _("the source is longer than 255 characters."))
    return RateRow(
        line=line,
        scheme=cells["scheme"],
        form=cells["form"],
        category=cells["category"],
        monthly_amount=amount,
        valid_from=valid_from,
        provisional=flag in YES,
        source=cells["source"],
    )


def parse_rates(text: str) -> list[RateRow]:
    """The file's lines, checked; RateFileError (translated, with the line number) at the first bad one.
    Line numbers count the header as line 1."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise RateFileError(_("The header lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    rows: list[RateRow] = []
    seen: dict[tuple[str, str, str, datetime.date], int] = {}
    for values in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in values.values() if isinstance(value, str)):
            continue
        if None in values:
            raise _bad(line, _("more cells than columns."))
        row = _row(line, values)
        if row.key in seen:
            raise _bad(line, _("the same rate is already on line %(other)s.") % {"other": seen[row.key]})
        seen[row.key] = line
        rows.append(row)
    if not rows:
        raise RateFileError(_("The file holds no rate."))
    return rows


def rates_import(*, acting: Acting, text: str, source_name: str = "") -> ImportSummary:
    """Load a rate file, all or nothing (one transaction).

    Raises RateFileError (translated, naming the line) for a bad line, a line repeated in the file, or a
    line whose key is in the table with another amount; nothing is loaded then. Side effects: the new
    AllowanceRate rows and one audit event (how many lines were added and left unchanged).
    """
    rows = parse_rates(text)
    created = unchanged = 0
    with transaction.atomic():
        for row in rows:
            existing = (
                AllowanceRate.objects.select_for_update()
                .filter(scheme=row.scheme, form=row.form, category=row.category, valid_from=row.valid_from)
                .first()
            )
            if existing is not None:
                if existing.monthly_amount != row.monthly_amount:
                    raise _bad(
                        row.line,
                        _(
                            "the table already holds another amount (%(amount)s) for this rate from this "
                            "day. An indexation is a new line with the day it applies from."
                        )
                        % {"amount": existing.monthly_amount},
                    )
                unchanged += 1
                continue
            AllowanceRate.objects.create(
                scheme=row.scheme,
                form=row.form,
                category=row.category,
                monthly_amount=row.monthly_amount,
                valid_from=row.valid_from,
                provisional=row.provisional,
                source=row.source,
            )
            created += 1
        audit_log(
            action=AuditAction.ALLOWANCE_RATES_IMPORTED,
            acting=acting,
            object_type="allowance_rates",
            object_id=source_name[:64],
            data={"created": created, "unchanged": unchanged},
        )
    return ImportSummary(created=created, unchanged=unchanged)
