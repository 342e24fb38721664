"""Issue 15's CLI findings, tried as a new user would: each message says what is wrong in the
person's own terms (a time, a list in a JSON file, the profile's fields), never a traceback,
an exercise's field names or YAML advice for a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

SCREEN = {"tier": "clear", "taken_on": "2026-11-02"}


def profile_file(tmp_path: Path, **fields: object) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({**fields, "screen": SCREEN}))
    return str(path)


def test_a_pretend_today_that_is_no_date_is_named_without_a_traceback(home: Path) -> None:
    done = run_cli("plan", home=home, BACKCOACH_TODAY="2026-13-40")
    assert done.returncode == 2
    assert "BACKCOACH_TODAY='2026-13-40' is not a date" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_reminder_time_is_asked_for_as_a_time(home: Path) -> None:
    done = run_cli("profile", "set", "--time", "25:00", home=home)
    assert done.returncode != 0
    assert "is not a time of day (got '25:00')" in done.stderr
    assert "HH:MM" in done.stderr and "knee-rolls" not in done.stderr


def test_days_are_taken_as_people_write_them(home: Path) -> None:
    done = run_cli("profile", "set", "--days", "Mon,Wednesday,FRI", home=home)
    assert done.returncode == 0, done.stderr
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["days"] == ["mon", "wed", "fri"]


def test_a_profile_files_unknown_field_is_compared_with_the_profiles_fields(
    home: Path, tmp_path: Path
) -> None:
    done = run_cli(
        "plan",
        "--profile",
        profile_file(tmp_path, targts=["relief"]),
        home=home,
        BACKCOACH_TODAY="2026-11-02",
    )
    assert done.returncode != 0
    assert "targts: is not a known field" in done.stderr
    assert "targets" not in done.stderr  # an exercise's field, not a profile's
    assert "reminder_time" in done.stderr  # the profile's fields are listed


def test_a_json_files_wrong_type_gets_json_advice(home: Path, tmp_path: Path) -> None:
    done = run_cli(
        "plan",
        "--profile",
        profile_file(tmp_path, days="mon"),
        home=home,
        BACKCOACH_TODAY="2026-11-02",
    )
    assert done.returncode != 0
    assert "days: must be a list" in done.stderr
    assert "square brackets" in done.stderr and "'- '" not in done.stderr


def test_a_number_out_of_bounds_reads_plainly(home: Path) -> None:
    done = run_cli("profile", "set", "--minutes", "500", home=home)
    assert "minutes: must be at most 45 (got 500)" in done.stderr
    assert "out of range" not in done.stderr
