"""Everything one person has recorded, as one JSON document (and back, see ``importing``).

The document walks the personal tables of ``Base.metadata``, so a table added by a later
migration is exported without touching this module. Only the rows of the person the database
session belongs to are read, and ``person_id`` is left out: the document is the person's, and
whoever imports it owns the rows. Rows carry their ids (that is how sessions point at plans
and sets at sessions) and come ordered by primary key, so exporting the same records twice
gives the same ``tables``. Dates and times are ISO 8601 strings, times always in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, Table, select

from backcoach import __version__
from backcoach.records.scoping import UnscopedQuery, person_of
from backcoach.records.tables import DERIVED_TABLES, OWNED_BY_TABLE, Base

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.orm import Session

FORMAT = "backcoach-export"
FORMAT_VERSION = 1
"""Bumped only when the document's shape changes in a way older readers cannot follow.
Tables and columns added by migrations do not bump it: ``schema_revision`` says which ones a
file can hold, and an older file simply lacks the newer ones."""


def tables() -> list[Table]:
    """Every table of a person's records, parents before children (not ``people`` itself, nor
    the derived tables such as ``documents``, which are remade from these)."""
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.name in OWNED_BY_TABLE and t.name not in DERIVED_TABLES
    ]


def columns(table: Table) -> list[Column[Any]]:
    """The columns a document carries: all but ``person_id``, which is whoever imports it."""
    return [c for c in table.columns if c.name != "person_id"]


def scoped_person(session: Session) -> int:
    """The person a database session belongs to (records.store.Store.scoped); export, import
    and counts work on that person's rows only, and refuse a session without one."""
    person = person_of(session)
    if person is None:
        raise UnscopedQuery("export and import need a session scoped to one person")
    return person


def encode(column: Column[Any], value: Any) -> Any:
    """A database value as plain JSON: dates and times as ISO strings, times in UTC."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    return value


def dump_table(session: Session, table: Table) -> list[dict[str, Any]]:
    """The person's rows of ``table``, by id, as plain JSON values."""
    wanted = columns(table)
    query = (
        select(*wanted)
        .where(table.c.person_id == scoped_person(session))
        .order_by(*table.primary_key.columns)
    )
    return [
        {column.name: encode(column, row[column.name]) for column in wanted}
        for row in session.execute(query).mappings()
    ]


def dump(session: Session) -> dict[str, list[dict[str, Any]]]:
    return {table.name: dump_table(session, table) for table in tables()}


def build_export(
    session: Session, schema_revision: str | None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The whole export document."""
    moment = now or dt.datetime.now(dt.UTC)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision,
        "backcoach_version": __version__,
        "exported_at": moment.astimezone(dt.UTC).isoformat(),
        "tables": dump(session),
    }


def row_counts(session: Session) -> dict[str, int]:
    """How many rows each table holds."""
    from sqlalchemy import func

    return {
        table.name: session.execute(
            select(func.count())
            .select_from(table)
            .where(table.c.person_id == scoped_person(session))
        ).scalar_one()
        for table in tables()
    }


def row_count(session: Session) -> int:
    """How many rows the records hold in all (0: nothing saved yet)."""
    return sum(row_counts(session).values())
