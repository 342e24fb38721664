"""Repetitions need a real movement: jitter around a threshold never counts one."""

from __future__ import annotations

import math
import random

from backcoach.motion.phases import ENTER, EXIT, MIN_PHASE_S, PhaseTracker


def _feed(samples: list[tuple[float, float]]) -> PhaseTracker:
    tracker = PhaseTracker()
    for t, p in samples:
        tracker.update(t, p)
    return tracker


def test_jitter_around_the_threshold_counts_nothing() -> None:
    rng = random.Random(3)
    # Ten seconds hovering at the enter threshold with jitter smaller than the hysteresis band.
    band = (ENTER - EXIT) / 2
    samples = [(k / 30, ENTER + rng.uniform(-0.9, 0.9) * band) for k in range(300)]
    assert _feed(samples).reps == []


def test_a_flicker_shorter_than_the_minimum_phase_is_ignored() -> None:
    flick = [(k / 30, 1.0 if 30 <= k < 30 + int(MIN_PHASE_S * 30) - 1 else 0.0) for k in range(90)]
    assert _feed(flick).reps == []
    held = [(k / 30, 1.0 if 30 <= k < 30 + int(MIN_PHASE_S * 30) + 3 else 0.0) for k in range(90)]
    assert len(_feed(held).reps) == 1


def test_reps_with_times_and_hold() -> None:
    # Three cycles: 1 s out, 2 s held at the end pose, 1 s back, 1 s rest.
    def progress(t: float) -> float:
        c = t % 5
        if c < 1:
            return c
        if c < 3:
            return 1.0
        if c < 4:
            return 4 - c
        return 0.0

    samples = [(k / 25, progress(k / 25)) for k in range(25 * 15)]
    reps = _feed(samples).reps
    assert [r.index for r in reps] == [1, 2, 3]
    for i, rep in enumerate(reps):
        assert math.isclose(rep.start, 5 * i + EXIT, abs_tol=0.05)
        assert math.isclose(rep.end, 5 * i + 4 - EXIT, abs_tol=0.05)
        assert 2.0 <= rep.hold_seconds <= 2.15
