"""The journey through the real CLI: screen -> (clearance) -> plan, and the refusals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from backcoach.safety.signs import SIGNS
from tests.conftest import run_cli

ALL_NO = {s.id: False for s in SIGNS}


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_no_plan_before_a_screen(home: Path) -> None:
    result = run_cli("plan", "--json", home=home)
    assert result.returncode == 3
    assert json.loads(result.stdout)["code"] == "no-screen"
    status = run_cli(home=home)
    assert "backcoach screen" in status.stdout


def test_clear_screen_then_plan(home: Path, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.json", ALL_NO)
    result = run_cli("screen", "--answers", str(answers), "--json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tier"] == "clear" and data["flags"] == [] and data["unanswered"] == []
    plan = run_cli("plan", "--minutes", "15", "--json", home=home)
    assert plan.returncode == 0, plan.stderr
    body = json.loads(plan.stdout)
    assert set(body) >= {"date", "total_seconds", "items", "left_out"}
    assert body["items"] and all(i["reason"] for i in body["items"])
    assert set(body["items"][0]) >= {
        "exercise_id",
        "phase",
        "sets",
        "reps",
        "hold_seconds",
        "rest_seconds",
        "per_side",
        "modification",
        "reason",
    }
    table = run_cli("plan", home=home)
    assert "Your plan for" in table.stdout and "backcoach start" in table.stdout


def test_emergency_screen_blocks_the_plan(home: Path, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.json", {**ALL_NO, "saddle_numbness": True})
    result = run_cli("screen", "--answers", str(answers), "--json", home=home)
    assert json.loads(result.stdout)["tier"] == "emergency"
    plan = run_cli("plan", home=home)
    assert plan.returncode == 3 and "emergency" in plan.stderr
    refused = run_cli("clearance", "--on", "2026-11-21", home=home)
    assert refused.returncode == 2 and "answer the questions again" in refused.stderr


def test_soon_needs_a_clearance_dated_after_the_screen(home: Path, tmp_path: Path) -> None:
    env = {"BACKCOACH_TODAY": "2026-11-10"}
    answers = write(tmp_path / "a.json", {**ALL_NO, "night_pain": "unsure"})
    result = run_cli("screen", "--answers", str(answers), "--json", home=home, **env)
    assert json.loads(result.stdout)["tier"] == "soon"
    assert run_cli("plan", home=home, **env).returncode == 3
    early = run_cli("clearance", "--on", "2026-11-01", home=home, **env)
    assert early.returncode == 2 and "before your screen" in early.stderr
    ok = run_cli("clearance", "--on", "2026-11-10", "--by", "Dr Okafor", home=home, **env)
    assert ok.returncode == 0, ok.stderr
    assert run_cli("plan", "--json", home=home, **env).returncode == 0
    # Four weeks later the screen is stale: asked again, no plan.
    later = run_cli("plan", "--json", home=home, BACKCOACH_TODAY="2026-12-20")
    assert later.returncode == 3


def test_answers_file_errors_and_dry_run(home: Path, tmp_path: Path) -> None:
    bad_id = write(tmp_path / "bad.json", {"night_pains": True})
    result = run_cli("screen", "--answers", str(bad_id), home=home)
    assert (
        result.returncode == 2 and "night_pains" in result.stderr and "night_pain" in result.stderr
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"night_pain": true,\n', encoding="utf-8")
    result = run_cli("screen", "--answers", str(broken), home=home)
    assert result.returncode == 2 and f"{broken}:2" in result.stderr
    partial = write(tmp_path / "partial.json", {"night_pain": False})
    result = run_cli("screen", "--answers", str(partial), "--json", "--dry-run", home=home)
    data = json.loads(result.stdout)
    assert data["tier"] == "soon" and "bladder_change" in data["unanswered"]
    assert run_cli("plan", home=home).returncode == 3  # the dry run saved nothing


def test_interactive_screen_with_typed_answers(home: Path) -> None:
    typed = "w\n" + "n\n" * len(SIGNS)
    result = run_cli("screen", home=home, input=typed)
    assert result.returncode == 0, result.stderr
    assert "No warning signs reported" in result.stdout
    assert SIGNS[0].why.split()[0] in result.stdout  # 'w' explained the first question
    assert run_cli("plan", "--json", home=home).returncode == 0


def test_plan_from_a_profile_file_touches_nothing_saved(home: Path, tmp_path: Path) -> None:
    profile = write(
        tmp_path / "p.json",
        {
            "minutes": 15,
            "days": ["mon", "wed", "fri"],
            "goals": ["relief", "mobility"],
            "equipment": ["mat", "chair", "towel"],
            "experience": "new",
            "conditions": ["osteoporosis", {"id": "pregnancy", "weeks": 24}],
            "directional_preference": "unknown",
            "screen": {"tier": "clear", "taken_on": dt.date.today().isoformat()},
        },
    )
    result = run_cli("plan", "--profile", str(profile), "--json", home=home)
    assert result.returncode == 0, result.stderr
    ids = {i["exercise_id"] for i in json.loads(result.stdout)["items"]}
    assert not ids & {"roll-up", "foam-roll-back", "prone-press-up", "prone-on-elbows"}
    assert json.loads(run_cli("profile", "show", "--json", home=home).stdout)["saved"] is False
    blocked = write(
        tmp_path / "b.json", {"minutes": 15, "screen": {"tier": "urgent", "taken_on": "2026-11-02"}}
    )
    assert run_cli("plan", "--profile", str(blocked), home=home).returncode == 3
    unscreened = write(tmp_path / "u.json", {"minutes": 15})
    result = run_cli("plan", "--profile", str(unscreened), home=home)
    assert result.returncode == 3 and "screen: missing" in result.stderr
    typo = write(tmp_path / "t.json", {"minutes": 15, "goal": ["relief"]})
    result = run_cli("plan", "--profile", str(typo), home=home)
    assert (
        result.returncode == 2 and "goal" in result.stderr and "not a known field" in result.stderr
    )
