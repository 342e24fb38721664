"""The exercise model: one validated record per back-care exercise.

An exercise file is YAML; it is read into plain data and validated here. The model is strict
(no silent type coercion, unknown fields rejected) so a typo in a user's own file is caught
with its line instead of being ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from backcoach.catalogue.poses import KeyPoses

# --- vocabularies -------------------------------------------------------------------------

Category = Literal[
    "warm-up",
    "mobility",
    "strength",
    "stretch",
    "motor-control",
    "breathing-relaxation",
    "posture",
]
Position = Literal["prone", "supine", "side-lying", "quadruped", "kneeling", "seated", "standing"]
Direction = Literal["extension", "flexion", "rotation", "side-bend", "neutral"]
Equipment = Literal["mat", "chair", "towel", "foam-roller", "cushion", "wall"]
Goal = Literal["relief", "mobility", "strength", "posture", "return-to-activity"]

ConditionId = Literal[
    "osteoporosis",
    "spinal-stenosis",
    "spondylolisthesis",
    "pregnancy",
    "wrist",
    "knee",
    "recent-spinal-surgery",
    "acute-flare",
]
"""Conditions a profile can carry; the safety rules and exercise modifications key on these."""

CautionTag = Literal[
    "loaded-flexion",  # trunk bending against load or gravity (curl-ups, roll-ups): osteoporosis
    "end-range-flexion",  # bending the spine to its limit (knees hugged to chest)
    "sustained-extension",  # holding or repeating back-bending (press-ups): stenosis
    "end-range-extension",  # brief back-bending toward the limit within a movement (cow)
    "end-range-rotation",  # twisting the trunk to its limit
    "supine-long",  # lying on the back for minutes: pregnancy after the first trimester
    "prone",  # lying on the front: pregnancy after the first trimester
    "wrist-load",  # weight through the hands with the wrist bent back
    "knee-load",  # weight through the knees (kneeling) or deep knee bending
    "direct-spinal-pressure",  # pressure on the spine itself (foam rolling): osteoporosis
    "balance",  # needs steadiness on one or two points
    "deep-hip-flexion",  # hips bent well past 90 degrees (child's pose): late pregnancy comfort
    "lifting-load",  # practising a lift or loaded squat: acute flare, recent surgery
]
"""Tags the safety rules act on. They describe what an exercise does, never which exercise."""

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=2, max_length=60),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- parts --------------------------------------------------------------------------------


class IntRange(_Strict):
    """A dose quantity a clinician sets within bounds: ``{min, default, max}``."""

    min: int = Field(ge=0)
    default: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"needs min <= default <= max (got min={self.min}, default={self.default}, "
                f"max={self.max}); reorder the three numbers"
            )
        return self


class BreathPace(_Strict):
    """A breathing pacer: seconds in and out (a longer out-breath calms)."""

    inhale_seconds: float = Field(gt=0, le=10)
    exhale_seconds: float = Field(gt=0, le=12)
    hold_seconds: float = Field(default=0, ge=0, le=10)


class Dose(_Strict):
    """How much of an exercise one session holds.

    An exercise is counted either in repetitions (``reps``, each with an optional ``hold_seconds``)
    or as one continuous stretch of time (``duration_seconds``: walking, breathing, rolling).
    """

    sets: IntRange
    reps: IntRange | None = None
    hold_seconds: IntRange | None = None
    duration_seconds: IntRange | None = None
    rest_seconds: int = Field(default=30, ge=0, le=300)
    per_side: bool = False
    movement_seconds: float = Field(
        default=3.0,
        ge=0,
        le=30,
        description="Seconds to move into and out of position, per repetition.",
    )
    tempo: ShortText | None = Field(
        default=None, description="How to move, when it matters, e.g. 'move with each breath'."
    )
    pace: BreathPace | None = Field(
        default=None, description="A breathing pacer for breathing-led exercises."
    )

    @model_validator(mode="after")
    def _reps_or_duration(self) -> Self:
        if (self.reps is None) == (self.duration_seconds is None):
            raise ValueError(
                "give exactly one of 'reps' (counted) or 'duration_seconds' (continuous)"
            )
        if self.duration_seconds is not None and self.hold_seconds is not None:
            raise ValueError(
                "'hold_seconds' goes with 'reps'; a continuous exercise uses "
                "'duration_seconds' alone"
            )
        if self.sets.min < 1:
            raise ValueError("'sets.min' must be at least 1")
        return self


class Step(_Strict):
    """One instruction, short enough to read at a glance, with an optional spoken cue."""

    text: Text
    cue: ShortText | None = None


class Feel(_Strict):
    """What the person should feel, and what should make them stop or ease off."""

    should: list[Text] = Field(min_length=1)
    should_not: list[Text] = Field(min_length=1)


# --- the exercise -------------------------------------------------------------------------


class Exercise(_Strict):
    """A back-care exercise, precise enough to plan with and to follow on the floor."""

    id: Slug = Field(description="Stable slug; never reused for a different exercise.")
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    summary: ShortText = Field(description="One line: what the exercise is.")
    purpose: Text = Field(
        description="Why it helps, in plain words; plans quote it as the reason for choosing it."
    )
    category: Category
    position: Position
    direction: Direction
    equipment: list[Equipment] = Field(default_factory=list)
    difficulty: int = Field(ge=1, le=3)
    goals: list[Goal] = Field(min_length=1)
    targets: list[ShortText] = Field(min_length=1)
    steps: list[Step] = Field(min_length=2)
    dose: Dose
    breathing: Text
    common_mistakes: list[Text] = Field(min_length=1)
    feel: Feel
    cautions: list[CautionTag] = Field(default_factory=list)
    modifications: dict[ConditionId, Text] = Field(default_factory=dict)
    regression: Slug | None = None
    progression: Slug | None = None
    key_poses: KeyPoses | None = Field(
        default=None,
        description="Key poses for the pictures: joint angles and resting parts, in order.",
    )
    sources: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.regression == self.id or self.progression == self.id:
            raise ValueError("an exercise cannot be its own regression or progression")
        if len(set(self.cautions)) != len(self.cautions):
            raise ValueError("'cautions' lists a tag twice; keep each tag once")
        if len(set(self.equipment)) != len(self.equipment):
            raise ValueError("'equipment' lists an item twice; keep each item once")
        return self

    @property
    def counted(self) -> bool:
        """True when dosed in repetitions, False when dosed as continuous time."""
        return self.dose.reps is not None
