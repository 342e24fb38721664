"""Taking the person's data anywhere: export, import, CSV, calendar reminders, forget.

The CLI (`backcoach export/import/remind/forget`) and the web app call these. Errors a person
can fix are raised as BackcoachError with a message that says how.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.bounded import BoundedInputError, FileTooLarge, read_bytes
from backcoach.config import DEFAULT_IMPORT_MAX_MB, IMPORT_MAX_MB_VARIABLE, MB
from backcoach.errors import BackcoachError, ImportTooLarge, PlanRefused, StoreNotEmpty
from backcoach.records.db import SCHEMA_HEAD, current_revision
from backcoach.reports import calendar
from backcoach.reports.csv_export import write_csv as write_tables
from backcoach.reports.export import build_export, row_count, row_counts
from backcoach.reports.importing import (
    DocumentSyntaxError,
    ExportFileError,
    check_document,
    load_document,
    replace_all,
)
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import load_profile

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.config import Settings
    from backcoach.records.store import Store

BACKUPS = "backups"
"""Folder in BACKCOACH_HOME for the copy of the records taken before an import replaces them."""


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
    ended_session: int | None = None
    """The session that was still in progress and was ended before everything was deleted."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "removed": [str(p) for p in self.removed],
            "kept": [str(p) for p in self.kept],
            "ended_session": self.ended_session,
        }


@contextlib.contextmanager
def _records(store: Store) -> Iterator[tuple[Store, str | None]]:
    """The person's (migrated) store and the schema revision of its database."""
    yield store, current_revision(store.factory.kw["bind"])


