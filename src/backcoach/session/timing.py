"""Fixed lengths of the session's in-between phases, and the planned time of a plan item.

These are practical choices, not clinical thresholds: they set the pace of the walk between
the doses the plan prescribes.
"""

from __future__ import annotations

from backcoach.planning.plan import PlanItem
from backcoach.types import Seconds

GET_READY_SECONDS: Seconds = 10.0
"""Time to get into the starting position before an exercise begins. Ten seconds is enough to
get down onto a mat or sit on a chair while the first instruction is spoken; anyone who needs
longer can pause."""

SWITCH_SIDE_SECONDS: Seconds = 5.0
"""Time to change sides between the left and right half of a set (turn over, swap legs)."""

SELF_PACED_REP_SECONDS: Seconds = 3.0
"""Planning estimate for a repetition with no movement time and no hold: the engine waits for
``RepDone`` on such reps, so this number only feeds time estimates and the progress fraction."""

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
