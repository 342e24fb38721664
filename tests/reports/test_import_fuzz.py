"""Fuzzing the import format: malformed documents made by mutating a real export.

Each input is a real export with one fault put in: a wrong type, a case or whitespace variant
of a closed-set value, an unknown id, a null, a number out of range, a field missing or
unknown, a duplicated row, nesting thousands deep, a number too large to hold, damaged bytes.
Every mutation is chosen so the result is certainly not something the app writes; each must
be refused with a clear message naming its place (no traceback, no other exception), and the
store, holding records already, must be exactly as it was. The number of inputs tried is
printed at the end.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backcoach.app import PersonContext
from backcoach.cli.app import app
from backcoach.errors import BackcoachError
from backcoach.records.tables import Base
from backcoach.reports.export import columns as export_columns
from backcoach.reports.export import tables as export_tables
from backcoach.services import sharing
from tests.reports.test_import_hardening import TODAY, exported, make_person, make_records

MAX_EXAMPLES = 400
"""Inputs per run through the service (about 10 s); the CLI run below adds a few dozen."""
HOLE = "__FUZZ_HOLE__"
"""A placeholder string replaced in the JSON text by raw text json.dumps cannot write."""

Path_ = tuple[str | int, ...]

CLOSED: dict[str, tuple[str, ...]] = {
    "screens": ("tier", "flags.*", "unanswered.*", "answers.*"),
    "direction_checks": (
        "result",
        "details.preference",
        "details.avoid.*",
        "details.steps.*.direction",
        "details.steps.*.outcome",
        "details.steps.*.before.location",
        "details.steps.*.after.location",
    ),
    "profile": (
        "data.days.*",
        "data.goals.*",
        "data.equipment.*",
        "data.experience",
        "data.directional_preference",
        "data.conditions.*.id",
    ),
    "plans": ("data.items.*.phase",),
    "sessions": ("status", "mode"),
    "set_logs": ("side", "source"),
    "exercise_outcomes": ("outcome", "rating"),
    "pain_reports": ("moment", "decision.action", "decision.band"),
    "progression_decisions": ("action",),
}
"""Where a value comes from a closed set (a tier, a sign id, a phase, a status...)."""

OUT_OF_RANGE: dict[tuple[str, str], tuple[Any, ...]] = {
    **{
        (table.name, "id"): (0, -1, 2**31, 2**63)
        for table in export_tables()
        if table.name != "profile"
    },
    ("profile", "id"): (0, -1),
    ("profile", "data.minutes"): (4, 46, 0, 10**30),
    ("profile", "data.conditions.*.weeks"): (-1, 46),
    ("plans", "data.items.*.sets"): (0, 101, 10**9),
    ("plans", "data.items.*.reps"): (0, 1_001, 2**63),
    ("plans", "data.items.*.hold_seconds"): (-1, 86_401),
    ("plans", "data.total_seconds"): (-1.0, 1e9),
    ("direction_checks", "details.steps.*.before.pain"): (-1, 11),
    ("direction_checks", "details.steps.*.reps"): (0, 1_001),
    ("sessions", "pain_before"): (-1, 11, 10**30),
    ("sessions", "pain_after"): (-1, 11, 2**63),
    ("set_logs", "item_index"): (-1, 100, 2**31),
    ("set_logs", "set_number"): (0, 101, 2**63),
    ("set_logs", "reps"): (-1, 1_001, 2**63),
    ("set_logs", "target_reps"): (-1, 1_001),
    ("set_logs", "hold_seconds"): (-0.5, 86_400.5, 1e308),
    ("set_logs", "duration_seconds"): (-0.5, 1e308),
    ("exercise_outcomes", "item_index"): (-1, 100),
    ("pain_reports", "score"): (-1, 11, 99, 2**31, 10**30),
    ("progression_decisions", "dose.reps"): (0, 1_001),
    ("progression_decisions", "dose.sets"): (0, 101),
    ("activity_ratings", "score"): (-1, 11),
    ("screens", "taken_on"): ("0001-01-01", "3000-01-01"),
    ("screens", "taken_at"): ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"),
}
"""Numbers (and dates) outside what the app's models and the database allow."""