def write_private(path: Path, data: str | bytes) -> None:
    """Write a file holding the person's data (export, report, handout, chart, calendar): it
    is created readable by its owner only (0600) and never exists with a wider mode, even for
    a moment; a file already there with a wider mode is narrowed before anything is written.
    Text is written as UTF-8. OSError (no folder access, disk full) goes to the caller."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        with contextlib.suppress(OSError):  # e.g. a file system without modes (FAT)
            os.fchmod(handle.fileno(), 0o600)
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


_write_private = write_private  # the name the export and import code use


# --- export -----------------------------------------------------------------------------------


def export_json(store: Store) -> dict[str, Any]:
    """Everything recorded, with the format version and the database revision."""
    with _records(store) as (store, revision), store.scoped() as session:
        return build_export(session, revision)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_export(store: Store, path: Path) -> dict[str, Any]:
    document = export_json(store)
    _write_private(path, dumps(document))
    return document


def write_csv(store: Store, folder: Path) -> list[Path]:
    """One CSV per table into ``folder``."""
    with _records(store) as (store, _), store.scoped() as session:
        paths = write_tables(session, folder)
    for path in paths:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return paths


# --- import -----------------------------------------------------------------------------------


def import_limit(settings: Settings) -> int:
    """The largest file import reads, in bytes (BACKCOACH_IMPORT_MAX_MB, default 20)."""
    try:
        return settings.import_max_bytes()
    except ValueError as exc:
        raise BackcoachError(str(exc)) from None


def too_large(name: str, limit: int, size: int | None = None) -> ImportTooLarge:
    what = f"is {size / MB:.1f} MB" if size is not None else "is larger than that"
    return ImportTooLarge(
        f"{name}: import reads files up to {limit / MB:g} MB and this one {what}; if it really "
        f"is a backcoach export, set {IMPORT_MAX_MB_VARIABLE} to a larger number of MB. "
        "Nothing was changed."
    )


def read_export(path: Path, max_bytes: int | None = None) -> Any:
    """The parsed file, or BackcoachError naming the file, and the line and column of bad JSON.

    A file larger than ``max_bytes`` (default: the default import limit) is refused from its
    size, before any of it is read; at most ``max_bytes + 1`` bytes are ever read, so a pipe
    or a file growing while it is read is bounded too.
    """
    limit = max_bytes or DEFAULT_IMPORT_MAX_MB * MB
    try:
        raw = read_bytes(path, limit, "an export")
    except FileTooLarge as exc:
        raise too_large(str(path), limit, exc.size) from None
    except BoundedInputError as exc:
        if isinstance(exc.__cause__, FileNotFoundError):
            raise BackcoachError(
                f"{path}: no such file; give the path of a `backcoach export`"
            ) from None
        raise BackcoachError(f"{path}: cannot be read ({exc.got}); check the file") from None
    return parse_export(raw, str(path))


def parse_export(raw: bytes | bytearray, name: str) -> Any:
    """The document in ``raw`` (at most the import limit, already checked by the caller), or
    BackcoachError: too deep, too many objects, not UTF-8 or not JSON, with ``name:line:column``."""
    try:
        return load_document(raw)
    except DocumentSyntaxError as exc:
        raise BackcoachError(f"{exc.located(name)}. Nothing was changed.") from None


@dataclass(frozen=True)
class CheckedExport:
    """An export document whose every row passed the checks, as the rows import writes: made
    by ``check_export``, so the document is checked once and can be let go before writing."""

    rows: dict[str, list[dict[str, Any]]]


def check_export(store: Store, data: Any) -> CheckedExport:
    """The document's rows, checked, or BackcoachError naming its faults; nothing is written.
    Lets the CLI refuse a bad file before asking whether to replace the records."""
    with _records(store) as (_, revision):
        try:
            return CheckedExport(check_document(data, revision or SCHEMA_HEAD))
        except ExportFileError as exc:
            raise BackcoachError(f"{exc}. Nothing was changed.") from None


def is_empty(store: Store) -> bool:
    with _records(store) as (store, _), store.scoped() as session:
        return row_count(session) == 0


def import_json(store: Store, home: Path, data: Any, replace: bool = False) -> ImportSummary:
    """Make the records exactly what ``data`` (a document, or a CheckedExport of one) holds,
    in one transaction.

    Into an empty store this just loads the file. Records already saved are replaced only
    with ``replace=True`` (StoreNotEmpty otherwise), after a copy of them is written to
    ``home/backups/`` (``home``: ``$BACKCOACH_HOME``). A file with any fault changes nothing:
    every row is checked with the app's own models first (reports.export_models).
    """
    rows = (data if isinstance(data, CheckedExport) else check_export(store, data)).rows
    del data
    with _records(store) as (store, _):
        with store.scoped() as session:
            existing = row_count(session)
        if existing and not replace:
            raise StoreNotEmpty(
                f"you already have {existing} saved records; importing replaces them with the "
                "file's. Confirm to go ahead (`--yes`), or `backcoach export` them first"
            )
        backup = _backup(store, home) if existing else None
        try:
            with store.scoped() as session:
                replace_all(session, rows)
        except ExportFileError as exc:
            raise BackcoachError(f"{exc}. Nothing was changed.") from None
    return ImportSummary(
        rows={name: len(table_rows) for name, table_rows in rows.items()},
        replaced_rows=existing,
        backup=backup,
    )


def _backup(store: Store, home: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = home / BACKUPS / f"before-import-{stamp}.json"
    write_export(store, path)
    return path


# --- reminders --------------------------------------------------------------------------------


def reminders_ics(
    store: Store,
    catalogue: Catalogue,
    today: dt.date,
    alert: bool = True,
    now: dt.datetime | None = None,
    app_url: str | None = None,
) -> bytes:
    """The person's routine as an iCalendar file, describing today's plan (or why there is
    none); ``now`` stamps it (default: the current time). ``app_url``: the address people
    open the app at, for a link to its Today page (default: BACKCOACH_PUBLIC_URL when it is
    set, a clinic's; none otherwise, and the event says where to go in words)."""
    profile = load_profile(store)
    plan = refused = problem = None
    try:
        plan = todays_plan(store, catalogue, today, today)
    except PlanRefused as exc:
        refused = str(exc)
    except BackcoachError as exc:
        problem = str(exc)
    try:
        return calendar.reminders_ics(
            profile,
            today,
            catalogue,
            plan,
            refused,
            problem,
            alert=alert,
            now=now,
            app_url=app_url if app_url is not None else public_app_url(),
        )
    except calendar.NoExerciseDays as exc:
        raise BackcoachError(str(exc)) from None


def public_app_url(environ: Mapping[str, str] | None = None) -> str | None:
    """BACKCOACH_PUBLIC_URL when it is set and a usable address (a clinic's: what patients'
    phones open), else None. The personal app's own address (127.0.0.1) means nothing on a
    phone, so it is never used for a link."""
    from backcoach.clinic.settings import PUBLIC_URL_VARIABLE, ClinicSettings

    env = os.environ if environ is None else environ
    if not env.get(PUBLIC_URL_VARIABLE, "").strip():
        return None
    try:
        return ClinicSettings.from_environ(env).public_url
    except ValueError:
        return None  # the server refuses to start with it; a calendar file just has no link


# --- forget -----------------------------------------------------------------------------------


def forget(store: Store, settings: Settings) -> ForgetSummary:
    """Delete every record and the copies backcoach made of them; keep the person's own
    exercise files. On SQLite the file is vacuumed so deleted rows do not linger on disk.

    A session still in progress (in the browser app, or a terminal) is ended first and then
    deleted with the rest: the process running it sees on its next event that its session is
    over (the browser app answers 409 ``session-forgotten``) and writes nothing more for it."""
    with _records(store) as (store, _):
        unfinished = store.unfinished_session()
        if unfinished is not None:
            # ended as services.sessions.abandon ends one: what was saved stays saved
            store.finish_session(unfinished.id, "stopped", None)
        with store.scoped() as session:
            counts = row_counts(session)
        store.forget_everything()
        with store.scoped() as session:
            left = row_count(session)
        if left:
            raise BackcoachError(
                f"{left} records could not be deleted; please report this as a bug"
            )
        engine = store.factory.kw["bind"]
        if engine.dialect.name == "sqlite":
            _vacuum(engine)
    removed = []
    backups = settings.home / BACKUPS
    if backups.exists():
        shutil.rmtree(backups)
        removed.append(backups)
    kept = [p for p in (settings.exercises_dir,) if p.exists()]
    ended = unfinished.id if unfinished is not None else None
    return ForgetSummary(rows=counts, removed=removed, kept=kept, ended_session=ended)


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
