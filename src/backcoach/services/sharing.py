"""Taking the person's data anywhere: export, import, CSV, calendar reminders, forget.

The CLI (`backcoach export/import/remind/forget`) and the web app call these. Errors a person
can fix are raised as CoachError with a message that says how.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.coach import CoachError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from backcoach.coach import Coach

BACKUPS = "backups"
"""Folder in BACKCOACH_HOME for the copy of the records taken before an import replaces them."""


class StoreNotEmpty(CoachError):
    """Importing would replace records already saved; the caller must say so (replace=True)."""


@dataclass(frozen=True)
class ImportSummary:
    rows: dict[str, int]
    replaced_rows: int
    backup: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "replaced_rows": self.replaced_rows,
            "backup": str(self.backup) if self.backup else None,
        }


@dataclass(frozen=True)
class ForgetSummary:
    rows: dict[str, int]
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "removed": [str(p) for p in self.removed],
            "kept": [str(p) for p in self.kept],
        }


@contextlib.contextmanager
def _records(coach: Coach) -> Iterator[tuple[sessionmaker[Session], str | None]]:
    """The session factory of the coach's own (migrated) store, and its schema revision: one
    engine and pool per database, shared with everything else the coach does."""
    from backcoach.records.db import current_revision

    factory = coach.store.factory
    yield factory, current_revision(factory.kw["bind"])


def _write_private(path: Path, text: str) -> None:
    """Health data: the file is readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


# --- export -----------------------------------------------------------------------------------


def export_json(coach: Coach) -> dict[str, Any]:
    """Everything recorded, with the format version and the database revision."""
    from backcoach.reports.export import build_export

    with _records(coach) as (factory, revision), factory() as session:
        return build_export(session, revision)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_export(coach: Coach, path: Path) -> dict[str, Any]:
    document = export_json(coach)
    _write_private(path, dumps(document))
    return document


def write_csv(coach: Coach, folder: Path) -> list[Path]:
    """One CSV per table into ``folder``."""
    from backcoach.reports.csv_export import write_csv as write_tables

    with _records(coach) as (factory, _), factory() as session:
        paths = write_tables(session, folder)
    for path in paths:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return paths


# --- import -----------------------------------------------------------------------------------


def read_export(path: Path) -> Any:
    """The parsed file, or CoachError naming the file, line and column of bad JSON."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CoachError(f"{path}: no such file; give the path of a `backcoach export`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachError(f"{path}: cannot be read ({exc}); check the file") from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CoachError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); the file may be cut "
            "short or edited by hand: export it again"
        ) from None


def check_export(coach: Coach, data: Any) -> None:
    """CoachError naming the first fault of an export document; nothing is written. Lets the
    CLI refuse a bad file before asking whether to replace the records."""
    from backcoach.records.db import SCHEMA_HEAD
    from backcoach.reports.importing import ExportFileError, check_document

    with _records(coach) as (_, revision):
        try:
            check_document(data, revision or SCHEMA_HEAD)
        except ExportFileError as exc:
            raise CoachError(f"{exc}. Nothing was changed.") from None


def is_empty(coach: Coach) -> bool:
    from backcoach.reports.export import row_count

    with _records(coach) as (factory, _), factory() as session:
        return row_count(session) == 0


def import_json(coach: Coach, data: Any, replace: bool = False) -> ImportSummary:
    """Make the records exactly what ``data`` holds, in one transaction.

    Into an empty store this just loads the file. Records already saved are replaced only
    with ``replace=True`` (StoreNotEmpty otherwise), after a copy of them is written to
    ``$BACKCOACH_HOME/backups/``. A file with any fault changes nothing.
    """
    from backcoach.records.db import SCHEMA_HEAD
    from backcoach.reports.export import row_count
    from backcoach.reports.importing import ExportFileError, check_document, replace_all

    with _records(coach) as (factory, revision):
        try:
            rows = check_document(data, revision or SCHEMA_HEAD)
        except ExportFileError as exc:
            raise CoachError(f"{exc}. Nothing was changed.") from None
        with factory() as session:
            existing = row_count(session)
        if existing and not replace:
            raise StoreNotEmpty(
                f"you already have {existing} saved records; importing replaces them with the "
                "file's. Confirm to go ahead (`--yes`), or `backcoach export` them first"
            )
        backup = _backup(coach) if existing else None
        try:
            with factory.begin() as session:
                replace_all(session, rows)
        except ExportFileError as exc:
            raise CoachError(f"{exc}. Nothing was changed.") from None
    return ImportSummary(
        rows={name: len(table_rows) for name, table_rows in rows.items()},
        replaced_rows=existing,
        backup=backup,
    )


def _backup(coach: Coach) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = coach.settings.home / BACKUPS / f"before-import-{stamp}.json"
    write_export(coach, path)
    return path


# --- reminders --------------------------------------------------------------------------------


def reminders_ics(coach: Coach, alert: bool = True) -> bytes:
    from backcoach.reports.calendar import NoExerciseDays
    from backcoach.reports.calendar import reminders_ics as build

    try:
        return build(coach, alert=alert)
    except NoExerciseDays as exc:
        raise CoachError(str(exc)) from None


# --- forget -----------------------------------------------------------------------------------


def forget(coach: Coach) -> ForgetSummary:
    """Delete every record and the copies backcoach made of them; keep the person's own
    exercise files. On SQLite the file is vacuumed so deleted rows do not linger on disk."""
    from backcoach.reports.export import row_count, row_counts

    with _records(coach) as (factory, _):
        with factory() as session:
            counts = row_counts(session)
        coach.store.forget_everything()
        with factory() as session:
            left = row_count(session)
        if left:
            raise CoachError(f"{left} records could not be deleted; please report this as a bug")
        engine = factory.kw["bind"]
        if engine.dialect.name == "sqlite":
            _vacuum(engine)
    removed = []
    backups = coach.settings.home / BACKUPS
    if backups.exists():
        shutil.rmtree(backups)
        removed.append(backups)
    kept = [p for p in (coach.settings.exercises_dir,) if p.exists()]
    return ForgetSummary(rows=counts, removed=removed, kept=kept)


def _vacuum(engine: Any) -> None:
    """Rewrite the SQLite file and empty its write-ahead log, so deleted rows are gone from
    disk. Done on the raw connection: VACUUM cannot run inside a transaction."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
