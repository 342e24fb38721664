"""Reps that follow the person while the camera watches (issue 17): the movement phases wait
for the camera's count instead of their timer, holds keep their timer, a generous safety
timeout pauses with "Still there?", and turning the camera off returns to the timer."""

from __future__ import annotations

from backcoach.session import (
    GET_READY_SECONDS,
    Cue,
    Engine,
    PainReport,
    RepDone,
    Resume,
    SetFinished,
    Tick,
    Watch,
    cues,
    event_from_dict,
)
from backcoach.session.timing import WATCH_TIMEOUT_MIN_SECONDS, watch_timeout
from tests.session.conftest import T0, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("knee-rock"))


def _engine(hold: int = 0, reps: int = 3) -> tuple[Engine, float]:
    engine, _ = Engine.start(
        plan(item("knee-rock", sets=1, reps=reps, hold_seconds=hold, movement_seconds=2)),
        EXERCISES,
        T0,
    )
    engine.send(PainReport(T0, 1))
    t = T0 + GET_READY_SECONDS
    engine.send(Tick(t))
    return engine, t


def _phase(engine: Engine, t: float) -> tuple[str, int | None]:
    view = engine.progress(t)
    return view.phase, view.rep


def test_watched_reps_wait_for_the_count_not_the_timer() -> None:
    engine, t = _engine()
    assert _phase(engine, t) == ("move", 1)
    said = engine.send(Watch(t, on=True))
    assert Cue(cues.WATCHING) in said and engine.state.watched
    # Well past the 2 s the timer gives a repetition: still the first, no countdown.
    t += 15
    engine.send(Tick(t))
    assert _phase(engine, t) == ("move", 1)
    assert engine.progress(t).seconds_left is None
    # The camera counts it: the next repetition starts at once.
    engine.send(RepDone(t))
    assert _phase(engine, t) == ("move", 2)
    assert engine.state.bout_reps == 1


def test_without_the_camera_the_timer_runs_the_reps() -> None:
    engine, t = _engine()
    engine.send(Tick(t + 2.0))
    assert _phase(engine, t + 2.0) == ("move", 2)


def test_holds_keep_their_timer_while_watched() -> None:
    engine, t = _engine(hold=5)
    engine.send(Watch(t, on=True))
    t += 9
    engine.send(Tick(t))
    assert _phase(engine, t) == ("move", 1)  # into position: waits for the camera
    engine.send(RepDone(t))  # the camera saw the far end
    assert _phase(engine, t) == ("hold", 1)
    assert engine.progress(t).seconds_left == 5.0
    t += 5
    engine.send(Tick(t))
    assert _phase(engine, t) == ("release", 1)  # the hold ended on its timer
    t += 15
    engine.send(Tick(t))
    assert _phase(engine, t) == ("release", 1)  # the way back waits for the count
    engine.send(RepDone(t))
    assert _phase(engine, t) == ("move", 2)


def test_the_safety_timeout_pauses_and_asks_still_there() -> None:
    engine, t = _engine()
    engine.send(Watch(t, on=True))
    timeout = watch_timeout(2.0)  # a repetition without a hold: one 2 s movement
    assert timeout == WATCH_TIMEOUT_MIN_SECONDS
    said = engine.send(Tick(t + timeout - 0.1))
    assert not engine.state.paused and Cue(cues.STILL_THERE) not in said
    said = engine.send(Tick(t + timeout + 3))
    assert engine.state.paused and Cue(cues.STILL_THERE) in said
    assert engine.state.paused_at == t + timeout
    assert _phase(engine, t + timeout + 3) == ("move", 1)
    assert engine.state.bout_reps == 0  # nothing counted that the camera did not see
    # Turned off (the page stops watching when paused), then carried on: the timer runs the
    # movement again in full from the resume.
    later = t + timeout + 60
    engine.send(Watch(later, on=False))
    engine.send(Resume(later))
    engine.send(Tick(later + 1.9))
    assert _phase(engine, later + 1.9) == ("move", 1)
    engine.send(Tick(later + 2.0))
    assert _phase(engine, later + 2.0) == ("move", 2)


def test_turning_the_camera_off_returns_to_the_timer_without_skipping() -> None:
    engine, t = _engine()
    engine.send(Watch(t, on=True))
    t += 10  # the person is slow; the camera has not counted yet
    engine.send(Tick(t))
    effects = engine.send(Watch(t, on=False))
    assert not engine.state.watched
    # The late movement starts again in full: no repetition is counted nobody saw.
    assert _phase(engine, t) == ("move", 1)
    assert not any(isinstance(e, SetFinished) for e in effects)
    assert engine.progress(t).seconds_left == 2.0
    engine.send(Tick(t + 2.0))
    assert _phase(engine, t + 2.0) == ("move", 2)
    assert engine.state.bout_reps == 1


def test_watch_round_trips_through_json_and_the_saved_state() -> None:
    event = event_from_dict({"type": "watch", "now": 3.0, "on": True})
    assert event == Watch(3.0, True)
    engine, t = _engine()
    engine.send(Watch(t, on=True))
    saved = engine.state.to_dict()
    assert saved["watched"] is True
    assert type(engine.state).from_dict(saved) == engine.state
