"""The definition of a session: a plan compiled into the exact sequence of timed phases.

The running state (``SessionState``) only points into this definition (item, segment), so the
state stays small plain data while the definition is rebuilt from the plan and catalogue
whenever it is needed (python-statemachine style: definition apart from the running).

Each plan item becomes a list of *segments*::

    get-ready, then per set, per side (left, then right), per rep: move, hold, release
                                        (or one timed segment for a continuous exercise)
    with switch-side before the second side and rest between sets.

How the catalogue's steps are used (``phases``): the set-up steps are the get-ready cue; each
phase of every repetition (move, hold, come back) shows its own steps and says its own cue, so
rep 4 says what rep 1 said, and the hold never says to move. The person's version (the plan
item's ``modification``) is said at get-ready and shown through the whole exercise (``now``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from backcoach.catalogue.model import Exercise
from backcoach.planning.plan import Plan, PlanItem
from backcoach.session import cues
from backcoach.session.effects import Side
from backcoach.session.phases import Cycle, Phases, pace_cycle, phases_of
from backcoach.session.timing import (
    GET_READY_SECONDS,
    SELF_PACED_REP_SECONDS,
    SWITCH_SIDE_SECONDS,
    estimate_item_seconds,
)
from backcoach.types import Seconds

SegmentKind = Literal["get-ready", "move", "hold", "release", "timed", "switch-side", "rest"]
WORK_KINDS: frozenset[str] = frozenset({"move", "hold", "release", "timed"})
TAP_KINDS: frozenset[str] = frozenset({"move", "hold", "release"})
"""Phases a tap (``RepDone``) ends: the phase in progress, never the ones after it."""
CAMERA_KINDS: frozenset[str] = frozenset({"move", "release"})
"""Phases that, while the camera watches, end on what it counts, not on their timer (holds
keep their timer: it tells the person when to let go)."""


class PlanMismatch(ValueError):
    """The plan cannot be run with the exercises given, or a saved state belongs to another
    plan. The message names the item and the fix."""


@dataclass(frozen=True)
class Segment:
    """One phase with a fixed length (``seconds``), or open (None) until ``RepDone``."""

    kind: SegmentKind
    seconds: Seconds | None
    set_number: int
    side: Side | None
    rep: int | None
    instruction: str
    """The exercise's steps for this phase, in full (``phases``)."""
    cue: str
    """Said as the phase begins: the phase's own short cue, on every repetition."""
    completes_rep: bool = False
    ends_bout: bool = False
    pacer: bool = False

    @property
    def planned_seconds(self) -> Seconds:
        return self.seconds if self.seconds is not None else SELF_PACED_REP_SECONDS


@dataclass(frozen=True)
class ItemScript:
    """One plan item with its exercise and its compiled segments."""

    index: int
    item: PlanItem
    exercise: Exercise
    segments: tuple[Segment, ...]
    bouts: tuple[tuple[int, Side | None], ...]
    """(set number, side) of each bout, in order; one ``SetFinished`` per bout."""
    bout_starts: tuple[int, ...]
    """Segment index where each bout's lead-in begins (the rest or switch before it)."""
    planned_seconds: Seconds
    pace: Cycle | None = None
    """The breathing pacer's cycle when the exercise is breath-led (``phases.pace_cycle``)."""

    @property
    def counted(self) -> bool:
        return self.item.duration_seconds is None


@dataclass(frozen=True, eq=False)
class SessionDefinition:
    """A plan ready to run. Build it with :meth:`build`; it never changes.

    It keeps no copy of the plan: whoever runs a session holds the plan already (it is what the
    definition is rebuilt from), and each item script keeps its own ``PlanItem``."""

    items: tuple[ItemScript, ...]
    key: str
    """A short digest of the plan; a saved state carries it so it is only run against its plan."""
    planned_seconds: Seconds = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "planned_seconds", sum(i.planned_seconds for i in self.items))

    def exercise_name(self, exercise_id: str | None) -> str | None:
        """The display name of an exercise in this plan; None for an id the plan does not hold
        (the caller chooses the fallback it shows)."""
        for script in self.items:
            if script.exercise.id == exercise_id:
                return script.exercise.name
        return None

    @classmethod
    def build(cls, plan: Plan, exercises: Mapping[str, Exercise]) -> SessionDefinition:
        scripts = []
        for index, item in enumerate(plan.items):
            exercise = exercises.get(item.exercise_id)
            if exercise is None:
                raise PlanMismatch(
                    f"plan item {index + 1} names exercise '{item.exercise_id}', which is not "
                    "among the exercises given; load the catalogue that holds it or make the "
                    "plan again"
                )
            scripts.append(_compile(index, item, exercise))
        key = hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:16]
        return cls(items=tuple(scripts), key=key)


