"""Planned time of an item: the arithmetic, and that the engine walks exactly that long."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.planning.plan import PlanItem
from backcoach.session import (
    GET_READY_SECONDS,
    SELF_PACED_REP_SECONDS,
    SWITCH_SIDE_SECONDS,
    ExerciseFinished,
    PhaseStarted,
    SessionDefinition,
    estimate_item_seconds,
)
from backcoach.session.timing import whole_seconds_left
from tests.session.conftest import T0, Driver, catalogue, exercise, item, plan


def test_counted_item_estimate() -> None:
    # 3 sets x 10 reps x (5 s hold + 3 s movement) x 2 sides + 2 rests of 30 s + 3 switches
    planned = item(
        "ex", sets=3, reps=10, hold_seconds=5, movement_seconds=3, rest_seconds=30, per_side=True
    )
    assert estimate_item_seconds(planned) == (
        3 * 10 * 8 * 2 + 2 * 30 + 3 * SWITCH_SIDE_SECONDS + GET_READY_SECONDS
    )
    without_in_between = (
        estimate_item_seconds(planned) - GET_READY_SECONDS - 3 * SWITCH_SIDE_SECONDS
    )
    assert without_in_between == 3 * 10 * 8 * 2 + 60


def test_continuous_and_self_paced_estimates() -> None:
    assert estimate_item_seconds(item("ex", duration_seconds=120, sets=2, rest_seconds=20)) == (
        240 + 20 + GET_READY_SECONDS
    )
    self_paced = item("ex", reps=8, hold_seconds=0, movement_seconds=0)
    assert estimate_item_seconds(self_paced) - GET_READY_SECONDS == 8 * SELF_PACED_REP_SECONDS


def test_whole_seconds_left_rounds_up_but_not_float_noise() -> None:
    assert whole_seconds_left(3.0000000001) == 3
    assert whole_seconds_left(2.01) == 3
    assert whole_seconds_left(-1) == 0


items = st.builds(
    PlanItem,
    exercise_id=st.just("ex"),
    phase=st.just("mobility"),
    reason=st.just("test"),
    sets=st.integers(1, 4),
    reps=st.integers(1, 12),
    hold_seconds=st.integers(0, 60),
    rest_seconds=st.integers(0, 90),
    per_side=st.booleans(),
    movement_seconds=st.sampled_from([0.0, 1.5, 3.0, 4.0]),
) | st.builds(
    PlanItem,
    exercise_id=st.just("ex"),
    phase=st.just("relaxation"),
    reason=st.just("test"),
    sets=st.integers(1, 3),
    duration_seconds=st.integers(1, 600),
    rest_seconds=st.integers(0, 90),
    per_side=st.booleans(),
)


@settings(max_examples=80)
@given(items)
def test_the_estimate_is_the_sum_of_the_phases_the_engine_walks(planned: PlanItem) -> None:
    definition = SessionDefinition.build(plan(planned), catalogue(exercise("ex")))
    [script] = definition.items
    walked = sum(segment.planned_seconds for segment in script.segments)
    assert walked == pytest.approx(estimate_item_seconds(planned))
    assert script.planned_seconds == estimate_item_seconds(planned)


def test_an_undisturbed_exercise_takes_exactly_its_estimate() -> None:
    planned = item(
        "ex", sets=2, reps=4, hold_seconds=6, movement_seconds=2.5, rest_seconds=20, per_side=True
    )
    d = Driver(plan(planned), catalogue(exercise("ex")))
    d.pain(1)
    d.tick_until(T0 + 500, every=0.37)
    ready = d.effects(PhaseStarted)[1]
    assert ready.phase == "get-ready"
    check_in = next(e for e in d.effects(PhaseStarted) if e.phase == "check-in")
    assert check_in.started_at - ready.started_at == pytest.approx(estimate_item_seconds(planned))
    assert d.effects(ExerciseFinished)[0].sets_done == 2
