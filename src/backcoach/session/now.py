"""What is happening now: the one model both players render (the terminal ``Player`` and the
browser's live view), so they never disagree about a phase, a cue or a tap.

``Board`` is what a screen keeps from the engine's effects between steps: the latest cue, the
question being asked, advice that must be read before going on, and the summary at the end. It
round-trips through plain JSON (the web app keeps it in the session's live row).

``now(definition, state, board, at)`` is everything to show at one reading of the clock: the
engine's ``progress`` plus the phase's label, the instruction in the person's own version, what
a tap does in this phase, the breath of the pacer, what a screen reader should hear, and how
the session ended. Nothing here decides anything: the engine does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from backcoach.session import cues, walk
from backcoach.session.effects import (
    AskPain,
    AskRating,
    BreathKind,
    Cue,
    Effect,
    ExerciseStopped,
    PhaseStarted,
    RescreenNeeded,
    SessionFinished,
    SessionSummary,
)
from backcoach.session.pacer import breath_at
from backcoach.session.progress import Progress, progress
from backcoach.session.script import SessionDefinition
from backcoach.session.state import SessionState
from backcoach.types import Seconds

PHASE_LABELS = {
    "pre-pain": "Before you start",
    "get-ready": "Get ready",
    "move": "Move",
    "hold": "Hold",
    "release": "Come back",
    "timed": "Keep going",
    "switch-side": "Switch sides",
    "rest": "Rest",
    "check-in": "Check-in",
    "post-pain": "Session over",
    "finished": "Finished",
}

TAP_INTO_HOLD = "Tap when you are in position"
TAP_REP_DONE = "Tap when the rep is done"
TAP_END_HOLD = "Tap to end the hold"
TAP_BACK = "Tap when you are back"
MAX_TAPS = 3
"""A repetition counted while the engine waits for "in position" takes three taps: into the
hold, out of it, and back."""


def camera_taps(
    tap: str | None,
    reached: bool,
    left_hold: bool,
    new_reps: int,
    send_rep: Callable[[], str | None],
) -> None:
    """Send a session the taps that what the camera coach saw stands for: reaching the far end
    ends "in position", leaving it ends the hold, and each new repetition ends what is still
    open of it. ``tap`` is what a tap would end now; ``send_rep`` sends one and returns the
    next (None: the phase is not one a tap ends). The browser's and the terminal's Watch me
    both send through here."""
    if reached and tap == TAP_INTO_HOLD:
        tap = send_rep()
    if left_hold and tap == TAP_END_HOLD:
        tap = send_rep()
    for _ in range(new_reps):
        for _ in range(MAX_TAPS):
            if tap is None:  # not a phase a tap ends (the clock moved on): nothing to end
                break
            was, tap = tap, send_rep()
            if was not in (TAP_INTO_HOLD, TAP_END_HOLD) or tap not in (TAP_END_HOLD, TAP_BACK):
                break  # that tap ended the repetition (or the clock had already)


TAP_SHORT = {
    TAP_INTO_HOLD: "in position",
    TAP_REP_DONE: "rep done",
    TAP_END_HOLD: "end the hold",
    TAP_BACK: "I am back",
}
"""The same, in a key's help line."""
PICTURE_NOTE = "The picture shows the usual version; do yours as written."


@dataclass(frozen=True)
class Notice:
    """Advice that must be read: it stays until the person says they have read it."""

    title: str
    text: str


