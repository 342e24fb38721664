"""Whole sessions driven through events on a fake clock: holds, sides, rests, pacer, timed."""

from __future__ import annotations

import pytest

from backcoach.session import (
    GET_READY_SECONDS,
    SWITCH_SIDE_SECONDS,
    BreathCue,
    Countdown,
    Cue,
    ExerciseFinished,
    PhaseStarted,
    SessionFinished,
    SetFinished,
    Tick,
)
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan


def phases(driver: Driver) -> list[str]:
    return [e.phase for e in driver.effects(PhaseStarted)]


def test_counted_exercise_with_holds_and_rests_runs_to_the_planned_clock() -> None:
    d = Driver(
        plan(
            item("knee-rock", sets=2, reps=3, hold_seconds=5, movement_seconds=2, rest_seconds=10)
        ),
        catalogue(exercise("knee-rock")),
    )
    d.pain(2)
    d.tick_until(T0 + 100)

    assert phases(d) == [
        "pre-pain",
        "get-ready",
        *["move", "hold", "release"] * 3,
        "rest",
        *["move", "hold", "release"] * 3,
        "check-in",
    ]
    sets = d.effects(SetFinished)
    start1 = T0 + GET_READY_SECONDS
    assert [(s.set_number, s.started_at, s.ended_at) for s in sets] == [
        (1, start1, start1 + 21),
        (2, start1 + 31, start1 + 52),
    ]
    assert all(s.reps_done == 3 and s.target_reps == 3 and s.complete for s in sets)
    assert all(s.hold_seconds_done == 5 and s.target_hold_seconds == 5 for s in sets)
    [finished] = d.effects(ExerciseFinished)
    assert (finished.sets_done, finished.target_sets) == (2, 2)
    assert d.state.stage == "check-in" and d.state.awaiting == "pain"


def test_countdown_counts_each_whole_second_of_a_hold_once() -> None:
    d = Driver(
        plan(item("knee-rock", reps=1, hold_seconds=5, movement_seconds=2)),
        catalogue(exercise("knee-rock")),
    )
    d.pain(0)
    d.tick_until(T0 + 11.05)  # just into the hold (after 1 s of the 2 s movement)
    shown = [e.seconds_left for e in d.tick_until(T0 + 15.5) if isinstance(e, Countdown)]
    assert shown == [4, 3, 2, 1]  # 5 was shown by the tick that entered the hold
    entering = [
        e.seconds_left for t, e in d.log if isinstance(e, Countdown) and T0 + 11 <= t < T0 + 11.1
    ]
    assert entering == [5]


def test_per_side_exercise_switches_sides_with_a_cue_and_rests_only_between_sets() -> None:
    d = Driver(
        plan(
            item(
                "side-stretch",
                sets=2,
                reps=1,
                hold_seconds=20,
                movement_seconds=3,
                rest_seconds=15,
                per_side=True,
            )
        ),
        catalogue(exercise("side-stretch")),
    )
    d.pain(1)
    d.tick_until(T0 + 200)

    assert phases(d)[1:] == [
        "get-ready",
        "move",
        "hold",
        "release",
        "switch-side",
        "move",
        "hold",
        "release",
        "rest",
        "move",
        "hold",
        "release",
        "switch-side",
        "move",
        "hold",
        "release",
        "check-in",
    ]
    sets = d.effects(SetFinished)
    assert [(s.set_number, s.side) for s in sets] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    bout = 23.0
    first = T0 + GET_READY_SECONDS
    assert sets[1].started_at == first + bout + SWITCH_SIDE_SECONDS
    assert sets[2].started_at == sets[1].ended_at + 15
    texts = [e.text for e in d.effects(Cue)]
    assert texts.count("Switch sides: now your right side.") == 2
    assert sum("Left side first." in t for t in texts) == 2
    assert d.effects(ExerciseFinished)[0].sets_done == 2


def test_breathing_pacer_cues_in_and_out_breaths_on_their_own_clock() -> None:
    breathing = exercise(
        "belly-breathing", duration=True, pace={"inhale_seconds": 4, "exhale_seconds": 6}
    )
    d = Driver(plan(item("belly-breathing", duration_seconds=30)), catalogue(breathing))
    d.pain(3)
    d.tick_until(T0 + 60, every=0.25)

    start = T0 + GET_READY_SECONDS
    breaths = [(t - start, e.breath, e.seconds) for t, e in d.log if isinstance(e, BreathCue)]
    assert breaths == [
        (0.0, "in", 4.0),
        (4.0, "out", 6.0),
        (10.0, "in", 4.0),
        (14.0, "out", 6.0),
        (20.0, "in", 4.0),
        (24.0, "out", 6.0),
    ]


