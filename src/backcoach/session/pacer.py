"""The breathing pacer: which breath (in, hold, out) falls at a given time into a phase.

The pacer runs during the timed and hold phases of an exercise whose dose has a ``pace``,
starting each phase on an in-breath. Like every deadline in the engine it is computed from the
phase's start, never by adding up ticks, so it keeps time however the ticks arrive.
"""

from __future__ import annotations

import math

from backcoach.catalogue.model import BreathPace
from backcoach.session.effects import BreathKind
from backcoach.types import Seconds


def breaths(pace: BreathPace) -> tuple[tuple[BreathKind, Seconds], ...]:
    """One breathing cycle: in, an optional hold, out."""
    cycle: list[tuple[BreathKind, Seconds]] = [("in", pace.inhale_seconds)]
    if pace.hold_seconds > 0:
        cycle.append(("hold", pace.hold_seconds))
    cycle.append(("out", pace.exhale_seconds))
    return tuple(cycle)


def breath_at(pace: BreathPace, elapsed: Seconds) -> tuple[int, BreathKind, Seconds]:
    """``(n, kind, seconds)``: the n-th breath since the phase began (0-based), what it is, and
    its full length."""
    cycle = breaths(pace)
    length = sum(seconds for _, seconds in cycle)
    elapsed = max(elapsed, 0.0)
    rounds = math.floor(elapsed / length)
    into = elapsed - rounds * length
    for position, (kind, seconds) in enumerate(cycle):
        if into < seconds or position == len(cycle) - 1:
            return rounds * len(cycle) + position, kind, seconds
        into -= seconds
    raise AssertionError("unreachable: the loop returns on the last breath")
