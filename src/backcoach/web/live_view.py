"""What the browser player shows of a live session, in JSON.

What is happening now is the session package's one model, shared with the terminal player:
``session.Board`` keeps what the engine's effects said (the latest cue, the question being
asked, advice that must be read) and ``session.now`` gives the phase, its instruction in the
person's version, what a tap does and how the session ended. ``build_view`` turns that into the
JSON the page renders (``SessionView``; contract in docs/web-api.md). Nothing here decides
anything: the engine does.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import BaseModel

from backcoach.session import (
    Board,
    Effect,
    SessionDefinition,
    SessionState,
    SessionSummary,
    cues,
    effect_to_dict,
    now,
    walk,
)
from backcoach.session.cues import utterance
from backcoach.session.pacer import breath_at
from backcoach.session.script import TAP_KINDS, ItemScript, Segment
from backcoach.session.timing import whole_seconds_left
from backcoach.web.api_exercises import api_picture_url

__all__ = ["Board", "SessionView", "Step", "build_view", "make_step"]

RATING_LABELS = {"too-easy": "Too easy", "about-right": "About right", "too-hard": "Too hard"}
FLAG_NAMES = ("sharp", "spreading", "numbness")


class ExerciseRef(BaseModel):
    id: str
    name: str
    figure_url: str
    animation_url: str


FigureMotion = Literal["still", "out", "hold", "back", "out-back", "loop", "breath"]
"""How the figure moves in a phase (docs/web-api.md, "The figure"): stands at the first key
pose; moves to the last over the phase; stays at the last; moves back over the phase; out in
the first half and back in the second (a repetition without a hold); plays its own cycle (a
timed exercise); follows the breath of ``breathing``."""


class Breath(BaseModel):
    breath: Literal["in", "hold", "out"]
    seconds: float


class Breathing(BaseModel):
    cycle: list[Breath]
    elapsed_seconds: float
    breath: Literal["in", "hold", "out"]


class Flag(BaseModel):
    name: str
    question: str


class Option(BaseModel):
    value: str
    label: str


class Question(BaseModel):
    kind: Literal["pain", "rating"]
    when: str | None = None
    prompt: str
    scores: list[int] = []
    flags: list[Flag] = []
    options: list[Option] = []
    can_skip: bool = True


class Notice(BaseModel):
    title: str
    text: str


class Rescreen(BaseModel):
    reasons: list[str]
    advice: str


class Ending(BaseModel):
    title: str
    text: str


class Summary(BaseModel):
    ended_by: str
    items_planned: int
    finished: list[str]
    stopped: list[str]
    skipped: list[str]
    not_done: list[str]
    sets_done: int
    sets_planned: int
    pain_before: int | None
    pain_after: int | None
    active_seconds: float


class SessionView(BaseModel):
    session_id: int
    clock_speed: float
    clock: float
    stage: str
    phase: str
    paused: bool
    item_index: int | None
    items_total: int
    exercise: ExerciseRef | None
    set_number: int | None
    sets_target: int | None
    side: str | None
    rep: int | None
    reps_target: int | None
    phase_seconds: float | None
    phase_elapsed: float | None
    """Session seconds into the running phase at ``clock`` (standing still while paused)."""
    figure_motion: FigureMotion | None
    """How the figure moves in this phase; None outside the exercises."""
    watched: bool = False
    """The camera coach is on ("Watch me"): the movements follow its count."""
    waiting_for_camera: bool = False
    """This phase ends on the camera's count, not a timer: no countdown; ``deadline`` and
    ``real_seconds_left`` are its safety timeout (then it pauses and asks "Still there?")."""
    seconds_left: float | None
    real_seconds_left: float | None
    deadline: float | None
    countdown: int | None
    step_text: str | None
    phase_label: str
    instruction: str
    """What to do in this phase: the exercise's steps for it, in full."""
    version: str | None
    """The person's own version of the exercise, shown through every phase of it."""
    picture_note: str | None
    tap: str | None
    """What a tap does now (the tap button's words); None when a tap means nothing."""
    announce: str
    """What a screen reader is told when this phase begins."""
    cue: str
    next_up: str
    fraction_done: float
    breathing: Breathing | None
    question: Question | None
    notice: Notice | None
    actions: list[str]
    finished: bool
    ended_by: str | None
    ending: Ending | None
    done_today: bool = False
    """A finished session of today's plan (opening the player again offers another)."""
    summary: Summary | None
    rescreen: Rescreen | None


class Step(BaseModel):
    """One answer of the live-session API: the view now and what happened on the way."""

    view: SessionView
    effects: list[dict[str, Any]]
    speak: list[str]


def make_step(view: SessionView, effects: tuple[Effect, ...]) -> Step:
    words = utterance(effects)
    return Step(
        view=view,
        effects=[effect_to_dict(e) for e in effects],
        speak=[words] if words else [],
    )


