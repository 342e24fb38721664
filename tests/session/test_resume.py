"""Carrying on after a crash from the sets the records layer saved."""

from __future__ import annotations

import pytest

from backcoach.session import (
    AskPain,
    Back,
    Effect,
    PhaseStarted,
    PlanMismatch,
    Resume,
    SessionDefinition,
    SessionState,
    SetFinished,
    Tick,
    progress,
    resume,
    step,
)
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("knee-rock"), exercise("side-stretch"), exercise("bridge"))
PLAN = plan(
    item("knee-rock", sets=3, reps=2, hold_seconds=4, movement_seconds=2, rest_seconds=10),
    item("side-stretch", sets=2, reps=1, hold_seconds=10, per_side=True),
    item("bridge", reps=2, hold_seconds=3),
)
DEFINITION = SessionDefinition.build(PLAN, EXERCISES)
LATER = 50_000.0  # the new process's clock has nothing to do with the old one


def run_on(started: tuple[SessionState, tuple[Effect, ...]], until: float) -> list[Effect]:
    """Resume 5 s after the restart and tick every half second until ``until``."""
    state, effects = started
    log = list(effects)
    state, more = step(DEFINITION, state, Resume(LATER + 5))
    log.extend(more)
    t = LATER + 5
    while t < until:
        t += 0.5
        state, more = step(DEFINITION, state, Tick(t))
        log.extend(more)
    return log


def test_resume_continues_at_the_next_unsaved_set_paused_at_its_lead_in() -> None:
    state, effects = resume(DEFINITION, [(0, 1, None)], baseline_pain=3, now=LATER)
    assert state.paused and state.baseline_pain == 3
    view = progress(DEFINITION, state, LATER)
    assert (view.exercise_id, view.phase, view.set_number) == ("knee-rock", "rest", 2)
    assert view.seconds_left == 10  # the whole rest, from when the person resumes
    log = run_on((state, effects), LATER + 60)
    sets = [e for e in log if isinstance(e, SetFinished)]
    assert [(s.set_number, s.started_at) for s in sets] == [(2, LATER + 15), (3, LATER + 37)]
    assert state.bouts_done[0] == 1


def test_resume_at_the_second_side_starts_with_the_side_switch() -> None:
    done = [(0, 1, None), (0, 2, None), (0, 3, None), (1, 1, "left")]
    state, _ = resume(DEFINITION, done, 2, LATER, closed={0: "finished"})
    view = progress(DEFINITION, state, LATER)
    assert (view.exercise_id, view.phase, view.side) == ("side-stretch", "switch-side", "right")
    assert state.outcomes == ("finished", "pending", "pending")


def test_all_sets_saved_but_no_check_in_resumes_at_the_check_in() -> None:
    done = [(0, 1, None), (0, 2, None), (0, 3, None)]
    state, effects = resume(DEFINITION, done, 2, LATER)
    assert state.stage == "check-in" and state.item_index == 0
    assert any(isinstance(e, AskPain) and e.when == "after-exercise" for e in effects)


def test_a_closed_item_resumes_at_the_next_exercise() -> None:
    state, _ = resume(DEFINITION, [(0, 1, None)], 2, LATER, closed={0: "skipped"})
    view = progress(DEFINITION, state, LATER)
    assert (view.exercise_id, view.phase) == ("side-stretch", "get-ready")
    assert state.outcomes[0] == "skipped"


def test_the_last_item_closed_resumes_at_the_pain_after() -> None:
    state, _ = resume(DEFINITION, [], 2, LATER, closed={0: "finished", 1: "finished", 2: "skipped"})
    assert state.stage == "post-pain"
    assert not state.paused  # nothing is left to hold still: the last question is open at once


def test_nothing_saved_starts_again() -> None:
    state, _ = resume(DEFINITION, [], None, LATER)
    assert state.stage == "pre-pain"
    state, _ = resume(DEFINITION, [], 4, LATER)
    assert (state.stage, state.item_index, state.segment_index, state.paused) == (
        "exercise",
        0,
        0,
        True,
    )


def test_a_saved_set_not_in_the_plan_is_refused() -> None:
    with pytest.raises(PlanMismatch, match=r"item 0, set 4"):
        resume(DEFINITION, [(0, 4, None)], 2, LATER)
    with pytest.raises(PlanMismatch, match=r"item 1, set 1, side None"):
        resume(DEFINITION, [(1, 1, None)], 2, LATER)


def test_resume_after_a_crash_loses_at_most_the_set_in_progress() -> None:
    """Run a session, 'crash' mid-set, resume from the saved rows: every set gets done once,
    except the crashed one, which is done again in full."""
    d = Driver(PLAN, EXERCISES)
    d.pain(3)
    d.tick_until(T0 + 60)
    saved = [(s.item_index, s.set_number, s.side) for s in d.effects(SetFinished) if s.complete]
    in_progress = progress(d.definition, d.state, d.now)
    assert saved == [(0, 1, None), (0, 2, None)] and in_progress.set_number == 3

    state, effects = resume(DEFINITION, saved, 3, LATER)
    log = run_on((state, effects), LATER + 40)
    redone = [(s.item_index, s.set_number, s.side) for s in log if isinstance(s, SetFinished)]
    assert redone == [(0, 3, None)]
    assert [e.phase for e in log if isinstance(e, PhaseStarted)][-1] == "check-in"


def test_back_right_after_resuming_restarts_the_exercise_not_the_one_before() -> None:
    state, _ = resume(DEFINITION, [(0, 1, None), (0, 2, None)], 3, LATER)
    state, _ = step(DEFINITION, state, Resume(LATER + 1))
    state, _ = step(DEFINITION, state, Back(LATER + 2))
    assert (state.item_index, state.segment_index, state.bouts_done[0]) == (0, 0, 0)
