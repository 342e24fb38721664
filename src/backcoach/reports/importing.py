"""Reading an export document back: check all of it first, then replace the records in one go.

Import REPLACES the records with the file's (see docs/your-data.md for why not merge): the
same file imported twice leaves exactly one copy. Every row is checked before anything is
written, and the delete-and-insert runs in one transaction, so a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    delete,
    insert,
    text,
)
from sqlalchemy.exc import IntegrityError

from backcoach.reports.export import FORMAT, FORMAT_VERSION, tables

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.orm import Session

Rows = dict[str, list[dict[str, Any]]]
AGAIN = "export it again from the backcoach it came from"


class ExportFileError(ValueError):
    """The file is not an export this backcoach can read; the message names where and why."""


def check_document(data: Any, schema_head: str) -> Rows:
    """Every row of the document as database values, or ExportFileError naming the first fault."""
    if not isinstance(data, dict):
        raise ExportFileError(
            f"the file is not a backcoach export: expected a JSON object at the top "
            f"(got {type(data).__name__}); use a file made by `backcoach export --out`"
        )
    if data.get("format") != FORMAT:
        raise ExportFileError(
            f"format: expected {FORMAT!r} (got {data.get('format')!r}); "
            "use a file made by `backcoach export --out`"
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportFileError(f"format_version: expected a whole number (got {version!r}); {AGAIN}")
    if version > FORMAT_VERSION:
        raise ExportFileError(
            f"format_version: the file uses version {version}, this backcoach reads up to "
            f"{FORMAT_VERSION}; update backcoach, then import it"
        )
    revision = data.get("schema_revision")
    if not isinstance(revision, str):
        raise ExportFileError(f"schema_revision: expected text (got {revision!r}); {AGAIN}")
    # Revision ids are zero-padded numbers ("0001", "0002", ...), so text order is their order.
    if revision > schema_head:
        raise ExportFileError(
            f"schema_revision: the file comes from a newer backcoach (database revision "
            f"{revision}; this one knows up to {schema_head}); update backcoach, then import it"
        )
    raw = data.get("tables")
    if not isinstance(raw, dict):
        raise ExportFileError(
            f"tables: expected an object of tables (got {type(raw).__name__}); {AGAIN}"
        )
    known = {table.name: table for table in tables()}
    for name in raw:
        if name not in known:
            raise ExportFileError(
                f"tables.{name}: this backcoach has no such table; the file may come from a "
                "newer backcoach: update backcoach, then import it"
            )
    rows = {table.name: _check_table(table, raw.get(table.name, [])) for table in tables()}
    _check_references(rows)
    return rows


def _check_table(table: Table, raw_rows: Any) -> list[dict[str, Any]]:
    if not isinstance(raw_rows, list):
        raise ExportFileError(
            f"tables.{table.name}: expected a list of rows (got {type(raw_rows).__name__}); {AGAIN}"
        )
    out: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    for index, raw in enumerate(raw_rows):
        where = f"tables.{table.name}[{index}]"
        if not isinstance(raw, dict):
            raise ExportFileError(
                f"{where}: expected an object (got {type(raw).__name__}); {AGAIN}"
            )
        for name in raw:
            if name not in table.columns:
                raise ExportFileError(
                    f"{where}: unknown field {name!r}; the file may come from a newer "
                    "backcoach: update backcoach, then import it"
                )
        row: dict[str, Any] = {}
        for column in table.columns:
            if column.name in raw:
                row[column.name] = _value(where, column, raw[column.name])
            elif not _may_be_left_out(column):
                raise ExportFileError(
                    f"{where}: the field {column.name!r} is missing; {AGAIN}, or add the "
                    "field to the row"
                )
        key = tuple(row.get(c.name) for c in table.primary_key.columns)
        if key in keys:
            raise ExportFileError(
                f"{where}: a second row with {_pk_text(table, key)}; each row must appear "
                f"once; {AGAIN}"
            )
        keys.add(key)
        out.append(row)
    return out


def _may_be_left_out(column: Column[Any]) -> bool:
    """Columns added by later migrations have defaults or may be empty: older files lack them."""
    return not column.primary_key and (
        column.nullable is True or column.default is not None or column.server_default is not None
    )


def _pk_text(table: Table, key: tuple[Any, ...]) -> str:
    return ", ".join(f"{c.name} {v!r}" for c, v in zip(table.primary_key.columns, key, strict=True))


def _value(where: str, column: Column[Any], value: Any) -> Any:
    """Check one field against its column and turn it into the database's value."""
    kind = column.type
    field = f"{where}.{column.name}"
    if value is None:
        if column.nullable and not column.primary_key:
            return None
        raise ExportFileError(f"{field}: must have a value (got null); {AGAIN}")
    expected: str | None = None
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        expected = "true or false"
    elif isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        expected = "a whole number"
    elif isinstance(kind, Float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        expected = "a number"
    elif isinstance(kind, DateTime):
        try:
            moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        expected = "a date and time like 2026-03-02T18:00:00+00:00"
    elif isinstance(kind, Date):
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            pass
        expected = "a date like 2026-03-02"
    elif isinstance(kind, JSON):
        return value
    elif isinstance(kind, String):
        if isinstance(value, str):
            if kind.length is not None and len(value) > kind.length:
                raise ExportFileError(
                    f"{field}: longer than {kind.length} characters (got {len(value)}); shorten it"
                )
            return value
        expected = "text"
    else:
        return value
    raise ExportFileError(f"{field}: expected {expected} (got {value!r}); fix the value or {AGAIN}")


def _check_references(rows: Rows) -> None:
    """Every reference (a session's plan, a set's session) points at a row in the file."""
    by_name = {table.name: table for table in tables()}
    for name, table_rows in rows.items():
        for column in by_name[name].columns:
            for fk in column.foreign_keys:
                target = fk.column
                present = {row.get(target.name) for row in rows.get(target.table.name, [])}
                for index, row in enumerate(table_rows):
                    value = row.get(column.name)
                    if value is not None and value not in present:
                        raise ExportFileError(
                            f"tables.{name}[{index}].{column.name}: refers to "
                            f"{target.table.name} {target.name} {value!r}, which is not in the "
                            f"file; the file is incomplete: {AGAIN}"
                        )


def replace_all(session: Session, rows: Rows) -> None:
    """Delete every record, then insert the file's rows, inside the caller's transaction."""
    for table in reversed(tables()):
        session.execute(delete(table))
    for table in tables():
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows.get(table.name, []):
            groups[tuple(row)].append(row)  # one executemany per set of fields present
        try:
            for group in groups.values():
                session.execute(insert(table), group)
        except IntegrityError as exc:
            raise ExportFileError(
                f"tables.{table.name}: the rows break a rule of the database "
                f"({str(exc.orig).splitlines()[0]}); {AGAIN}"
            ) from None
    if session.get_bind().dialect.name == "postgresql":
        _advance_sequences(session)


def _advance_sequences(session: Session) -> None:
    """Rows keep their ids, so move each id sequence past the largest one (PostgreSQL only;
    SQLite picks max(id) + 1 by itself)."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name, "column": pk[0].name},
        )
