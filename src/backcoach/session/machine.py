"""The session state machine: ``step(definition, state, event) -> (state, effects)``.

Pure: no clock, no sleeping, no I/O. Every event carries ``now``; before an event is handled,
every phase whose deadline passed by ``now`` is finished first, in order, at its own deadline
(see ``walk``), so a late event sees the session where the plan says it is.

Rules worth knowing (each is tested in tests/session):

* ``RepDone`` (a tap) in a move, hold or release phase ends that phase now, and the next
  phase starts in full: a tap while moving into position starts the hold (it never skips it),
  a tap in the hold ends it with the time held so far, and the repetition counts when its last
  phase ends. The clock ends the phases nobody taps, so tapping only ever speeds a set up.
  Elsewhere ``RepDone`` is ignored. A repetition with neither movement time nor a hold waits
  for ``RepDone`` (self-paced).
* ``Pause`` freezes the time left; ``Resume`` moves the deadline on by the pause. Skip, Back, a
  pain report and answering questions all work while paused, and the session stays paused,
  until no exercise is left: the question after the session closes any pause.
* ``Skip`` skips the current exercise (the part of a set already done is reported, no check-in
  follows); before the session or at a check-in it skips the question being asked.
* ``Back`` within ``BACK_GRACE_SECONDS`` of an exercise's start goes to the previous exercise,
  later it restarts the current one; at a check-in it restarts the exercise just done. It never
  goes back into an exercise a stop rule ended.
* ``PainReport`` is judged by the stop rules against the pain before the session. During an
  exercise a stop decision ends it at once (``ExerciseStopped`` carries the decision) and the
  session moves to the next exercise *paused*, so the person carries on only when ready.
  New numbness, tingling or weakness (a rescreen decision), at any time, ends the whole session
  (``RescreenNeeded``): the conservative reading of CLINICAL.md section 3, since neurological
  symptoms must be screened before any further exercise.
* ``Stop`` ends the session early, paused or not: the part-done set is reported, then the
  pain after the session is asked (``Skip`` or ``Stop`` again ends at once).
* ``Watch(on=True)`` (the camera coach is on) makes the movement phases self-paced: they end on
  the camera's ``RepDone``, not on their timer, and pause with "Still there?" after a generous
  safety timeout (``walk.advance``). Holds keep their timer. ``Watch(on=False)`` returns to the
  timer; a movement phase already past its time then starts again in full, rather than ending
  on a repetition nobody saw.
"""

from __future__ import annotations

from dataclasses import replace

from backcoach.safety.stoprules import judge
from backcoach.session import cues, walk
from backcoach.session.effects import (
    AskPain,
    Cue,
    Effect,
    ExerciseRestarted,
    ExerciseSkipped,
    ExerciseStopped,
    PainJudged,
    PainWhen,
    PhaseStarted,
    Rated,
    RescreenNeeded,
)
from backcoach.session.events import (
    Back,
    Event,
    PainReport,
    Pause,
    Rate,
    RepDone,
    Resume,
    Skip,
    Stop,
    Tick,
    Watch,
)
from backcoach.session.script import CAMERA_KINDS, TAP_KINDS, PlanMismatch, SessionDefinition
from backcoach.session.state import SessionState
from backcoach.session.timing import BACK_GRACE_SECONDS
from backcoach.types import Seconds

Effects = walk.Effects


def start(definition: SessionDefinition, now: Seconds) -> tuple[SessionState, tuple[Effect, ...]]:
    """A new session: it begins by asking the pain before exercising."""
    count = len(definition.items)
    state = SessionState(
        plan_key=definition.key,
        stage="pre-pain",
        clock=now,
        session_started_at=now,
        started_at=now,
        awaiting="pain",
        outcomes=tuple("pending" for _ in range(count)),
        bouts_done=(0,) * count,
    )
    effects: tuple[Effect, ...] = (
        PhaseStarted("pre-pain", None, None, None, None, None, now, None),
        AskPain("before", cues.ASK_PAIN_BEFORE),
    )
    return state, effects


