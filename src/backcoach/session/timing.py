"""Fixed lengths of the session's in-between phases, and the planned time of a plan item.

These are practical choices, not clinical thresholds: they set the pace of the walk between
the doses the plan prescribes.
"""

from __future__ import annotations

# One source for the in-between phases: the planner's time estimate uses the same numbers,
# so a plan's promised length is the length the engine walks.
from backcoach.planning.dose import GET_READY_SECONDS as GET_READY_SECONDS
from backcoach.planning.dose import SELF_PACED_REP_SECONDS as SELF_PACED_REP_SECONDS
from backcoach.planning.dose import SWITCH_SIDE_SECONDS as SWITCH_SIDE_SECONDS
from backcoach.planning.plan import PlanItem
from backcoach.types import Seconds

BACK_GRACE_SECONDS: Seconds = 3.0
"""``Back`` within this many seconds of an exercise's start goes to the previous exercise;
later it restarts the current one (as the back button of a music player does)."""


def sides_of(item: PlanItem) -> int:
    """How many sides each set is done on: 2 for a per-side exercise, else 1."""
    return 2 if item.per_side else 1


def rep_seconds(item: PlanItem) -> Seconds:
    """Planned length of one repetition: movement then hold (estimate when self-paced)."""
    seconds = item.movement_seconds + item.hold_seconds
    return seconds if seconds > 0 else SELF_PACED_REP_SECONDS


def bout_seconds(item: PlanItem) -> Seconds:
    """Planned work time of one set on one side (a *bout*)."""
    if item.duration_seconds is not None:
        return float(item.duration_seconds)
    reps = item.reps if item.reps is not None else 1
    return reps * rep_seconds(item)


def estimate_item_seconds(
    item: PlanItem,
    get_ready: Seconds = GET_READY_SECONDS,
    switch_side: Seconds = SWITCH_SIDE_SECONDS,
) -> Seconds:
    """Planned time of one plan item, excluding the pain check and rating that follow it.

    ``reps x (hold + movement) x sides x sets`` (or ``duration x sides x sets`` for a continuous
    exercise) ``+ rest between sets + a side switch inside each per-side set + get-ready``.
    The engine walks exactly these phases, so this is also the time a session takes when
    nobody pauses, skips or taps a rep early.
    """
    sides = sides_of(item)
    work = bout_seconds(item) * sides * item.sets
    rests = item.rest_seconds * (item.sets - 1)
    switches = switch_side * (sides - 1) * item.sets
    return get_ready + work + rests + switches
