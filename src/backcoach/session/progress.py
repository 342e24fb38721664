"""What a player shows: a read-only view of a state at a given reading of the clock."""

from __future__ import annotations

from dataclasses import dataclass, replace

from backcoach.session import cues, walk
from backcoach.session.effects import Side
from backcoach.session.script import Segment, SessionDefinition
from backcoach.session.state import SessionState
from backcoach.types import Seconds


@dataclass(frozen=True)
class Progress:
    phase: str
    """A segment kind (get-ready, move, hold, timed, switch-side, rest) or a stage (pre-pain,
    check-in, post-pain, finished)."""
    paused: bool
    awaiting: str | None
    """"pain" or "rating" while a question waits for its answer."""
    item_index: int | None
    items_total: int
    exercise_id: str | None
    exercise_name: str | None
    step_text: str | None
    """The exercise's steps for the phase in progress, in full."""
    seconds_left: Seconds | None
    """None when the phase has no timer: open until ``RepDone``, or waiting for the camera."""
    rep: int | None
    reps_target: int | None
    set_number: int | None
    sets_target: int | None
    side: Side | None
    next_up: str
    fraction_done: float
    """Share of the session's planned time behind us, 0 to 1."""


def progress(definition: SessionDefinition, state: SessionState, now: Seconds) -> Progress:
    """The view of ``state`` at ``now``; ``now`` only moves the seconds left and the fraction
    (feed a ``Tick`` to move phases on)."""
    view = Progress(
        phase=state.stage,
        paused=state.paused,
        awaiting=state.awaiting,
        item_index=None,
        items_total=len(definition.items),
        exercise_id=None,
        exercise_name=None,
        step_text=None,
        seconds_left=None,
        rep=None,
        reps_target=None,
        set_number=None,
        sets_target=None,
        side=None,
        next_up="",
        fraction_done=0.0,
    )
    if state.stage == "pre-pain":
        first = walk.next_open_item(state, -1)
        return replace(view, next_up=cues.next_exercise(_name(definition, first)))
    if state.stage in ("post-pain", "finished"):
        return replace(view, fraction_done=1.0)
    script = walk.script_of(definition, state)
    after_name = _name(definition, walk.next_open_item(state, script.index))
    view = replace(
        view,
        item_index=script.index,
        exercise_id=script.exercise.id,
        exercise_name=script.exercise.name,
        reps_target=script.item.reps,
        sets_target=script.item.sets,
    )
    done_before = sum(item.planned_seconds for item in definition.items[: script.index])
    if state.stage == "check-in":
        done = done_before + script.planned_seconds
        return replace(
            view,
            next_up=cues.next_exercise(after_name),
            fraction_done=_fraction(done, definition.planned_seconds),
        )
    segment = script.segments[state.segment_index]
    elapsed = walk.work_clock(state, now) - state.started_at
    view = replace(view, step_text=segment.instruction or None)
    into_item = sum(s.planned_seconds for s in script.segments[: state.segment_index])
    into_item += min(max(elapsed, 0.0), segment.planned_seconds)
    later = script.segments[state.segment_index + 1 :]
    return replace(
        view,
        phase=segment.kind,
        seconds_left=(
            max(0.0, segment.seconds - elapsed)
            if segment.seconds is not None and not walk.waits_for_camera(state, segment)
            else None
        ),
        rep=segment.rep,
        set_number=segment.set_number,
        side=segment.side,
        next_up=_describe(later[0], script.item.reps) if later else cues.then_check_in(after_name),
        fraction_done=_fraction(done_before + into_item, definition.planned_seconds),
    )


def _name(definition: SessionDefinition, index: int | None) -> str | None:
    return definition.items[index].exercise.name if index is not None else None


def _describe(segment: Segment, reps: int | None) -> str:
    seconds = segment.planned_seconds
    if segment.kind == "move" and segment.rep is not None:
        return cues.next_rep(segment.rep, reps or 1, segment.side)
    if segment.kind == "hold":
        return cues.next_hold(seconds)
    if segment.kind == "release":
        return segment.cue
    if segment.kind == "timed":
        return cues.next_timed(seconds, segment.side)
    if segment.kind == "switch-side" and segment.side is not None:
        return cues.next_switch(segment.side)
    return cues.next_rest(seconds)


def _fraction(done: Seconds, total: Seconds) -> float:
    return min(1.0, done / total) if total > 0 else 1.0
