"""The person's controls: RepDone, Pause/Resume, Skip, Back and Stop."""

from __future__ import annotations

import pytest

from backcoach.session import (
    BACK_GRACE_SECONDS,
    GET_READY_SECONDS,
    Back,
    Countdown,
    ExerciseRestarted,
    ExerciseSkipped,
    Pause,
    PhaseStarted,
    RepDone,
    Resume,
    SessionFinished,
    SetFinished,
    Skip,
    Stop,
    Tick,
    progress,
)
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("knee-rock"), exercise("bridge"), exercise("cat-cow"))


def two_items(**dose: object) -> Driver:
    first = {"reps": 3, "hold_seconds": 10, "movement_seconds": 2, "sets": 2, "rest_seconds": 20}
    first.update(dose)  # type: ignore[arg-type]
    d = Driver(plan(item("knee-rock", **first), item("bridge", reps=2, hold_seconds=5)), EXERCISES)
    d.pain(2)
    return d


# --- pause ------------------------------------------------------------------------------------


def test_pause_across_a_hold_keeps_the_exact_time_left() -> None:
    d = two_items()
    hold_start = T0 + GET_READY_SECONDS + 1  # half the 2 s of movement goes in, half back
    d.tick_until(hold_start + 2.3)
    assert d.state.stage == "exercise" and progress(d.definition, d.state, d.now).phase == "hold"
    d.send(Pause(hold_start + 2.3))
    quiet = d.tick_until(hold_start + 500, every=1.7)
    assert quiet == []  # nothing counts down while paused
    view = progress(d.definition, d.state, d.now)
    assert view.paused and view.seconds_left == pytest.approx(7.7, abs=1e-9)

    resumed_at = hold_start + 500.0
    effects = d.send(Resume(resumed_at))
    assert Countdown(8) in effects  # the display is told again at once
    assert progress(d.definition, d.state, resumed_at).seconds_left == pytest.approx(7.7)
    d.tick_until(resumed_at + 7.69, every=0.01)
    assert progress(d.definition, d.state, d.now).phase == "hold"
    d.send(Tick(resumed_at + 7.7))
    assert progress(d.definition, d.state, d.now).phase == "release"
    d.send(Tick(resumed_at + 7.7 + 1))
    [rep2] = [e for e in d.effects(PhaseStarted) if e.rep == 2 and e.phase == "move"]
    assert rep2.started_at == pytest.approx(resumed_at + 7.7 + 1, abs=1e-9)
    d.tick_until(resumed_at + 100)
    first_set = d.effects(SetFinished)[0]
    assert first_set.hold_seconds_done == 10  # the paused hold still counts in full
    assert first_set.ended_at == pytest.approx(resumed_at + 7.7 + 1 + 24)


def test_pause_before_an_unnoticed_deadline_finishes_that_phase_first() -> None:
    d = two_items()
    # No tick since the start; the get-ready ended 0.5 s before the pause arrives.
    d.send(Pause(T0 + GET_READY_SECONDS + 0.5))
    view = progress(d.definition, d.state, d.now)
    assert view.phase == "move" and view.seconds_left == pytest.approx(0.5)


def test_pause_and_resume_twice_adds_up() -> None:
    d = two_items()
    d.send(Pause(T0 + 3))
    d.send(Resume(T0 + 13))
    d.send(Pause(T0 + 15))
    d.send(Resume(T0 + 45))
    d.tick_until(T0 + 60)
    first_move = next(e for e in d.effects(PhaseStarted) if e.phase == "move")
    assert first_move.started_at == T0 + GET_READY_SECONDS + 40


# --- RepDone ----------------------------------------------------------------------------------


def test_rep_done_counts_the_rep_early_and_starts_the_next_at_once() -> None:
    d = two_items(hold_seconds=0, movement_seconds=4, sets=1)
    start = T0 + GET_READY_SECONDS
    d.tick_until(start + 1)
    d.send(RepDone(start + 1.5))
    d.send(RepDone(start + 2.0))
    moves = [e for e in d.effects(PhaseStarted) if e.phase == "move"]
    assert [(m.rep, m.started_at) for m in moves] == [(1, start), (2, start + 1.5), (3, start + 2)]
    d.tick_until(start + 10)
    [done] = d.effects(SetFinished)
    assert done.reps_done == 3 and done.ended_at == start + 6.0  # the last rep ran its 4 s


