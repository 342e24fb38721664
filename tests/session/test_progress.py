"""The progress view players render."""

from __future__ import annotations

import pytest

from backcoach.session import GET_READY_SECONDS, Pause, progress
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("knee-rock", steps=4, name="Knee rocking"), exercise("bridge"))
PLAN = plan(
    item("knee-rock", sets=2, reps=3, hold_seconds=5, movement_seconds=2, rest_seconds=10),
    item("bridge", reps=2, hold_seconds=5, per_side=True),
)


def test_progress_through_a_session() -> None:
    d = Driver(PLAN, EXERCISES)
    view = progress(d.definition, d.state, T0)
    assert (view.phase, view.awaiting, view.fraction_done) == ("pre-pain", "pain", 0.0)
    assert view.next_up == "Next exercise: Knee rocking"

    d.pain(2)
    view = progress(d.definition, d.state, T0 + 4)
    assert view.phase == "get-ready" and view.exercise_name == "Knee rocking"
    assert view.seconds_left == pytest.approx(GET_READY_SECONDS - 4)
    assert view.step_text == "Step 0 of knee-rock in full."
    assert view.next_up == "Rep 1 of 3"

    d.tick_until(T0 + GET_READY_SECONDS + 7 + 2)  # rep 2's hold, 1 s in (1 s move, 5 s, 1 s)
    view = progress(d.definition, d.state, d.now)
    assert (view.phase, view.rep, view.reps_target, view.set_number, view.sets_target) == (
        "hold",
        2,
        3,
        1,
        2,
    )
    assert view.seconds_left == pytest.approx(4)
    assert view.step_text == "Hold for 5 seconds."  # no step of its own says to hold
    assert view.next_up == "Back to the start."
    total = d.definition.planned_seconds
    assert view.fraction_done == pytest.approx((GET_READY_SECONDS + 9) / total)

    d.tick_until(T0 + GET_READY_SECONDS + 21 + 1)
    view = progress(d.definition, d.state, d.now)
    assert (view.phase, view.step_text, view.set_number) == ("rest", None, 2)

    d.tick_until(T0 + 200)
    view = progress(d.definition, d.state, d.now)
    assert (view.phase, view.awaiting, view.next_up) == (
        "check-in",
        "pain",
        "Next exercise: Bridge",
    )
    d.pain(2)
    d.rate()
    d.tick_until(d.now + GET_READY_SECONDS + 1)
    view = progress(d.definition, d.state, d.now)
    assert (view.exercise_id, view.side, view.phase) == ("bridge", "left", "move")
    d.tick_until(d.now + 14)  # rep 2 of the left side, coming back
    view = progress(d.definition, d.state, d.now)
    assert view.phase == "release" and view.next_up == "Switch to your right side"


def test_seconds_left_stand_still_while_paused() -> None:
    d = Driver(PLAN, EXERCISES)
    d.pain(2)
    d.send(Pause(T0 + 3))
    assert progress(d.definition, d.state, T0 + 3).seconds_left == pytest.approx(7)
    assert progress(d.definition, d.state, T0 + 300).seconds_left == pytest.approx(7)
    assert progress(d.definition, d.state, T0 + 300).paused


def test_last_phase_points_to_the_pain_check() -> None:
    d = Driver(plan(item("bridge", reps=1, hold_seconds=5)), EXERCISES)
    d.pain(2)
    d.tick_until(T0 + GET_READY_SECONDS + 7)  # coming back after the hold
    assert (
        progress(d.definition, d.state, d.now).next_up == "Pain check, then the end of the session"
    )
