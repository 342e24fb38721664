"""The direction check and flare-up mode through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_start_cli import clear_screen
from tests.conftest import run_cli


def profile(home: Path) -> dict:
    return json.loads(run_cli("profile", "show", "--json", home=home).stdout)


def test_centralising_pain_finds_an_extension_preference(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    # buttock 5 -> back 2 after press-ups: centralised.
    result = run_cli("check-direction", home=home, input="2\n5\n\n1\n2\n")
    assert result.returncode == 0, result.stderr
    assert "preferred direction" in result.stdout
    assert profile(home)["directional_preference"] == "extension"
    plan = json.loads(run_cli("plan", "--json", home=home).stdout)
    assert any("preferred direction (extension)" in i["reason"] for i in plan["items"])


def test_spreading_pain_marks_the_direction_to_avoid(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    # back 3 -> thigh 4: peripheralised; the check ends at once.
    result = run_cli("check-direction", home=home, input="1\n3\n\n3\n4\n")
    assert result.returncode == 0, result.stderr
    shown = profile(home)
    assert shown["avoid_directions"] == ["extension"]
    assert shown["directional_preference"] == "none"
    plan = json.loads(run_cli("plan", "--json", home=home).stdout)
    ids = {i["exercise_id"] for i in plan["items"]}
    assert not ids & {"prone-press-up", "prone-on-elbows", "standing-back-extension", "prone-lying"}


def test_stenosis_skips_the_extension_test(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path)
    run_cli("profile", "set", "--condition", "spinal-stenosis", home=home)
    result = run_cli("check-direction", home=home, input="2\n4\n\n1\n2\n")
    assert result.returncode == 0, result.stderr
    assert "knee" in result.stdout.lower() and "Press-up" not in result.stdout
    assert profile(home)["directional_preference"] == "flexion"


def test_refused_without_a_clear_screen(home: Path) -> None:
    result = run_cli("check-direction", home=home, input="")
    assert result.returncode == 2 and "warning-sign questions" in result.stderr


def test_flare_up_gives_gentle_days_then_the_usual_plan(home: Path, tmp_path: Path) -> None:
    clear_screen(home, tmp_path, BACKCOACH_TODAY="2026-11-02")
    usual = json.loads(run_cli("plan", "--json", home=home, BACKCOACH_TODAY="2026-11-02").stdout)
    said = run_cli("flare-up", home=home, BACKCOACH_TODAY="2026-11-02")
    assert said.returncode == 0 and "flaring up" in said.stdout
    gentle = json.loads(run_cli("plan", "--json", home=home, BACKCOACH_TODAY="2026-11-03").stdout)
    assert gentle["flare_up"] is True and any("Flare-up mode" in n for n in gentle["notes"])
    assert {i["exercise_id"] for i in gentle["items"]} <= {
        "diaphragmatic-breathing",
        "walking-warm-up",
        "pelvic-tilt",
        "standing-pelvic-tilt",
        "knee-rolls",
        "side-lying-open-book",
        "seated-rotation",
        "standing-side-bend",
    }
    after = json.loads(run_cli("plan", "--json", home=home, BACKCOACH_TODAY="2026-11-06").stdout)
    assert after["flare_up"] is False
    assert any("lighter while you come back from a flare-up" in i["reason"] for i in after["items"])
    assert usual["items"]
