"""No drift: however the ticks fall, phases end when the plan says they end."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.session import (
    PainReport,
    PhaseStarted,
    Rate,
    SessionDefinition,
    SetFinished,
    Tick,
    start,
    step,
)
from tests.session.conftest import T0, catalogue, exercise, item, plan

EXERCISES = catalogue(
    exercise("knee-rock"),
    exercise("side-stretch"),
    exercise("belly-breathing", duration=True, pace={"inhale_seconds": 4, "exhale_seconds": 6}),
)
DEFINITION = SessionDefinition.build(
    plan(
        item("knee-rock", sets=2, reps=3, hold_seconds=7, movement_seconds=2.5, rest_seconds=15),
        item("side-stretch", reps=2, hold_seconds=10, movement_seconds=1.3, per_side=True),
        item("belly-breathing", duration_seconds=40),
    ),
    EXERCISES,
)
ANSWER_AFTER = 1000.0
"""Check-ins are answered this long after the exercise's planned end, later than any tick
gap drawn below, so both runs answer at the same readings."""


def timings(gaps: list[float]) -> list[tuple[object, ...]]:
    """Run the session ticking at ``gaps`` (cycled); return every phase start and set."""
    state, _ = start(DEFINITION, T0)
    state, log = step(DEFINITION, state, PainReport(T0, 2))
    effects = list(log)
    now, k = T0, 0
    while not state.finished:
        if state.stage == "check-in":
            end = max(e.started_at for e in effects if isinstance(e, PhaseStarted))
            answer = end + ANSWER_AFTER
            for event in (PainReport(answer, 2), Rate(answer, "about-right")):
                state, log = step(DEFINITION, state, event)
                effects.extend(log)
            now = answer
            continue
        if state.stage == "post-pain":
            state, log = step(DEFINITION, state, PainReport(now + 1, 1))
            effects.extend(log)
            continue
        now += gaps[k % len(gaps)]
        k += 1
        state, log = step(DEFINITION, state, Tick(now))
        effects.extend(log)
    out: list[tuple[object, ...]] = []
    for e in effects:
        if isinstance(e, PhaseStarted):
            out.append((e.phase, e.item_index, e.set_number, e.side, e.rep, e.started_at))
        elif isinstance(e, SetFinished):
            out.append((e.item_index, e.set_number, e.side, e.reps_done, e.started_at, e.ended_at))
    return out


PERFECT = timings([0.02])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=30.0), min_size=1, max_size=40))
def test_any_tick_sequence_gives_the_timings_of_perfect_ticks(gaps: list[float]) -> None:
    assert timings(gaps) == PERFECT


def test_the_perfect_run_follows_the_planned_arithmetic() -> None:
    kinds = ("move", "hold", "release")
    starts = [row[-1] for row in PERFECT if row[0] in kinds]
    first_item = [row for row in PERFECT if row[0] in kinds and row[1] == 0]
    # 2 sets x 3 reps x (1.25 s move + 7 s hold + 1.25 s back), 15 s rest between, after
    # 10 s get-ready
    expected = []
    t = T0 + 10
    for set_index in range(2):
        for _ in range(3):
            expected += [t, t + 1.25, t + 8.25]
            t += 9.5
        t += 15 if set_index == 0 else 0
    assert [row[-1] for row in first_item] == expected
    assert all(math.isfinite(s) for s in starts)