def test_rep_done_in_a_hold_records_the_time_actually_held() -> None:
    d = two_items(sets=1)
    start = T0 + GET_READY_SECONDS
    d.tick_until(start + 1 + 4)  # 4 s into the first 10 s hold
    d.send(RepDone(start + 5))  # ends the hold: the way back starts, in full
    assert progress(d.definition, d.state, d.now).phase == "release"
    d.send(RepDone(start + 5.5))  # back: rep 1 counts, with its 4 s held
    d.send(RepDone(start + 6))  # in position for rep 2: its hold starts, it is not skipped
    view = progress(d.definition, d.state, d.now)
    assert (view.phase, view.rep, view.seconds_left) == ("hold", 2, 10)
    d.send(RepDone(start + 7))  # held 1 s
    d.tick_until(start + 60)
    [done] = d.effects(SetFinished)
    assert done.reps_done == 3
    assert done.hold_seconds_done == pytest.approx((4 + 1 + 10) / 3)
    assert done.target_hold_seconds == 10


def test_self_paced_reps_wait_for_rep_done() -> None:
    d = two_items(hold_seconds=0, movement_seconds=0, sets=1)
    d.tick_until(T0 + 500, every=1.0)
    view = progress(d.definition, d.state, d.now)
    assert (view.phase, view.rep, view.seconds_left) == ("move", 1, None)
    for k in range(3):
        d.send(RepDone(d.now + 1 + k))
    [done] = d.effects(SetFinished)
    assert done.reps_done == 3 and d.state.stage == "check-in"


def test_rep_done_outside_a_rep_or_while_paused_is_ignored() -> None:
    d = two_items()
    d.tick_until(T0 + 1)
    assert d.send(RepDone(T0 + 1)) == ()  # get-ready
    d.tick_until(T0 + GET_READY_SECONDS + 1)
    d.send(Pause(d.now))
    before = d.state
    assert d.send(RepDone(d.now + 1)) == () and d.state.bout_reps == before.bout_reps


# --- Skip -------------------------------------------------------------------------------------


def test_skip_mid_set_reports_the_part_done_and_moves_on_without_a_check_in() -> None:
    d = two_items()
    start = T0 + GET_READY_SECONDS
    d.tick_until(start + 12 + 12 + 5)  # rep 3's hold in set 1: two reps done
    d.send(Skip(d.now))
    [part] = d.effects(SetFinished)
    assert (part.reps_done, part.complete, part.hold_seconds_done) == (2, False, 10)
    [skipped] = d.effects(ExerciseSkipped)
    assert (skipped.exercise_id, skipped.sets_done, skipped.target_sets) == ("knee-rock", 0, 2)
    ready = d.effects(PhaseStarted)[-1]
    assert (ready.phase, ready.exercise_id, ready.started_at) == ("get-ready", "bridge", d.now)


def test_skip_in_get_ready_reports_no_set() -> None:
    d = two_items()
    d.send(Skip(T0 + 2))
    assert d.effects(SetFinished) == []
    assert d.state.outcomes == ("skipped", "pending")


def test_skip_answers_questions_with_nothing() -> None:
    d = Driver(plan(item("knee-rock", reps=1, hold_seconds=1, movement_seconds=1)), EXERCISES)
    d.send(Skip(T0 + 1))  # no pain before
    assert d.state.baseline_pain is None and d.state.stage == "exercise"
    d.tick_until(T0 + 20)
    d.send(Skip(d.now))  # no pain after the exercise
    assert d.state.awaiting == "rating"
    d.send(Skip(d.now))  # no rating
    assert d.state.stage == "post-pain"
    d.send(Skip(d.now))
    [done] = d.effects(SessionFinished)
    assert done.summary.finished == ("knee-rock",) and done.summary.pain_before is None


# --- Back -------------------------------------------------------------------------------------


def test_back_after_the_first_seconds_restarts_the_current_exercise() -> None:
    d = two_items()
    d.tick_until(T0 + 50)  # into set 2's rest, set 1 reported
    assert len(d.effects(SetFinished)) == 1
    d.send(Back(T0 + 50))
    assert d.effects(ExerciseRestarted)[-1].exercise_id == "knee-rock"
    assert d.state.bouts_done == (0, 0)
    d.tick_until(T0 + 200)
    sets = d.effects(SetFinished)
    assert [s.set_number for s in sets] == [1, 1, 2]  # set 1 again after Back
    assert sets[1].started_at == T0 + 50 + GET_READY_SECONDS


