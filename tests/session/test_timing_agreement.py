"""The planner's promised time and the engine's walked time are one formula."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backcoach.planning.dose import ItemDose, item_seconds
from backcoach.planning.plan import PlanItem
from backcoach.session import estimate_item_seconds


@given(
    sets=st.integers(1, 4),
    reps=st.one_of(st.none(), st.integers(1, 15)),
    hold=st.integers(0, 30),
    duration=st.integers(10, 300),
    rest=st.integers(0, 60),
    per_side=st.booleans(),
    movement=st.sampled_from([0.0, 1.0, 2.5, 4.0]),
)
def test_planner_and_engine_agree(
    sets: int,
    reps: int | None,
    hold: int,
    duration: int,
    rest: int,
    per_side: bool,
    movement: float,
) -> None:
    dose = ItemDose(
        sets=sets,
        reps=reps,
        hold_seconds=hold if reps is not None else 0,
        duration_seconds=None if reps is not None else duration,
        rest_seconds=rest,
        per_side=per_side,
        movement_seconds=movement,
    )
    item = PlanItem(
        exercise_id="x",
        phase="mobility",
        sets=sets,
        reps=reps,
        hold_seconds=dose.hold_seconds,
        duration_seconds=dose.duration_seconds,
        rest_seconds=rest,
        per_side=per_side,
        movement_seconds=movement,
        reason="test",
    )
    assert item_seconds(dose) == estimate_item_seconds(item)