def test_pacer_with_a_held_breath_and_during_holds_of_a_counted_exercise() -> None:
    paced = exercise(
        "pelvic-tilt",
        pace={"inhale_seconds": 3, "hold_seconds": 2, "exhale_seconds": 5},
    )
    d = Driver(
        plan(item("pelvic-tilt", reps=1, hold_seconds=12, movement_seconds=2)),
        catalogue(paced),
    )
    d.pain(3)
    d.tick_until(T0 + 40, every=0.5)
    hold_start = T0 + GET_READY_SECONDS + 1
    breaths = [(t - hold_start, e.breath) for t, e in d.log if isinstance(e, BreathCue)]
    assert breaths == [(0.0, "in"), (3.0, "hold"), (5.0, "out"), (10.0, "in")]


def test_continuous_timed_exercise_reports_its_duration() -> None:
    d = Driver(
        plan(item("walk-in-place", duration_seconds=45, sets=2, rest_seconds=5)),
        catalogue(exercise("walk-in-place", duration=True)),
    )
    d.pain(2)
    d.tick_until(T0 + 150, every=0.3)
    sets = d.effects(SetFinished)
    assert [(s.duration_seconds_done, s.target_duration_seconds, s.reps_done) for s in sets] == [
        (45.0, 45.0, None),
        (45.0, 45.0, None),
    ]
    assert sets[1].started_at == sets[0].ended_at + 5
    assert phases(d)[1:] == ["get-ready", "timed", "rest", "timed", "check-in"]


def test_check_in_then_next_exercise_then_post_pain_and_summary() -> None:
    d = Driver(
        plan(
            item("knee-rock", reps=2, hold_seconds=0, movement_seconds=3),
            item("bridge", reps=1, hold_seconds=3, movement_seconds=2),
        ),
        catalogue(exercise("knee-rock"), exercise("bridge")),
    )
    d.pain(4)
    d.tick_until(T0 + 30)
    assert d.state.stage == "check-in"
    d.send(Tick(T0 + 300))  # nobody answers for a while: nothing moves on by itself
    assert d.state.stage == "check-in"
    d.pain(3, after=1)
    d.rate("too-easy", after=1)
    assert d.state.stage == "exercise" and d.state.item_index == 1
    [ready] = [e for e in d.effects(PhaseStarted) if e.exercise_id == "bridge"][:1]
    assert ready.phase == "get-ready" and ready.started_at == T0 + 302
    d.tick_until(T0 + 400)
    d.pain(2)
    d.rate()
    assert d.state.stage == "post-pain"
    d.pain(2, after=5)
    [done] = d.effects(SessionFinished)
    summary = done.summary
    assert summary.ended_by == "completed"
    assert summary.finished == ("knee-rock", "bridge")
    assert (summary.sets_done, summary.sets_planned) == (2, 2)
    assert (summary.pain_before, summary.pain_after) == (4, 2)
    assert summary.active_seconds == pytest.approx(d.now - T0)
    assert d.state.finished
    assert d.send(Tick(d.now + 10)) == ()  # a finished session ignores everything


def test_one_very_late_tick_finishes_every_passed_phase_at_its_own_deadline() -> None:
    d = Driver(
        plan(
            item("knee-rock", sets=2, reps=2, hold_seconds=4, movement_seconds=1.5, rest_seconds=7)
        ),
        catalogue(exercise("knee-rock")),
    )
    d.pain(2)
    effects = d.send(Tick(T0 + 29.2))  # the machine slept through most of the exercise
    started = [(e.phase, e.started_at - T0) for e in effects if isinstance(e, PhaseStarted)]
    assert started == [
        ("move", 10.0),
        ("hold", 10.75),
        ("release", 14.75),
        ("move", 15.5),
        ("hold", 16.25),
        ("release", 20.25),
        ("rest", 21.0),
        ("move", 28.0),
        ("hold", 28.75),
    ]
    [first_set] = [e for e in effects if isinstance(e, SetFinished)]
    assert (first_set.started_at - T0, first_set.ended_at - T0) == (10.0, 21.0)
    # only the phase running now is counted down: a 4 s hold, 0.45 s in
    assert [e.seconds_left for e in effects if isinstance(e, Countdown)] == [4]
    d.send(Tick(T0 + 60))
    assert [s.ended_at - T0 for s in d.effects(SetFinished)] == [21.0, 39.0]
