from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_profile_defaults_then_set_and_show(home: Path) -> None:
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["saved"] is False and shown["minutes"] == 15
    result = run_cli(
        "profile",
        "set",
        "--condition",
        "osteoporosis",
        "--condition",
        "pregnancy",
        "--pregnancy-weeks",
        "24",
        "--minutes",
        "20",
        "--days",
        "mon,thu",
        "--goal",
        "mobility",
        "--goal",
        "strength",
        "--equipment",
        "mat,chair",
        home=home,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["saved"] is True
    assert shown["conditions"] == [
        {"id": "osteoporosis", "weeks": None, "cleared_on": None},
        {"id": "pregnancy", "weeks": 24, "cleared_on": None},
    ]
    assert (shown["minutes"], shown["days"]) == (20, ["mon", "thu"])
    assert shown["goals"] == ["mobility", "strength"]
    # A later change of one option keeps the rest.
    run_cli("profile", "set", "--experience", "some", home=home)
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["experience"] == "some" and shown["minutes"] == 20
    assert len(shown["conditions"]) == 2


def test_bad_profile_values_name_field_value_and_fix_and_save_nothing(home: Path) -> None:
    run_cli("profile", "set", "--minutes", "30", home=home)
    bad = run_cli("profile", "set", "--minutes", "60", "--goal", "relief", home=home)
    assert bad.returncode == 2
    assert "minutes" in bad.stderr and "60" in bad.stderr and "at most 45" in bad.stderr
    unknown = run_cli("profile", "set", "--condition", "backache", home=home)
    assert unknown.returncode == 2
    assert "'backache'" in unknown.stderr and "spinal-stenosis" in unknown.stderr
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["minutes"] == 30 and shown["conditions"] == []


def test_detail_options_need_their_condition(home: Path) -> None:
    bad = run_cli("profile", "set", "--pregnancy-weeks", "20", home=home)
    assert bad.returncode == 2 and "--condition pregnancy" in bad.stderr
    ok = run_cli(
        "profile",
        "set",
        "--condition",
        "recent-spinal-surgery",
        "--surgery-cleared-on",
        "2026-11-01",
        "--json",
        home=home,
    )
    assert json.loads(ok.stdout)["conditions"][0]["cleared_on"] == "2026-11-01"
