"""Import refuses what the app would never write, within bounded size and depth (issue 20).

Each named attack from the issue is replayed here against the real CLI, the real web app and
real SQLite/PostgreSQL stores: a clear `tables.name[row].field` message, no traceback, and the
records exactly as they were.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from fastapi.testclient import TestClient

from backcoach.app import AppContext, PersonContext
from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from backcoach.config import Settings
from backcoach.errors import BackcoachError
from backcoach.planning.direction import Reading
from backcoach.records.outcomes_store import PAIN_BEFORE, PAIN_NOW, WORST_24H
from backcoach.reports import export_models as models
from backcoach.reports.export import FORMAT
from backcoach.reports.export import columns as export_columns
from backcoach.reports.export import tables as export_tables
from backcoach.reports.importing import MAX_DEPTH
from backcoach.safety.signs import SIGNS
from backcoach.services import sharing
from backcoach.services.coaching import CAMERA_SOURCE, SESSION_MODE
from backcoach.services.directions import save_direction_result, start_direction_check
from backcoach.services.outcomes import add_activity, rate_activities, record_pain
from backcoach.services.profiles import update_profile
from backcoach.services.progression import NEXT_DAY
from backcoach.services.screening import take_screen
from backcoach.services.sessions import END_STATUS, AutoAnswers, begin, run_auto
from backcoach.session.effects import PainWhen, Side
from backcoach.session.state import Outcome
from backcoach.web.app import create_app
from tests.conftest import BACKCOACH, run_cli

TODAY = "2026-11-02"
ALL_NO = {s.id: "no" for s in SIGNS}
Doc = dict[str, Any]


def make_person(home: Path, db_url: str | None = None, **env: str) -> PersonContext:
    environ = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY, **env}
    if db_url:
        environ["BACKCOACH_DATABASE_URL"] = db_url
    return AppContext(Settings.from_environ(environ)).person()


def make_records(person: PersonContext) -> None:
    """Records made the way a person makes them, touching every table."""
    update_profile(person.store, days=["mon", "thu"], minutes=10, conditions=["wrist"])
    take_screen(person.store, person.today(), ALL_NO)
    check = start_direction_check(person.store, person.catalogue, person.today()).record(
        Reading("buttock", 4), Reading("back", 3)
    )
    save_direction_result(person.store, check.result())
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10),
        AutoAnswers(pain_before=2),
        0,
        0.0,
    )
    add_activity(person.store, person.today(), "putting on socks")
    rate_activities(person.store, person.today(), {"putting on socks": 4})
    record_pain(person.store, now=3, worst_24h=5)
    person.store.mark_lesson("hurt-and-harm", read_on=person.today())
    programme = Programme(items=[ProgrammeItem(exercise_id="pelvic-tilt", sets=2, reps=8)])
    save_programme(
        person.store, programme, based_on=None, by_id=None, by_name="A. Clinician",
        now=person.clock(),
    )  # fmt: skip


def exported(person: PersonContext) -> Doc:
    document: Doc = json.loads(sharing.dumps(sharing.export_json(person.store)))
    document.pop("exported_at")
    return document


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Doc:
    """A real export holding rows in every table (built once; tests copy it)."""
    person = make_person(tmp_path_factory.mktemp("source"))
    make_records(person)
    document: Doc = json.loads(sharing.dumps(sharing.export_json(person.store)))
    assert all(document["tables"].values()), "every table has rows"
    return document


def changed(document: Doc, change: Callable[[dict[str, Any]], Any]) -> Doc:
    bad = copy.deepcopy(document)
    change(bad["tables"])
    return bad


def write(path: Path, document: Doc | str) -> Path:
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def db_bytes(home: Path) -> dict[str, bytes]:
    """The SQLite file and its write-ahead log, byte for byte. An empty log holds nothing (it
    comes and goes with connections); the -shm index is not data."""
    files = sorted(home.glob("backcoach.db*"))
    return {p.name: p.read_bytes() for p in files if "shm" not in p.name and p.stat().st_size}


def filled(home: Path, document: Doc) -> PersonContext:
    """A store holding ``document`` (imported in-process), its engine closed so the SQLite
    file is complete on disk."""
    person = make_person(home)
    sharing.import_json(person.store, person.settings.home, document)
    person.store.factory.kw["bind"].dispose()
    return make_person(home)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


# --- the named attacks --------------------------------------------------------------------------


def test_an_emergency_screen_spelled_differently_is_refused(
    home: Path, tmp_path: Path, source: Doc
) -> None:
    first = run_cli(
        "import", str(write(tmp_path / "me.json", source)), home=home, BACKCOACH_TODAY=TODAY
    )
    assert first.returncode == 0, first.stderr  # a real export with every table goes in
    assert exported(make_person(home)) == {k: v for k, v in source.items() if k != "exported_at"}
    before = exported(make_person(home))

    def emergency(tables: dict[str, Any]) -> None:
        tables["screens"][-1].update(tier="Emergency", flags=["bladder_change"])
        tables["screens"][-1]["answers"]["bladder_change"] = "yes"

    bad = write(tmp_path / "bad.json", changed(source, emergency))
    result = run_cli("import", str(bad), "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert result.returncode == 2
    assert (
        "tables.screens[0].tier: must be one of 'clear', 'soon', 'urgent', 'emergency' "
        "(got 'Emergency'); write one of them exactly as shown" in result.stderr
    )
    assert "Nothing was changed" in result.stderr
    no_traceback(result)
    assert exported(make_person(home)) == before

    def unknown_sign(tables: dict[str, Any]) -> None:
        tables["screens"][-1]["flags"] = ["Bladder_change"]

    bad = write(tmp_path / "bad2.json", changed(source, unknown_sign))
    result = run_cli("import", str(bad), "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert result.returncode == 2
    assert "tables.screens[0].flags[0]: is not a warning-sign question this backcoach asks " in (
        result.stderr
    )
    assert "(got 'Bladder_change'); use one of bladder_change," in result.stderr
    assert exported(make_person(home)) == before


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to one value, by a path like ``pain_reports.3.score``."""

    def change(tables: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = tables
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


BAD_VALUES: dict[str, tuple[str, Any, str]] = {
    # the findings: each was imported, then broke `backcoach`, plan, progress, history
    "profile-not-an-object": (
        "profile.0.data",
        5,
        "tables.profile[0].data: expected an object (got 5)",
    ),
    "plan-not-an-object": (
        "plans.0.data",
        "x",
        "tables.plans[0].data: expected an object (got 'x')",
    ),
    "minutes-as-words": (
        "profile.0.data.minutes",
        "lots",
        "tables.profile[0].data.minutes: expected a whole number (got 'lots')",
    ),
    "pain-99": (
        "pain_reports.3.score",
        99,
        "tables.pain_reports[3].score: must be from 0 to 10 (got 99); fix the value",
    ),
    # every closed set and range the app itself uses
    "minutes-out-of-range": (
        "profile.0.data.minutes",
        90,
        "tables.profile[0].data.minutes: must be from 5 to 45 (got 90)",
    ),
    "plan-phase-case": (
        "plans.0.data.items.0.phase",
        "Warm-up",
        "tables.plans[0].data.items[0].phase: must be one of 'warm-up', 'mobility',",
    ),
    "plan-endless-sets": (
        "plans.0.data.items.0.sets",
        10**6,
        "tables.plans[0].data.items[0].sets: must be at most 100 (got 1000000)",
    ),
    "direction-result": (
        "direction_checks.0.result",
        "Extension",
        "tables.direction_checks[0].result: must be one of 'extension', 'flexion', 'none'",
    ),
    "direction-reading": (
        "direction_checks.0.details.steps.0.before.pain",
        11,
        "tables.direction_checks[0].details.steps[0].before.pain: must be from 0 to 10 (got 11)",
    ),
    "session-status": (
        "sessions.0.status",
        "done",
        "tables.sessions[0].status: must be one of 'in-progress', 'finished', 'stopped'",
    ),
    "session-mode": ("sessions.0.mode", "Web", "tables.sessions[0].mode: must be one of"),
    "pain-before-negative": (
        "sessions.0.pain_before",
        -1,
        "tables.sessions[0].pain_before: must be from 0 to 10 (got -1)",
    ),
    "set-side": (
        "set_logs.1.side",
        "Left",
        "tables.set_logs[1].side: must be one of 'both', 'left', 'right' (got 'Left')",
    ),
    "reps-past-64-bit": (
        "set_logs.0.reps",
        2**63,
        "tables.set_logs[0].reps: must be from 0 to 1000 (got 9223372036854775808)",
    ),
    "id-past-integer-column": (
        "set_logs.0.id",
        2**31,
        "tables.set_logs[0].id: must be from 1 to 2147483647 (got 2147483648)",
    ),
    "set-source": ("set_logs.0.source", "Camera", "tables.set_logs[0].source: must be one of"),
    "set-beyond-plan": (
        "set_logs.0.item_index",
        40,
        "tables.set_logs[0].item_index: the session's plan (plans id 1) has",
    ),
    "outcome-case": (
        "exercise_outcomes.0.outcome",
        "Finished",
        "tables.exercise_outcomes[0].outcome: must be one of 'finished', 'skipped', 'stopped'",
    ),
    "rating": (
        "exercise_outcomes.0.rating",
        "easy",
        "tables.exercise_outcomes[0].rating: must be one of 'too-easy', 'about-right'",
    ),
    "outcome-reasons-null": (
        "exercise_outcomes.0.details",
        {"reasons": None},
        "tables.exercise_outcomes[0].details.reasons: expected a list (got null)",
    ),
    "pain-moment": (
        "pain_reports.0.moment",
        "Before",
        "tables.pain_reports[0].moment: must be one",
    ),
    "pain-band": ("pain_reports.0.decision.band", "ok", "tables.pain_reports[0].decision.band:"),
    "decision-action": (
        "progression_decisions.0.action",
        "faster",
        "tables.progression_decisions[0].action: must be one of 'start', 'more', 'same'",
    ),
    "decision-dose": (
        "progression_decisions.0.dose.reps",
        "many",
        "tables.progression_decisions[0].dose.reps: expected a whole number (got 'many')",
    ),
    "decision-until": (
        "progression_decisions.0.until",
        "2026-11-05",
        "tables.progression_decisions[0]: 'until' goes with a flare-up decision, and only with it",
    ),
    "activity-rating": (
        "activity_ratings.0.score",
        11,
        "tables.activity_ratings[0].score: must be from 0 to 10 (got 11)",
    ),
    "date-from-year-1": (
        "activities.0.added_on",
        "0001-01-01",
        "tables.activities[0].added_on: is outside the dates backcoach keeps",
    ),
    "screen-answer": (
        "screens.0.answers.bladder_change",
        "maybe",
        "tables.screens[0].answers.bladder_change: must be one of 'yes', 'no', 'unsure'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_values_the_app_cannot_use_are_refused(tmp_path: Path, source: Doc, case: str) -> None:
    path, value, message = BAD_VALUES[case]
    target = filled(tmp_path / "target", source)
    before = exported(target)
    with pytest.raises(BackcoachError) as caught:
        sharing.import_json(
            target.store, target.settings.home, changed(source, _set(path, value)), replace=True
        )
    assert message in str(caught.value)
    assert str(caught.value).endswith("Nothing was changed.")
    assert exported(target) == before


def test_pain_99_is_named_and_the_sqlite_file_is_untouched(tmp_path: Path, source: Doc) -> None:
    home = tmp_path / "home"
    before = exported(filled(home, source))
    before_bytes = db_bytes(home)
    bad = write(tmp_path / "bad.json", changed(source, _set("pain_reports.3.score", 99)))
    result = run_cli("import", str(bad), "--yes", home=home, BACKCOACH_TODAY=TODAY)
    assert result.returncode == 2
    assert f"{bad}: tables.pain_reports[3].score: must be from 0 to 10 (got 99); fix" in (
        " ".join(result.stderr.split())
    )
    no_traceback(result)
    assert db_bytes(home) == before_bytes
    assert exported(make_person(home)) == before


def test_a_rejected_import_changes_nothing(tmp_path: Path, source: Doc, db_url: str) -> None:
    target = make_person(tmp_path / "target", db_url)
    sharing.import_json(target.store, target.settings.home, source)
    before = exported(target)

    def broken(tables: dict[str, Any]) -> None:
        tables["profile"][0]["data"] = 5
        tables["pain_reports"][3]["score"] = 99

    with pytest.raises(BackcoachError) as caught:
        sharing.import_json(
            target.store, target.settings.home, changed(source, broken), replace=True
        )
    assert "tables.profile[0].data: expected an object (got 5)" in str(caught.value)
    assert "tables.pain_reports[3].score: must be from 0 to 10 (got 99)" in str(caught.value)
    assert exported(target) == before
    assert not (target.settings.home / sharing.BACKUPS).exists(), "refused before the backup"


def test_times_keep_their_instant(tmp_path: Path, source: Doc, db_url: str) -> None:
    """`...T10:00:00+05:00` is 05:00 UTC; a time without an offset is taken as UTC."""

    def times(tables: dict[str, Any]) -> None:
        tables["sessions"][0]["started_at"] = "2026-11-02T10:00:00+05:00"
        tables["pain_reports"][0]["reported_at"] = "2026-11-02T10:00:00"
        tables["screens"][0]["taken_at"] = "2026-11-01T23:30:00-08:00"

    target = make_person(tmp_path / "target", db_url)
    sharing.import_json(target.store, target.settings.home, changed(source, times))
    back = exported(target)["tables"]
    assert back["sessions"][0]["started_at"] == "2026-11-02T05:00:00+00:00"
    assert back["pain_reports"][0]["reported_at"] == "2026-11-02T10:00:00+00:00"
    assert back["screens"][0]["taken_at"] == "2026-11-02T07:30:00+00:00"
    started = target.store.session(source["tables"]["sessions"][0]["id"])
    assert started is not None
    moment = (
        started.started_at
        if started.started_at.tzinfo
        else started.started_at.replace(tzinfo=dt.UTC)
    )
    assert moment == dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def test_deep_nesting_and_huge_numbers_are_clear_errors(
    home: Path, tmp_path: Path, source: Doc
) -> None:
    hole = json.dumps(changed(source, _set("profile.0.data.goals", "HOLE")))
    deep = write(tmp_path / "deep.json", hole.replace('"HOLE"', "[" * 100_000 + "]" * 100_000))
    result = run_cli("import", str(deep), home=home)
    assert result.returncode == 2
    assert f"{deep}:1: objects and lists are nested more than {MAX_DEPTH} deep" in result.stderr
    no_traceback(result)

    huge = write(
        tmp_path / "huge.json",
        json.dumps(changed(source, _set("pain_reports.0.score", "HOLE"))).replace(
            '"HOLE"', str(10**30)
        ),
    )
    result = run_cli("import", str(huge), home=home)
    assert result.returncode == 2
    assert (
        "tables.pain_reports[0].score: must be from 0 to 10 (got 1000000000000000000000000000000)"
        in " ".join(result.stderr.split())
    )
    no_traceback(result)
    assert sharing.is_empty(make_person(home).store)

    text = json.dumps(changed(source, _set("pain_reports.0.score", "HOLE")))
    for raw, message in (
        ("1" + "0" * 5000, "not a number JSON import can hold"),
        ("NaN", "NaN is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ("1e999", "1e999 is too large"),
    ):
        with pytest.raises(BackcoachError, match=message):
            sharing.parse_export(text.replace('"HOLE"', raw).encode(), "x.json")


LAUNCHER = """
import os, resource, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status = os.waitpid(pid, 0)
with open(sys.argv[1], "w") as out:
    code = os.waitstatus_to_exitcode(status)
    out.write(f"{code} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
"""
"""A bare ``python -S`` that runs one command and reports its exit code and peak RSS (KB).
Spawned from pytest directly, the child's ``ru_maxrss`` would start at pytest's own size:
Linux carries the spawning process's memory into it at exec."""


def peak_rss(home: Path, *args: str, **env: str) -> tuple[int, str, float]:
    """Run the real CLI; its exit code, stderr and peak resident memory in MB."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update({"BACKCOACH_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **env})
    report = home.parent / "peak.txt"
    launched = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, str(report), BACKCOACH, *args],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    code, kilobytes = report.read_text().split()
    return int(code), launched.stderr, int(kilobytes) / 1024


def test_files_over_the_limit_are_refused_unread(home: Path, tmp_path: Path, source: Doc) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # 100 MB (sparse): reading it would show in memory
    code, stderr, rss_mb = peak_rss(home, "import", str(big), "--yes")
    assert code == 2
    assert f"{big}: import reads files up to 20 MB and this one is 100.0 MB" in stderr
    assert "BACKCOACH_IMPORT_MAX_MB" in stderr and "Traceback" not in stderr
    assert rss_mb < 150, f"a refused 100 MB file took the CLI to {rss_mb:.0f} MB"

    padded = write(tmp_path / "padded.json", json.dumps(source) + " " * (1024 * 1024))
    small = run_cli("import", str(padded), home=home, BACKCOACH_IMPORT_MAX_MB="1")
    assert small.returncode == 2 and "import reads files up to 1 MB" in small.stderr
    typo = run_cli("import", str(padded), home=home, BACKCOACH_IMPORT_MAX_MB="lots")
    assert typo.returncode == 2
    assert "BACKCOACH_IMPORT_MAX_MB='lots' is not a whole number of MB" in typo.stderr
    assert sharing.is_empty(make_person(home).store)
    fits = run_cli("import", str(padded), home=home, BACKCOACH_IMPORT_MAX_MB="2")
    assert fits.returncode == 0, fits.stderr


# --- the web import ------------------------------------------------------------------------------


def web_app(home: Path, max_mb: str) -> tuple[Any, TestClient, str]:
    """The app with an import limit of ``max_mb``, a client sending the CSRF token as the
    pages do, and the token."""
    settings = dataclasses.replace(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY}),
        import_max_mb=max_mb,
    )
    app = create_app(settings)
    client = TestClient(app, base_url="http://127.0.0.1")
    client.get("/api/status")
    token = client.cookies["backcoach_csrf"]
    client.headers["X-CSRF-Token"] = token
    return app, client, token


def post_streamed(
    app: Any, token: str, chunks: int, chunk_size: int, declared: int | None
) -> tuple[int, int, Doc]:
    """POST /api/import through the whole ASGI app, the body arriving in chunks; the status,
    how many chunks the app read, and the JSON answer."""
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", b"application/json"),
        (b"cookie", f"backcoach_csrf={token}".encode()),
        (b"x-csrf-token", token.encode()),
    ]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/import",
        "raw_path": b"/api/import",
        "query_string": b"replace=true",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
    }
    read = 0
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        more = read < chunks
        return {"type": "http.request", "body": b" " * chunk_size, "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer["status"], read, json.loads(answer["body"])


def test_web_import_refuses_oversized_bodies_without_reading_them(
    tmp_path: Path, source: Doc
) -> None:
    app, api, token = web_app(tmp_path / "home", max_mb="1")
    chunk = 64 * 1024
    status, read, body = post_streamed(app, token, 800, chunk, declared=800 * chunk)
    assert status == 413 and read == 0, "refused from Content-Length, before reading"
    assert body["detail"]["code"] == "too-large"
    assert "import reads files up to 1 MB" in body["detail"]["message"]
    status, read, body = post_streamed(app, token, 800, chunk, declared=None)
    assert status == 413 and read <= 1024 * 1024 // chunk + 1, f"read {read} chunks of 64 KB"

    hole = json.dumps(changed(source, _set("pain_reports.0.score", "HOLE")))
    for raw, message in (
        ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_DEPTH} deep"),
        (str(10**30), "tables.pain_reports[0].score: must be from 0 to 10 (got 1000000"),
        ("99", "tables.pain_reports[0].score: must be from 0 to 10 (got 99)"),
    ):
        answer = api.post(
            "/api/import",
            content=hole.replace('"HOLE"', raw),
            headers={"content-type": "application/json"},
        )
        assert answer.status_code == 400, answer.text
        assert message in answer.json()["detail"]["message"]
    assert api.post("/api/import", content=json.dumps(source)).status_code == 200
    assert api.get("/api/history").json(), "a good document still goes in"


# --- the published format -----------------------------------------------------------------------


BEYOND_THE_SCHEMA = {"plan-endless-sets", "set-beyond-plan", "decision-until", "date-from-year-1"}
"""Rules import checks that JSON Schema does not say: bounds added to the app's own Plan
model, references between rows, rules across fields, the range of dates."""


def test_export_schema_describes_what_import_accepts(home: Path, source: Doc) -> None:
    result = run_cli("export", "--schema", home=home)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    tables = schema["$defs"]["ExportTables"]["properties"]
    assert set(tables) == {t.name for t in export_tables()}
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(source)) == []
    for case, (path, value, _) in BAD_VALUES.items():
        if case not in BEYOND_THE_SCHEMA:
            bad = changed(source, _set(path, value))
            assert list(validator.iter_errors(bad)), f"the schema allows {path} = {value!r}"
    both = run_cli("export", "--schema", "--out", "x.json", home=home)
    assert both.returncode == 2 and "--schema prints the file format only" in both.stderr
    assert not (home / "backcoach.db").exists(), "printing the schema opens no database"


def test_models_follow_the_tables_and_the_app() -> None:
    """One model per table, a field per column, and left-out fields exactly where the
    database has a default; the closed sets hold every value the app writes."""
    assert set(models.ROW_MODELS) == {t.name for t in export_tables()}
    for table in export_tables():
        fields = models.ROW_MODELS[table.name].model_fields
        assert list(fields) == [c.name for c in export_columns(table)], table.name
        for column in export_columns(table):
            optional = not column.primary_key and (
                column.nullable is True
                or column.default is not None
                or column.server_default is not None
            )
            assert fields[column.name].is_required() != optional, f"{table.name}.{column.name}"
    assert set(get_args(models.PainMoment)) == {
        *get_args(PainWhen),
        NEXT_DAY,
        PAIN_NOW,
        PAIN_BEFORE,
        WORST_24H,
    }
    assert set(get_args(models.SessionStatus)) == {"in-progress", *END_STATUS.values()}
    assert SESSION_MODE in get_args(models.SessionMode)
    assert set(get_args(models.SetSource)) == {"timer", CAMERA_SOURCE}
    assert set(get_args(models.SetSide)) == {"both", *get_args(Side)}
    assert set(get_args(models.ExerciseOutcome)) <= set(get_args(Outcome))
    assert get_args(models.ExportDocument.model_fields["format"].annotation) == (FORMAT,)


def test_docs_give_the_limits_and_the_schema_command() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "your-data.md").read_text("utf-8")
    for needed in (
        "backcoach export --schema",
        "BACKCOACH_IMPORT_MAX_MB",
        "20 MB",
        f"{MAX_DEPTH} levels",
        "+05:00",
    ):
        assert needed in doc, f"docs/your-data.md does not mention {needed}"
