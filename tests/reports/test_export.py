"""Export -> import round trips on real SQLite and PostgreSQL; bad files change nothing."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    create_engine,
    func,
    insert,
    select,
    text,
)

from backcoach.app import AppContext, PersonContext
from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from backcoach.config import Settings
from backcoach.errors import BackcoachError
from backcoach.records.db import normalise_url
from backcoach.records.tables import DERIVED_TABLES, OWNED_BY_TABLE, Base
from backcoach.reports.export import FORMAT_VERSION
from backcoach.reports.export import columns as export_columns
from backcoach.reports.export import tables as export_tables
from backcoach.safety.signs import SIGNS
from backcoach.services import sharing
from backcoach.services.profiles import update_profile
from backcoach.services.screening import record_clearance, take_screen
from backcoach.services.sessions import AutoAnswers, begin, run_auto

ALL_NO = {s.id: False for s in SIGNS}
MARKER = "Dr Unforgettable-7f3a"
"""A name that appears in the records only; `forget` must leave no trace of it on disk."""


def make_person(home: Path, db_url: str | None = None, today: str = "2026-11-02") -> PersonContext:
    env = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": today}
    if db_url:
        env["BACKCOACH_DATABASE_URL"] = db_url
    return AppContext(Settings.from_environ(env)).person()


def synthetic_row(table: Any, existing: dict[str, list[int]]) -> dict[str, Any]:
    """One plausible row for any table, from its column types: covers tables added later."""
    row: dict[str, Any] = {}
    for column in table.columns:
        kind = column.type
        if column.primary_key:
            row[column.name] = 1
        elif column.foreign_keys:
            target = next(iter(column.foreign_keys)).column.table.name
            row[column.name] = existing[target][0]
        elif isinstance(kind, Boolean):
            row[column.name] = True
        elif isinstance(kind, Integer):
            row[column.name] = 3
        elif isinstance(kind, Float):
            row[column.name] = 12.25
        elif isinstance(kind, DateTime):
            row[column.name] = dt.datetime(2026, 10, 30, 7, 5, 9, 123456, tzinfo=dt.UTC)
        elif isinstance(kind, Date):
            row[column.name] = dt.date(2026, 10, 30)
        elif isinstance(kind, JSON):
            row[column.name] = {"note": "ünïcode ✓", "values": [1, 2.5, None, True]}
        elif isinstance(kind, String):
            row[column.name] = "x" * min(kind.length or 8, 8)
    return row


def fill(person: PersonContext) -> None:
    """Records made the way a person makes them, plus one row in any table still empty."""
    update_profile(person.store, days=["tue", "thu"], minutes=15, conditions=["wrist"])
    take_screen(person.store, person.today(), ALL_NO)
    record_clearance(person.store, person.today(), person.today(), MARKER)
    person.store.add_direction_check(
        person.today(),
        "extension",
        {
            "on": person.today().isoformat(),
            "preference": "extension",
            "avoid": [],
            "reasons": ["It eased."],
            "steps": [
                {
                    "direction": "extension",
                    "exercise_id": "prone-press-up",
                    "reps": 10,
                    "before": {"location": "buttock", "pain": 4},
                    "after": {"location": "back", "pain": 3},
                    "outcome": "centralised",
                }
            ],
        },
    )
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10)
    run_auto(live, AutoAnswers(pain_before=3, pain_after=2), 0, 0.0)
    programme = Programme(items=[ProgrammeItem(exercise_id="pelvic-tilt", sets=2, reps=8)])
    save_programme(
        person.store, programme, based_on=None, by_id=None, by_name=MARKER, now=person.clock()
    )
    engine = create_engine(normalise_url(person.settings.database_url))
    try:
        with engine.begin() as conn:
            existing: dict[str, list[int]] = {}
            for table in Base.metadata.sorted_tables:
                ids = list(conn.scalars(select(table.primary_key.columns[0])))
                if not ids:
                    conn.execute(insert(table), [synthetic_row(table, existing)])
                    ids = [1]
                existing[table.name] = ids
    finally:
        engine.dispose()


def without_stamp(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def same_records(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each row's id replaced by its place in its table, and references
    with the place of the row they point at: import gives rows new ids (another person's rows
    may hold the file's), so two imports of one file hold the same records, not the same ids."""
    from backcoach.reports.export import columns, tables

    places = {
        name: {row["id"]: place for place, row in enumerate(rows)}
        for name, rows in document["tables"].items()
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        refs = {
            c.name: next(iter(c.foreign_keys)).column.table.name
            for c in columns(table)
            if c.foreign_keys
        }
        out[table.name] = [
            {
                k: places[table.name][v]
                if k == "id"
                else (places[refs[k]][v] if k in refs and v is not None else v)
                for k, v in row.items()
            }
            for row in document["tables"].get(table.name, [])
        ]
    return {**without_stamp(document), "tables": out}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PersonContext]:
    """A person's records in a SQLite store, every table holding at least one row (built
    once per module; tests only read it)."""
    person = make_person(tmp_path_factory.mktemp("source"))
    fill(person)
    yield person


