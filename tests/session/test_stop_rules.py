"""Pain reports judged by the safety stop rules inside the engine."""

from __future__ import annotations

from backcoach.session import (
    GET_READY_SECONDS,
    Cue,
    ExerciseStopped,
    PainJudged,
    Pause,
    PhaseStarted,
    RescreenNeeded,
    Resume,
    SessionFinished,
    SetFinished,
)
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("press-up"), exercise("bridge"))


def mid_first_exercise(baseline: int = 2) -> Driver:
    d = Driver(
        plan(
            item("press-up", sets=2, reps=4, hold_seconds=5, movement_seconds=3, rest_seconds=30),
            item("bridge", reps=3, hold_seconds=3),
        ),
        EXERCISES,
    )
    d.pain(baseline)
    d.tick_until(T0 + GET_READY_SECONDS + 8 * 2 + 3)  # rep 3's hold of set 1
    return d


def test_a_warning_flag_stops_the_exercise_at_once_as_not_tolerated() -> None:
    d = mid_first_exercise()
    d.pain(3, sharp=True)
    [stopped] = d.effects(ExerciseStopped)
    assert stopped.exercise_id == "press-up"
    assert stopped.decision.action == "stop-exercise"
    assert stopped.decision.not_tolerated and stopped.decision.lower_dose_next_time
    assert not stopped.decision.rescreen
    [part] = d.effects(SetFinished)
    assert (part.reps_done, part.complete) == (2, False)
    # moves on to the next exercise, paused until the person is ready
    assert d.state.item_index == 1 and d.state.paused
    assert d.state.outcomes == ("stopped", "pending")
    assert any("press resume" in c.text for c in d.effects(Cue))
    assert d.effects(PhaseStarted)[-1].exercise_id == "bridge"
    d.tick_until(d.now + 60)
    assert d.effects(PhaseStarted)[-1].phase == "get-ready"  # still waiting
    d.send(Resume(d.now))
    d.tick_until(d.now + GET_READY_SECONDS)
    assert d.effects(PhaseStarted)[-1].phase == "move"


def test_pain_above_five_stops_the_exercise() -> None:
    d = mid_first_exercise(baseline=5)
    d.pain(6)
    [stopped] = d.effects(ExerciseStopped)
    assert stopped.decision.band == "too-much" and not stopped.decision.not_tolerated
    assert stopped.decision.lower_dose_next_time


def test_a_rise_of_two_over_the_pain_before_stops_the_exercise() -> None:
    d = mid_first_exercise(baseline=1)
    d.pain(3)
    [stopped] = d.effects(ExerciseStopped)
    assert stopped.decision.band == "acceptable"
    assert any("rose 2 points" in reason for reason in stopped.decision.reasons)


def test_acceptable_pain_carries_on_with_advice() -> None:
    d = mid_first_exercise(baseline=3)
    before = d.state
    effects = d.pain(4)
    assert d.effects(ExerciseStopped) == []
    [judged] = [e for e in effects if isinstance(e, PainJudged)]
    assert judged.when == "during-exercise" and judged.decision.check_next_day
    assert any(isinstance(e, Cue) and "expected and safe" in e.text for e in effects)
    assert (d.state.item_index, d.state.segment_index) == (before.item_index, before.segment_index)
    d.tick_until(d.now + 200)
    assert [s.complete for s in d.effects(SetFinished)] == [True, True]


def test_numbness_stops_the_exercise_and_ends_the_session_for_a_rescreen() -> None:
    d = mid_first_exercise()
    d.pain(2, numbness=True)
    [stopped] = d.effects(ExerciseStopped)
    assert stopped.decision.rescreen and stopped.decision.not_tolerated
    [rescreen] = d.effects(RescreenNeeded)
    assert rescreen.exercise_id == "press-up" and rescreen.reasons
    assert d.state.finished
    summary = d.effects(SessionFinished)[0].summary
    assert summary.ended_by == "rescreen"
    assert summary.stopped == ("press-up",) and summary.not_done == ("bridge",)


def test_numbness_before_the_session_means_no_exercise() -> None:
    d = Driver(plan(item("press-up")), EXERCISES)
    d.pain(1, numbness=True)
    assert d.effects(RescreenNeeded) and d.state.finished
    assert [e.phase for e in d.effects(PhaseStarted)] == ["pre-pain", "finished"]


def test_pain_at_a_check_in_is_judged_and_recorded_but_the_exercise_was_done() -> None:
    d = Driver(plan(item("bridge", reps=1, hold_seconds=2), item("press-up")), EXERCISES)
    d.pain(2)
    d.tick_until(T0 + 30)
    d.pain(6)
    [judged] = d.effects(PainJudged)[1:]
    assert judged.when == "after-exercise" and judged.decision.lower_dose_next_time
    assert d.effects(ExerciseStopped) == [] and d.state.awaiting == "rating"
    assert d.state.outcomes[0] == "finished"


def test_numbness_at_a_check_in_or_after_the_session_asks_for_the_screen() -> None:
    d = Driver(plan(item("bridge", reps=1, hold_seconds=2), item("press-up")), EXERCISES)
    d.pain(2)
    d.tick_until(T0 + 30)
    d.pain(2, numbness=True)
    assert d.effects(RescreenNeeded)[0].exercise_id == "bridge" and d.state.finished

    d = Driver(plan(item("bridge", reps=1, hold_seconds=2)), EXERCISES)
    d.pain(2)
    d.tick_until(T0 + 30)
    d.pain(2)
    d.rate()
    d.pain(2, numbness=True)
    assert d.effects(RescreenNeeded)[0].exercise_id is None
    assert d.effects(SessionFinished)[0].summary.ended_by == "rescreen"


def test_a_stop_on_the_last_exercise_goes_to_the_pain_after() -> None:
    d = Driver(plan(item("bridge", reps=3, hold_seconds=5)), EXERCISES)
    d.pain(1)
    d.tick_until(T0 + GET_READY_SECONDS + 2)
    d.pain(2, spreading=True)
    assert d.state.stage == "post-pain" and not d.state.paused


def test_a_stop_on_the_last_exercise_while_paused_goes_to_the_pain_after_unpaused() -> None:
    # The terminal player pauses while a pain report is typed in; the answer that ends the last
    # exercise must not leave the question after the session stuck behind that pause.
    d = Driver(plan(item("bridge", reps=3, hold_seconds=5)), EXERCISES)
    d.pain(1)
    d.tick_until(T0 + GET_READY_SECONDS + 2)
    d.send(Pause(d.now))
    d.pain(2, after=5, spreading=True)
    assert d.state.stage == "post-pain" and not d.state.paused
    assert d.state.paused_total == 5
