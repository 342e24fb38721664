"""The state is plain data: it survives a trip through JSON and carries on identically."""

from __future__ import annotations

import json

import pytest

from backcoach.session import (
    GET_READY_SECONDS,
    Pause,
    PlanMismatch,
    Resume,
    SessionDefinition,
    SessionState,
    Tick,
    step,
)
from backcoach.session.state import STATE_FORMAT
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan

EXERCISES = catalogue(
    exercise("knee-rock"),
    exercise("belly-breathing", duration=True, pace={"inhale_seconds": 4, "exhale_seconds": 6}),
)
PLAN = plan(
    item("knee-rock", sets=2, reps=3, hold_seconds=7, rest_seconds=15, per_side=True),
    item("belly-breathing", duration_seconds=60),
)


def through_json(state: SessionState) -> SessionState:
    return SessionState.from_dict(json.loads(json.dumps(state.to_dict())))


@pytest.mark.parametrize("at", [0.5, 13.3, 40.0, 77.7, 150.0])
def test_a_state_from_json_carries_on_exactly_like_the_original(at: float) -> None:
    d = Driver(PLAN, EXERCISES)
    d.pain(2)
    d.tick_until(T0 + at)
    if at == 40.0:
        d.send(Pause(d.now))
    copy = through_json(d.state)
    assert copy == d.state

    def run(state: SessionState) -> list[object]:
        log: list[object] = []
        state, effects = step(d.definition, state, Resume(T0 + at + 3))
        log.extend(effects)
        for k in range(1, 3000):
            state, effects = step(d.definition, state, Tick(T0 + at + 3 + k * 0.1))
            log.extend(effects)
        return log

    assert run(copy) == run(d.state)


def test_the_dict_form_is_plain_json_types() -> None:
    d = Driver(PLAN, EXERCISES)
    d.pain(2)
    d.tick_until(T0 + GET_READY_SECONDS + 3)
    data = d.state.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["stage"] == "exercise" and data["format"] == STATE_FORMAT == 2


def test_a_state_of_another_format_or_with_unknown_fields_is_refused() -> None:
    d = Driver(PLAN, EXERCISES)
    data = d.state.to_dict()
    with pytest.raises(ValueError, match="format 0"):
        SessionState.from_dict({**data, "format": 0})
    with pytest.raises(ValueError, match="unknown fields: colour"):
        SessionState.from_dict({**data, "colour": "red"})
    with pytest.raises(ValueError, match="unknown stage 'warm'"):
        SessionState.from_dict({**data, "stage": "warm"})


def test_a_state_is_only_run_with_its_own_plan() -> None:
    d = Driver(PLAN, EXERCISES)
    other = SessionDefinition.build(plan(item("knee-rock", reps=4)), EXERCISES)
    with pytest.raises(PlanMismatch, match="another plan"):
        step(other, d.state, Tick(T0 + 1))