def test_round_trip_loses_nothing(source: PersonContext, tmp_path: Path, db_url: str) -> None:
    document = json.loads(sharing.dumps(sharing.export_json(source.store)))
    assert document["format"] == "backcoach-export" and document["format_version"] == 1
    assert document["schema_revision"]
    # a person's tables, not `people`, nor the derived ones (documents) remade from them
    assert set(document["tables"]) == set(OWNED_BY_TABLE) - DERIVED_TABLES
    assert all("person_id" not in row for rows in document["tables"].values() for row in rows)
    assert all(document["tables"].values()), "every table has rows to carry"
    assert MARKER in json.dumps(document)

    target = make_person(tmp_path / "target", db_url)
    summary = sharing.import_json(target.store, target.settings.home, document)
    assert summary.replaced_rows == 0 and summary.backup is None
    assert summary.rows == {name: len(rows) for name, rows in document["tables"].items()}
    again = json.loads(sharing.dumps(sharing.export_json(target.store)))
    assert without_stamp(again) == without_stamp(document)

    # The store keeps working after the import: new rows get fresh ids (PostgreSQL sequences).
    next_plan = target.store.save_plan(target.today(), {"x": 1}, flare_up=False)
    assert next_plan == max(r["id"] for r in document["tables"]["plans"]) + 1


def test_importing_twice_never_duplicates(
    source: PersonContext, tmp_path: Path, db_url: str
) -> None:
    document = sharing.export_json(source.store)
    target = make_person(tmp_path / "target", db_url)
    sharing.import_json(target.store, target.settings.home, document)
    with pytest.raises(sharing.StoreNotEmpty, match="replaces them"):
        sharing.import_json(target.store, target.settings.home, document)
    summary = sharing.import_json(target.store, target.settings.home, document, replace=True)
    assert summary.replaced_rows == sum(summary.rows.values())
    assert summary.backup is not None and summary.backup.stat().st_mode & 0o077 == 0
    backup = json.loads(summary.backup.read_text(encoding="utf-8"))
    assert without_stamp(backup) == without_stamp(document)
    after = sharing.export_json(target.store)
    assert same_records(after) == same_records(document)


def broken(document: dict[str, Any], how: str) -> Any:
    bad = copy.deepcopy(document)
    tables = bad["tables"]
    if how == "version":
        bad["format_version"] = 99
    elif how == "format":
        bad["format"] = "something-else"
    elif how == "newer-schema":
        bad["schema_revision"] = "9999"
    elif how == "missing-field":
        del tables["sessions"][0]["started_at"]
    elif how == "bad-date":
        tables["screens"][0]["taken_on"] = "02/11/2026"
    elif how == "bad-type":
        tables["set_logs"][0]["reps"] = "ten"
    elif how == "unknown-table":
        tables["workouts"] = []
    elif how == "dangling":
        tables["sessions"][0]["plan_id"] = 999
    elif how == "duplicate-id":
        tables["plans"].append(dict(tables["plans"][0]))
    elif how == "unique-rule":
        # Passes every check on its own; the database refuses it halfway through the insert.
        twin = dict(tables["set_logs"][0], id=10_000)
        tables["set_logs"].append(twin)
    return bad


