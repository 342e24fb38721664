"""The definition of a session: a plan compiled into the exact sequence of timed phases.

The running state (``SessionState``) only points into this definition (item, segment), so the
state stays small plain data while the definition is rebuilt from the plan and catalogue
whenever it is needed (python-statemachine style: definition apart from the running).

Each plan item becomes a list of *segments*::

    get-ready, then per set, per side (left, then right), per rep: move, hold
                                        (or one timed segment for a continuous exercise)
    with switch-side before the second side and rest between sets.

How the catalogue's steps are used: step 0 sets the person up and is the get-ready cue; the
later steps are the movement and form points, spoken one per repetition in turn (rep 1 gets
step 1, rep 2 step 2, ... wrapping round), so each repetition reminds of one point.
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
from backcoach.session.timing import (
    GET_READY_SECONDS,
    SELF_PACED_REP_SECONDS,
    SWITCH_SIDE_SECONDS,
    estimate_item_seconds,
)
from backcoach.types import Seconds

SegmentKind = Literal["get-ready", "move", "hold", "timed", "switch-side", "rest"]
WORK_KINDS: frozenset[str] = frozenset({"move", "hold", "timed"})


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
    step_index: int | None
    cue: str
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


def _step_cue(exercise: Exercise, index: int) -> str:
    step = exercise.steps[index]
    return step.cue if step.cue is not None else step.text


def _work_step(exercise: Exercise, rep: int) -> int:
    later = len(exercise.steps) - 1
    return 1 + (rep - 1) % later if later > 0 else 0


def _compile(index: int, item: PlanItem, exercise: Exercise) -> ItemScript:
    if (item.reps is None) == (item.duration_seconds is None):
        raise PlanMismatch(
            f"plan item {index + 1} ('{item.exercise_id}') needs exactly one of 'reps' "
            f"(got {item.reps}) or 'duration_seconds' (got {item.duration_seconds})"
        )
    paced = exercise.dose.pace is not None
    sides: tuple[Side | None, ...] = ("left", "right") if item.per_side else (None,)
    segments = [
        Segment(
            "get-ready",
            GET_READY_SECONDS,
            1,
            sides[0],
            None,
            0,
            cues.get_ready(exercise.name, _step_cue(exercise, 0)),
        )
    ]
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
                    None,
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
                        0,
                        cues.switch_side(side) if side else "",
                    )
                )
            lead = cues.first_side(side) + " " if side == "left" else ""
            bouts.append((set_number, side))
            segments.extend(_bout(item, exercise, set_number, side, lead, paced))
    return ItemScript(
        index=index,
        item=item,
        exercise=exercise,
        segments=tuple(segments),
        bouts=tuple(bouts),
        bout_starts=tuple(bout_starts),
        planned_seconds=estimate_item_seconds(item),
    )


def _bout(
    item: PlanItem, exercise: Exercise, set_number: int, side: Side | None, lead: str, paced: bool
) -> list[Segment]:
    """The work of one set on one side; the last segment ends the bout."""
    if item.duration_seconds is not None:
        step = _work_step(exercise, 1)
        text = lead + cues.timed(_step_cue(exercise, step), item.duration_seconds)
        seconds = float(item.duration_seconds)
        return [
            Segment(
                "timed", seconds, set_number, side, None, step, text, ends_bout=True, pacer=paced
            )
        ]
    reps = item.reps if item.reps is not None else 1
    hold = float(item.hold_seconds)
    out: list[Segment] = []
    for rep in range(1, reps + 1):
        step = _work_step(exercise, rep)
        text = (lead if rep == 1 else "") + cues.rep(rep, reps, _step_cue(exercise, step))
        if item.movement_seconds > 0 or hold == 0:
            # With neither movement time nor a hold the rep is self-paced: open until RepDone.
            move_seconds = item.movement_seconds if item.movement_seconds > 0 else None
            out.append(Segment("move", move_seconds, set_number, side, rep, step, text, hold == 0))
            text = cues.hold(hold)
        else:
            text = f"{text} {cues.hold(hold)}"
        if hold > 0:
            out.append(Segment("hold", hold, set_number, side, rep, step, text, True, pacer=paced))
    out[-1] = dataclasses.replace(out[-1], ends_bout=True)
    return out
