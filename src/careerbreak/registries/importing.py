"""Import registry records from CSV or JSON files: parse, validate every row, then upsert all or nothing.

One code path for every way records enter the local registries: ``manage.py import_registry``, the data
migration that ships the reference data (``load_reference_data``) and the demo data (``import_rows``).

- CSV: UTF-8 (a BOM is fine), a header row naming the columns, ``,`` or ``;`` as the separator. The header is
  line 1, so the first record is line 2; errors name that line.
- JSON: a list of objects, one per record; errors name the record's position ("row 3", counting from 1).
  Keys starting with ``_`` are comments and ignored.

Every row is checked (identifiers, ISO dates, required fields, choices, hours, references to records already
in the database) and *all* problems are reported, each with its line or row and its column. When any row
is wrong nothing is written. Otherwise every record is created or updated by its natural key (enterprise
number, NISS, Dimona period number…), so importing the same file twice changes nothing the second time.
A column missing from the file leaves that field as it is on existing records.

The functions take an optional ``apps`` registry so that a data migration can run them on historical
models; they only use plain ORM calls for that reason.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careerbreak.registries.identifiers import (
    niss_birth_date,
    niss_gender,
    niss_kind,
    normalize_enterprise_number,
    normalize_niss,
    normalize_onss_number,
)
from careerbreak.registries.models import LEAVE_TYPE_CODES, Employment, Person, WorkerCategory
from careerbreak.vocabularies import LEGACY_LEAVE_FORMS, Language, LeaveForm, Sector

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_FILES: tuple[tuple[str, str], ...] = (
    ("joint_committees", "joint_committees.json"),
    ("worker_statuses", "worker_statuses.json"),
)
_BATCH = 500


# --- Report ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a record sits in its file: a CSV line (header = line 1) or a JSON row (first = row 1)."""

    unit: Literal["line", "row", "file"]
    number: int = 0

    def __str__(self) -> str:
        if self.unit == "line":
            return str(_("line %(number)d") % {"number": self.number})
        if self.unit == "row":
            return str(_("row %(number)d") % {"number": self.number})
        return str(_("file"))


FILE = Position("file")


@dataclass(frozen=True)
class RowError:
    position: Position
    field: str | None
    message: str | Promise
    code: str

    def __str__(self) -> str:
        if self.field:
            return str(
                _("%(position)s, field %(field)s: %(message)s")
                % {"position": self.position, "field": self.field, "message": self.message}
            )
        return str(_("%(position)s: %(message)s") % {"position": self.position, "message": self.message})


@dataclass
class ImportReport:
    kind: str
    source: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One sentence for people: what happened, or why nothing did."""
        if self.errors:
            return ngettext(
                "Nothing was imported: %(count)d error in %(kind)s from %(source)s.",
                "Nothing was imported: %(count)d errors in %(kind)s from %(source)s.",
                len(self.errors),
            ) % {"count": len(self.errors), "kind": self.kind, "source": self.source or "-"}
        template = (
            _(
                "Checked %(rows)d %(kind)s from %(source)s (dry run, nothing written): "
                "%(created)d to create, %(updated)d to update, %(unchanged)d unchanged."
            )
            if self.dry_run
            else _(
                "Imported %(rows)d %(kind)s from %(source)s: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
        )
        return str(template) % {
            "rows": self.rows,
            "kind": self.kind,
            "source": self.source or "-",
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def error_lines(self) -> list[str]:
        return [str(error) for error in self.errors]


class ImportFailed(Exception):
    """Raised by callers that need the import to succeed (the data migration, the demo data)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join([report.summary(), *report.error_lines()]))
        self.report = report


def raise_for_errors(report: ImportReport) -> ImportReport:
    if not report.ok:
        raise ImportFailed(report)
    return report


# --- Parsing single values -------------------------------------------------------------------------------

Parser = Callable[[Any], Any]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"1", "true", "yes", "y", "oui", "ja", "x"}
_FALSE = {"0", "false", "no", "n", "non", "nee", "nein", ""}


def _text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        text = str(value).strip()
        if len(text) > max_length:
            raise ValidationError(
                _("At most %(max)d characters (this value has %(length)d)."),
                code="too_long",
                params={"max": max_length, "length": len(text)},
            )
        return text

    return parse


