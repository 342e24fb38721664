"""Effects: what the engine asks the outside world to show, speak or save.

The engine returns them in order; players render them, the records layer saves the ones that
carry results (``SetFinished``, ``PainJudged``, ``Rated``, ``ExerciseStopped``,
``ExerciseSkipped``, ``ExerciseFinished``, ``SessionFinished``) the instant they arrive.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from backcoach.safety.stoprules import PainCheck, StopDecision
from backcoach.session.events import Rating
from backcoach.types import PainScore, Seconds

Side = Literal["left", "right"]
PainWhen = Literal["before", "during-exercise", "after-exercise", "after-session"]
AskWhen = Literal["before", "after-exercise", "after-session"]
BreathKind = Literal["in", "hold", "out"]
EndReason = Literal["completed", "stopped", "rescreen"]


@dataclass(frozen=True)
class PhaseStarted:
    """A new phase began at ``started_at``; ``seconds`` is its planned length (None: open
    until an answer or ``RepDone``). A phase entered while paused starts counting at
    ``Resume``; ``progress`` always gives the true seconds left."""

    phase: str
    item_index: int | None
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None
    started_at: Seconds
    seconds: Seconds | None


@dataclass(frozen=True)
class Cue:
    """Words to show, and to speak when ``speak`` is set."""

    text: str
    speak: bool = True


@dataclass(frozen=True)
class Countdown:
    """Whole seconds left in the current phase (rounded up); sent when the value changes."""

    seconds_left: int


@dataclass(frozen=True)
class BreathCue:
    """Breathe in, hold or out for ``seconds``: the breathing pacer."""

    breath: BreathKind
    seconds: Seconds


@dataclass(frozen=True)
class SetFinished:
    """One set on one side ended: what was planned next to what was done.

    ``complete`` is False when the set was cut short (skip, stop rule, ``Stop``).
    ``hold_seconds_done`` is the mean hold of the repetitions done, comparable to
    ``target_hold_seconds``. ``started_at``/``ended_at`` are clock readings; pauses inside the
    set make ``ended_at - started_at`` longer than the work done.
    """

    item_index: int
    exercise_id: str
    set_number: int
    side: Side | None
    reps_done: int | None
    target_reps: int | None
    hold_seconds_done: Seconds
    target_hold_seconds: Seconds
    duration_seconds_done: Seconds | None
    target_duration_seconds: Seconds | None
    complete: bool
    started_at: Seconds
    ended_at: Seconds


@dataclass(frozen=True)
class ExerciseFinished:
    item_index: int
    exercise_id: str
    sets_done: int
    target_sets: int


@dataclass(frozen=True)
class ExerciseStopped:
    """A stop rule ended the exercise; ``decision`` says what to record for next time."""

    item_index: int
    exercise_id: str
    decision: StopDecision


@dataclass(frozen=True)
class ExerciseSkipped:
    item_index: int
    exercise_id: str
    sets_done: int
    target_sets: int


@dataclass(frozen=True)
class ExerciseRestarted:
    """``Back`` restarted this exercise: its sets will be done, and reported, again."""

    item_index: int
    exercise_id: str


@dataclass(frozen=True)
class AskPain:
    when: AskWhen
    prompt: str


@dataclass(frozen=True)
class AskRating:
    item_index: int
    exercise_id: str
    prompt: str
    options: tuple[Rating, ...]


@dataclass(frozen=True)
class PainJudged:
    """A pain report and what the stop rules made of it (judged against the pain before)."""

    when: PainWhen
    item_index: int | None
    exercise_id: str | None
    check: PainCheck
    decision: StopDecision


@dataclass(frozen=True)
class Rated:
    item_index: int
    exercise_id: str
    rating: Rating


@dataclass(frozen=True)
class RescreenNeeded:
    """New numbness, tingling or weakness: the person must answer the warning-sign screen again
    before exercising further. The session ends."""

    item_index: int | None
    exercise_id: str | None
    reasons: tuple[str, ...]
    advice: str


@dataclass(frozen=True)
class SessionSummary:
    ended_by: EndReason
    items_planned: int
    finished: tuple[str, ...]
    stopped: tuple[str, ...]
    skipped: tuple[str, ...]
    not_done: tuple[str, ...]
    sets_done: int
    sets_planned: int
    pain_before: PainScore | None
    pain_after: PainScore | None
    active_seconds: Seconds
    """Time from the start (or the resume after a crash) to the end, pauses excluded."""


@dataclass(frozen=True)
class SessionFinished:
    summary: SessionSummary


Effect = (
    PhaseStarted
    | Cue
    | Countdown
    | BreathCue
    | SetFinished
    | ExerciseFinished
    | ExerciseStopped
    | ExerciseSkipped
    | ExerciseRestarted
    | AskPain
    | AskRating
    | PainJudged
    | Rated
    | RescreenNeeded
    | SessionFinished
)


def effect_to_dict(effect: Effect) -> dict[str, Any]:
    """JSON form of an effect: its fields plus ``type``, the class name in kebab case."""
    name = "".join("-" + c.lower() if c.isupper() else c for c in type(effect).__name__)
    return {"type": name.lstrip("-"), **_plain(dataclasses.asdict(effect))}


def _plain(value: Any) -> Any:
    """Tuples become lists, as JSON would return them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