NOT_NULL_NESTED: dict[str, tuple[str, ...]] = {
    "profile": ("data.minutes", "data.days", "data.conditions.*.id"),
    "plans": ("data.items", "data.items.*.phase", "data.items.*.sets", "data.items.*.reason"),
    "screens": ("answers.*", "flags.*"),
    "direction_checks": ("details.steps.*.before.pain", "details.reasons"),
    "pain_reports": ("decision.check_next_day", "decision.reasons"),
    "exercise_outcomes": ("details.not_tolerated",),
}


@dataclass(frozen=True)
class Malformed:
    kind: str
    raw: bytes
    expect: str
    """A piece of the message that names the fault's place (the row, or the file)."""


def walk(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every value inside ``value`` with its path (objects and lists too)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))


def pattern(path: Path_) -> str:
    return ".".join("*" if isinstance(p, int) else p for p in path)


def put(document: dict[str, Any], table: str, row: int, path: Path_, value: Any) -> None:
    target: Any = document["tables"][table][row]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


OPEN_MAPPINGS = {("programme_versions", ("data", "seen"))}
"""Objects whose keys are data, not field names (a programme's ``seen``: exercise id -> the
newest decision the clinician has seen): a new key there is a new entry, checked as an
exercise id, not an unknown field."""


def text_of(document: dict[str, Any], raw: str | None = None) -> bytes:
    text = json.dumps(document, ensure_ascii=False)
    if raw is not None:
        text = text.replace(f'"{HOLE}"', raw, 1)
    return text.encode("utf-8")


def variants(value: str) -> list[str]:
    """Spellings of a closed-set value that are not in its set."""
    out = [value.upper(), value.capitalize(), f" {value}", f"{value} ", "", "[/x]", "[bold]x"]
    out += [value.replace("-", "_")] if "-" in value else []
    out += [value.replace("_", "-")] if "_" in value else []
    return [v for v in out if v != value]


def required_columns(table: str) -> list[str]:
    columns = export_columns(Base.metadata.tables[table])
    return [
        c.name
        for c in columns
        if c.primary_key
        or not (c.nullable is True or c.default is not None or c.server_default is not None)
    ]