def step(
    definition: SessionDefinition, state: SessionState, event: Event
) -> tuple[SessionState, tuple[Effect, ...]]:
    """Apply one event. Events that mean nothing in the current phase change nothing."""
    if state.plan_key != definition.key:
        raise PlanMismatch(
            f"this session state belongs to another plan (key {state.plan_key}, plan "
            f"{definition.key}); run it with the plan it was started from"
        )
    if state.stage == "finished":
        return state, ()
    now = max(event.now, state.clock)
    state = replace(state, clock=now)
    out: Effects = []
    state = walk.advance(definition, state, now, out)
    state = _handle(definition, state, event, now, out)
    state = walk.refresh(definition, state, now, out)
    return state, tuple(out)


def _handle(
    definition: SessionDefinition, state: SessionState, event: Event, now: Seconds, out: Effects
) -> SessionState:
    match event:
        case Tick():
            return state
        case Pause():
            return state if state.paused_at is not None else replace(state, paused_at=now)
        case Resume():
            return _resume(state, now)
        case RepDone():
            return _rep_done(definition, state, now, out)
        case Skip():
            return _skip(definition, state, now, out)
        case Back():
            return _back(definition, state, now, out)
        case PainReport():
            return _pain(definition, state, event, now, out)
        case Rate():
            if state.stage != "check-in" or state.awaiting != "rating":
                return state
            script = walk.script_of(definition, state)
            out.append(Rated(script.index, script.exercise.id, event.rating))
            return walk.go_to_next_item(definition, state, now, out)
        case Stop():
            return _stop(definition, state, now, out)
        case Watch():
            return _watch(definition, state, event.on, now, out)


def _watch(
    definition: SessionDefinition, state: SessionState, on: bool, now: Seconds, out: Effects
) -> SessionState:
    if on == state.watched:
        return state
    if on:
        if state.stage == "exercise":
            out.append(Cue(cues.WATCHING))
        return replace(state, watched=True, countdown_shown=None)
    state = replace(state, watched=False, countdown_shown=None)
    if state.stage != "exercise":
        return state
    segment = walk.segment_of(definition, state)
    clock = walk.work_clock(state, now)
    late = segment.seconds is not None and clock - state.started_at >= segment.seconds
    if segment.kind in CAMERA_KINDS and late:
        # The timer would have ended it: the movement starts again, in full, from now.
        state = replace(state, started_at=clock)
    return state


def _resume(state: SessionState, now: Seconds) -> SessionState:
    if state.paused_at is None:
        return state
    pause = now - state.paused_at
    return replace(
        state,
        paused_at=None,
        paused_total=state.paused_total + pause,
        started_at=state.started_at + pause,
        item_started_at=state.item_started_at + pause,
        countdown_shown=None,
        breath_shown=None,
    )


