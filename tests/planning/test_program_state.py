"""Folding stored decisions into the state the planner reads; restoring a dropped exercise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backcoach.planning.flare import FLARE_UP_DAYS, LOWER_AFTER_FLARE_DAYS, start_flare_up
from backcoach.planning.program_state import program_state, restore
from backcoach.planning.state import Decision, DoseOverride
from tests.safety.factories import make_exercise

D0 = dt.date(2026, 4, 6)


def on(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def decision(n: int, ex_id: str, action: str, **fields: Any) -> Decision:
    return Decision.model_validate(
        {"decided_on": on(n), "exercise_id": ex_id, "action": action, "reason": "test"} | fields
    )


def test_latest_dose_wins_and_same_changes_nothing() -> None:
    state = program_state(
        [
            decision(0, "a", "start", dose={"sets": 1, "reps": 8}),
            decision(2, "a", "more", dose={"sets": 1, "reps": 10}),
            decision(4, "a", "same", dose={"sets": 1, "reps": 6}),
            decision(4, "b", "less", dose={"sets": 1, "reps": 4}),
        ],
        on(5),
    )
    assert state.doses == {
        "a": DoseOverride(sets=1, reps=10),
        "b": DoseOverride(sets=1, reps=4),
    }
    assert [d.exercise_id for d in state.recent] == ["a", "b"]


def test_drop_then_restore() -> None:
    dropped = decision(1, "a", "drop", reason="a was stopped because of sharp pain")
    state = program_state([dropped], on(2))
    assert state.dropped == {"a": "a was stopped because of sharp pain"}
    back = decision(3, "a", "restore", dose={"sets": 1, "reps": 6})
    state = program_state([dropped, back], on(3))
    assert state.dropped == {}
    assert state.doses["a"] == DoseOverride(sets=1, reps=6)


def test_replacement_chains_resolve_to_the_end_and_moving_back_unreplaces() -> None:
    a_to_b = decision(0, "a", "progress-to", replacement="b", dose={"sets": 1, "reps": 5})
    b_to_c = decision(7, "b", "progress-to", replacement="c", dose={"sets": 1, "reps": 6})
    state = program_state([a_to_b, b_to_c], on(8))
    assert state.replaced == {"a": "c", "b": "c"}
    assert state.doses["c"] == DoseOverride(sets=1, reps=6)
    c_to_b = decision(9, "c", "regress-to", replacement="b", dose={"sets": 1, "reps": 8})
    state = program_state([a_to_b, b_to_c, c_to_b], on(9))
    assert state.replaced == {"a": "b", "c": "b"}
    assert state.doses["b"] == DoseOverride(sets=1, reps=8)


def test_progression_never_brings_back_a_dropped_exercise() -> None:
    state = program_state(
        [
            decision(0, "b", "drop"),
            decision(1, "a", "progress-to", replacement="b"),
        ],
        on(1),
    )
    assert "b" in state.dropped


def test_a_move_without_replacement_is_refused() -> None:
    with pytest.raises(ValueError, match="names no replacement"):
        program_state([decision(0, "a", "regress-to")], on(0))


def test_decisions_after_today_are_not_applied() -> None:
    state = program_state(
        [decision(0, "a", "more", dose={"reps": 8}), decision(5, "a", "drop")], on(4)
    )
    assert state.dropped == {}
    assert state.recent[0].decided_on == on(0)
    assert program_state([], on(0)).recent == []


def test_flare_up_window_then_a_lower_week() -> None:
    flare = start_flare_up("You said your back is flaring up.", on(10))
    last_gentle = on(10 + FLARE_UP_DAYS - 1)
    decisions = [decision(0, "a", "more", dose={"reps": 10}), flare]
    assert not program_state(decisions, on(9)).in_flare_up(on(9))
    for n in range(FLARE_UP_DAYS):
        state = program_state(decisions, on(10 + n))
        assert state.in_flare_up(on(10 + n)) and not state.lower_after_flare
    first_back = last_gentle + dt.timedelta(days=1)
    last_lower = last_gentle + dt.timedelta(days=LOWER_AFTER_FLARE_DAYS)
    for today, lower in [
        (first_back, True),
        (last_lower, True),
        (last_lower + dt.timedelta(days=1), False),
    ]:
        state = program_state(decisions, today)
        assert not state.in_flare_up(today)
        assert state.lower_after_flare is lower
        assert state.lower_dose("a") is lower


def test_a_new_dose_after_the_flare_up_is_not_lowered_again() -> None:
    flare = start_flare_up("You said your back is flaring up.", on(10))
    gentle_day = decision(10 + FLARE_UP_DAYS - 1, "a", "less", dose={"reps": 6})  # last gentle day
    back_day = on(10 + FLARE_UP_DAYS)
    later = [
        decision(13, "a", "more", dose={"reps": 8}),
        decision(13, "b", "same"),
        decision(13, "c", "progress-to", replacement="d"),
    ]
    state = program_state([flare, gentle_day, *later], back_day)
    assert state.lower_after_flare
    assert state.redosed_since_flare == ["a", "c", "d"]
    assert not state.lower_dose("a") and not state.lower_dose("d")
    assert state.lower_dose("b")
    only_during = program_state([flare, gentle_day], back_day)
    assert only_during.lower_dose("a")  # decided during the flare-up: lowered after it


def test_restore_needs_a_dropped_exercise_and_starts_at_the_minimum() -> None:
    ex = make_exercise("side-plank", name="Side plank")
    with pytest.raises(ValueError, match="'side-plank' is not left out"):
        restore(ex, program_state([], on(0)), on(0), "person")
    state = program_state([decision(0, "side-plank", "drop")], on(1))
    d = restore(ex, state, on(1), "person")
    assert d.action == "restore"
    assert d.dose == DoseOverride(sets=1, reps=1, hold_seconds=0)
    assert d.reason.startswith("You brought Side plank back")
    assert "side-plank" not in program_state([decision(0, "side-plank", "drop"), d], on(1)).dropped