@dataclass
class Board:
    """What a screen keeps from the engine's effects (``take``) between steps."""

    cue: str = ""
    ask_pain: AskPain | None = None
    ask_rating: str = cues.ASK_RATING
    notices: list[Notice] = field(default_factory=list)
    rescreen: RescreenNeeded | None = None
    summary: SessionSummary | None = None

    def take(self, effects: Iterable[Effect], definition: SessionDefinition) -> None:
        fresh_cue = False
        for effect in effects:
            if isinstance(effect, Cue) and effect.text == cues.MOVING_ON_PAUSED and self.notices:
                # The way on is read with the stop advice, not lost under the next cue.
                last = self.notices[-1]
                self.notices[-1] = Notice(last.title, f"{last.text}\n{effect.text}")
            elif isinstance(effect, Cue):
                self.cue, fresh_cue = effect.text, True
            elif isinstance(effect, PhaseStarted) and not fresh_cue:
                # An older cue belongs to the phase that just ended; one from this same step
                # (e.g. "Bridge: done." before the check-in) still applies.
                self.cue = ""
            elif isinstance(effect, AskPain):
                self.ask_pain = effect
            elif isinstance(effect, AskRating):
                self.ask_rating = effect.prompt
            elif isinstance(effect, ExerciseStopped):
                name = definition.exercise_name(effect.exercise_id) or effect.exercise_id
                self.notices.append(Notice(f"{name} stopped", effect.decision.advice))
            elif isinstance(effect, RescreenNeeded):
                # This advice covers (and outranks) an "exercise stopped" one that may come
                # with it: one screen to read, not two.
                self.rescreen = effect
                self.notices = [Notice("Stop here for today", effect.advice)]
            elif isinstance(effect, SessionFinished):
                self.summary = effect.summary

    def dismiss(self) -> None:
        if self.notices:
            self.notices.pop(0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cue": self.cue,
            "ask_pain": dataclasses.asdict(self.ask_pain) if self.ask_pain else None,
            "ask_rating": self.ask_rating,
            "notices": [dataclasses.asdict(n) for n in self.notices],
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
                notices=[Notice(str(n["title"]), str(n["text"])) for n in data.get("notices", [])],
                rescreen=(
                    RescreenNeeded(**{**rescreen, "reasons": tuple(rescreen["reasons"])})
                    if rescreen
                    else None
                ),
                summary=SessionSummary(**_tuples(summary)) if summary else None,
            )
        except (TypeError, KeyError, ValueError, AttributeError):
            return cls()


@dataclass(frozen=True)
class Ending:
    """How the session ended, in words for the person."""

    title: str
    text: str


@dataclass(frozen=True)
class Now:
    """Everything a player shows at one moment."""

    progress: Progress
    label: str
    """The phase in a word or two ("Hold", "Come back"); a player says "Paused" itself."""
    instruction: str
    """What to do in this phase: the exercise's steps for it, in full."""
    version: str | None
    """The person's own version of the exercise (the plan's modification), shown through every
    phase of it; the steps and the picture are the usual version's."""
    picture_note: str | None
    cue: str
    """The latest words said."""
    tap: str | None
    """What a tap (``RepDone``) does now; None when it means nothing."""
    breath: BreathKind | None
    """The pacer's breath now, while it runs."""
    announce: str
    """What a screen reader is told when this phase begins (the countdown's last three
    seconds are told apart; never every second)."""
    ending: Ending | None


def now(definition: SessionDefinition, state: SessionState, board: Board, at: Seconds) -> Now:
    view = progress(definition, state, at)
    label = PHASE_LABELS.get(view.phase, view.phase.replace("-", " ").capitalize())
    version = None
    tap = None
    breath: BreathKind | None = None
    if state.stage in ("exercise", "check-in"):
        version = walk.script_of(definition, state).item.modification
    if state.stage == "exercise":
        script = walk.script_of(definition, state)
        segment = script.segments[state.segment_index]
        if not state.paused:
            if segment.kind == "move":
                tap = TAP_REP_DONE if segment.completes_rep else TAP_INTO_HOLD
            elif segment.kind == "hold":
                tap = TAP_END_HOLD
            elif segment.kind == "release":
                tap = TAP_BACK
            if segment.pacer and script.pace is not None:
                breath = breath_at(script.pace, at - state.started_at)[1]
    announce = label if not board.cue else f"{label}. {board.cue}"
    ending = None
    if state.finished and board.summary is not None:
        ending = Ending(*cues.ending(board.summary))
    return Now(
        progress=view,
        label=label,
        instruction=view.step_text or "",
        version=version,
        picture_note=PICTURE_NOTE if version and state.stage == "exercise" else None,
        cue=board.cue,
        tap=tap,
        breath=breath,
        announce=announce,
        ending=ending,
    )


def _plain(value: SessionSummary | RescreenNeeded) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(value).items()}


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
