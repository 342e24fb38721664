"""Fixed lengths of the session's in-between phases, the planned time of a plan item, and how
the seconds left are counted.

These are practical choices, not clinical thresholds: they set the pace of the walk between
the doses the plan prescribes.
"""

from __future__ import annotations

import math

# One source for the in-between phases and for an item's length: the planner's time estimate
# uses the same numbers and the same formula, so a plan's promised length is the length the
# engine walks.
from backcoach.planning.dose import GET_READY_SECONDS as GET_READY_SECONDS
from backcoach.planning.dose import SELF_PACED_REP_SECONDS as SELF_PACED_REP_SECONDS
from backcoach.planning.dose import SWITCH_SIDE_SECONDS as SWITCH_SIDE_SECONDS
from backcoach.planning.dose import ItemDose, item_seconds
from backcoach.planning.plan import PlanItem
from backcoach.types import Seconds

BACK_GRACE_SECONDS: Seconds = 3.0
"""``Back`` within this many seconds of an exercise's start goes to the previous exercise;
later it restarts the current one (as the back button of a music player does)."""

WATCH_TIMEOUT_FACTOR = 4.0
WATCH_TIMEOUT_MIN_SECONDS: Seconds = 20.0
"""While the camera watches, a movement phase waits for the person's own repetition, up to
``WATCH_TIMEOUT_FACTOR`` times its planned length and at least this long: a slow repetition
is never cut short, but a person who left (or a camera that lost them) is asked "Still
there?" within half a minute or so."""


def watch_timeout(seconds: Seconds) -> Seconds:
    """How long a movement phase of ``seconds`` waits for the camera before "Still there?"."""
    return max(WATCH_TIMEOUT_FACTOR * seconds, WATCH_TIMEOUT_MIN_SECONDS)


COUNTDOWN_SLACK: Seconds = 1e-9
"""Float noise allowed when rounding the seconds left up, so 3.0000000001 shows 3, not 4."""


def sides_of(item: PlanItem) -> int:
    """How many sides each set is done on: 2 for a per-side exercise, else 1."""
    return 2 if item.per_side else 1


def whole_seconds_left(seconds_left: Seconds) -> int:
    """Seconds left rounded up, never below 0: what a countdown shows (and the engine's
    ``Countdown`` effect carries), so a player drawing from ``progress`` shows the same digit."""
    return max(0, math.ceil(seconds_left - COUNTDOWN_SLACK))


def estimate_item_seconds(item: PlanItem) -> Seconds:
    """Planned time of one plan item, excluding the pain check and rating that follow it.

    The planner's own formula (``planning.dose.item_seconds``) applied to the item's dose. The
    engine walks exactly these phases, so this is also the time a session takes when nobody
    pauses, skips or taps a rep early.
    """
    return item_seconds(
        ItemDose(
            sets=item.sets,
            reps=item.reps,
            hold_seconds=item.hold_seconds,
            duration_seconds=item.duration_seconds,
            rest_seconds=item.rest_seconds,
            per_side=item.per_side,
            movement_seconds=item.movement_seconds,
        )
    )
