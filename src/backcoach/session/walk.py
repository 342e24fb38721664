"""The transitions the machine is made of: entering and finishing phases, closing sets, moving
between exercises, and ending the session. Each takes the state and a list to append effects
to, and returns the new state; none reads a clock.

Invariant: a phase that ends by the clock ends at its deadline (``started_at + seconds``), and
the next phase starts at that same reading, never at the tick that noticed it. So however late
or irregular the ticks, the phase boundaries are those of the plan.

While the camera watches (``state.watched``), a movement phase (``CAMERA_KINDS``) has no
deadline of its own: it ends on the camera's count (``RepDone``), so the repetitions follow the
person. Past its safety timeout (``timing.watch_timeout``) the session pauses there and asks
"Still there?"; nothing is counted that the camera did not see.
"""

from __future__ import annotations

from dataclasses import replace

from backcoach.session import cues
from backcoach.session.effects import (
    AskPain,
    AskRating,
    BreathCue,
    Countdown,
    Cue,
    Effect,
    ExerciseFinished,
    PhaseStarted,
    SessionFinished,
    SessionSummary,
    SetFinished,
)
from backcoach.session.events import RATINGS
from backcoach.session.pacer import breath_at
from backcoach.session.script import (
    CAMERA_KINDS,
    WORK_KINDS,
    ItemScript,
    Segment,
    SessionDefinition,
)
from backcoach.session.state import Outcome, SessionState
from backcoach.session.timing import sides_of, watch_timeout, whole_seconds_left
from backcoach.types import Seconds

Effects = list[Effect]


def script_of(definition: SessionDefinition, state: SessionState) -> ItemScript:
    return definition.items[state.item_index]


def segment_of(definition: SessionDefinition, state: SessionState) -> Segment:
    return definition.items[state.item_index].segments[state.segment_index]


def work_clock(state: SessionState, now: Seconds) -> Seconds:
    """The reading that counts as "now" for work done: time stands still while paused."""
    return state.paused_at if state.paused_at is not None else now


def waits_for_camera(state: SessionState, segment: Segment) -> bool:
    """The running phase ends on the camera's count, not on its timer (the camera watches and
    the phase is a timed movement; an untimed one waits for a count anyway)."""
    return (
        state.watched
        and state.stage == "exercise"
        and segment.kind in CAMERA_KINDS
        and segment.seconds is not None
    )


def camera_deadline(state: SessionState, segment: Segment) -> Seconds | None:
    """When a phase that waits for the camera gives up and asks "Still there?"."""
    if not waits_for_camera(state, segment) or segment.seconds is None:
        return None
    return state.started_at + watch_timeout(segment.seconds)


def with_outcome(state: SessionState, index: int, outcome: Outcome) -> SessionState:
    outcomes = list(state.outcomes)
    outcomes[index] = outcome
    return replace(state, outcomes=tuple(outcomes))


# --- phases ---------------------------------------------------------------------------------


def enter_segment(
    definition: SessionDefinition, state: SessionState, index: int, at: Seconds, out: Effects
) -> SessionState:
    """Start segment ``index`` of the current item at reading ``at``.

    While paused the segment starts at the pause reading, so ``Resume`` starts it in full.
    """
    script = script_of(definition, state)
    segment = script.segments[index]
    start = state.paused_at if state.paused_at is not None else at
    bout_start = state.bout_started_at
    if bout_start is None and segment.kind in WORK_KINDS:
        bout_start = at
    state = replace(
        state,
        stage="exercise",
        awaiting=None,
        segment_index=index,
        started_at=start,
        bout_started_at=bout_start,
        countdown_shown=None,
        breath_shown=None,
    )
    out.append(
        PhaseStarted(
            segment.kind,
            script.index,
            script.exercise.id,
            segment.set_number,
            segment.side,
            segment.rep,
            at,
            segment.seconds,
        )
    )
    if segment.cue:
        out.append(Cue(segment.cue))
    return state