def _date(value: Any) -> datetime.date:
    text = str(value).strip()
    if not _DATE.match(text):
        raise ValidationError(_("Write the date as YYYY-MM-DD, for example 2026-03-01."), code="date_format")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValidationError(
            _("%(value)s is not a date in the calendar."), code="date_invalid", params={"value": text}
        ) from error


def _hours(value: Any) -> Decimal:
    text = str(value).strip().replace(",", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(
            _("Write the weekly hours as a number, for example 38 or 30.4."), code="hours_format"
        ) from error
    if not hours.is_finite() or hours <= 0:
        raise ValidationError(_("The weekly hours must be more than 0."), code="hours_not_positive")
    if hours >= 100 or hours != hours.quantize(Decimal("0.01")):
        raise ValidationError(
            _("The weekly hours must be below 100, with at most two decimals."), code="hours_format"
        )
    return hours.quantize(Decimal("0.01"))


def _count(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationError(_("Write a whole number of 0 or more, for example 12."), code="integer_format")
    return int(text)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("Write true or false."), code="boolean_format")


def _one_of(allowed: Sequence[str]) -> Parser:
    """One of ``allowed``; the message lists them in the order given."""

    def parse(value: Any) -> str:
        text = str(value).strip()
        if text not in allowed:
            raise ValidationError(
                _("%(value)s is not one of the allowed values: %(allowed)s."),
                code="invalid_choice",
                params={"value": text, "allowed": ", ".join(allowed)},
            )
        return text

    return parse


def _choice(choices: type[models.TextChoices]) -> Parser:
    return _one_of(choices.values)


def _choice_list(choices: type[models.TextChoices]) -> Parser:
    """A list of choices: a JSON list, or in CSV the values separated by | (or ; or spaces)."""
    one = _choice(choices)

    def parse(value: Any) -> list[str]:
        items = value if isinstance(value, list) else re.split(r"[|;,\s]+", str(value).strip())
        result = [one(item) for item in items if str(item).strip()]
        return sorted(set(result), key=result.index)

    return parse


def _leave_form(value: Any) -> str:
    """A leave form; the legacy history spells 1/5 and 1/10 "fifth" and "tenth" (stored as 1/5, 1/10)."""
    text = str(value).strip()
    legacy = LEGACY_LEAVE_FORMS.get(text)
    return legacy.value if legacy else _choice(LeaveForm)(text)


def _set_of(allowed: frozenset[str]) -> Parser:
    return _one_of(sorted(allowed))


def _matching(pattern: str, message: StrOrPromise, code: str, *, upper: bool = False) -> Parser:
    """A text that ``pattern`` matches whole (after upper-casing it when ``upper``); ``message`` otherwise."""

    def parse(value: Any) -> str:
        text = str(value).strip()
        if upper:
            text = text.upper()
        if not re.fullmatch(pattern, text):
            raise ValidationError(message, code=code)
        return text

    return parse


_country = _matching(
    r"[A-Z]{2}", _("Write the country as two letters, for example BE."), "country_format", upper=True
)
_committee_number = _matching(
    r"[0-9]{3}(\.[0-9]{2})?",
    _("A joint committee number has 3 digits, with 2 more for a sub-committee (118, 322.01)."),
    "joint_committee_format",
)
_status_code = _matching(
    r"[A-Z][A-Z0-9_]{1,31}",
    _("A status code is written in capitals with underscores, for example PRIVATE_WHITE_COLLAR."),
    "status_code_format",
)
_period_id = _matching(
    r"[A-Za-z0-9]{1,16}", _("A Dimona period number has 1 to 16 letters or digits."), "period_id_format"
)


def _email(value: Any) -> str:
    text = str(value).strip()
    EmailValidator(message=_("Write a valid e-mail address."), code="email_format")(text)
    return text


# --- Rows ------------------------------------------------------------------------------------------------

_MISSING = object()


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False
    # The model attribute the value goes to; None when a check resolves it (a reference).
    attr: str | None = ""
    # The value an empty cell stands for.
    empty: Any = ""

    @property
    def target(self) -> str | None:
        return self.name if self.attr == "" else self.attr


@dataclass
class Row:
    position: Position
    raw: Mapping[str, Any]
    values: dict[str, Any] = field(default_factory=dict)  # parsed, by column name
    present: set[str] = field(default_factory=set)  # columns the file gives (even empty)
    attrs: dict[str, Any] = field(default_factory=dict)  # model attribute values to write
    errors: list[RowError] = field(default_factory=list)

    def error(
        self, column: str | None, error: ValidationError | str | Promise, code: str = "invalid"
    ) -> None:
        if isinstance(error, ValidationError):
            for single in error.error_list:
                message = single.message % single.params if single.params else single.message
                self.errors.append(RowError(self.position, column, message, single.code or code))
        else:
            self.errors.append(RowError(self.position, column, error, code))

    def ok(self, *columns: str) -> bool:
        """True when these columns parsed without error (and so have a value)."""
        failed = {e.field for e in self.errors}
        return all(c in self.values and c not in failed for c in columns)


class Context:
    """The model registry the import writes to: the project's, or a migration's historical one."""

    def __init__(self, apps: Apps | None) -> None:
        self.apps = apps or global_apps

    def model(self, name: str) -> type[models.Model]:
        return self.apps.get_model("registries", name)

    def lookup(self, model: str, key: str, values: Iterable[Any], *fields: str) -> dict[Any, dict[str, Any]]:
        """Rows of ``model`` whose ``key`` is among ``values``, as dicts of ``fields`` (and id), by key."""
        wanted = sorted({v for v in values if v not in (None, "")})
        found: dict[Any, dict[str, Any]] = {}
        for chunk in _chunks(wanted, _BATCH):
            for record in (
                self.model(model)._default_manager.filter(**{f"{key}__in": chunk}).values("id", key, *fields)
            ):
                found[record[key]] = record
        return found


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Kind:
    name: str
    model: str
    key: tuple[str, ...]  # model attributes forming the natural key
    key_columns: tuple[str, ...]  # the columns named in a duplicate-key message
    columns: tuple[Column, ...]
    check: Callable[[list[Row], Context], None] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# --- Checks per kind -------------------------------------------------------------------------------------

UNKNOWN_ENTERPRISE = _("No enterprise with number %(value)s: import the enterprises first.")
UNKNOWN_PERSON = _("No person with national register number %(value)s: import the persons first.")


def _resolve(
    rows: list[Row],
    ctx: Context,
    column: str,
    model: str,
    key: str,
    attr: str,
    message: str | Promise,
    code: str,
    *fields: str,
) -> dict[Any, dict[str, Any]]:
    """Turn the ``column`` values into ``attr`` ids, with an error on rows naming a missing record."""
    found = ctx.lookup(model, key, (row.values.get(column) for row in rows if row.ok(column)), *fields)
    for row in rows:
        if not row.ok(column):
            continue
        value = row.values[column]
        if value in (None, ""):
            if column in row.present:
                row.attrs[attr] = None
            continue
        if value in found:
            row.attrs[attr] = found[value]["id"]
        else:
            row.error(column, str(message) % {"value": value}, code)
    return found


def _check_persons(rows: list[Row], ctx: Context) -> None:
    for row in rows:
        if not row.ok("niss"):
            continue
        niss = row.values["niss"]
        row.attrs["kind"] = niss_kind(niss)
        encoded = niss_birth_date(niss)
        given = row.values.get("birth_date")
        if given is None:
            if "birth_date" not in {e.field for e in row.errors}:
                row.attrs["birth_date"] = encoded
        elif encoded is None or given == encoded:
            row.attrs["birth_date"] = given
        else:
            row.error(
                "birth_date",
                _(
                    "The birth date %(given)s does not match the national register number, "
                    "which says %(encoded)s."
                )
                % {"given": row.values["birth_date"].isoformat(), "encoded": encoded.isoformat()},
                "birth_date_mismatch",
            )
        if row.values.get("gender") in (None, ""):
            row.attrs["gender"] = niss_gender(niss) or Person.Gender.UNKNOWN


def _check_employments(rows: list[Row], ctx: Context) -> None:
    employers = _resolve(
        rows,
        ctx,
        "employer",
        "Enterprise",
        "number",
        "employer_id",
        UNKNOWN_ENTERPRISE,
        "unknown_enterprise",
        "sector",
    )
    _resolve(rows, ctx, "worker", "Person", "niss", "worker_id", UNKNOWN_PERSON, "unknown_person")
    committees = _resolve(
        rows,
        ctx,
        "joint_committee",
        "JointCommittee",
        "number",
        "joint_committee_id",
        _("No joint committee %(value)s in the official list."),
        "unknown_joint_committee",
        "worker_category",
        "active",
    )
    statuses = _resolve(
        rows,
        ctx,
        "worker_status",
        "WorkerStatus",
        "code",
        "worker_status_id",
        _("No worker status %(value)s; the statuses are listed in registries/data/worker_statuses.json."),
        "unknown_worker_status",
        "sectors",
        "worker_category",
    )
    for row in rows:
        employer = employers.get(row.values.get("employer")) if row.ok("employer") else None
        committee = committees.get(row.values.get("joint_committee")) if row.ok("joint_committee") else None
        status = statuses.get(row.values.get("worker_status")) if row.ok("worker_status") else None
        committee_failed = "joint_committee" in {e.field for e in row.errors}
        if (
            employer is not None
            and employer["sector"] == Sector.PRIVATE
            and not committee_failed
            and not row.values.get("joint_committee")
        ):
            row.error(
                "joint_committee",
                _("A private-sector employment needs its joint committee number (for example 200)."),
                "joint_committee_required",
            )
        if committee is not None and not committee["active"] and row.values.get("end_date") in (None, ""):
            row.error(
                "joint_committee",
                _("Joint committee %(value)s no longer exists: give the committee that replaced it.")
                % {"value": row.values["joint_committee"]},
                "joint_committee_inactive",
            )
        if status is not None and employer is not None and employer["sector"] not in status["sectors"]:
            row.error(
                "worker_status",
                _("The status %(status)s does not exist in the employer's sector (%(sector)s).")
                % {"status": row.values["worker_status"], "sector": employer["sector"]},
                "worker_status_sector",
            )
        if (
            status is not None
            and committee is not None
            and status["worker_category"]
            and committee["worker_category"] not in (WorkerCategory.BOTH, status["worker_category"])
        ):
            row.error(
                "worker_status",
                _(
                    "The status %(status)s does not fit joint committee %(committee)s, "
                    "which covers %(covers)s."
                )
                % {
                    "status": row.values["worker_status"],
                    "committee": row.values["joint_committee"],
                    "covers": WorkerCategory(committee["worker_category"]).label,
                },
                "worker_status_committee",
            )
        _check_period(row)
        if (
            row.ok("weekly_hours", "reference_hours")
            and row.values["weekly_hours"] > row.values["reference_hours"]
        ):
            row.error(
                "weekly_hours",
                _(
                    "The worker's weekly hours (Q = %(q)s) cannot exceed those of a full-time worker "
                    "(S = %(s)s)."
                )
                % {"q": row.values["weekly_hours"], "s": row.values["reference_hours"]},
                "hours_over_reference",
            )


def _check_period(row: Row) -> None:
    if (
        row.ok("start_date", "end_date")
        and row.values["end_date"]
        and row.values["end_date"] < row.values["start_date"]
    ):
        row.error(
            "end_date",
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": row.values["end_date"].isoformat(), "start": row.values["start_date"].isoformat()},
            "end_before_start",
        )


def _check_prior_leaves(rows: list[Row], ctx: Context) -> None:
    _resolve(rows, ctx, "worker", "Person", "niss", "worker_id", UNKNOWN_PERSON, "unknown_person")
    _resolve(
        rows, ctx, "employer", "Enterprise", "number", "employer_id", UNKNOWN_ENTERPRISE, "unknown_enterprise"
    )
    _resolve(rows, ctx, "subject", "Person", "niss", "subject_id", UNKNOWN_PERSON, "unknown_person")
    for row in rows:
        _check_period(row)


def _check_children(rows: list[Row], ctx: Context) -> None:
    parents = _resolve(
        rows,
        ctx,
        "parent",
        "Person",
        "niss",
        "from_person_id",
        UNKNOWN_PERSON,
        "unknown_person",
        "birth_date",
    )
    children = _resolve(
        rows, ctx, "child", "Person", "niss", "to_person_id", UNKNOWN_PERSON, "unknown_person", "birth_date"
    )
    for row in rows:
        if not row.ok("parent", "child"):
            continue
        if row.values["parent"] == row.values["child"]:
            row.error("child", _("A person cannot be their own child."), "child_is_parent")
            continue
        parent, child = parents.get(row.values["parent"]), children.get(row.values["child"])
        born = (parent or {}).get("birth_date"), (child or {}).get("birth_date")
        if born[0] and born[1] and born[1] <= born[0]:
            row.error("child", _("The child is born before the parent."), "child_older_than_parent")


# --- Kinds -----------------------------------------------------------------------------------------------


def _niss_column(name: str, *, required: bool = True, attr: str | None = "") -> Column:
    return Column(name, normalize_niss, required=required, attr=attr, empty=None)


def _enterprise_column(name: str, *, required: bool = True, attr: str | None = "") -> Column:
    return Column(name, normalize_enterprise_number, required=required, attr=attr, empty=None)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "joint_committees",
            "JointCommittee",
            key=("number",),
            key_columns=("number",),
            columns=(
                Column("number", _committee_number, required=True),
                Column("name_fr", _text(255), required=True),
                Column("name_nl", _text(255), required=True),
                Column("worker_category", _choice(WorkerCategory), required=True),
                Column("active", _boolean, empty=True),
            ),
        ),
        Kind(
            "worker_statuses",
            "WorkerStatus",
            key=("code",),
            key_columns=("code",),
            columns=(
                Column("code", _status_code, required=True),
                Column("label_fr", _text(128), required=True),
                Column("label_nl", _text(128), required=True),
                Column("label_de", _text(128), required=True),
                Column("label_en", _text(128), required=True),
                Column("sectors", _choice_list(Sector), required=True),
                Column("worker_category", _choice(WorkerCategory)),
                Column("ordering", _count, empty=0),
            ),
        ),
        Kind(
            "enterprises",
            "Enterprise",
            key=("number",),
            key_columns=("number",),
            columns=(
                _enterprise_column("number"),
                Column("onss_number", normalize_onss_number),
                Column("name", _text(255), required=True),
                Column("legal_form", _text(64)),
                Column("street", _text(255)),
                Column("postal_code", _text(16)),
                Column("city", _text(128)),
                Column("country", _country, empty="BE"),
                Column("sector", _choice(Sector), required=True),
                Column("reference_headcount", _count, empty=None),  # an empty cell: unknown, not 0
                Column("language", _choice(Language), empty=Language.FR),
                Column("is_social_secretariat", _boolean, empty=False),
            ),
        ),
        Kind(
            "persons",
            "Person",
            key=("niss",),
            key_columns=("niss",),
            columns=(
                _niss_column("niss"),
                Column("first_name", _text(128), required=True),
                Column("last_name", _text(128), required=True),
                Column("birth_date", _date, empty=None, attr=None),
                Column("gender", _choice(Person.Gender), attr="gender", empty=None),
                Column("language", _choice(Language), empty=Language.FR),
                Column("street", _text(255)),
                Column("postal_code", _text(16)),
                Column("city", _text(128)),
                Column("country", _country, empty="BE"),
                Column("email", _email),
            ),
            check=_check_persons,
        ),
        Kind(
            "employments",
            "Employment",
            key=("period_id",),
            key_columns=("period_id",),
            columns=(
                Column("period_id", _period_id, required=True),
                _enterprise_column("employer", attr=None),
                _niss_column("worker", attr=None),
                Column("joint_committee", _committee_number, attr=None),
                Column("worker_type", _choice(Employment.WorkerType), empty=Employment.WorkerType.OTH),
                Column("worker_status", _status_code, attr=None),
                Column("start_date", _date, required=True, empty=None),
                Column("end_date", _date, empty=None),
                Column("weekly_hours", _hours, required=True, empty=None),
                Column("reference_hours", _hours, required=True, empty=None),
            ),
            check=_check_employments,
        ),
        Kind(
            "prior_leaves",
            "PriorLeave",
            key=("worker_id", "leave_type", "start_date"),
            key_columns=("worker", "leave_type", "start_date"),
            columns=(
                _niss_column("worker", attr=None),
                _enterprise_column("employer", required=False, attr=None),
                Column("leave_type", _set_of(LEAVE_TYPE_CODES), required=True),
                Column("form", _leave_form, required=True),
                Column("start_date", _date, required=True, empty=None),
                Column("end_date", _date, required=True, empty=None),
                _niss_column("subject", required=False, attr=None),
            ),
            check=_check_prior_leaves,
        ),
        Kind(
            "children",
            "Person.children",
            key=("from_person_id", "to_person_id"),
            key_columns=("parent", "child"),
            columns=(_niss_column("parent", attr=None), _niss_column("child", attr=None)),
            check=_check_children,
        ),
    )
}