def build_view(
    session_id: int,
    definition: SessionDefinition,
    state: SessionState,
    board: Board,
    at: float,
    speed: float,
) -> SessionView:
    here = now(definition, state, board, at)
    p = here.progress
    script = definition.items[state.item_index] if state.stage in ("exercise", "check-in") else None
    segment = script.segments[state.segment_index] if script and state.stage == "exercise" else None
    exercise = None
    picture_note = here.picture_note
    if script is not None:
        ex = script.exercise
        # The person's version drawn from its own poses: its pictures, and no note that the
        # picture shows the usual version.
        drawn = script.item.drawn_version(ex)
        if drawn is not None:
            picture_note = None
        exercise = ExerciseRef(
            id=ex.id,
            name=ex.name,
            figure_url=api_picture_url(ex.id, drawn),
            animation_url=api_picture_url(ex.id, drawn, moving=True),
        )
    deadline: float | None = None
    if segment is not None and segment.seconds is not None and not state.paused:
        deadline = state.started_at + segment.seconds
    waiting = segment is not None and walk.waits_for_camera(state, segment)
    if segment is not None and waiting:
        deadline = None if state.paused else walk.camera_deadline(state, segment)
    breathing = None
    pace = script.pace if script is not None else None
    if segment is not None and segment.pacer and pace is not None:
        elapsed = max(0.0, (state.paused_at or at) - state.started_at)
        breathing = Breathing(
            cycle=[Breath(breath=kind, seconds=s) for kind, s in pace],
            elapsed_seconds=elapsed,
            breath=breath_at(pace, elapsed)[1],
        )
    left = p.seconds_left
    real_left = left / speed if left is not None else None
    if deadline is not None and waiting:
        real_left = max(0.0, deadline - at) / speed
    summary = board.summary
    into_phase = None
    if segment is not None:
        into_phase = max(
            0.0, (state.paused_at if state.paused_at is not None else at) - state.started_at
        )
    return SessionView(
        session_id=session_id,
        clock_speed=speed,
        clock=at,
        stage=state.stage,
        phase=p.phase,
        paused=p.paused,
        item_index=p.item_index,
        items_total=p.items_total,
        exercise=exercise,
        set_number=p.set_number,
        sets_target=p.sets_target,
        side=p.side,
        rep=p.rep,
        reps_target=p.reps_target,
        phase_seconds=segment.seconds if segment is not None else None,
        phase_elapsed=into_phase,
        figure_motion=_motion(segment, script) if segment is not None and script else None,
        watched=state.watched,
        waiting_for_camera=waiting,
        seconds_left=left,
        real_seconds_left=real_left,
        deadline=deadline,
        countdown=whole_seconds_left(left) if left is not None else None,
        step_text=p.step_text,
        phase_label=here.label,
        instruction=here.instruction,
        version=here.version,
        picture_note=picture_note,
        tap=here.tap,
        announce=here.announce,
        cue=here.cue,
        next_up=p.next_up,
        fraction_done=p.fraction_done,
        breathing=breathing,
        question=_question(state, board),
        notice=Notice(title=board.notices[0].title, text=board.notices[0].text)
        if board.notices
        else None,
        actions=_actions(definition, state, board),
        finished=state.finished,
        ended_by=state.ended_by,
        ending=Ending(title=here.ending.title, text=here.ending.text) if here.ending else None,
        summary=Summary(**_plain(summary)) if summary is not None else None,
        rescreen=(
            Rescreen(reasons=list(board.rescreen.reasons), advice=board.rescreen.advice)
            if board.rescreen is not None
            else None
        ),
    )


def _motion(segment: Segment, script: ItemScript) -> FigureMotion:
    """How the figure moves in ``segment``: with the phase, or with the pacer's breath when the
    exercise has a breathing pace of its own."""
    if segment.pacer and script.pace is not None and script.exercise.dose.pace is not None:
        return "breath"
    if segment.kind == "move":
        return "out-back" if segment.completes_rep else "out"
    if segment.kind == "hold":
        return "hold"
    if segment.kind == "release":
        return "back"
    if segment.kind == "timed":
        return "loop"
    return "still"


def _question(state: SessionState, board: Board) -> Question | None:
    if state.awaiting == "pain":
        asked = board.ask_pain
        when = asked.when if asked is not None else _pain_when(state)
        prompt = asked.prompt if asked is not None else cues.ASK_PAIN_NOW
        flags = (
            []
            if when == "before"
            else [
                Flag(name=n, question=q)
                for n, q in zip(FLAG_NAMES, cues.FLAG_QUESTIONS, strict=True)
            ]
        )
        return Question(kind="pain", when=when, prompt=prompt, scores=list(range(11)), flags=flags)
    if state.awaiting == "rating":
        options = [Option(value=v, label=label) for v, label in RATING_LABELS.items()]
        return Question(kind="rating", prompt=board.ask_rating, options=options)
    return None


def _pain_when(state: SessionState) -> str:
    return {"pre-pain": "before", "post-pain": "after-session"}.get(state.stage, "after-exercise")


def _actions(definition: SessionDefinition, state: SessionState, board: Board) -> list[str]:
    """The events that mean something now (the engine ignores the others)."""
    out: list[str] = ["dismiss"] if board.notices else []
    if state.stage == "finished":
        return out
    out.append("tick")
    if state.stage == "pre-pain":
        return [*out, "pain", "skip", "end"]
    if state.stage == "post-pain":
        return [*out, "pain", "skip", *(["back"] if state.ended_by is None else [])]
    if state.stage == "check-in":
        answer = "pain" if state.awaiting == "pain" else "rate"
        return [*out, answer, "skip", "back", "end", "watch"]
    out.append("resume" if state.paused else "pause")
    out.append("watch")
    segment = definition.items[state.item_index].segments[state.segment_index]
    if not state.paused and segment.kind in TAP_KINDS:
        out.append("rep")
    return [*out, "skip", "back", "pain", "end"]


def _plain(value: SessionSummary) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(value).items()}
