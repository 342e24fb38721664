"""The breathing pacer: which breath (in, hold, out) falls at a given time into a phase.

The pacer runs wherever an exercise is breath-led (``phases.breath_led``): through the timed
and hold phases of one with a ``pace`` (starting each phase on an in-breath), and through each
repetition's movement of one that moves with the breath (cat-cow: out as the back rounds, in as
it dips, one breath per repetition). Like every deadline in the engine it is computed from the
phase's start, never by adding up ticks, so it keeps time however the ticks arrive.
"""

from __future__ import annotations

import math

from backcoach.session.effects import BreathKind
from backcoach.session.phases import Cycle
from backcoach.types import Seconds


def breath_at(cycle: Cycle, elapsed: Seconds) -> tuple[int, BreathKind, Seconds]:
    """``(n, kind, seconds)``: the n-th breath since the phase began (0-based), what it is, and
    its full length. ``cycle`` is one round of breaths (``phases.pace_cycle``)."""
    length = sum(seconds for _, seconds in cycle)
    elapsed = max(elapsed, 0.0)
    rounds = math.floor(elapsed / length)
    into = elapsed - rounds * length
    for position, (kind, seconds) in enumerate(cycle):
        if into < seconds or position == len(cycle) - 1:
            return rounds * len(cycle) + position, kind, seconds
        into -= seconds
    raise AssertionError("unreachable: the loop returns on the last breath")
