"""The directional-preference check: reading a test, the protocol's every path, and refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backcoach.catalogue import load_default
from backcoach.planning.direction import (
    EXTENSION_GENTLER,
    EXTENSION_STANDING,
    EXTENSION_TEST,
    FLEXION_GENTLER,
    FLEXION_TEST,
    REPS,
    DirectionCheck,
    Location,
    Reading,
    Trial,
    can_run,
    interpret,
    plan_trials,
)
from backcoach.safety.conditions import Condition

TODAY = dt.date(2026, 6, 1)


def r(location: Location, pain: int) -> Reading:
    return Reading(location, pain)


def conditions(*ids: str, weeks: int | None = None) -> list[Condition]:
    return [
        Condition.model_validate({"id": i, "weeks": weeks if i == "pregnancy" else None})
        for i in ids
    ]


# --- one reading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "outcome"),
    [
        (r("thigh", 5), r("buttock", 5), "centralised"),
        (r("thigh", 4), r("back", 6), "centralised"),  # toward the spine, even if stronger
        (r("back", 4), r("none", 0), "centralised"),
        (r("buttock", 3), r("thigh", 2), "peripheralised"),  # further down, even if milder
        (r("thigh", 5), r("below-knee", 5), "peripheralised"),
        (r("back", 5), r("back", 3), "eased"),  # 2 points: meaningful (Ostelo 2008)
        (r("back", 5), r("back", 4), "no-change"),  # 1 point: not
        (r("back", 5), r("back", 6), "no-change"),
        (r("back", 5), r("back", 7), "worse-pain"),
        (r("none", 0), r("back", 1), "no-change"),  # new back pain is not spreading
        (r("none", 0), r("back", 2), "worse-pain"),
        (r("none", 0), r("buttock", 2), "peripheralised"),
    ],
)
def test_interpret(before: Reading, after: Reading, outcome: str) -> None:
    assert interpret(before, after) == outcome


def test_readings_are_checked() -> None:
    with pytest.raises(ValueError, match="location must be one of"):
        Reading("knee", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pain must be 0-10"):
        Reading("back", 11)
    with pytest.raises(ValueError, match="use location 'none' exactly when the pain is 0"):
        Reading("back", 0)
    with pytest.raises(ValueError, match="use location 'none'"):
        Reading("none", 3)


# --- which trials, given conditions --------------------------------------------------------


def directions(check: DirectionCheck) -> list[tuple[str, tuple[str, ...]]]:
    return [(d, opts) for d, opts in check.queue]


EXT = ("extension", (EXTENSION_TEST, EXTENSION_GENTLER))
EXT_ELBOWS = ("extension", (EXTENSION_GENTLER,))
EXT_STANDING = ("extension", (EXTENSION_STANDING,))
FLEX = ("flexion", (FLEXION_TEST, FLEXION_GENTLER))
FLEX_SINGLE = ("flexion", (FLEXION_GENTLER,))


@pytest.mark.parametrize(
    ("conds", "expected"),
    [
        ([], [EXT, FLEX]),
        (conditions("wrist"), [EXT_ELBOWS, FLEX]),
        (conditions("spinal-stenosis"), [FLEX]),
        (conditions("spondylolisthesis"), [FLEX]),
        (conditions("osteoporosis"), [EXT]),
        (conditions("pregnancy", weeks=20), [EXT_STANDING, FLEX_SINGLE]),
        (conditions("pregnancy"), [EXT_STANDING, FLEX_SINGLE]),  # weeks unknown: later
        (conditions("pregnancy", weeks=12), [EXT, FLEX]),  # first trimester
        (conditions("spinal-stenosis", "osteoporosis"), []),
    ],
)
def test_trials_respect_conditions(conds: list[Condition], expected: list[object]) -> None:
    assert plan_trials(conds)[0] == expected
    assert directions(DirectionCheck.start(conds, TODAY)) == expected


def test_reasons_for_skipped_directions() -> None:
    _, skipped = plan_trials(conditions("spinal-stenosis"), avoid=["flexion"])
    assert len(skipped) == 2
    assert "Bending backwards is not tested" in skipped[0]
    assert "earlier check marked it to avoid" in skipped[1]


def test_trial_exercises_exist_in_the_built_in_catalogue() -> None:
    catalogue, _ = load_default(None)
    for ex_id, direction in [
        (EXTENSION_TEST, "extension"),
        (EXTENSION_GENTLER, "extension"),
        (EXTENSION_STANDING, "extension"),
        (FLEXION_TEST, "flexion"),
        (FLEXION_GENTLER, "flexion"),
    ]:
        assert catalogue.get(ex_id).direction == direction
    assert catalogue.get(EXTENSION_STANDING).position == "standing"


# --- can it run ----------------------------------------------------------------------------


def test_can_run_needs_a_clear_screen() -> None:
    assert can_run("clear", [])[0]
    for tier in ("soon", "urgent", "emergency"):
        ok, why = can_run(tier, [])
        assert not ok and f"'{tier}'" in why
    ok, why = can_run(None, [])
    assert not ok and "warning-sign questions first" in why


def test_can_run_waits_for_surgery_clearance() -> None:
    surgery = Condition(id="recent-spinal-surgery")
    assert not can_run("clear", [surgery])[0]
    future = Condition(id="recent-spinal-surgery", cleared_on=TODAY + dt.timedelta(days=1))
    assert not can_run("clear", [future], TODAY)[0]
    cleared = Condition(id="recent-spinal-surgery", cleared_on=TODAY)
    assert can_run("clear", [cleared], TODAY)[0]


def test_can_run_refuses_when_no_direction_is_left() -> None:
    ok, why = can_run("clear", conditions("spinal-stenosis", "osteoporosis"))
    assert not ok and "osteoporosis" in why
    assert not can_run("clear", [], avoid=["extension", "flexion"])[0]
    assert can_run("clear", [], avoid=["extension"])[0]


# --- the protocol --------------------------------------------------------------------------


def test_extension_centralises_first_try() -> None:
    check = DirectionCheck.start([], TODAY)
    assert check.next_trial == Trial("extension", EXTENSION_TEST, REPS)
    check = check.record(r("thigh", 6), r("back", 4))
    assert check.finished and check.next_trial is None
    result = check.result()
    assert result.preference == "extension"
    assert result.avoid == ()
    assert "toward your spine (thigh to back)" in result.reasons[-1]
    assert [s.outcome for s in result.steps] == ["centralised"]


def test_no_change_then_flexion_eases() -> None:
    check = DirectionCheck.start([], TODAY).record(r("buttock", 5), r("buttock", 5))
    assert not check.finished
    assert check.next_trial == Trial("flexion", FLEXION_TEST)
    result = check.record(r("buttock", 5), r("buttock", 3)).result()
    assert result.preference == "flexion"
    assert "eased the pain from 5/10 to 3/10" in result.reasons[-1]
    assert [s.trial.direction for s in result.steps] == ["extension", "flexion"]


def test_neither_direction_helps() -> None:
    check = DirectionCheck.start([], TODAY)
    check = check.record(r("back", 4), r("back", 3)).record(r("back", 3), r("back", 4))
    result = check.result()
    assert result.preference == "none"
    assert result.avoid == ()
    assert "no preference was found" in result.reasons[-1]


def test_spreading_marks_the_direction_to_avoid_and_stops_at_once() -> None:
    check = DirectionCheck.start([], TODAY).record(r("buttock", 4), r("thigh", 4))
    assert check.finished
    result = check.result()
    assert result.preference == "none"
    assert result.avoid == ("extension",)
    assert len(result.steps) == 1
    assert "marked to avoid" in result.reasons[-1]
    assert "contact a clinician" in result.reasons[-1]


def test_spreading_in_flexion_keeps_earlier_avoid() -> None:
    check = DirectionCheck.start([], TODAY, avoid=["extension"])
    assert check.next_trial == Trial("flexion", FLEXION_TEST)
    result = check.record(r("back", 3), r("below-knee", 3)).result()
    assert result.avoid == ("extension", "flexion")


def test_too_much_takes_the_gentler_version_then_the_other_direction() -> None:
    check = DirectionCheck.start([], TODAY).too_much()
    assert check.next_trial == Trial("extension", EXTENSION_GENTLER)
    check = check.too_much()
    assert check.next_trial == Trial("flexion", FLEXION_TEST)
    assert "was too much to do today" in check.reasons[-1]
    check = check.too_much().too_much()
    assert check.finished
    result = check.result()
    assert result.preference == "none" and result.steps == ()


def test_worse_pain_is_not_chosen_and_the_other_direction_is_tried() -> None:
    check = DirectionCheck.start([], TODAY).record(r("back", 3), r("back", 5))
    assert not check.finished
    assert "made the pain stronger (3/10 to 5/10)" in check.reasons[-1]
    assert check.next_trial is not None and check.next_trial.direction == "flexion"
    assert check.record(r("back", 5), r("buttock", 5)).result().avoid == ("flexion",)


def test_too_sore_after_a_trial_ends_the_check() -> None:
    check = DirectionCheck.start([], TODAY).record(r("back", 4), r("back", 6))
    assert check.finished
    result = check.result()
    assert result.preference == "none" and result.avoid == ()
    assert "6/10, more than 5/10" in result.reasons[-1]
    # At 5/10 the check goes on.
    assert not DirectionCheck.start([], TODAY).record(r("back", 5), r("back", 5)).finished


def test_no_pain_before_cannot_show_a_preference() -> None:
    result = DirectionCheck.start([], TODAY).record(r("none", 0), r("none", 0)).result()
    assert result.preference == "none"
    assert "no pain before the test" in result.reasons[-1]


def test_stenosis_tests_flexion_only() -> None:
    check = DirectionCheck.start(conditions("spinal-stenosis"), TODAY)
    assert check.next_trial == Trial("flexion", FLEXION_TEST)
    assert "Bending backwards is not tested" in check.reasons[0]
    result = check.record(r("thigh", 5), r("buttock", 4)).result()
    assert result.preference == "flexion"


def test_later_pregnancy_tests_standing() -> None:
    check = DirectionCheck.start(conditions("pregnancy", weeks=28), TODAY)
    assert check.next_trial == Trial("extension", EXTENSION_STANDING)
    check = check.too_much()  # no gentler standing version: on to flexion
    assert check.next_trial == Trial("flexion", FLEXION_GENTLER)


def test_nothing_to_test_is_finished_from_the_start() -> None:
    check = DirectionCheck.start(conditions("spinal-stenosis", "osteoporosis"), TODAY)
    assert check.finished and check.next_trial is None
    assert check.result().preference == "none"
    assert "No direction could be tested." in check.result().reasons


def test_misuse_is_refused_with_a_hint() -> None:
    check = DirectionCheck.start([], TODAY)
    with pytest.raises(ValueError, match=r"not finished; next: .*prone-press-up"):
        check.result()
    done = check.record(r("back", 5), r("back", 2))
    with pytest.raises(ValueError, match="finished; read its result"):
        done.record(r("back", 2), r("back", 2))
    with pytest.raises(ValueError, match="finished"):
        done.too_much()


def test_stopping_early_keeps_what_was_found() -> None:
    check = DirectionCheck.start([], TODAY).record(r("back", 4), r("back", 4)).stop()
    result = check.result()
    assert result.preference == "none"
    assert result.reasons[-1] == "You stopped the check."
    assert len(result.steps) == 1
    assert check.stop() is check


def test_result_details_are_plain_json() -> None:
    result = DirectionCheck.start([], TODAY).record(r("thigh", 6), r("back", 4)).result()
    details = json.loads(json.dumps(result.details()))
    assert details["on"] == "2026-06-01"
    assert details["preference"] == "extension"
    assert details["steps"] == [
        {
            "direction": "extension",
            "exercise_id": EXTENSION_TEST,
            "reps": REPS,
            "before": {"location": "thigh", "pain": 6},
            "after": {"location": "back", "pain": 4},
            "outcome": "centralised",
        }
    ]


def test_with_the_catalogue_no_test_exercise_breaks_a_restriction() -> None:
    """Later pregnancy: knee-to-chest is excluded (long lying on the back, deep hip bending),
    so bending forwards is skipped with that reason; standing back-bends stay."""
    from backcoach.catalogue import load_default
    from backcoach.safety.restrictions import assess

    exercises = load_default(None)[0].exercises
    for conds in (
        conditions("pregnancy", weeks=20),
        conditions("wrist"),
        conditions("knee"),
        conditions("acute-flare"),
        [],
    ):
        plan, skipped = plan_trials(conds, (), exercises, TODAY)
        for _, options in plan:
            for exercise_id in options:
                assert assess(exercises[exercise_id], conds, TODAY).allowed, (conds, exercise_id)
    plan, skipped = plan_trials(conditions("pregnancy", weeks=20), (), exercises, TODAY)
    assert plan == [EXT_STANDING]
    assert any(s.startswith("Bending forwards is not tested:") for s in skipped)
    check = DirectionCheck.start(conditions("pregnancy", weeks=20), TODAY, (), exercises)
    assert check.next_trial is not None and check.next_trial.exercise_id == EXTENSION_STANDING
