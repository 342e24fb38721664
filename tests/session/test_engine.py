"""The Engine wrapper: keeps the state, tells listeners about every effect in order."""

from __future__ import annotations

from backcoach.session import (
    GET_READY_SECONDS,
    Effect,
    Engine,
    PainReport,
    Rate,
    SessionFinished,
    SetFinished,
    Tick,
)
from tests.session.conftest import T0, catalogue, exercise, item, plan

EXERCISES = catalogue(exercise("knee-rock"))
PLAN = plan(item("knee-rock", sets=2, reps=2, hold_seconds=3, movement_seconds=1))


def test_listeners_hear_every_effect_in_order_and_the_state_moves_on() -> None:
    heard: list[Effect] = []
    saved_rows: list[tuple[int, int]] = []

    def save(effect: Effect) -> None:
        if isinstance(effect, SetFinished):
            saved_rows.append((effect.set_number, engine.state.bouts_done[0]))

    engine, first = Engine.start(PLAN, EXERCISES, T0, listeners=[heard.append])
    engine.listen(save)
    returned = list(first)
    returned += engine.send(PainReport(T0, 1))
    t = T0
    while engine.state.stage == "exercise":
        t += 0.25
        returned += engine.send(Tick(t))
    returned += engine.send(PainReport(t, 1))
    returned += engine.send(Rate(t, "too-easy"))
    returned += engine.send(PainReport(t, 0))
    assert heard == returned
    assert saved_rows == [(1, 1), (2, 2)]  # listeners see the state after the step
    assert engine.finished and isinstance(heard[-1], SessionFinished)
    assert engine.progress(t).phase == "finished"


def test_engine_resume_picks_up_the_saved_sets() -> None:
    engine, _ = Engine.resume(PLAN, EXERCISES, [(0, 1, None)], 2, now=5.0)
    view = engine.progress(5.0)
    assert (view.phase, view.set_number, view.paused) == ("move", 2, True)
    assert engine.state.bouts_done == (1,)
    engine.send(Tick(5.0 + GET_READY_SECONDS))
    assert engine.progress(5.0 + GET_READY_SECONDS).paused
