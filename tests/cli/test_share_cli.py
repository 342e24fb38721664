"""`backcoach remind / export / import / forget` as real processes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services.history import past_sessions
from backcoach.services.profiles import has_profile, update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import AutoAnswers, begin, run_auto
from tests.conftest import run_cli

ALL_NO = {s.id: False for s in SIGNS}


def with_a_session(home: Path, tmp_path: Path) -> None:
    """A profile, a screen and one finished session, made in-process (faster than three
    CLI runs; `start --auto` itself is tested in test_start_cli.py)."""
    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    update_profile(person.store, days=["mon", "thu"], reminder_time="07:15", minutes=10)
    take_screen(person.store, person.today(), ALL_NO)
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10),
        AutoAnswers(pain_before=2),
        0,
        0.0,
    )


def history(home: Path) -> list[dict[str, Any]]:
    """Sessions planned next to done, read in-process (what `history --json` prints)."""
    return past_sessions(
        AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person().store
    )


def test_remind_writes_a_calendar_file(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    out = tmp_path / "cal" / "backcoach.ics"
    result = run_cli("remind", "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr
    assert "mon, thu at 07:15" in result.stdout
    event = Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,TH"
    assert event.decoded("DTSTART").time().isoformat() == "07:15:00"
    quiet = run_cli("remind", "--out", str(out), "--no-alert", home=home)
    assert quiet.returncode == 0 and b"VALARM" not in out.read_bytes()


@pytest.mark.slow
def test_export_import_round_trip_and_the_question(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    exported = tmp_path / "me.json"
    result = run_cli("export", "--out", str(exported), home=home)
    assert result.returncode == 0, result.stderr
    assert exported.stat().st_mode & 0o077 == 0, "health data is readable by its owner only"

    other = tmp_path / "other-home"
    first = run_cli("import", str(exported), "--json", home=other)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["replaced_rows"] == 0
    assert history(other) == history(home)

    # Not empty now: it asks, and "no" changes nothing.
    declined = run_cli("import", str(exported), home=other, input="n\n")
    assert declined.returncode == 1 and "Nothing was changed" in declined.stderr
    accepted = run_cli("import", str(exported), home=other, input="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "saved first to" in accepted.stdout
    scripted = run_cli("import", str(exported), "--yes", home=other)
    assert scripted.returncode == 0, scripted.stderr
    assert history(other) == history(home)  # three imports, one copy

    again = tmp_path / "again.json"
    assert run_cli("export", "--out", str(again), home=other).returncode == 0
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (exported, again))
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b


def test_import_of_a_bad_file_is_a_clear_error(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    exported = tmp_path / "me.json"
    assert run_cli("export", "--out", str(exported), home=home).returncode == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    del data["tables"]["set_logs"][2]["exercise_id"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = history(home)
    asked = run_cli("import", str(bad), home=home, input="y\n")
    assert asked.returncode == 2 and "Go ahead?" not in asked.stdout  # refused before asking
    result = run_cli("import", str(bad), "--yes", home=home)
    assert result.returncode == 2
    assert "bad.json" in result.stderr and "tables.set_logs[2]" in result.stderr
    assert "exercise_id" in result.stderr and "Nothing was changed" in result.stderr
    assert history(home) == before

    cut = tmp_path / "cut.json"
    cut.write_text(exported.read_text(encoding="utf-8")[:200], encoding="utf-8")
    result = run_cli("import", str(cut), "--yes", home=home)
    assert result.returncode == 2 and "cut.json:" in result.stderr
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("import", str(tmp_path / "nope.json"), home=home)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_export_csv(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    folder = tmp_path / "sheets"
    result = run_cli("export", "--csv", str(folder), home=home)
    assert result.returncode == 0, result.stderr
    with (folder / "set_logs.csv").open(encoding="utf-8", newline="") as handle:
        sets = list(csv.DictReader(handle))
    assert sets and {"exercise_id", "target_reps", "reps", "finished_at"} <= set(sets[0])
    nothing = run_cli("export", home=home)
    assert nothing.returncode == 2 and "--out FILE.json" in nothing.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    clash = run_cli("export", "--csv", str(a_file), home=home)
    assert clash.returncode == 2 and "not a folder" in clash.stderr


def test_forget_asks_for_the_word(home: Path, tmp_path: Path) -> None:
    with_a_session(home, tmp_path)
    own = home / "exercises"
    own.mkdir()
    (own / "my-stretch.yaml").write_text("id: my-stretch\n", encoding="utf-8")
    kept = run_cli("forget", home=home, input="yes\n")
    assert kept.returncode == 1 and "Nothing was deleted" in kept.stderr
    assert len(history(home)) == 1

    gone = run_cli("forget", home=home, input="forget\n")
    assert gone.returncode == 0, gone.stderr
    assert "Kept your own exercise files" in gone.stdout
    assert history(home) == [] and (own / "my-stretch.yaml").exists()
    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    assert not has_profile(person.store) and person.store.current_screen() is None

    scripted = run_cli("forget", "--yes", "--json", home=home)
    assert scripted.returncode == 0, scripted.stderr
    assert sum(json.loads(scripted.stdout)["rows"].values()) == 0
