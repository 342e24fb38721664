"""Timer drift of the session engine over a simulated half-hour session of built-in exercises.

Drives the real engine with ticks about every 100 ms, with random jitter and occasional stalls
(a busy machine, a sleeping laptop lid), answers each check-in a few seconds after it is asked,
and compares, for every timed phase:

* the engine's recorded end (the start of the next phase, ``SetFinished.ended_at``) against
  the ideal schedule (the exercise's start plus the exactly summed planned lengths): this is
  the drift, and the target is under 20 ms;
* the tick that noticed the end against the ideal end: the display lag, bounded by the tick
  gap, which the engine does not let accumulate.

Prints figures; not a test. Run: ``.venv/bin/python bench/engine_drift.py [--seed N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import random
import statistics
import time

from backcoach.catalogue import load_default
from backcoach.catalogue.model import Exercise
from backcoach.planning.dose import starting_dose
from backcoach.planning.plan import Plan, PlanItem
from backcoach.session import (
    Effect,
    Event,
    PainReport,
    PhaseStarted,
    Rate,
    SessionDefinition,
    SetFinished,
    Tick,
    start,
    step,
)

TICK = 0.100
JITTER = 0.030
STALL_CHANCE = 0.004
STALL_SECONDS = (0.5, 3.0)
ANSWER_SECONDS = (2.0, 8.0)


BENCH_EXERCISES = (
    "pelvic-tilt",
    "cat-cow",
    "knee-to-chest-single",
    "prone-press-up",
    "bridge",
    "bird-dog",
    "towel-hamstring-stretch",
    "diaphragmatic-breathing",
)
"""Built-in exercises with every kind of phase: moves and holds, rests between sets, left and
right sides, and a continuous breathing block with its pacer."""


def session_plan() -> tuple[Plan, dict[str, Exercise]]:
    """The bench exercises from the built-in catalogue, each at the planner's starting dose for
    a regular exerciser (about half an hour in all)."""
    catalogue = {e.id: e for e in load_default(None)[0]}
    exercises = {exercise_id: catalogue[exercise_id] for exercise_id in BENCH_EXERCISES}
    items = []
    for exercise in exercises.values():
        dose = starting_dose(exercise, "regular")
        items.append(
            PlanItem(
                exercise_id=exercise.id,
                phase="mobility",
                sets=dose.sets,
                reps=dose.reps,
                hold_seconds=dose.hold_seconds,
                duration_seconds=dose.duration_seconds,
                rest_seconds=dose.rest_seconds,
                per_side=dose.per_side,
                movement_seconds=dose.movement_seconds,
                reason="bench",
            )
        )
    plan = Plan(date=dt.date(2024, 5, 1), total_seconds=0, items=items)
    return plan, exercises


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    plan, exercises = session_plan()
    definition = SessionDefinition.build(plan, exercises)
    now = 73_412.137  # an arbitrary monotonic reading
    state, first = start(definition, now)
    seen: list[tuple[float, Effect]] = [(now, e) for e in first]
    steps = 0
    busy = 0.0
    stalls = 0

    def send(event: Event) -> None:
        nonlocal state, steps, busy
        began = time.perf_counter()
        state, effects = step(definition, state, event)
        busy += time.perf_counter() - began
        steps += 1
        seen.extend((event.now, e) for e in effects)

    send(PainReport(now, 3))
    while not state.finished:
        if state.stage in ("check-in", "post-pain"):
            now += rng.uniform(*ANSWER_SECONDS)
            send(PainReport(now, 3))
            if state.stage == "check-in":
                send(Rate(now, "about-right"))
            continue
        gap = TICK + rng.uniform(-JITTER, JITTER)
        if rng.random() < STALL_CHANCE:
            gap += rng.uniform(*STALL_SECONDS)
            stalls += 1
        now += gap
        send(Tick(now))

    drift, lag = measure(definition, seen)
    phases = len(drift)
    session = [e for _, e in seen if isinstance(e, PhaseStarted)]
    length = session[-1].started_at - session[0].started_at
    sets = sum(isinstance(e, SetFinished) for _, e in seen)
    print(f"session: {length / 60:.1f} min simulated, {len(plan.items)} exercises, {sets} sets,")
    print(f"         {phases} timed phases, {steps} events ({stalls} stalls of 0.5-3 s)")
    print(
        f"drift (engine's recorded phase end vs ideal schedule), ms: max {max(drift):.3g}, "
        f"mean {statistics.fmean(drift):.3g}  (target < 20)"
    )
    print(
        f"display lag (tick that noticed the end vs ideal end), ms: max {max(lag):.1f}, "
        f"mean {statistics.fmean(lag):.1f}, median {statistics.median(lag):.1f}, "
        f"95th percentile {statistics.quantiles(lag, n=20)[-1]:.1f}"
    )
    print(
        f"a timer restarting each phase at the noticing tick would have slipped "
        f"{sum(lag) / 1000:.1f} s over the session"
    )
    print(
        f"engine speed: {steps / busy:,.0f} events/s ({busy * 1000:.0f} ms in step for "
        f"{steps} events)"
    )


def measure(
    definition: SessionDefinition, seen: list[tuple[float, Effect]]
) -> tuple[list[float], list[float]]:
    """Drift and display lag, in ms, of every phase that ends by the clock."""
    started = [(at, e) for at, e in seen if isinstance(e, PhaseStarted)]
    drift: list[float] = []
    lag: list[float] = []
    lengths: list[float] = []
    anchor = 0.0
    for (_, phase), (noticed, following) in itertools.pairwise(started):
        if phase.seconds is None:
            continue
        if phase.phase == "get-ready":
            anchor, lengths = phase.started_at, []
        lengths.append(phase.seconds)
        ideal = anchor + math.fsum(lengths)  # exact sum, independent of the engine's arithmetic
        drift.append(abs(following.started_at - ideal) * 1000)
        lag.append((noticed - ideal) * 1000)
    return drift, lag


if __name__ == "__main__":
    main()
