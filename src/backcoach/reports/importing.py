"""Reading an export document back: bound it, check all of it, then replace the records in one go.

Import REPLACES the records with the file's (see docs/your-data.md for why not merge): the
same file imported twice leaves exactly one copy. The bytes are bounded before they are parsed
(size by the caller, nesting depth and the number of objects here), every row is checked with
the app's own models (``export_models``) before anything is written, and the delete-and-insert
runs in one transaction, so a bad file changes nothing.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, get_args

import annotated_types
from pydantic import BaseModel, ValidationError
from sqlalchemy import JSON, Table, delete, insert
from sqlalchemy.exc import DataError, IntegrityError

from backcoach.bounded import deeper_than, json_skeleton
from backcoach.reports.export import FORMAT, FORMAT_VERSION, columns, scoped_person, tables
from backcoach.reports.export_models import AGAIN, ROW_MODELS

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails
    from sqlalchemy.orm import Session

Rows = dict[str, list[dict[str, Any]]]

MAX_DEPTH = 32
"""Objects and lists inside each other: an export goes 8 deep (a direction check's step's
reading), so 32 is room to spare, and a file nested deeper is refused before it is parsed."""

BYTES_PER_CONTAINER = 10
"""At most one object or list per 10 bytes of file: a real export spends far more on each (a
set's row is about 400 bytes and holds two), and the bound keeps a file of nothing but ``[]``
from growing tenfold in memory once parsed."""

MAX_PROBLEMS = 20
"""Faults named in one message; the rest are counted."""


class ExportFileError(ValueError):
    """The file is not an export this backcoach can read; the message names where and why."""


class DocumentSyntaxError(ExportFileError):
    """The bytes are not a JSON document import reads; ``line`` and ``column`` say where."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None):
        super().__init__(problem)
        self.problem, self.line, self.column = problem, line, column

    def located(self, name: str) -> str:
        """The message after ``name`` (a file's path): ``me.json:3:7: ...``."""
        if self.line is None:
            return f"{name}: {self.problem}"
        column = f":{self.column}" if self.column is not None else ""
        return f"{name}:{self.line}{column}: {self.problem}"


# --- bytes -> JSON ----------------------------------------------------------------------------

_OPENER = re.compile(rb"[\[{]")


def load_document(raw: bytes | bytearray) -> Any:
    """The parsed document, or DocumentSyntaxError. Nesting and the number of objects are
    counted on the bytes first, so a hostile file is refused before it takes any memory."""
    _check_nesting(raw, max_containers=max(len(raw) // BYTES_PER_CONTAINER, 1_000))
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentSyntaxError(
            f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8, or {AGAIN}",
            raw.count(b"\n", 0, exc.start) + 1,
        ) from None
    del raw
    try:
        return json.loads(decoded, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise DocumentSyntaxError(
            f"not valid JSON ({exc.msg}); the file may be cut short or edited by hand: "
            "export it again",
            exc.lineno,
            exc.colno,
        ) from None
    except _BadNumber as exc:
        raise DocumentSyntaxError(f"not a number JSON import can hold ({exc}); {AGAIN}") from None
    except ValueError:  # the one other: an integer longer than Python reads (4,300 digits)
        raise DocumentSyntaxError(
            f"not a number JSON import can hold (a whole number of more than "
            f"{sys.get_int_max_str_digits():,} digits); {AGAIN}"
        ) from None


def _check_nesting(raw: bytes | bytearray, max_containers: int) -> None:
    """Depth and the number of objects and lists, from the brackets outside strings
    (``bounded.json_skeleton``, the same scan every JSON file a person gives goes through)."""
    skeleton = json_skeleton(bytes(raw))
    line = deeper_than(skeleton, MAX_DEPTH)
    if line is not None:
        raise DocumentSyntaxError(
            f"objects and lists are nested more than {MAX_DEPTH} deep (an export goes about 8 "
            f"deep); {AGAIN}",
            line,
        )
    if skeleton.count(b"[") + skeleton.count(b"{") > max_containers:
        over = next(islice(_OPENER.finditer(skeleton), max_containers, None))
        raise DocumentSyntaxError(
            f"holds more than {max_containers:,} objects and lists for its {len(raw):,} bytes, "
            f"far more than an export has; {AGAIN}",
            skeleton.count(b"\n", 0, over.start()) + 1,
        )


class _BadNumber(ValueError):
    """A number JSON itself does not allow (NaN, Infinity) or too large for a float."""


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a number JSON allows")


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _BadNumber(f"{literal} is too large")
    return value


# --- the document -----------------------------------------------------------------------------


def check_document(data: Any, schema_head: str) -> Rows:
    """Every row of the document as database values, or ExportFileError naming its faults."""
    if not isinstance(data, dict):
        raise ExportFileError(
            f"the file is not a backcoach export: expected a JSON object at the top "
            f"(got {_shown(data)}); use a file made by `backcoach export --out`"
        )
    if data.get("format") != FORMAT:
        raise ExportFileError(
            f"format: expected {FORMAT!r} (got {_shown(data.get('format'))}); "
            "use a file made by `backcoach export --out`"
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportFileError(
            f"format_version: expected a whole number (got {_shown(version)}); {AGAIN}"
        )
    if version > FORMAT_VERSION:
        raise ExportFileError(
            f"format_version: the file uses version {_shown(version)}, this backcoach reads up "
            f"to {FORMAT_VERSION}; update backcoach, then import it"
        )
    revision = data.get("schema_revision")
    if not isinstance(revision, str) or not re.fullmatch(r"\d{4}", revision):
        raise ExportFileError(
            f"schema_revision: expected a revision like '0003' (got {_shown(revision)}); {AGAIN}"
        )
    # Revision ids are zero-padded numbers ("0001", "0002", ...), so text order is their order.
    if revision > schema_head:
        raise ExportFileError(
            f"schema_revision: the file comes from a newer backcoach (database revision "
            f"{revision}; this one knows up to {schema_head}); update backcoach, then import it"
        )
    for name in ("backcoach_version", "exported_at"):
        if not isinstance(data.get(name), str | None):
            raise ExportFileError(f"{name}: expected text (got {_shown(data[name])}); {AGAIN}")
    raw = data.get("tables")
    if not isinstance(raw, dict):
        raise ExportFileError(f"tables: expected an object of tables (got {_shown(raw)}); {AGAIN}")
    known = {table.name: table for table in tables()}
    for name in raw:
        if name not in known:
            raise ExportFileError(
                f"tables.{name}: this backcoach has no such table; the file may come from a "
                "newer backcoach: update backcoach, then import it"
            )
    problems: list[str] = []
    rows = {
        table.name: _check_table(table, raw.get(table.name, []), problems) for table in tables()
    }
    _raise(problems)
    if len(rows.get("profile", [])) > 1:
        problems.append(
            f"tables.profile: a person has one profile, the file holds "
            f"{len(rows['profile'])}; keep one row; {AGAIN}"
        )
    _check_keys(rows, problems)
    _raise(problems)
    _check_items(rows, problems)
    _raise(problems)
    return rows


def _raise(problems: list[str]) -> None:
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append("... and more after these: fix these first")
    raise ExportFileError("\n".join(shown))


def _check_table(table: Table, raw_rows: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw_rows, list):
        problems.append(
            f"tables.{table.name}: expected a list of rows (got {_shown(raw_rows)}); {AGAIN}"
        )
        return []
    model = ROW_MODELS.get(table.name)
    if model is None:  # a table added without its model: refuse its rows, never trust them
        if raw_rows:
            problems.append(
                f"tables.{table.name}: this backcoach has no checks for this table's rows "
                "(reports/export_models.py); please report this as a bug"
            )
        return []
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(raw_rows):
        if len(problems) > MAX_PROBLEMS:
            break  # enough to act on; the count says there are more
        where = f"tables.{table.name}[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected an object (got {_shown(raw)}); {AGAIN}")
            continue
        try:
            record = model.model_validate_json(json.dumps(raw, allow_nan=False), strict=True)
        except ValidationError as exc:
            problems.extend(describe(err, where, model) for err in exc.errors(include_url=False))
            continue
        except (TypeError, ValueError, RecursionError) as exc:  # a caller's non-JSON values
            problems.append(f"{where}: holds a value that is not JSON ({exc}); {AGAIN}")
            continue
        # The checked value of each field given, except JSON fields, kept exactly as written
        # (they were checked whole); fields left out take the database's defaults.
        out.append(
            {
                column.name: raw[column.name]
                if isinstance(column.type, JSON)
                else getattr(record, column.name)
                for column in columns(table)
                if column.name in raw
            }
        )
    return out


def _check_keys(rows: Rows, problems: list[str]) -> None:
    """Each row once; every reference (a session's plan, a set's session) in the file."""
    by_name = {table.name: table for table in tables()}
    for name, table_rows in rows.items():
        table = by_name[name]
        keys: set[tuple[Any, ...]] = set()
        for index, row in enumerate(table_rows):
            key = tuple(row.get(c.name) for c in table.primary_key.columns)
            if key in keys:
                problems.append(
                    f"tables.{name}[{index}]: a second row with {_pk_text(table, key)}; each "
                    f"row must appear once; {AGAIN}"
                )
            keys.add(key)
        for column in columns(table):
            for fk in column.foreign_keys:
                target = fk.column
                present = {row.get(target.name) for row in rows.get(target.table.name, [])}
                for index, row in enumerate(table_rows):
                    value = row.get(column.name)
                    if value is not None and value not in present:
                        problems.append(
                            f"tables.{name}[{index}].{column.name}: refers to "
                            f"{target.table.name} {target.name} {value!r}, which is not in the "
                            f"file; the file is incomplete: {AGAIN}"
                        )


def _check_items(rows: Rows, problems: list[str]) -> None:
    """A set, outcome or pain report about an exercise of a session names one in the session's
    plan, by its place and its id: resuming, history and progression look it up there."""
    plans = {row["id"]: row["data"]["items"] for row in rows.get("plans", [])}
    session_plan = {row["id"]: row["plan_id"] for row in rows.get("sessions", [])}
    for name in ("set_logs", "exercise_outcomes", "pain_reports"):
        for index, row in enumerate(rows.get(name, [])):
            session_id, item = row.get("session_id"), row.get("item_index")
            if session_id is None or item is None:
                continue
            items = plans[session_plan[session_id]]
            where = f"tables.{name}[{index}]"
            if item >= len(items):
                problems.append(
                    f"{where}.item_index: the session's plan (plans id "
                    f"{session_plan[session_id]}) has {len(items)} exercises, so this must be "
                    f"from 0 to {len(items) - 1} (got {item}); {AGAIN}"
                )
            elif row.get("exercise_id") not in (None, items[item]["exercise_id"]):
                problems.append(
                    f"{where}.exercise_id: exercise {item} of the session's plan is "
                    f"{items[item]['exercise_id']!r} (got {_shown(row['exercise_id'])}); {AGAIN}"
                )


def _pk_text(table: Table, key: tuple[Any, ...]) -> str:
    return ", ".join(f"{c.name} {v!r}" for c, v in zip(table.primary_key.columns, key, strict=True))


# --- messages ---------------------------------------------------------------------------------

_KINDS: dict[str, str] = {
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "expected a whole number"),
    **dict.fromkeys(("float_type", "float_parsing"), "expected a number"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "expected true or false"),
    "string_type": "expected text",
    "list_type": "expected a list",
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), "expected an object"),
    **dict.fromkeys(
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"),
        "expected a date like 2026-03-02",
    ),
    **dict.fromkeys(
        ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"),
        "expected a date and time like 2026-03-02T18:00:00+00:00",
    ),
}
_PATTERNS: dict[str, str] = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "is not an exercise id (lowercase letters, digits and "
    "single hyphens, e.g. knee-rolls)",
    r"^([01]\d|2[0-3]):[0-5]\d$": "is not a time like 18:00",
    r"^[a-z][a-z0-9_]{0,39}$": "is not a feature name (lowercase letters, digits and _)",
}
_RANGES = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def describe(err: ErrorDetails, where: str, model: type[BaseModel]) -> str:
    """One pydantic error on a row as ``tables.name[i].field: what is wrong (got VALUE); fix``."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    loc = [part for part in err["loc"] if part != "[key]"]
    field = where + _path(loc)
    fix = f"fix the value, or {AGAIN}"
    if kind == "missing" and len(loc) == 1:
        return f"{where}: the field {loc[0]!r} is missing; {AGAIN}, or add the field to the row"
    if kind == "extra_forbidden":
        what = f"unknown field {loc[-1]!r}" if loc else "unknown field"
        return (
            f"{where}{_path(loc[:-1])}: {what}; the file may come from a newer backcoach: "
            "update backcoach, then import it"
        )
    if kind == "backcoach":  # our own checks (export_models.problem)
        at = str(ctx.get("at") or "")
        field += at if at.startswith("[") or not at else f".{at}"
        shown = f" (got {_shown(ctx['got'])})" if "got" in ctx else ""
        return f"{field}: {ctx['what']}{shown}; {ctx['fix']}"
    if kind == "missing":
        what, fix = "is missing", f"add it, or {AGAIN}"
    elif kind in _KINDS:
        what = _KINDS[kind]
    elif kind == "literal_error":
        what = f"must be one of {str(ctx.get('expected', '')).replace(' or ', ', ')}"
        fix = "write one of them exactly as shown"
    elif kind in _RANGES:
        what = _range_words(_bounds(model, loc), kind, ctx)
    elif kind in ("string_too_long", "too_long"):
        size = len(got) if isinstance(got, str | list | dict) else "?"
        unit = "characters" if kind == "string_too_long" else "items"
        return f"{field}: longer than {ctx.get('max_length')} {unit} (got {size}); shorten it"
    elif kind in ("string_too_short", "too_short"):
        what, fix = "must not be empty", "fill it in"
    elif kind == "string_pattern_mismatch":
        what = _PATTERNS.get(str(ctx.get("pattern")), f"does not match {ctx.get('pattern')}")
    elif kind == "value_error":
        what, _, own_fix = err["msg"].removeprefix("Value error, ").partition("; ")
        fix = own_fix or fix
    else:
        what = err["msg"]
    hide = (isinstance(got, dict | list) and kind not in _KINDS) or kind == "missing"
    return f"{field}: {what}{'' if hide else f' (got {_shown(got)})'}; {fix}"


def _path(loc: Sequence[str | int]) -> str:
    """``data.items[0].sets``; a key that is not a plain name is quoted: ``answers[' x']``."""
    return "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" if _NAME.fullmatch(p) else f"[{p!r}]"
        for p in loc
    )


def _range_words(bounds: tuple[Any, Any], kind: str, ctx: dict[str, Any]) -> str:
    low, high = bounds
    if low is not None and high is not None:
        return f"must be {low}" if low == high else f"must be from {low} to {high}"
    limit = next(iter(ctx.values()), "?")
    words = {
        "greater_than_equal": "at least",
        "greater_than": "more than",
        "less_than_equal": "at most",
        "less_than": "less than",
    }
    return f"must be {words[kind]} {limit}"


def _bounds(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[Any, Any]:
    """The lowest and highest value the field at ``loc`` allows, where its model says."""
    current: Any = model
    found: list[Any] = []
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not isinstance(fields, dict) or part not in fields:
            return None, None
        info = fields[part]
        found = [*info.metadata, info.annotation]
        current = _model_in(info.annotation)
    low = high = None
    for limit in _limits(found):
        if isinstance(limit, annotated_types.Ge | annotated_types.Gt):
            low = limit.ge if isinstance(limit, annotated_types.Ge) else limit.gt
        elif isinstance(limit, annotated_types.Le | annotated_types.Lt):
            high = limit.le if isinstance(limit, annotated_types.Le) else limit.lt
    return low, high


def _limits(items: Sequence[Any]) -> list[Any]:
    """annotated_types bounds in field metadata and in (possibly nested) Annotated types."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, annotated_types.BaseMetadata):
            out.append(item)
        elif hasattr(item, "metadata") and isinstance(item.metadata, list):
            out.extend(_limits(item.metadata))
        elif get_args(item):
            out.extend(_limits(getattr(item, "__metadata__", ())))
            out.extend(_limits([a for a in get_args(item) if a is not type(None)]))
    return out


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _shown(value: Any) -> str:
    """A value as the message shows it: JSON words for null and booleans, long ones cut."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        digits = str(abs(value)) if value.bit_length() < 14_000 else ""
        if not digits or len(digits) > 40:
            return f"a number of {len(digits) or 'thousands of'} digits"
        return str(value)
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:60]}... ({len(value)} characters)"


# --- writing ----------------------------------------------------------------------------------


def replace_all(session: Session, rows: Rows) -> None:
    """Delete the person's records, then insert the file's rows as theirs, inside the
    caller's transaction (a session scoped to one person, see ``export.scoped_person``).

    Rows get new ids from the database and every reference is carried over to them: a file
    exported by one person can be imported by another on a server shared with many people,
    whose ids it would otherwise clash with. Rows are inserted in their file order by id, so
    an import into an empty store usually keeps the file's ids.
    """
    person = scoped_person(session)
    for table in reversed(tables()):
        session.execute(delete(table).where(table.c.person_id == person))
    new_ids: dict[str, dict[int, int]] = {}
    for table in tables():
        refs = {
            column.name: next(iter(column.foreign_keys)).column.table.name
            for column in columns(table)
            if column.foreign_keys
        }
        mapping = new_ids[table.name] = {}
        groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for row in sorted(rows.get(table.name, []), key=lambda r: r["id"]):
            values = {k: v for k, v in row.items() if k != "id"}
            for name, target in refs.items():
                if values.get(name) is not None:
                    values[name] = new_ids[target][values[name]]
            values["person_id"] = person
            groups[tuple(values)].append((row["id"], values))  # one executemany per shape
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        try:
            for group in groups.values():
                made = session.execute(statement, [values for _, values in group]).scalars()
                mapping.update(zip((old for old, _ in group), made, strict=True))
        except (IntegrityError, DataError) as exc:
            raise ExportFileError(
                f"tables.{table.name}: the rows break a rule of the database "
                f"({str(exc.orig).splitlines()[0]}); {AGAIN}"
            ) from None
