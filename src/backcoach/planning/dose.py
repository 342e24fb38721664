"""Dose arithmetic: a starting dose shaped by experience, and how long an item takes.

The session engine walks exactly these phases, so the planner's time estimate and the session's
real length agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backcoach.catalogue.model import Exercise
from backcoach.planning.profile import Experience
from backcoach.planning.state import DoseOverride

GET_READY_SECONDS = 10.0
"""Time to get into the starting position before an exercise begins. Ten seconds is enough to
get down onto a mat or sit on a chair while the first instruction is spoken; anyone who needs
longer can pause. (The session engine uses this same constant.)"""

SWITCH_SIDE_SECONDS = 5.0
"""Time to change sides between the left and right half of a set (turn over, swap legs)."""

SELF_PACED_REP_SECONDS = 3.0
"""Estimate for a repetition with no movement time and no hold: the engine waits for the
person to mark it done, so this only feeds time estimates."""

TRANSITION_SECONDS = 10.0
"""Between two exercises: the quick pain check-in and effort rating."""

REPS_STEP = 2
"""Reps added or taken away per step: "reps +1-2" (issue 4; CLINICAL.md section 2, add
repetitions as an exercise gets easier). Progression and the planner use the same steps."""

HOLD_STEP_SECONDS = 5
"""Seconds added to or taken from a hold per step, once the reps are at their limit (issue 4)."""

SETS_STEP = 1
"""One set more or less per step (Garber 2011: 1-3 sets)."""

DURATION_STEP_SECONDS = 30
"""Seconds added to or taken from a continuous exercise (walking, breathing) per step: a tenth
of a typical 5-minute block. A product choice, no clinical source (uncertain)."""


@dataclass(frozen=True)
class ItemDose:
    """A concrete dose for one plan item."""

    sets: int
    reps: int | None
    hold_seconds: int
    duration_seconds: int | None
    rest_seconds: int
    per_side: bool
    movement_seconds: float


def item_seconds(dose: ItemDose) -> float:
    """Planned time of one item, as the session engine walks it.

    get ready + sets x sides x (reps x (movement + hold), or the continuous duration)
    + side switches + rests between sets.
    """
    sides = 2 if dose.per_side else 1
    if dose.reps is not None:
        rep = dose.movement_seconds + dose.hold_seconds
        one_side = dose.reps * (rep if rep > 0 else SELF_PACED_REP_SECONDS)
    else:
        one_side = float(dose.duration_seconds or 0)
    switches = dose.sets * (sides - 1) * SWITCH_SIDE_SECONDS
    rests = (dose.sets - 1) * dose.rest_seconds
    return GET_READY_SECONDS + dose.sets * sides * one_side + switches + rests


def starting_dose(exercise: Exercise, experience: Experience) -> ItemDose:
    """The catalogue's dose for a person of this experience.

    New: the fewest sets, default reps and holds (CLINICAL.md section 2: start low, increase
    repetitions as it gets easier). Some: the default. Regular: one set more, within the maximum.
    """
    d = exercise.dose
    if experience == "new":
        sets = d.sets.min
    elif experience == "some":
        sets = d.sets.default
    else:
        sets = min(d.sets.default + 1, d.sets.max)
    return ItemDose(
        sets=sets,
        reps=d.reps.default if d.reps else None,
        hold_seconds=d.hold_seconds.default if d.hold_seconds else 0,
        duration_seconds=d.duration_seconds.default if d.duration_seconds else None,
        rest_seconds=d.rest_seconds,
        per_side=d.per_side,
        movement_seconds=d.movement_seconds,
    )


def apply_override(exercise: Exercise, base: ItemDose, override: DoseOverride | None) -> ItemDose:
    """Progression's dose wins over the starting dose, clamped to the catalogue's range."""
    if override is None:
        return base
    d = exercise.dose

    def clamp(value: int | None, fallback: int | None, lo: int, hi: int) -> int | None:
        chosen = value if value is not None else fallback
        return None if chosen is None else max(lo, min(hi, chosen))

    return ItemDose(
        sets=clamp(override.sets, base.sets, d.sets.min, d.sets.max) or base.sets,
        reps=clamp(override.reps, base.reps, d.reps.min, d.reps.max) if d.reps else None,
        hold_seconds=(
            clamp(override.hold_seconds, base.hold_seconds, d.hold_seconds.min, d.hold_seconds.max)
            or 0
            if d.hold_seconds
            else 0
        ),
        duration_seconds=(
            clamp(
                override.duration_seconds,
                base.duration_seconds,
                d.duration_seconds.min,
                d.duration_seconds.max,
            )
            if d.duration_seconds
            else None
        ),
        rest_seconds=base.rest_seconds,
        per_side=base.per_side,
        movement_seconds=base.movement_seconds,
    )


def lowered(exercise: Exercise, dose: ItemDose) -> ItemDose:
    """One step lighter (after a flare-up): fewer sets, else fewer reps or shorter holds."""
    d = exercise.dose
    if dose.sets > d.sets.min:
        return replace(dose, sets=dose.sets - SETS_STEP)
    if d.reps is not None and dose.reps is not None and dose.reps > d.reps.min:
        return replace(dose, reps=max(d.reps.min, dose.reps - REPS_STEP))
    if d.hold_seconds is not None and dose.hold_seconds > d.hold_seconds.min:
        return replace(
            dose, hold_seconds=max(d.hold_seconds.min, dose.hold_seconds - HOLD_STEP_SECONDS)
        )
    if d.duration_seconds is not None and dose.duration_seconds is not None:
        shorter = max(d.duration_seconds.min, dose.duration_seconds - DURATION_STEP_SECONDS)
        return replace(dose, duration_seconds=shorter)
    return dose