BROKEN = {
    "version": "format_version",
    "format": "format:",
    "newer-schema": "update backcoach",
    "missing-field": "tables.sessions[0]: the field 'started_at' is missing",
    "bad-date": "tables.screens[0].taken_on: expected a date like",
    "bad-type": "tables.set_logs[0].reps: expected a whole number (got 'ten')",
    "unknown-table": "tables.workouts",
    "dangling": "tables.sessions[0].plan_id: refers to plans id 999",
    "duplicate-id": "tables.plans[1]: a second row with id",
    "unique-rule": "tables.set_logs: the rows break a rule of the database",
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_bad_file_is_named_and_changes_nothing(
    source: PersonContext, tmp_path: Path, db_url: str, how: str
) -> None:
    document = sharing.export_json(source.store)
    target = make_person(tmp_path / "target", db_url)
    update_profile(target.store, minutes=30)
    take_screen(target.store, target.today(), ALL_NO)
    before = sharing.export_json(target.store)
    with pytest.raises(BackcoachError) as caught:
        sharing.import_json(target.store, target.settings.home, broken(document, how), replace=True)
    assert BROKEN[how] in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    assert without_stamp(sharing.export_json(target.store)) == without_stamp(before)


def test_bad_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{\n  "format": "backcoach-export",\n  "tables": {', encoding="utf-8")
    with pytest.raises(BackcoachError, match=r"cut\.json:3:\d+: not valid JSON"):
        sharing.read_export(path)
    with pytest.raises(BackcoachError, match="not a backcoach export"):
        fresh = make_person(tmp_path / "h")
        sharing.import_json(fresh.store, fresh.settings.home, ["a", "list"])


def test_csv_has_every_table_and_row(source: PersonContext, tmp_path: Path) -> None:
    document = sharing.export_json(source.store)
    paths = sharing.write_csv(source.store, tmp_path / "csv")
    assert sorted(p.stem for p in paths) == sorted(document["tables"])
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        expected = document["tables"][path.stem]
        assert len(rows) == len(expected)
        table = Base.metadata.tables[path.stem]
        assert list(rows[0]) == [c.name for c in export_columns(table)]
        first = rows[0]
        for column in export_columns(table):
            value = expected[0][column.name]
            if isinstance(column.type, JSON):
                assert json.loads(first[column.name]) == value
            elif value is None:
                assert first[column.name] == ""
            elif isinstance(value, bool):
                assert first[column.name] == str(value).lower()
            else:
                assert first[column.name] == str(value)


def test_forget_deletes_every_record_and_its_trace(tmp_path: Path) -> None:
    person = make_person(tmp_path / "home")
    fill(person)
    own = person.settings.exercises_dir
    own.mkdir(parents=True)
    (own / "my-stretch.yaml").write_text("id: my-stretch\n", encoding="utf-8")
    sharing.import_json(
        person.store, person.settings.home, sharing.export_json(person.store), replace=True
    )  # makes a backup
    assert (person.settings.home / sharing.BACKUPS).exists()

    summary = sharing.forget(person.store, person.settings)
    assert summary.rows["set_logs"] > 0 and summary.rows["profile"] == 1
    assert own in summary.kept and (own / "my-stretch.yaml").exists()
    assert not (person.settings.home / sharing.BACKUPS).exists()
    engine = create_engine(person.settings.database_url)
    with engine.connect() as conn:
        for table in export_tables():
            assert conn.scalar(select(func.count()).select_from(table)) == 0, table.name
        # the person's own entry stays (personal mode's one person), holding nothing of theirs
        assert conn.execute(text("SELECT id, name FROM people")).all() == [(1, None)]
    engine.dispose()
    for path in person.settings.home.glob("backcoach.db*"):
        assert MARKER.encode() not in path.read_bytes(), f"{path.name} still holds the name"
    assert sharing.is_empty(person.store)


def test_forget_empties_every_table(tmp_path: Path, db_url: str) -> None:
    person = make_person(tmp_path / "home", db_url)
    fill(person)
    assert not sharing.is_empty(person.store)
    summary = sharing.forget(person.store, person.settings)
    assert sum(summary.rows.values()) > 0
    assert sharing.is_empty(person.store)


def test_every_table_is_documented() -> None:
    """docs/your-data.md lists every table (a new table must say what it holds)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "your-data.md").read_text("utf-8")
    for table in export_tables():
        assert f"| `{table.name}` |" in doc, f"docs/your-data.md does not list `{table.name}`"
    assert f'"format_version": {FORMAT_VERSION},' in doc
