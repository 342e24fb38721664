"""Which of an exercise's steps belong to which phase of a repetition: set up, move, hold, come
back; and whether the exercise is led by the breath.

The catalogue lists an exercise's steps in order, step 0 setting the person up, without saying
which phase each belongs to. The session shows and speaks, in every phase of every repetition,
the words of that phase, so it reads the steps by these rules (checked on every built-in
exercise in tests/session/test_phases.py):

* step 0 sets the person up, and so does the first later step when it only prepares (it begins
  "Tighten", "Tuck", "Notice", "Let your", ... and more steps follow before the hold);
* the hold step is the first later step whose text or cue begins "Hold", "Stay" or "Pause",
  else the first whose cue says to stay or hold;
* the steps before the hold are the movement, the steps after it the way back; a hold step
  that goes on ", then ..." gives its second half to the way back;
* the next side is the session's to announce (it does all of one side, then the other): a
  trailing ", then ... the other side" is cut, and a step that only says to do the other side
  is left out; so is a tempo note about the order of sides;
* a step with no cue beginning "When" or "If" is a note for later (a progression), not said on
  every repetition.

A repetition without a hold is one movement made of all the steps after the set-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backcoach.catalogue.model import Exercise, Step
from backcoach.session.effects import BreathKind
from backcoach.types import Seconds

HOLD_OPENINGS = ("hold", "stay", "pause")
PREP_OPENINGS = (
    "tighten",
    "tuck",
    "notice",
    "let your ",
    "stack",
    "put your",
    "breathe out and",
    "cross",
    "keep ",
)
"""How a preparing step begins (in lower case): it goes with the set-up."""
NOTE_OPENINGS = ("when ", "if ")
OTHER_SIDE = re.compile(r",?\s*then\b[^.]*?\bother (?:side|leg|arm)s?\b[^.]*", re.IGNORECASE)
"""A trailing ", then ... the other side": the session says when to change sides."""
ONLY_OTHER_SIDE = re.compile(r"^(?:repeat|after the set)\b", re.IGNORECASE)
"""A step that only says to do the other side ("Repeat to the other side.")."""
SIDE_ORDER = re.compile(r"\b(?:sides?|legs?)\b", re.IGNORECASE)
"""A tempo note about the order of sides ("alternate sides"): the session decides the order."""
BACK_TO_START = "Back to the start."
"""The way back of an exercise whose steps end at the hold."""
BREATH_LED = re.compile(r"\bbreath", re.IGNORECASE)

Cycle = tuple[tuple[BreathKind, Seconds], ...]
"""One breathing cycle of the pacer: (breath, seconds) in order."""


@dataclass(frozen=True)
class Words:
    """What to show (``text``: the steps in full) and say (``cue``: short) in one phase."""

    text: str
    cue: str


@dataclass(frozen=True)
class Phases:
    """An exercise's steps sorted into the phases of a repetition."""

    setup: Words
    move: Words
    """The movement into position (or, without a hold, the whole repetition)."""
    hold: Words | None
    """None when the exercise has no hold step."""
    back: Words
    """The way back after the hold."""
    whole: Words
    """Every step of a repetition in order, for a repetition without a hold (or a timed one)."""
    tempo: str | None
    """How to move, as a sentence; None when there is none, or it only orders the sides."""


def _sentence(text: str) -> str:
    text = text.strip().rstrip(",;")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _cut_other_side(text: str) -> str:
    return _sentence(OTHER_SIDE.sub("", text))


def _starts(text: str, openings: tuple[str, ...]) -> bool:
    return text.strip().lower().startswith(openings)


def _cue(step: Step) -> str:
    return step.cue if step.cue is not None else step.text


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def _words(steps: list[Step]) -> Words:
    return Words(
        _join([_cut_other_side(s.text) for s in steps]),
        _join([_cut_other_side(_cue(s)) for s in steps]),
    )