def row_fault(
    document: dict[str, Any], data: st.DataObject
) -> tuple[str, dict[str, Any], str | None, str]:
    """One fault put into one row: (kind, document, raw text for the hole, expected place)."""
    bad = copy.deepcopy(document)
    tables = [name for name, rows in bad["tables"].items() if rows]
    table = data.draw(st.sampled_from(sorted(tables)), label="table")
    row = data.draw(st.integers(0, len(bad["tables"][table]) - 1), label="row")
    where = f"tables.{table}[{row}]"
    leaves = [(p, v) for p, v in walk(bad["tables"][table][row]) if p]
    kinds = ["wrong-type", "extra-field", "deep", "huge", "duplicate-row", "missing", "null"]
    closed = [p for p, v in leaves if isinstance(v, str) and pattern(p) in CLOSED.get(table, ())]
    ranged = [p for p, _ in leaves if (table, pattern(p)) in OUT_OF_RANGE]
    keyed = [p for p, v in leaves if pattern(p) == "answers" and v]
    foreign = [c.name for c in export_columns(Base.metadata.tables[table]) if c.foreign_keys]
    foreign = [name for name in foreign if bad["tables"][table][row].get(name) is not None]
    kinds += ["closed-set"] * bool(closed) + ["out-of-range"] * bool(ranged)
    kinds += ["unknown-sign-key"] * bool(keyed) + ["dangling-reference"] * bool(foreign)
    kinds += ["not-a-slug"] * any(p[-1] in ("exercise_id", "replacement") for p, _ in leaves)
    kind = data.draw(st.sampled_from(kinds), label="kind")

    if kind == "wrong-type":
        path, value = data.draw(st.sampled_from([(p, v) for p, v in leaves]), label="leaf")
        if isinstance(value, bool):
            wrong: list[Any] = [1, 0, "true", None, []]
        elif isinstance(value, int):
            wrong = [str(value), True, value + 0.5, [value], {"n": value}]
        elif isinstance(value, float):
            wrong = [str(value), True, [value]]
        elif isinstance(value, str):
            wrong = [7, True, [value], {"text": value}]
        elif value is None:
            wrong = [{}, [[]]]
        else:  # a list or an object where something else belongs
            wrong = ["text", 7] if isinstance(value, dict) else [{"x": 1}, "text"]
        put(bad, table, row, path, data.draw(st.sampled_from(wrong), label="wrong"))
    elif kind == "closed-set":
        path = data.draw(st.sampled_from(closed), label="leaf")
        current = _get(bad, table, row, path)
        put(bad, table, row, path, data.draw(st.sampled_from(variants(current)), label="v"))
    elif kind == "unknown-sign-key":
        answers = bad["tables"][table][row]["answers"]
        key = data.draw(st.sampled_from(sorted(answers)), label="key")
        answers[data.draw(st.sampled_from(variants(key)), label="variant")] = answers.pop(key)
    elif kind == "out-of-range":
        path = data.draw(st.sampled_from(ranged), label="leaf")
        values = OUT_OF_RANGE[(table, pattern(path))]
        put(bad, table, row, path, data.draw(st.sampled_from(values), label="value"))
    elif kind == "dangling-reference":
        name = data.draw(st.sampled_from(foreign), label="column")
        bad["tables"][table][row][name] = data.draw(st.sampled_from([999_999, 4_242]))
    elif kind == "not-a-slug":
        paths = [p for p, _ in leaves if p[-1] in ("exercise_id", "replacement")]
        path = data.draw(st.sampled_from(paths), label="leaf")
        slug = data.draw(st.sampled_from(["Knee Rolls", "knee--rolls", "x", "ÄÖ", "a" * 61]))
        put(bad, table, row, path, slug)
    elif kind == "null":
        top = [c.name for c in export_columns(Base.metadata.tables[table]) if not c.nullable]
        nested = [p for p, _ in leaves if pattern(p) in NOT_NULL_NESTED.get(table, ())]
        choices: list[Path_] = [(name,) for name in top] + nested
        put(bad, table, row, data.draw(st.sampled_from(choices), label="leaf"), None)
    elif kind == "missing":
        name = data.draw(st.sampled_from(required_columns(table)), label="column")
        del bad["tables"][table][row][name]
    elif kind == "extra-field":
        objects = [
            p
            for p, v in walk(bad["tables"][table][row])
            if isinstance(v, dict) and (table, tuple(p)) not in OPEN_MAPPINGS
        ]
        path = data.draw(st.sampled_from(objects), label="object")
        target = _get(bad, table, row, path)
        target[data.draw(st.sampled_from(["surprise", "Minutes", "id "]), label="key")] = 1
    elif kind == "duplicate-row":
        bad["tables"][table].append(copy.deepcopy(bad["tables"][table][row]))
        where = f"tables.{table}[{len(bad['tables'][table]) - 1}]: a second row"
    elif kind == "deep":
        path, _ = data.draw(st.sampled_from(leaves), label="leaf")
        put(bad, table, row, path, HOLE)
        depth = data.draw(st.sampled_from([33, 1_000, 100_000]), label="depth")
        opener, closer = data.draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        inner = "[]" if opener == "[" else "1"
        return kind, bad, opener * depth + inner + closer * depth, "nested more than"
    elif kind == "huge":
        path, _ = data.draw(st.sampled_from(leaves), label="leaf")
        put(bad, table, row, path, HOLE)
        raw = data.draw(st.sampled_from(["1" + "0" * 20, "-1" + "0" * 400, str(2**64)]))
        constant = data.draw(st.sampled_from(["", "1" + "0" * 5000, "1e400", "NaN", "Infinity"]))
        if constant:
            return kind, bad, constant, "not a number JSON import can hold"
        return kind, bad, raw, where
    return kind, bad, None, where


def _get(document: dict[str, Any], table: str, row: int, path: Path_) -> Any:
    target: Any = document["tables"][table][row]
    for part in path:
        target = target[part]
    return target


DOCUMENT_FAULTS: list[tuple[str, Any, str]] = [
    ("format", "Backcoach-Export", "format: expected 'backcoach-export'"),
    ("format", None, "format: expected"),
    ("format_version", "1", "format_version: expected a whole number"),
    ("format_version", 0, "format_version: expected a whole number"),
    ("format_version", 2, "format_version: the file uses version 2"),
    ("schema_revision", "9999", "schema_revision: the file comes from a newer backcoach"),
    ("schema_revision", 3, "schema_revision: expected a revision like '0003'"),
    ("schema_revision", " 0001", "schema_revision: expected a revision like '0003'"),
    ("exported_at", 5, "exported_at: expected text"),
    ("tables", [], "tables: expected an object of tables"),
    ("tables", None, "tables: expected an object of tables"),
]