def advance(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    """Finish, in order, every phase whose deadline is at or before ``now``."""
    while state.stage == "exercise" and state.paused_at is None:
        segment = segment_of(definition, state)
        if segment.seconds is None:
            break
        timeout = camera_deadline(state, segment)
        if timeout is not None:
            if timeout <= now:
                # Nobody counted: pause where the phase gave up, and ask. The movement
                # starts again in full when the person carries on.
                state = replace(state, paused_at=timeout, started_at=timeout)
                out.append(Cue(cues.STILL_THERE))
            break
        deadline = state.started_at + segment.seconds
        if deadline > now:
            break
        state = _finish_by_clock(definition, state, segment, deadline, out)
    return state


def _finish_by_clock(
    definition: SessionDefinition,
    state: SessionState,
    segment: Segment,
    deadline: Seconds,
    out: Effects,
) -> SessionState:
    assert segment.seconds is not None
    state = _end_phase(state, segment, segment.seconds)
    if segment.ends_bout:
        duration = segment.seconds if segment.kind == "timed" else None
        state = close_bout(definition, state, deadline, True, duration, out)
    return after_segment(definition, state, state.segment_index, deadline, out)


def _end_phase(state: SessionState, segment: Segment, spent: Seconds) -> SessionState:
    """Count what a phase that ends adds: a hold's time (kept until its repetition is done),
    and the repetition once its last phase ends."""
    if segment.kind == "hold":
        state = replace(state, rep_held=spent)
    if segment.completes_rep:
        state = replace(
            state,
            bout_reps=state.bout_reps + 1,
            bout_held=state.bout_held + state.rep_held,
            rep_held=0.0,
        )
    return state


def end_phase_early(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    """``RepDone`` (a tap) in a move, hold or release: that phase ends now and the next one
    starts in full. Tapping while moving into position starts the hold, never skips it; a
    tap in the hold ends it with the time held so far; the repetition counts when its last
    phase ends."""
    script = script_of(definition, state)
    segment = script.segments[state.segment_index]
    state = _end_phase(state, segment, max(0.0, now - state.started_at))
    if segment.ends_bout:
        state = close_bout(definition, state, now, True, None, out)
    return after_segment(definition, state, state.segment_index, now, out)


def after_segment(
    definition: SessionDefinition, state: SessionState, last: int, at: Seconds, out: Effects
) -> SessionState:
    """Go on after segment ``last`` of the current item: its next segment, or the check-in."""
    script = script_of(definition, state)
    if last + 1 < len(script.segments):
        return enter_segment(definition, state, last + 1, at, out)
    return finish_item(definition, state, at, out)


def refresh(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    """Display effects for the running phase: the countdown and the breathing pacer."""
    if state.stage != "exercise" or state.paused_at is not None:
        return state
    script = script_of(definition, state)
    segment = script.segments[state.segment_index]
    if segment.seconds is not None and not waits_for_camera(state, segment):
        left = whole_seconds_left(state.started_at + segment.seconds - now)
        if left != state.countdown_shown:
            out.append(Countdown(left))
            state = replace(state, countdown_shown=left)
    pace = script.pace
    if segment.pacer and pace is not None:
        number, breath, seconds = breath_at(pace, now - state.started_at)
        if number != state.breath_shown:
            out.append(BreathCue(breath, seconds))
            state = replace(state, breath_shown=number)
    return state


# --- sets -----------------------------------------------------------------------------------


def close_bout(
    definition: SessionDefinition,
    state: SessionState,
    end: Seconds,
    complete: bool,
    duration: Seconds | None,
    out: Effects,
) -> SessionState:
    """Report the set on this side (one ``SetFinished``) and start counting the next one."""
    script = script_of(definition, state)
    segment = script.segments[state.segment_index]
    item = script.item
    reps = state.bout_reps
    out.append(
        SetFinished(
            item_index=script.index,
            exercise_id=script.exercise.id,
            set_number=segment.set_number,
            side=segment.side,
            reps_done=reps if script.counted else None,
            target_reps=item.reps,
            hold_seconds_done=state.bout_held / reps if reps else 0.0,
            target_hold_seconds=float(item.hold_seconds),
            duration_seconds_done=duration,
            target_duration_seconds=(
                float(item.duration_seconds) if item.duration_seconds is not None else None
            ),
            complete=complete,
            started_at=state.bout_started_at if state.bout_started_at is not None else end,
            ended_at=end,
        )
    )
    bouts = list(state.bouts_done)
    if complete:
        bouts[script.index] += 1
    return replace(
        state,
        bouts_done=tuple(bouts),
        bout_started_at=None,
        bout_reps=0,
        bout_held=0.0,
        rep_held=0.0,
    )


def close_partial(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    """Cut the set in progress short: report it when some work was done in it, else drop it.
    A repetition interrupted mid-way does not count."""
    if state.stage != "exercise" or state.bout_started_at is None:
        return state
    segment = segment_of(definition, state)
    clock = work_clock(state, now)
    if segment.kind == "timed":
        duration = clock - state.started_at
        if duration > 0:
            return close_bout(definition, state, clock, False, duration, out)
    elif state.bout_reps > 0:
        return close_bout(definition, state, clock, False, None, out)
    return replace(state, bout_started_at=None, bout_reps=0, bout_held=0.0, rep_held=0.0)


# --- exercises ------------------------------------------------------------------------------


def sets_done(script: ItemScript, state: SessionState) -> int:
    """Whole sets done: with sides, a set counts once both sides are done."""
    return state.bouts_done[script.index] // sides_of(script.item)


def finish_item(
    definition: SessionDefinition, state: SessionState, at: Seconds, out: Effects
) -> SessionState:
    script = script_of(definition, state)
    state = with_outcome(state, script.index, "finished")
    out.append(
        ExerciseFinished(
            script.index, script.exercise.id, sets_done(script, state), script.item.sets
        )
    )
    out.append(Cue(cues.exercise_done(script.exercise.name)))
    return enter_check_in(definition, state, at, out)


def enter_check_in(
    definition: SessionDefinition, state: SessionState, at: Seconds, out: Effects
) -> SessionState:
    """After an exercise: ask the pain now, then (``ask_rating``) how it felt."""
    script = script_of(definition, state)
    state = replace(state, stage="check-in", awaiting="pain", started_at=at)
    out.append(
        PhaseStarted("check-in", script.index, script.exercise.id, None, None, None, at, None)
    )
    out.append(AskPain("after-exercise", cues.ASK_PAIN_AFTER_EXERCISE))
    return state


def ask_rating(definition: SessionDefinition, state: SessionState, out: Effects) -> SessionState:
    script = script_of(definition, state)
    out.append(AskRating(script.index, script.exercise.id, cues.ASK_RATING, RATINGS))
    return replace(state, awaiting="rating")


def start_item(
    definition: SessionDefinition, state: SessionState, index: int, at: Seconds, out: Effects
) -> SessionState:
    """Begin item ``index`` at its get-ready phase."""
    start = state.paused_at if state.paused_at is not None else at
    state = replace(
        state,
        item_index=index,
        item_started_at=start,
        bout_started_at=None,
        bout_reps=0,
        bout_held=0.0,
        rep_held=0.0,
    )
    return enter_segment(definition, state, 0, at, out)


def next_open_item(state: SessionState, after: int) -> int | None:
    """The next item after ``after`` still to do: items a stop rule ended stay ended."""
    for index in range(after + 1, len(state.outcomes)):
        if state.outcomes[index] != "stopped":
            return index
    return None


def go_to_next_item(
    definition: SessionDefinition, state: SessionState, at: Seconds, out: Effects
) -> SessionState:
    after = state.item_index if state.stage != "pre-pain" else -1
    return start_after(definition, state, after, at, out)


def start_after(
    definition: SessionDefinition, state: SessionState, after: int, at: Seconds, out: Effects
) -> SessionState:
    """Start the next open item after item ``after`` (-1: the first), or end the walk."""
    index = next_open_item(state, after)
    if index is None:
        return enter_post_pain(definition, state, at, out)
    return start_item(definition, state, index, at, out)


# --- the session ------------------------------------------------------------------------------


def _unpause(state: SessionState, at: Seconds) -> SessionState:
    """Close an open pause at reading ``at``: once no exercise is left there is nothing to
    hold still, and a pause left open would keep the last question behind it."""
    if state.paused_at is None:
        return state
    return replace(state, paused_at=None, paused_total=state.paused_total + at - state.paused_at)


def enter_post_pain(
    definition: SessionDefinition, state: SessionState, at: Seconds, out: Effects
) -> SessionState:
    state = replace(_unpause(state, at), stage="post-pain", awaiting="pain", started_at=at)
    out.append(PhaseStarted("post-pain", None, None, None, None, None, at, None))
    out.append(AskPain("after-session", cues.ASK_PAIN_AFTER_SESSION))
    return state


def finish_session(
    definition: SessionDefinition, state: SessionState, at: Seconds, out: Effects
) -> SessionState:
    state = replace(
        _unpause(state, at),
        stage="finished",
        awaiting=None,
        started_at=at,
        ended_by=state.ended_by or "completed",
    )
    out.append(PhaseStarted("finished", None, None, None, None, None, at, None))
    summary = summarise(definition, state, at)
    if state.ended_by == "completed":
        # "Well done" only when something was done (every exercise skipped is not a session
        # to praise, but nothing to scold either).
        out.append(Cue(cues.SESSION_DONE if summary.sets_done else cues.SESSION_OVER_NOTHING_DONE))
    elif state.ended_by == "stopped":
        out.append(Cue(cues.SESSION_STOPPED))
    out.append(SessionFinished(summary))
    return state


def summarise(definition: SessionDefinition, state: SessionState, at: Seconds) -> SessionSummary:
    def ids(*outcomes: Outcome) -> tuple[str, ...]:
        return tuple(
            script.exercise.id
            for script in definition.items
            if state.outcomes[script.index] in outcomes
        )

    return SessionSummary(
        ended_by=state.ended_by or "completed",
        items_planned=len(definition.items),
        finished=ids("finished"),
        stopped=ids("stopped"),
        skipped=ids("skipped"),
        not_done=ids("pending", "ended"),
        sets_done=sum(sets_done(script, state) for script in definition.items),
        sets_planned=sum(script.item.sets for script in definition.items),
        pain_before=state.baseline_pain,
        pain_after=state.post_pain,
        active_seconds=at - state.session_started_at - state.paused_total,
    )
