"""Issue 15, "the numbers", through the real CLI: pain attributed only when it rose, a flare-up
dose never above the usual one, progress said kindly and rounded, the direction check's hold."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_start_cli import clear_screen
from tests.conftest import run_cli

MONDAY = "2026-11-02"
SUNDAY = "2026-11-08"


def _answers(tmp_path: Path, data: dict[str, object]) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_pain_already_there_is_not_blamed_on_an_exercise(home: Path, tmp_path: Path) -> None:
    """Pain 3 before the session and 3 after every exercise: no "Easy walk ... hurt 3/10", and
    nothing to ask about the next morning."""
    clear_screen(home, tmp_path, BACKCOACH_TODAY=MONDAY)
    answers = _answers(
        tmp_path,
        {"pain_before": 3, "pain_after": 3, "default": {"pain": 3, "rating": "about-right"}},
    )
    result = run_cli("start", "--auto", "--answers", answers, home=home, BACKCOACH_TODAY=MONDAY)
    assert result.returncode == 0, result.stderr
    assert "Next time:" in result.stdout
    assert "hurt" not in result.stdout, result.stdout
    tuesday = run_cli(
        "start", "--auto", "--answers", answers, home=home, BACKCOACH_TODAY="2026-11-03"
    )
    assert tuesday.returncode == 0, tuesday.stderr
    assert "settled by this morning" not in tuesday.stdout
    # Pain that rose during an exercise is still its own.
    rose = _answers(
        tmp_path,
        {"pain_before": 2, "pain_after": 2, "default": {"pain": 3, "rating": "about-right"}},
    )
    result = run_cli("start", "--auto", "--answers", rose, home=home, BACKCOACH_TODAY="2026-11-04")
    assert result.returncode == 0, result.stderr
    assert "hurt 3/10" in result.stdout


def test_a_flare_up_dose_is_never_above_the_usual_and_the_session_is_shorter(
    home: Path, tmp_path: Path
) -> None:
    """Was: the walk went from 3 to 5 minutes, "the lightest dose, for your flare-up", and the
    session stayed about as long as usual."""
    clear_screen(home, tmp_path, BACKCOACH_TODAY=MONDAY)
    run_cli("profile", "set", "--minutes", "15", home=home, BACKCOACH_TODAY=MONDAY)
    usual = json.loads(run_cli("plan", "--json", home=home, BACKCOACH_TODAY=MONDAY).stdout)
    said = run_cli("flare-up", home=home, BACKCOACH_TODAY=MONDAY)
    assert said.returncode == 0, said.stderr
    gentle = json.loads(run_cli("plan", "--json", home=home, BACKCOACH_TODAY="2026-11-03").stdout)
    assert gentle["flare_up"] is True
    doses = {i["exercise_id"]: i for i in usual["items"]}
    for item in gentle["items"]:
        before = doses.get(item["exercise_id"])
        if before is not None:
            for field in ("sets", "reps", "hold_seconds", "duration_seconds"):
                assert (item[field] or 0) <= (before[field] or 0), (item, before)
    walk = next(i for i in gentle["items"] if i["exercise_id"] == "walking-warm-up")
    assert walk["duration_seconds"] <= doses["walking-warm-up"]["duration_seconds"]
    assert walk["duration_seconds"] == 180  # the lightest walk, as its reason says
    assert "the lightest dose, for your flare-up" in walk["reason"]
    assert gentle["total_seconds"] <= 0.6 * usual["total_seconds"]
    assert any("shorter" in n for n in gentle["notes"])


def test_progress_on_an_unplanned_day_is_said_kindly(home: Path, tmp_path: Path) -> None:
    """A first session on a Sunday (Mon/Wed/Fri planned): not "1 done of 0 planned"."""
    clear_screen(home, tmp_path, BACKCOACH_TODAY=SUNDAY)
    run_cli("profile", "set", "--days", "mon,wed,fri", home=home, BACKCOACH_TODAY=SUNDAY)
    result = run_cli("start", "--auto", home=home, BACKCOACH_TODAY=SUNDAY)
    assert result.returncode == 0, result.stderr
    out = run_cli("progress", home=home, BACKCOACH_TODAY=SUNDAY).stdout
    assert "of 0 planned" not in out and "1 of 0" not in out
    assert "1 session done in the last 8 weeks" in out
    assert "1 session (none planned)" in out
    assert "Your next planned session starts a new run." in out


def test_the_direction_check_asks_for_a_hold_where_the_exercise_is_a_hold(
    home: Path, tmp_path: Path
) -> None:
    """With a wrist problem the extension test is propped on the elbows, a sustained hold."""
    clear_screen(home, tmp_path)
    run_cli("profile", "set", "--condition", "wrist", home=home)
    # buttock 5 -> back 2: centralised.
    result = run_cli("check-direction", home=home, input="2\n5\n\n1\n2\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Lying on your front, propped on your elbows — one hold of about 60 seconds" in out
    assert "10 slow repetitions" not in out.split("propped on your elbows")[1].splitlines()[0]
    assert "Result:" not in out and "no-change" not in out and "centralised" not in out
    assert "The pain moved toward your spine: a good sign." in out
    assert "Your directional preference: bending backwards eases it." in out
    shown = json.loads(run_cli("profile", "show", "--json", home=home).stdout)
    assert shown["directional_preference"] == "extension"