@st.composite
def malformed(draw: st.DrawFn, document: dict[str, Any]) -> Malformed:
    data = draw(st.data())
    family = draw(st.sampled_from(["row"] * 6 + ["document", "table", "bytes"]), label="family")
    if family == "row":
        kind, bad, raw, expect = row_fault(document, data)
        return Malformed(kind, text_of(bad, raw), expect)
    if family == "document":
        key, value, expect = draw(st.sampled_from(DOCUMENT_FAULTS), label="fault")
        bad = {**copy.deepcopy(document), key: value}
        return Malformed(f"document-{key}", text_of(bad), expect)
    if family == "table":
        bad = copy.deepcopy(document)
        name = draw(st.sampled_from(sorted(bad["tables"])), label="table")
        how = draw(st.sampled_from(["not-a-list", "row-not-object", "unknown-table"]))
        if how == "not-a-list":
            bad["tables"][name] = draw(st.sampled_from([{}, "rows", 3]))
            return Malformed("table-" + how, text_of(bad), f"tables.{name}: expected a list")
        if how == "row-not-object":
            bad["tables"][name][0] = draw(st.sampled_from([[], "row", 1, None]))
            return Malformed("table-" + how, text_of(bad), f"tables.{name}[0]: expected an object")
        bad["tables"][draw(st.sampled_from(["Sessions", "workouts", "sessions "]))] = []
        return Malformed("table-" + how, text_of(bad), "this backcoach has no such table")
    good = text_of(document)
    at = draw(st.integers(1, len(good) - 2), label="at")
    how = draw(st.sampled_from(["truncated", "not-utf8", "bom-and-garbage"]))
    if how == "truncated":
        return Malformed("bytes-truncated", good[:at], "x.json:")
    if how == "not-utf8":
        return Malformed("bytes-not-utf8", good[:at] + b"\xff\xfe" + good[at:], "not UTF-8")
    return Malformed("bytes-garbage", b"\xef\xbb\xbf" + good + b"}", "not valid JSON")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    person = make_person(tmp_path_factory.mktemp("fuzz-source"))
    make_records(person)
    document: dict[str, Any] = json.loads(sharing.dumps(sharing.export_json(person.store)))
    return document


def test_malformed_exports_are_refused_and_change_nothing(
    tmp_path: Path, source: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    person: PersonContext = make_person(tmp_path / "store")
    sharing.import_json(person.store, person.settings.home, source)
    before = exported(person)
    tried: Counter[str] = Counter()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(malformed(source))
    def refused(case: Malformed) -> None:
        tried[case.kind] += 1
        with pytest.raises(BackcoachError) as caught:
            sharing.import_json(
                person.store,
                person.settings.home,
                sharing.parse_export(case.raw, "x.json"),
                replace=True,
            )
        message = str(caught.value)
        assert case.expect in message, f"{case.kind}: {message}"
        assert message.endswith("Nothing was changed.") and "Traceback" not in message
        assert exported(person) == before

    refused()
    with capsys.disabled():
        print(
            f"\nimport fuzz: {sum(tried.values())} malformed documents tried, all refused "
            f"with the store unchanged; by kind: {dict(sorted(tried.items()))}"
        )
    assert sum(tried.values()) >= MAX_EXAMPLES // 2


def test_malformed_exports_through_the_command(
    tmp_path: Path, source: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The same inputs through `backcoach import` (Typer's runner, in-process): exit code 2,
    the message printed as written (values like ``[/x]`` are not Rich markup), no trace."""
    home = tmp_path / "home"
    target = make_person(home)
    sharing.import_json(target.store, target.settings.home, source)
    before = exported(make_person(home))
    env = {
        "BACKCOACH_HOME": str(home),
        "BACKCOACH_TODAY": TODAY,
        "BACKCOACH_DATABASE_URL": "",
        "BACKCOACH_IMPORT_MAX_MB": "",
        "COLUMNS": "200",
    }
    runner = CliRunner()
    tried = 0

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(malformed(source))
    def refused(case: Malformed) -> None:
        nonlocal tried
        tried += 1
        path = tmp_path / "x.json"
        path.write_bytes(case.raw)
        result = runner.invoke(app, ["import", str(path), "--yes"], env=env)
        assert result.exit_code == 2, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Error:" in result.output and case.expect in " ".join(result.output.split())

    refused()
    with capsys.disabled():
        print(f"\nimport fuzz (CLI): {tried} malformed files tried, all refused")
    assert exported(make_person(home)) == before