# --- Reading files ---------------------------------------------------------------------------------------


@dataclass
class FileContents:
    """What a file holds: its records with their positions, the CSV header, and problems found reading it."""

    records: list[tuple[Position, Any]] = field(default_factory=list)
    header: list[str] | None = None
    errors: list[RowError] = field(default_factory=list)


def read_file(path: Path) -> FileContents:
    """The records of a CSV or JSON file with their positions (see the module docstring for the formats)."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json"}:
        message = _("Give a .csv or a .json file (this one ends in %(suffix)s).") % {"suffix": suffix or "-"}
        return FileContents(errors=[RowError(FILE, None, message, "file_type")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return FileContents(errors=[RowError(FILE, None, _("The file does not exist."), "file_missing")])
    except UnicodeDecodeError:
        message = str(_("The file is not UTF-8 text: save it as CSV UTF-8 or JSON."))
        return FileContents(errors=[RowError(FILE, None, message, "file_encoding")])
    return _read_csv(text) if suffix == ".csv" else _read_json(text)


def _read_csv(text: str) -> FileContents:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    contents = FileContents()
    try:
        contents.header = [name.strip() for name in next(reader)]
    except StopIteration:
        contents.errors.append(
            RowError(FILE, None, _("The file is empty: it needs a header row."), "file_empty")
        )
        return contents
    except csv.Error as error:
        contents.errors.append(RowError(Position("line", 1), None, str(error), "csv_syntax"))
        return contents
    width = len(contents.header)
    line = reader.line_num
    while True:
        start = line + 1  # a quoted cell may span lines: name the line the record starts on
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            contents.errors.append(RowError(Position("line", start), None, str(error), "csv_syntax"))
            break
        line = reader.line_num
        position = Position("line", start)
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (often at the end) carry nothing
        if len(cells) != width:
            message = _("This line has %(cells)d cells but the header has %(columns)d.") % {
                "cells": len(cells),
                "columns": width,
            }
            contents.errors.append(RowError(position, None, message, "cell_count"))
            continue
        contents.records.append((position, dict(zip(contents.header, cells, strict=True))))
    return contents


def _read_json(text: str) -> FileContents:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("This is not valid JSON: %(problem)s.") % {"problem": error.msg}
        return FileContents(errors=[RowError(Position("line", error.lineno), None, message, "json_syntax")])
    if not isinstance(data, list):
        message = str(_("The JSON file must hold a list of objects, one per record."))
        return FileContents(errors=[RowError(FILE, None, message, "json_shape")])
    return FileContents(records=[(Position("row", index), item) for index, item in enumerate(data, start=1)])


# --- Importing -------------------------------------------------------------------------------------------


def import_file(
    kind: str, path: str | Path, *, dry_run: bool = False, apps: Apps | None = None
) -> ImportReport:
    """Validate every record of a CSV or JSON file and, when all are right, upsert them all (atomic)."""
    path = Path(path)
    spec = _kind(kind)
    report = ImportReport(kind=kind, source=str(path), dry_run=dry_run)
    contents = read_file(path)
    report.errors += contents.errors
    if contents.header is not None:
        header_errors = _check_header(spec, contents.header)
        if header_errors:  # every row would repeat them: report the header alone
            report.errors = header_errors
            return report
    return _import(spec, contents.records, report, apps=apps)


def import_rows(
    kind: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    source: str = "",
    dry_run: bool = False,
    apps: Apps | None = None,
) -> ImportReport:
    """Like ``import_file`` for records already in memory (dicts by column); positions are "row N"."""
    spec = _kind(kind)
    report = ImportReport(kind=kind, source=source, dry_run=dry_run)
    records = [(Position("row", index), row) for index, row in enumerate(rows, start=1)]
    return _import(spec, records, report, apps=apps)


def load_reference_data(apps: Apps | None = None) -> list[ImportReport]:
    """Upsert the shipped reference data (``registries/data``); raise ``ImportFailed`` if a file is wrong."""
    return [raise_for_errors(import_file(kind, DATA_DIR / name, apps=apps)) for kind, name in REFERENCE_FILES]


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown kind {kind!r}; the kinds are {', '.join(KINDS)}.") from None


def _check_header(spec: Kind, names: list[str]) -> list[RowError]:
    header = Position("line", 1)
    errors = []
    known = set(spec.column_names)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            errors.append(RowError(header, name, _("This column appears twice."), "duplicate_column"))
        seen.add(name)
        if name not in known and not name.startswith("_"):
            errors.append(_unknown_column(header, spec, name))
    for column in spec.columns:
        if column.required and column.name not in seen:
            errors.append(
                RowError(header, column.name, _("This column is missing from the header."), "missing_column")
            )
    return errors


def _unknown_column(position: Position, spec: Kind, name: str) -> RowError:
    return RowError(
        position,
        name,
        _("Unknown column; the columns for %(kind)s are: %(columns)s.")
        % {"kind": spec.name, "columns": ", ".join(spec.column_names)},
        "unknown_column",
    )


def _parse_row(spec: Kind, position: Position, raw: Any) -> Row:
    if not isinstance(raw, Mapping):
        row = Row(position, {})
        row.error(None, _("Each record must be an object with named fields."), "json_shape")
        return row
    row = Row(position, raw)
    known = set(spec.column_names)
    for name in raw:
        if not isinstance(name, str) or (name not in known and not name.startswith("_")):
            row.errors.append(_unknown_column(position, spec, str(name)))
    for column in spec.columns:
        value = raw.get(column.name, _MISSING)
        if value is _MISSING:
            if column.required:
                row.error(column.name, _("This field is required."), "required")
            continue
        row.present.add(column.name)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            if column.required:
                row.error(column.name, _("This field is required."), "required")
                continue
            parsed = column.empty
        else:
            try:
                parsed = column.parse(value)
            except ValidationError as error:
                row.error(column.name, error)
                continue
        row.values[column.name] = parsed
        if column.target:
            row.attrs[column.target] = parsed
    return row


def _import(
    spec: Kind, records: list[tuple[Position, Any]], report: ImportReport, *, apps: Apps | None
) -> ImportReport:
    ctx = Context(apps)
    rows = [_parse_row(spec, position, raw) for position, raw in records]
    report.rows = len(rows)
    if spec.check is not None:
        spec.check(rows, ctx)
    _check_duplicates(spec, rows)
    for row in rows:
        report.errors += row.errors
    if report.errors:
        # By position, then in the order of the columns, whether a value was malformed or failed a check.
        order = {name: index for index, name in enumerate(spec.column_names)}
        report.errors.sort(
            key=lambda e: (e.position.unit != "file", e.position.number, order.get(e.field or "", -1))
        )
        return report
    try:
        with transaction.atomic():
            _upsert(spec, rows, ctx, report)
            if report.dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:  # a constraint the checks above did not foresee
        report.created = report.updated = report.unchanged = 0
        report.errors.append(
            RowError(
                FILE,
                None,
                _("The database refused the records: %(problem)s") % {"problem": error},
                "database",
            )
        )
    return report


def _check_duplicates(spec: Kind, rows: list[Row]) -> None:
    first: dict[tuple[Any, ...], Position] = {}
    for row in rows:
        if row.errors or not all(attr in row.attrs for attr in spec.key):
            continue
        key = tuple(row.attrs[attr] for attr in spec.key)
        if key in first:
            row.error(
                spec.key_columns[0],
                _("The same record as %(other)s (same %(columns)s): give each record once.")
                % {"other": first[key], "columns": ", ".join(spec.key_columns)},
                "duplicate_record",
            )
        else:
            first[key] = row.position


def _model(spec: Kind, ctx: Context) -> type[models.Model]:
    if spec.model == "Person.children":
        through: type[models.Model] = ctx.model("Person")._meta.get_field("children").remote_field.through  # type: ignore[union-attr]
        return through
    return ctx.model(spec.model)


def _upsert(spec: Kind, rows: list[Row], ctx: Context, report: ImportReport) -> None:
    model = _model(spec, ctx)
    manager = model._default_manager
    field_names = {f.attname for f in model._meta.concrete_fields}
    has_updated_at = "updated_at" in field_names
    lead = spec.key[0]
    existing: dict[tuple[Any, ...], models.Model] = {}
    leads = sorted({row.attrs[lead] for row in rows}, key=str)
    for chunk in _chunks(leads, _BATCH):
        for obj in manager.filter(**{f"{lead}__in": chunk}):
            existing[tuple(getattr(obj, attr) for attr in spec.key)] = obj
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    now = timezone.now()
    for row in rows:
        values = {attr: value for attr, value in row.attrs.items() if attr in field_names}
        key = tuple(values[attr] for attr in spec.key)
        found = existing.get(key)
        if found is None:
            obj = model(**{k: v for k, v in values.items() if v is not None or _nullable(model, k)})
            to_create.append(obj)
            existing[key] = obj  # a later duplicate would be caught before; keeps this safe anyway
            continue
        obj = found
        changes = {attr: value for attr, value in values.items() if getattr(obj, attr) != value}
        if not changes:
            report.unchanged += 1
            continue
        for attr, value in changes.items():
            setattr(obj, attr, value)
        if has_updated_at:
            obj.updated_at = now  # type: ignore[attr-defined]
            changes["updated_at"] = now
        changed_fields |= set(changes)
        to_update.append(obj)
    if to_create:
        manager.bulk_create(to_create, batch_size=_BATCH)
    if to_update:
        manager.bulk_update(to_update, sorted(changed_fields), batch_size=_BATCH)
    report.created += len(to_create)
    report.updated += len(to_update)


def _nullable(model: type[models.Model], attname: str) -> bool:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return bool(f.null)
    return False


# --- The employment offices ------------------------------------------------------------------------------

OFFICES_FILE = "offices.json"


def load_offices(apps: Apps | None = None, path: Path | None = None) -> int:
    """Upsert the offices and replace their postcode areas from ``registries/data/offices.json`` (by code).

    Each record: ``code``, ``names`` ({"fr", "nl", "de", "en"}) and ``areas`` ([[from, to], …], inclusive).
    Raises ValueError on a malformed record or on areas that overlap (a postcode has one office); nothing
    is written then. Returns the number of offices in the file.
    """
    records = json.loads((path or DATA_DIR / OFFICES_FILE).read_text(encoding="utf-8"))
    spans: list[tuple[int, int, str]] = []
    for record in records:
        code, names = record["code"], record["names"]
        if not code or set(names) != {"fr", "nl", "de", "en"} or not all(names.values()):
            raise ValueError(f"Office {code!r}: give a code and a name in fr, nl, de and en.")
        for start, end in record["areas"]:
            if not 1000 <= start <= end <= 9999:
                raise ValueError(
                    f"Office {code}: the area {start}-{end} is not a range of Belgian postcodes."
                )
            spans.append((start, end, code))
    spans.sort()
    for (_s1, end1, code1), (start2, _e2, code2) in itertools.pairwise(spans):
        if start2 <= end1:
            raise ValueError(f"The areas of {code1} and {code2} overlap at {start2}.")
    ctx = Context(apps)
    office_model, area_model = ctx.model("Office"), ctx.model("OfficeArea")
    with transaction.atomic():
        for record in records:
            office, _created = office_model._default_manager.update_or_create(
                code=record["code"], defaults={"names": record["names"]}
            )
            area_model._default_manager.filter(office=office).delete()
            area_model._default_manager.bulk_create(
                [area_model(office=office, postcode_from=s, postcode_to=e) for s, e in record["areas"]]
            )
    return len(records)