def _compile(index: int, item: PlanItem, exercise: Exercise) -> ItemScript:
    if (item.reps is None) == (item.duration_seconds is None):
        raise PlanMismatch(
            f"plan item {index + 1} ('{item.exercise_id}') needs exactly one of 'reps' "
            f"(got {item.reps}) or 'duration_seconds' (got {item.duration_seconds})"
        )
    words = phases_of(exercise)
    pace = pace_cycle(exercise, item.movement_seconds)
    # A pace of its own runs through the holds and timed phases; an exercise that moves with
    # the breath paces each repetition's movement.
    pacing: Pacing = None if pace is None else "breath" if exercise.dose.pace else "move"
    sides: tuple[Side | None, ...] = ("left", "right") if item.per_side else (None,)
    ready = cues.get_ready(exercise.name, words.setup.cue, item.modification)
    segments = [Segment("get-ready", GET_READY_SECONDS, 1, sides[0], None, words.setup.text, ready)]
    bouts: list[tuple[int, Side | None]] = []
    bout_starts: list[int] = []
    for set_number in range(1, item.sets + 1):
        if set_number > 1 and item.rest_seconds > 0:
            bout_starts.append(len(segments))
            segments.append(
                Segment(
                    "rest",
                    float(item.rest_seconds),
                    set_number,
                    sides[0],
                    None,
                    "",
                    cues.rest(item.rest_seconds, set_number, item.sets),
                )
            )
        else:
            bout_starts.append(len(segments) if set_number > 1 else 0)
        for side_index, side in enumerate(sides):
            if side_index > 0:
                bout_starts.append(len(segments))
                segments.append(
                    Segment(
                        "switch-side",
                        SWITCH_SIDE_SECONDS,
                        set_number,
                        side,
                        None,
                        words.setup.text,
                        cues.switch_side(side) if side else "",
                    )
                )
            lead = cues.first_side(side) + " " if side == "left" else ""
            bouts.append((set_number, side))
            segments.extend(_bout(item, words, set_number, side, lead, pacing))
    if words.tempo:
        # How to move is said with the first movement, where it applies.
        first = next(i for i, s in enumerate(segments) if s.kind in WORK_KINDS)
        segments[first] = dataclasses.replace(
            segments[first], cue=f"{segments[first].cue} {words.tempo}"
        )
    return ItemScript(
        index=index,
        item=item,
        exercise=exercise,
        segments=tuple(segments),
        bouts=tuple(bouts),
        bout_starts=tuple(bout_starts),
        planned_seconds=estimate_item_seconds(item),
        pace=pace,
    )


Pacing = Literal["breath", "move"] | None


def _bout(
    item: PlanItem, words: Phases, set_number: int, side: Side | None, lead: str, pacing: Pacing
) -> list[Segment]:
    """The work of one set on one side; the last segment ends the bout.

    A repetition with a hold and movement time is three phases: move into position (half the
    movement time), hold, and come back (the other half); without a hold it is one movement;
    without movement time, the hold alone. Each phase says its own words on every repetition.
    """
    if item.duration_seconds is not None:
        text = lead + cues.timed(words.whole.cue, item.duration_seconds)
        seconds = float(item.duration_seconds)
        return [
            Segment(
                "timed",
                seconds,
                set_number,
                side,
                None,
                words.whole.text,
                text,
                ends_bout=True,
                pacer=pacing is not None,
            )
        ]
    reps = item.reps if item.reps is not None else 1
    hold = float(item.hold_seconds)
    moving = item.movement_seconds
    out: list[Segment] = []
    for rep in range(1, reps + 1):
        count = (lead if rep == 1 else "") + cues.count(rep, reps)
        if hold == 0:
            # With neither movement time nor a hold the rep is self-paced: open until RepDone.
            text = cues.rep(count, words.whole.cue)
            out.append(
                Segment(
                    "move",
                    moving if moving > 0 else None,
                    set_number,
                    side,
                    rep,
                    words.whole.text,
                    text,
                    True,
                    pacer=pacing == "move",
                )
            )
            continue
        hold_words = words.hold.cue if words.hold is not None else ""
        hold_text = words.hold.text if words.hold is not None else cues.hold(hold)
        if moving > 0:
            half = moving / 2
            out.append(
                Segment(
                    "move",
                    half,
                    set_number,
                    side,
                    rep,
                    words.move.text,
                    cues.rep(count, words.move.cue),
                )
            )
            out.append(
                Segment(
                    "hold",
                    hold,
                    set_number,
                    side,
                    rep,
                    hold_text,
                    cues.hold_for(hold_words, hold),
                    pacer=pacing == "breath",
                )
            )
            out.append(
                Segment(
                    "release",
                    half,
                    set_number,
                    side,
                    rep,
                    words.back.text,
                    words.back.cue,
                    True,
                )
            )
        else:
            out.append(
                Segment(
                    "hold",
                    hold,
                    set_number,
                    side,
                    rep,
                    hold_text,
                    cues.rep(count, f"{words.move.cue} {cues.hold_for(hold_words, hold)}"),
                    True,
                    pacer=pacing == "breath",
                )
            )
    out[-1] = dataclasses.replace(out[-1], ends_bout=True)
    return out