def _rep_done(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    if state.stage != "exercise" or state.paused_at is not None:
        return state
    if walk.segment_of(definition, state).kind not in TAP_KINDS:
        return state
    return walk.end_phase_early(definition, state, now, out)


def _skip(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    if state.stage == "pre-pain":
        return walk.go_to_next_item(definition, state, now, out)
    if state.stage == "exercise":
        script = walk.script_of(definition, state)
        state = walk.close_partial(definition, state, now, out)
        state = walk.with_outcome(state, script.index, "skipped")
        out.append(
            ExerciseSkipped(
                script.index, script.exercise.id, walk.sets_done(script, state), script.item.sets
            )
        )
        return walk.go_to_next_item(definition, state, now, out)
    if state.stage == "check-in":
        if state.awaiting == "pain":
            return walk.ask_rating(definition, state, out)
        return walk.go_to_next_item(definition, state, now, out)
    return walk.finish_session(definition, state, now, out)


def _back(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    if state.stage == "pre-pain":
        return state
    if state.stage == "post-pain":
        if state.ended_by is not None:
            return state  # the person chose to stop; Back does not reopen the session
        target = _previous_open(state, len(definition.items))
    elif state.stage == "check-in":
        target = state.item_index
    else:
        into = walk.work_clock(state, now) - state.item_started_at
        target = state.item_index
        if into <= BACK_GRACE_SECONDS:
            target = _previous_open(state, state.item_index)
            if target is None:
                target = state.item_index
    if target is None:
        return state
    # The set in progress is dropped, not reported: it is about to be done again.
    state = replace(state, bout_started_at=None, bout_reps=0, bout_held=0.0, rep_held=0.0)
    outcomes = list(state.outcomes)
    bouts = list(state.bouts_done)
    for index in range(target, len(outcomes)):
        if outcomes[index] != "stopped":
            outcomes[index] = "pending"
            bouts[index] = 0
    state = replace(state, outcomes=tuple(outcomes), bouts_done=tuple(bouts))
    out.append(ExerciseRestarted(target, definition.items[target].exercise.id))
    return walk.start_item(definition, state, target, now, out)


def _previous_open(state: SessionState, before: int) -> int | None:
    """The latest item before ``before`` that a stop rule did not end."""
    for index in range(before - 1, -1, -1):
        if state.outcomes[index] != "stopped":
            return index
    return None


def _pain(
    definition: SessionDefinition,
    state: SessionState,
    event: PainReport,
    now: Seconds,
    out: Effects,
) -> SessionState:
    check = event.check
    if state.stage == "pre-pain":
        decision = judge(check, None)
        out.append(PainJudged("before", None, None, check, decision))
        state = replace(state, baseline_pain=check.score)
        if decision.rescreen:
            return _rescreen(definition, state, None, decision.reasons, now, out)
        return walk.go_to_next_item(definition, state, now, out)
    decision = judge(check, state.baseline_pain)
    if state.stage == "post-pain":
        out.append(PainJudged("after-session", None, None, check, decision))
        state = replace(state, post_pain=check.score)
        if decision.rescreen:
            return _rescreen(definition, state, None, decision.reasons, now, out)
        return walk.finish_session(definition, state, now, out)
    script = walk.script_of(definition, state)
    when: PainWhen = "during-exercise" if state.stage == "exercise" else "after-exercise"
    out.append(PainJudged(when, script.index, script.exercise.id, check, decision))
    if decision.rescreen:
        if state.stage == "exercise":
            state = walk.close_partial(definition, state, now, out)
            state = walk.with_outcome(state, script.index, "stopped")
            out.append(ExerciseStopped(script.index, script.exercise.id, decision))
        return _rescreen(definition, state, script.index, decision.reasons, now, out)
    out.append(Cue(decision.advice))
    if state.stage == "check-in":
        return walk.ask_rating(definition, state, out) if state.awaiting == "pain" else state
    if decision.action == "continue":
        return state
    state = walk.close_partial(definition, state, now, out)
    state = walk.with_outcome(state, script.index, "stopped")
    out.append(ExerciseStopped(script.index, script.exercise.id, decision))
    if walk.next_open_item(state, script.index) is not None:
        if state.paused_at is None:
            state = replace(state, paused_at=now)
        out.append(Cue(cues.MOVING_ON_PAUSED))
    return walk.go_to_next_item(definition, state, now, out)


def _rescreen(
    definition: SessionDefinition,
    state: SessionState,
    item_index: int | None,
    reasons: tuple[str, ...],
    now: Seconds,
    out: Effects,
) -> SessionState:
    exercise_id = definition.items[item_index].exercise.id if item_index is not None else None
    out.append(RescreenNeeded(item_index, exercise_id, reasons, cues.RESCREEN))
    out.append(Cue(cues.RESCREEN))
    state = replace(state, ended_by="rescreen")
    return walk.finish_session(definition, state, now, out)


def _stop(
    definition: SessionDefinition, state: SessionState, now: Seconds, out: Effects
) -> SessionState:
    if state.stage == "pre-pain":
        return walk.finish_session(definition, replace(state, ended_by="stopped"), now, out)
    if state.stage == "post-pain":
        # Declining the last question: how the session ended stays as it was.
        return walk.finish_session(definition, state, now, out)
    if state.stage == "exercise":
        state = walk.close_partial(definition, state, now, out)
        state = walk.with_outcome(state, state.item_index, "ended")
    state = replace(state, ended_by="stopped")
    return walk.enter_post_pain(definition, state, now, out)
