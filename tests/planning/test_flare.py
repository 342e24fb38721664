"""Flare-up detection at its thresholds, the flare-up decision, and the gentle set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from backcoach.catalogue import load_default
from backcoach.planning.flare import (
    FLARE_DAYS,
    FLARE_UP_DAYS,
    MIN_USUAL_READINGS,
    USUAL_WINDOW_DAYS,
    WHOLE_PROGRAMME,
    detect_flare_up,
    flare_up_exercise_ids,
    start_flare_up,
    usual_pain,
)
from tests.safety.factories import make_exercise

TODAY = dt.date(2026, 5, 20)


def day(back: int) -> dt.date:
    return TODAY - dt.timedelta(days=back)


def history(usual: int = 2, readings: int = USUAL_WINDOW_DAYS) -> dict[dt.date, int]:
    """``readings`` daily readings at ``usual`` in the window before yesterday."""
    return {day(FLARE_DAYS - 1 + i): usual for i in range(1, readings + 1)}


def test_two_days_two_points_above_usual_is_a_flare_up() -> None:
    pain = history() | {day(1): 4, day(0): 4}
    reason = detect_flare_up(pain, False, TODAY)
    assert reason is not None
    assert "4/10 and 4/10" in reason and "usual 2/10" in reason


@pytest.mark.parametrize(
    ("yesterday", "today", "flare"),
    [
        (4, 4, True),
        (5, 7, True),
        (3, 4, False),  # a rise of 1 yesterday
        (4, 3, False),  # a rise of 1 today
        (2, 6, False),  # one day only
    ],
)
def test_rise_and_days_boundaries(yesterday: int, today: int, flare: bool) -> None:
    pain = history() | {day(1): yesterday, day(0): today}
    assert (detect_flare_up(pain, False, TODAY) is not None) is flare


def test_a_missing_day_is_not_a_flare_up() -> None:
    assert detect_flare_up(history() | {day(0): 8}, False, TODAY) is None


def test_usual_needs_enough_readings_in_the_window() -> None:
    enough = history(readings=MIN_USUAL_READINGS) | {day(1): 4, day(0): 4}
    assert detect_flare_up(enough, False, TODAY) is not None
    too_few = history(readings=MIN_USUAL_READINGS - 1) | {day(1): 4, day(0): 4}
    assert detect_flare_up(too_few, False, TODAY) is None
    # Readings just outside the window do not count toward "usual".
    outside = {day(FLARE_DAYS + USUAL_WINDOW_DAYS): 2, day(FLARE_DAYS + USUAL_WINDOW_DAYS + 1): 2}
    at_edge = history(readings=MIN_USUAL_READINGS - 1) | outside | {day(1): 4, day(0): 4}
    assert detect_flare_up(at_edge, False, TODAY) is None
    last_in = history(readings=MIN_USUAL_READINGS - 1) | {
        day(FLARE_DAYS + USUAL_WINDOW_DAYS - 1): 2
    }
    assert detect_flare_up(last_in | {day(1): 4, day(0): 4}, False, TODAY) is not None


def test_usual_is_the_median() -> None:
    pain = {day(2): 1, day(3): 2, day(4): 6, day(5): 3}
    assert usual_pain(pain, day(1)) == 2.5
    # 2.5 + 2 = 4.5: 4 is not enough, 5 is.
    assert detect_flare_up(pain | {day(1): 5, day(0): 4}, False, TODAY) is None
    assert detect_flare_up(pain | {day(1): 5, day(0): 5}, False, TODAY) is not None


def test_the_persons_word_is_enough() -> None:
    assert detect_flare_up({}, True, TODAY) == "You said your back is flaring up."
    assert detect_flare_up({}, False, TODAY) is None


def test_bad_pain_is_refused() -> None:
    with pytest.raises(ValueError, match="must be 0-10"):
        detect_flare_up({TODAY: 12}, True, TODAY)


def test_flare_up_decision_covers_a_few_days_for_the_whole_programme() -> None:
    d = start_flare_up("You said your back is flaring up.", TODAY)
    assert d.action == "flare-up"
    assert d.exercise_id == WHOLE_PROGRAMME
    assert d.until == TODAY + dt.timedelta(days=FLARE_UP_DAYS - 1)
    assert d.reason.startswith("You said your back is flaring up.")
    assert str(d.until) in d.reason


# --- the gentle set ------------------------------------------------------------------------


def ex(ex_id: str, **fields: Any) -> Any:
    return make_exercise(ex_id, **fields)


TIMED = {
    "sets": {"min": 1, "default": 1, "max": 1},
    "duration_seconds": {"min": 60, "default": 60, "max": 60},
}


def test_gentle_set_by_properties() -> None:
    exercises = [
        ex("breath", category="breathing-relaxation", position="supine", dose=TIMED),
        ex("walk", category="warm-up", position="standing", dose=TIMED),
        ex(
            "tilt",
            category="warm-up",
            position="supine",
            direction="flexion",
            cautions=["supine-long"],
        ),
        ex(
            "rolls",
            position="supine",
            direction="rotation",
            cautions=["supine-long", "end-range-rotation"],
        ),
        ex("hands-knees", position="quadruped", cautions=["wrist-load"]),
        ex("harder", difficulty=2),
        ex(
            "crunch",
            category="strength",
            position="supine",
            direction="flexion",
            cautions=["loaded-flexion"],
        ),
        ex(
            "prone-prop",
            position="prone",
            direction="extension",
            cautions=["prone", "sustained-extension"],
        ),
        ex(
            "hug",
            category="stretch",
            position="supine",
            direction="flexion",
            cautions=["end-range-flexion"],
        ),
    ]
    assert flare_up_exercise_ids(exercises) == ["breath", "walk", "tilt", "rolls"]
    assert flare_up_exercise_ids(exercises, "extension") == [
        "breath",
        "walk",
        "tilt",
        "rolls",
        "prone-prop",
    ]
    assert flare_up_exercise_ids(exercises, "flexion") == ["breath", "walk", "tilt", "rolls", "hug"]
    assert flare_up_exercise_ids(exercises, "extension", avoid=["flexion"]) == [
        "breath",
        "walk",
        "rolls",
        "prone-prop",
    ]


def test_gentle_set_on_the_built_in_catalogue() -> None:
    catalogue, problems = load_default(None)
    assert problems == []
    base = {
        "diaphragmatic-breathing",
        "walking-warm-up",
        "pelvic-tilt",
        "standing-pelvic-tilt",
        "knee-rolls",
        "side-lying-open-book",
        "seated-rotation",
        "standing-side-bend",
    }
    assert set(flare_up_exercise_ids(catalogue)) == base
    assert set(flare_up_exercise_ids(catalogue, "extension")) == base | {
        "prone-lying",
        "prone-on-elbows",
        "standing-back-extension",
    }
    assert set(flare_up_exercise_ids(catalogue, "flexion")) == base | {
        "knee-to-chest-single",
        "knee-to-chest-double",
    }


def test_gentle_set_takes_a_users_own_exercise(tmp_path: Path) -> None:
    own = ex("my-hip-circles", name="Hip circles", category="warm-up", position="standing")
    yaml = YAML(typ="safe", pure=True)
    with (tmp_path / "my-hip-circles.yaml").open("w") as fh:
        yaml.dump(own.model_dump(mode="json", exclude_defaults=True), fh)
    catalogue, problems = load_default(tmp_path)
    assert problems == []
    assert not catalogue.is_builtin("my-hip-circles")
    assert "my-hip-circles" in flare_up_exercise_ids(catalogue)