def test_back_within_the_first_seconds_goes_to_the_previous_exercise() -> None:
    d = two_items()
    d.send(Skip(T0 + 1))
    d.send(Back(T0 + 1 + BACK_GRACE_SECONDS - 0.5))
    assert d.state.item_index == 0 and d.state.outcomes == ("pending", "pending")
    assert d.effects(ExerciseRestarted)[-1].item_index == 0
    # and on the first exercise it can only restart it
    d.send(Back(d.now + 1))
    assert d.state.item_index == 0


def test_back_at_a_check_in_redoes_the_exercise_just_done() -> None:
    d = Driver(plan(item("knee-rock", reps=1, hold_seconds=1, movement_seconds=1)), EXERCISES)
    d.pain(1)
    d.tick_until(T0 + 20)
    assert d.state.stage == "check-in"
    d.send(Back(d.now))
    assert d.state.stage == "exercise" and d.state.outcomes == ("pending",)


def test_back_never_returns_into_an_exercise_a_stop_rule_ended() -> None:
    d = Driver(
        plan(item("knee-rock"), item("bridge"), item("cat-cow")),
        EXERCISES,
    )
    d.pain(2)
    d.send(Skip(T0 + 1))  # knee-rock skipped
    d.pain(7, after=1)  # bridge stopped by the rule; moves on to cat-cow paused
    d.send(Resume(d.now + 1))
    d.send(Back(d.now + 1))
    assert d.state.item_index == 0  # past the stopped bridge, to knee-rock
    d.send(Skip(d.now + 10))
    assert d.state.item_index == 2  # walking forward skips the stopped exercise too


# --- Stop -------------------------------------------------------------------------------------


def test_stop_mid_session_keeps_what_was_done_and_asks_pain_after() -> None:
    d = two_items()
    d.tick_until(T0 + GET_READY_SECONDS + 12 * 3 + 20 + 13)  # set 2, second rep's hold
    d.send(Stop(d.now))
    sets = d.effects(SetFinished)
    assert [(s.set_number, s.reps_done, s.complete) for s in sets] == [(1, 3, True), (2, 1, False)]
    assert d.state.stage == "post-pain"
    d.send(Back(d.now + 1))  # no way back into a session the person stopped
    assert d.state.stage == "post-pain"
    d.pain(3, after=2)
    summary = d.effects(SessionFinished)[0].summary
    assert summary.ended_by == "stopped"
    assert summary.not_done == ("knee-rock", "bridge")
    assert (summary.sets_done, summary.sets_planned) == (1, 3)
    assert summary.pain_after == 3


def test_stop_twice_ends_at_once() -> None:
    d = two_items()
    d.send(Stop(T0 + 1))
    d.send(Stop(T0 + 2))
    assert d.state.finished and d.effects(SessionFinished)[0].summary.pain_after is None


def test_stop_before_starting() -> None:
    d = Driver(plan(item("knee-rock")), EXERCISES)
    d.send(Stop(T0 + 1))
    assert d.effects(SessionFinished)[0].summary.ended_by == "stopped"


def test_clock_readings_that_go_backwards_are_taken_as_the_latest() -> None:
    d = two_items()
    d.tick_until(T0 + 20)
    state = d.state
    assert d.send(Tick(T0 + 5)) == () and d.state == state


def test_stop_while_paused_asks_the_pain_after_with_the_pause_closed() -> None:
    d = two_items()
    paused_at = T0 + GET_READY_SECONDS + 4
    d.tick_until(paused_at)
    d.send(Pause(paused_at))
    d.send(Stop(paused_at + 30))
    assert d.state.stage == "post-pain" and not d.state.paused
    assert not progress(d.definition, d.state, d.now).paused
    d.pain(2, after=10)
    summary = d.effects(SessionFinished)[0].summary
    # The 30 s paused do not count as active; the 10 s spent answering the last question do.
    assert summary.active_seconds == pytest.approx(paused_at - T0 + 10)


def test_skipping_the_last_exercise_while_paused_leaves_no_pause_behind() -> None:
    d = Driver(plan(item("knee-rock", reps=3, hold_seconds=5)), EXERCISES)
    d.pain(1)
    d.send(Pause(T0 + 3))
    d.send(Skip(T0 + 8))
    assert d.state.stage == "post-pain" and not d.state.paused
    d.pain(1, after=2)
    assert d.effects(SessionFinished)[0].summary.active_seconds == pytest.approx(3 + 2)