def _hold_index(steps: list[Step]) -> int | None:
    for index, step in enumerate(steps):
        if index and (_starts(step.text, HOLD_OPENINGS) or _starts(_cue(step), HOLD_OPENINGS)):
            return index
    for index, step in enumerate(steps):
        cue = _cue(step).lower()
        if index and re.search(r"\b(?:stay|hold)\b", cue):
            return index
    return None


def _split_then(text: str) -> tuple[str, str]:
    """("Hold for one breath", "bring the knees back") from "Hold for one breath, then bring
    the knees back"; (text, "") when there is no ", then" (or ", and" in a cue)."""
    for joint in (", then ", ", and "):
        head, found, tail = text.partition(joint)
        if found:
            return _sentence(head), _sentence(tail)
    return _sentence(text), ""


def phases_of(exercise: Exercise) -> Phases:
    steps = list(exercise.steps)
    later = [
        s
        for s in steps[1:]
        if not (s.cue is None and _starts(s.text, NOTE_OPENINGS))
        and not ONLY_OTHER_SIDE.search(s.text)
    ]
    hold_at = _hold_index([steps[0], *later])
    hold_step = later[hold_at - 1] if hold_at is not None else None
    before = later[: hold_at - 1] if hold_at is not None else list(later)
    after = later[hold_at:] if hold_at is not None else []
    setup = [steps[0]]
    movement = before if hold_step is not None else list(later)
    if len(movement) > 1 and _starts(movement[0].text, PREP_OPENINGS):
        setup.append(movement[0])
        movement = movement[1:]
    hold: Words | None = None
    back = _words(after)
    if hold_step is not None:
        text, text_back = _split_then(_cut_other_side(hold_step.text))
        cue_hold, cue_back = _split_then(_cut_other_side(_cue(hold_step)))
        if text_back and not cue_back:
            # "Pause, then lower the knee slowly." with the cue "Lower slowly.": the cue is
            # the way back's unless it is itself about holding.
            if _starts(cue_hold, HOLD_OPENINGS):
                cue_back = text_back
            else:
                cue_hold, cue_back = text, cue_hold
        hold = Words(text, cue_hold)
        if not back.text and text_back:
            back = Words(text_back, cue_back or text_back)
    move = _words(movement) if movement else _words(later[:1] or steps[:1])
    whole = move
    if hold_step is not None:
        whole = Words(_join([move.text, back.text]), _join([move.cue, back.cue]))
    tempo = exercise.dose.tempo
    return Phases(
        setup=_words(setup),
        move=move,
        hold=hold,
        back=back if back.text else Words(BACK_TO_START, BACK_TO_START),
        whole=whole,
        tempo=None if tempo is None or SIDE_ORDER.search(tempo) else _sentence(tempo),
    )


def breath_led(exercise: Exercise) -> bool:
    """The exercise follows the breath: it has a pace, or its tempo says to move with the
    breath (cat-cow: "move with each breath")."""
    tempo = exercise.dose.tempo or ""
    return exercise.dose.pace is not None or bool(BREATH_LED.search(tempo))


def pace_cycle(exercise: Exercise, movement_seconds: Seconds) -> Cycle | None:
    """The pacer's breathing cycle: the exercise's own pace; for an exercise that moves with
    the breath, one breath out and one in per repetition's movement, in the order its breathing
    note gives (cat-cow breathes out first, rounding up); None when not breath-led."""
    pace = exercise.dose.pace
    if pace is not None:
        cycle: list[tuple[BreathKind, Seconds]] = [("in", pace.inhale_seconds)]
        if pace.hold_seconds > 0:
            cycle.append(("hold", pace.hold_seconds))
        cycle.append(("out", pace.exhale_seconds))
        return tuple(cycle)
    if not breath_led(exercise) or movement_seconds <= 0:
        return None
    half = movement_seconds / 2
    note = exercise.breathing.lower()
    out_at, in_at = note.find("out"), note.find(" in")
    if out_at >= 0 and (in_at < 0 or out_at < in_at):
        return (("out", half), ("in", half))
    return (("in", half), ("out", half))
