"""Carry on after a crash from what the records layer saved.

The records layer saves one row per ``SetFinished`` the instant it is emitted, so the sets
saved say how far the session got; at most the set in progress is lost. ``resume`` builds the
state that carries on from the next unsaved set. The resumed session starts *paused* at that
set's lead-in (its rest, side switch or get-ready), so the person gets back into position and
presses resume when ready.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from backcoach.session import cues, walk
from backcoach.session.effects import Cue, Effect, Side
from backcoach.session.machine import start
from backcoach.session.script import ItemScript, PlanMismatch, SessionDefinition
from backcoach.session.state import Outcome, SessionState
from backcoach.types import PainScore, Seconds

DoneSet = tuple[int, int, Side | None]
"""(item index, set number, side) of a saved, complete ``SetFinished``."""


def resume(
    definition: SessionDefinition,
    done_sets: Iterable[DoneSet],
    baseline_pain: PainScore | None,
    now: Seconds,
    closed: Mapping[int, Outcome] | None = None,
) -> tuple[SessionState, tuple[Effect, ...]]:
    """The state that continues a crashed session at its next unsaved set.

    ``done_sets`` are the complete sets saved (part-done ones, ``complete=False``, are left
    out: they are done again). ``closed`` gives the items already settled, by index: finished
    (check-in answered), skipped or stopped. The session continues after the last item with
    any progress: at its next unsaved set, at its check-in when all its sets are saved but it
    is not closed, or at the next item when it is closed. Earlier items are taken as finished
    when all their sets are saved, else as skipped, unless ``closed`` says otherwise. With
    nothing saved and no pain before, it simply starts again.
    """
    closed = dict(closed or {})
    done = set(done_sets)
    _check(definition, done, closed)
    if baseline_pain is None and not done and not closed:
        return start(definition, now)
    fresh, _ = start(definition, now)
    position = [_next_bout(script, done) for script in definition.items]
    bouts = [
        sum((script.index, *bout) in done for bout in script.bouts) for script in definition.items
    ]
    progressed = max(
        (i for i in range(len(definition.items)) if position[i] or i in closed), default=-1
    )
    outcomes: list[Outcome] = list(fresh.outcomes)
    for index in range(progressed + 1):
        full = position[index] == len(definition.items[index].bouts)
        outcomes[index] = closed.get(index, "finished" if full else "skipped")
    state = replace(
        fresh,
        baseline_pain=baseline_pain,
        outcomes=tuple(outcomes),
        bouts_done=tuple(bouts),
        paused_at=now,
    )
    out: walk.Effects = [Cue(cues.RESUMED_AFTER_BREAK)]
    if progressed < 0 or progressed in closed:
        state = walk.start_after(definition, state, progressed, now, out)
    elif position[progressed] == len(definition.items[progressed].bouts):
        state = walk.with_outcome(state, progressed, "finished")
        state = replace(state, item_index=progressed)
        state = walk.enter_check_in(definition, state, now, out)
    else:
        state = walk.with_outcome(state, progressed, "pending")
        state = _at_set(definition, state, progressed, position[progressed], now, out)
    return state, tuple(out)


def _check(
    definition: SessionDefinition, done: set[DoneSet], closed: Mapping[int, Outcome]
) -> None:
    count = len(definition.items)
    for item_index, set_number, side in done:
        if not (
            0 <= item_index < count and (set_number, side) in definition.items[item_index].bouts
        ):
            raise PlanMismatch(
                f"saved set (item {item_index}, set {set_number}, side {side}) is not in this "
                "plan; resume with the plan the session was started from"
            )
    for item_index in closed:
        if not 0 <= item_index < count:
            raise PlanMismatch(
                f"closed item {item_index} is not in this plan of {count} items; resume with "
                "the plan the session was started from"
            )


def _next_bout(script: ItemScript, done: set[DoneSet]) -> int:
    """Index of the bout after the last one saved (0: none saved)."""
    saved = [i for i, bout in enumerate(script.bouts) if (script.index, *bout) in done]
    return saved[-1] + 1 if saved else 0


def _at_set(
    definition: SessionDefinition,
    state: SessionState,
    index: int,
    bout: int,
    now: Seconds,
    out: walk.Effects,
) -> SessionState:
    script = definition.items[index]
    segment = script.bout_starts[bout]
    # Back soon after resuming should restart this exercise rather than leave it: date the
    # item's start back by the planned time of the part already done.
    done_time = sum(s.planned_seconds for s in script.segments[:segment])
    state = replace(state, item_index=index, item_started_at=now - done_time)
    return walk.enter_segment(definition, state, segment, now, out)
