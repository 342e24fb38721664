"""What the browser player shows of a live session: the engine's view plus what the screen keeps.

``Board`` is the web twin of the terminal ``Player``'s memory: the latest cue, the question
being asked, advice that must be read before going on. ``build_view`` turns the engine's
``progress`` and the board into the JSON the page renders (``SessionView``; contract in
docs/web-api.md). Nothing here decides anything: the engine does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from backcoach.session import (
    AskPain,
    AskRating,
    Cue,
    Effect,
    ExerciseStopped,
    PhaseStarted,
    RescreenNeeded,
    SessionDefinition,
    SessionFinished,
    SessionState,
    SessionSummary,
    cues,
    effect_to_dict,
    progress,
)
from backcoach.session.cues import utterance
from backcoach.session.pacer import breath_at, breaths
from backcoach.session.timing import whole_seconds_left

RATING_LABELS = {"too-easy": "Too easy", "about-right": "About right", "too-hard": "Too hard"}
FLAG_NAMES = ("sharp", "spreading", "numbness")


class ExerciseRef(BaseModel):
    id: str
    name: str
    figure_url: str
    animation_url: str


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
    seconds_left: float | None
    real_seconds_left: float | None
    deadline: float | None
    countdown: int | None
    step_text: str | None
    cue: str
    next_up: str
    fraction_done: float
    breathing: Breathing | None
    question: Question | None
    notice: Notice | None
    actions: list[str]
    finished: bool
    ended_by: str | None
    summary: Summary | None
    rescreen: Rescreen | None


class Step(BaseModel):
    """One answer of the live-session API: the view now and what happened on the way."""

    view: SessionView
    effects: list[dict[str, Any]]
    speak: list[str]


@dataclass
class Board:
    """What the page shows besides the engine's progress (see ``cli.player.Player.take``)."""

    cue: str = ""
    ask_pain: AskPain | None = None
    ask_rating: str = cues.ASK_RATING
    notices: list[Notice] = field(default_factory=list)
    rescreen: RescreenNeeded | None = None
    summary: SessionSummary | None = None

    def take(self, effects: tuple[Effect, ...], definition: SessionDefinition) -> None:
        fresh_cue = False
        for effect in effects:
            if isinstance(effect, Cue) and effect.text == cues.MOVING_ON_PAUSED and self.notices:
                # The way on is read with the stop advice, not lost under the next cue.
                last = self.notices[-1]
                self.notices[-1] = Notice(title=last.title, text=f"{last.text}\n{effect.text}")
            elif isinstance(effect, Cue):
                self.cue, fresh_cue = effect.text, True
            elif isinstance(effect, PhaseStarted) and not fresh_cue:
                self.cue = ""  # an older cue belonged to the phase that just ended
            elif isinstance(effect, AskPain):
                self.ask_pain = effect
            elif isinstance(effect, AskRating):
                self.ask_rating = effect.prompt
            elif isinstance(effect, ExerciseStopped):
                name = definition.exercise_name(effect.exercise_id) or effect.exercise_id
                self.notices.append(Notice(title=f"{name} stopped", text=effect.decision.advice))
            elif isinstance(effect, RescreenNeeded):
                # This advice outranks an "exercise stopped" one that may come with it.
                self.rescreen = effect
                self.notices = [Notice(title="Stop here for today", text=effect.advice)]
            elif isinstance(effect, SessionFinished):
                self.summary = effect.summary

    def dismiss(self) -> None:
        if self.notices:
            self.notices.pop(0)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, kept in the session's live row between requests."""
        return {
            "cue": self.cue,
            "ask_pain": dataclasses.asdict(self.ask_pain) if self.ask_pain else None,
            "ask_rating": self.ask_rating,
            "notices": [n.model_dump() for n in self.notices],
            "rescreen": _plain(self.rescreen) if self.rescreen else None,
            "summary": _plain(self.summary) if self.summary else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Board:
        """The board ``to_dict`` saved; an empty or unreadable one (a terminal drove the
        session, or another version saved it) is a fresh board."""
        try:
            ask = data.get("ask_pain")
            rescreen = data.get("rescreen")
            summary = data.get("summary")
            return cls(
                cue=str(data.get("cue", "")),
                ask_pain=AskPain(**ask) if ask else None,
                ask_rating=str(data.get("ask_rating", cues.ASK_RATING)),
                notices=[Notice(**n) for n in data.get("notices", [])],
                rescreen=(
                    RescreenNeeded(**{**rescreen, "reasons": tuple(rescreen["reasons"])})
                    if rescreen
                    else None
                ),
                summary=SessionSummary(**_tuples(summary)) if summary else None,
            )
        except (TypeError, KeyError, ValueError, AttributeError):
            return cls()


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
    now: float,
    speed: float,
) -> SessionView:
    p = progress(definition, state, now)
    script = definition.items[state.item_index] if state.stage in ("exercise", "check-in") else None
    segment = script.segments[state.segment_index] if script and state.stage == "exercise" else None
    exercise = None
    if script is not None:
        ex = script.exercise
        exercise = ExerciseRef(
            id=ex.id,
            name=ex.name,
            figure_url=f"/api/exercises/{ex.id}/figure.svg",
            animation_url=f"/api/exercises/{ex.id}/animation.svg",
        )
    deadline = None
    if segment is not None and segment.seconds is not None and not state.paused:
        deadline = state.started_at + segment.seconds
    breathing = None
    pace = script.exercise.dose.pace if script is not None else None
    if segment is not None and segment.pacer and pace is not None:
        elapsed = max(0.0, (state.paused_at or now) - state.started_at)
        breathing = Breathing(
            cycle=[Breath(breath=kind, seconds=s) for kind, s in breaths(pace)],
            elapsed_seconds=elapsed,
            breath=breath_at(pace, elapsed)[1],
        )
    left = p.seconds_left
    summary = board.summary
    return SessionView(
        session_id=session_id,
        clock_speed=speed,
        clock=now,
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
        seconds_left=left,
        real_seconds_left=left / speed if left is not None else None,
        deadline=deadline,
        countdown=whole_seconds_left(left) if left is not None else None,
        step_text=p.step_text,
        cue=board.cue,
        next_up=p.next_up,
        fraction_done=p.fraction_done,
        breathing=breathing,
        question=_question(state, board),
        notice=board.notices[0] if board.notices else None,
        actions=_actions(definition, state, board),
        finished=state.finished,
        ended_by=state.ended_by,
        summary=Summary(**_plain(summary)) if summary is not None else None,
        rescreen=(
            Rescreen(reasons=list(board.rescreen.reasons), advice=board.rescreen.advice)
            if board.rescreen is not None
            else None
        ),
    )


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
        return [*out, answer, "skip", "back", "end"]
    out.append("resume" if state.paused else "pause")
    segment = definition.items[state.item_index].segments[state.segment_index]
    if not state.paused and segment.kind in ("move", "hold"):
        out.append("rep")
    return [*out, "skip", "back", "pain", "end"]


def _plain(value: SessionSummary | RescreenNeeded) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(value).items()}


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
