"""The exercise model: one validated record per back-care exercise.

An exercise file is YAML; it is read into plain data and validated here. The model is strict
(no silent type coercion, unknown fields rejected) so a typo in a user's own file is caught
with its line instead of being ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from backcoach.catalogue.poses import KeyPoses, PoseRole
from backcoach.catalogue.vocabulary import (
    Category,
    CautionTag,
    ConditionId,
    Direction,
    Equipment,
    Goal,
    Position,
)

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


# --- the camera coach ---------------------------------------------------------------------
# What the camera coach measures and which form rules it checks. Every reference value comes
# from the key poses through the body model (``backcoach.motion.reference``); a file only
# names what to measure and how far from the key poses a movement may stray.

BODY_POINTS = ("nose", "ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "toe")
"""Body points the coach can measure, by the names people use; ``toe`` is MediaPipe's
``foot_index``. A bare name means both sides; ``left_``/``right_`` picks one."""
BodyPoint = Literal[
    "nose",
    "ear",
    "shoulder",
    "elbow",
    "wrist",
    "hip",
    "knee",
    "ankle",
    "heel",
    "toe",
    "left_ear",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "left_hip",
    "left_knee",
    "left_ankle",
    "left_heel",
    "left_toe",
    "right_ear",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "right_hip",
    "right_knee",
    "right_ankle",
    "right_heel",
    "right_toe",
]
PairedPoint = Literal["ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "toe"]
FeatureName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]

COACH_DOCS = "docs/coach.md"
"""Where writing a coach section is explained; every coach error points to a part of it."""
WRITING_YOUR_OWN = f"{COACH_DOCS}#writing-your-own"
FEATURES_DOCS = f"{COACH_DOCS}#features"
TRACK_DOCS = f"{COACH_DOCS}#track-and-hold"
RULES_DOCS = f"{COACH_DOCS}#form-rules"
WITHOUT_DOCS = f"{COACH_DOCS}#exercises-without-a-coach-section"


def coach_docs(loc: list[str | int]) -> str:
    """The part of the coach's docs about the field at ``loc`` (a path into an exercise file
    starting at ``coach``), for error messages."""
    part = loc[1] if len(loc) > 1 else None
    if part == "features":
        return FEATURES_DOCS
    if part in ("track", "hold"):
        return TRACK_DOCS
    if part == "rules":
        return RULES_DOCS
    return WRITING_YOUR_OWN


FEATURE_KINDS = ("angle", "height", "tilt", "difference", "turn")
"""The kinds of coach feature, one per feature."""


class CoachFeature(_Strict):
    """One measurement of the body in the picture; give exactly one of the five kinds.

    ``angle``: the angle at the middle point, 0-180 degrees (180 = a straight line).
    ``height``: a point's height above the floor line, in trunk lengths (shoulder to hip).
    ``tilt``: how far the line between two points leans from level, 0-90 degrees.
    ``difference``: how far apart the left and right points are in height, in trunk lengths.
    ``turn``: how far the left-to-right line of one paired point is turned from that of
    another about the trunk's long axis, 0-180 degrees (0 = square); needs 3D landmarks.
    """

    angle: list[BodyPoint] | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="Three points; the angle at the middle one.",
    )
    height: BodyPoint | None = Field(default=None, description="A point's height above the floor.")
    tilt: list[BodyPoint] | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="Two points; the line's lean from level.",
    )
    difference: PairedPoint | None = Field(
        default=None, description="A paired point; left and right height apart."
    )
    turn: list[PairedPoint] | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="Two different paired points, such as [shoulder, hip]; how far the line "
        "from the left to the right of the first is turned from the same line of the second, "
        "about the trunk's long axis (a twist). Measured on 3D landmarks only.",
    )
    side: Literal["both", "either"] = Field(
        default="both",
        description="For bare point names: 'both' averages the two sides; 'either' follows the "
        "side that has moved further from the start pose (for one-sided, alternating movements).",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        given = [k for k in FEATURE_KINDS if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of angle, height, tilt, difference or turn (got "
                f"{', '.join(given) or 'none'}); split it into separate features (see "
                f"{FEATURES_DOCS})"
            )
        if self.turn is not None and self.turn[0] == self.turn[1]:
            raise ValueError(
                f"turn: [{self.turn[0]}, {self.turn[1]}] compares a line with itself; name two "
                f"different points, such as [shoulder, hip] (see {FEATURES_DOCS})"
            )
        if self.turn is not None and self.side != "both":
            raise ValueError(
                f"side: {self.side} does not apply to a turn, which uses both sides at once; "
                f"remove 'side' (see {FEATURES_DOCS})"
            )
        return self


class FormRule(_Strict):
    """A form rule: a feature that must stay within the key poses' range, or reach a pose."""

    feature: FeatureName = Field(description="A feature named under 'features'.")
    check: Literal["stay", "reach"] = Field(
        description="stay: throughout the movement, within 'tolerance' of the values the key "
        "poses pass through; reach: in every repetition, within 'tolerance' of the value at "
        "'pose'."
    )
    pose: int | PoseRole | None = Field(
        default=None,
        description="For reach: the key pose to reach, by role or position (0 = first); "
        "default the last.",
    )
    tolerance: float = Field(
        gt=0,
        le=180,
        description="Degrees for angle, tilt and turn; trunk lengths for height and difference.",
    )
    cue: ShortText = Field(description="What to say when the rule is broken, kindly and plainly.")


class CoachSpec(_Strict):
    """What the camera coach measures for an exercise and the form rules it checks."""

    features: dict[FeatureName, CoachFeature] = Field(min_length=1)
    track: FeatureName = Field(
        description="The feature that moves from the start pose to the last: it counts the "
        "repetitions and times the holds."
    )
    hold: FeatureName | None = Field(
        default=None,
        description="The feature that times the holds, when the tracked one hardly changes "
        "as the held position is reached (a press-up's chest barely rises as the elbows "
        "straighten); by default the tracked feature.",
    )
    rules: list[FormRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_features(self) -> Self:
        names = ", ".join(sorted(self.features))
        if self.track not in self.features:
            raise ValueError(
                f"'track' names the feature '{self.track}', which is not under 'features'; "
                f"use one of {names} (see {TRACK_DOCS})"
            )
        if self.hold is not None and self.hold not in self.features:
            raise ValueError(
                f"'hold' names the feature '{self.hold}', which is not under 'features'; "
                f"use one of {names}, or leave 'hold' out to time holds on '{self.track}' (see "
                f"{TRACK_DOCS})"
            )
        for i, rule in enumerate(self.rules):
            if rule.feature not in self.features:
                raise ValueError(
                    f"rules[{i}] names the feature '{rule.feature}', which is not under "
                    f"'features'; use one of {names} (see {RULES_DOCS})"
                )
            if rule.check == "stay" and rule.pose is not None:
                raise ValueError(
                    f"rules[{i}]: 'pose' goes with check 'reach'; a 'stay' rule covers every "
                    f"pose, so remove 'pose' (see {RULES_DOCS})"
                )
        return self


# --- a condition's version ------------------------------------------------------------------


class Modification(_Strict):
    """A condition's version of the exercise: what to change, in words, and, where the change
    is a different body position (on the forearms instead of the hands), its own key poses so
    the person sees their version drawn (docs/key-poses.md, "Drawing a modification").

    Written in a file either as the words alone (``wrist: Rest on your forearms.``) or as a
    mapping with ``text``, ``key_poses`` and, for props the version needs that the exercise
    does not, ``equipment``. A version without poses is written back as the words alone, so
    files, the API and saved catalogues keep their shape."""

    text: Text = Field(description="What to change, in plain words.")
    key_poses: KeyPoses | None = Field(
        default=None,
        description="optional: this version's own key poses, checked like the exercise's; "
        "pictures of the version are drawn from them.",
    )
    equipment: list[Equipment] = Field(
        default_factory=list,
        description="optional: equipment this version needs besides the exercise's own.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.equipment)) != len(self.equipment):
            raise ValueError("'equipment' lists an item twice; keep each item once")
        if self.equipment and self.key_poses is None:
            raise ValueError(
                "'equipment' is for a version drawn with its own 'key_poses'; add key_poses "
                "or say the equipment in 'text'"
            )
        return self

    @model_serializer(mode="wrap")
    def _words_alone(self, handler: SerializerFunctionWrapHandler) -> Any:
        if self.key_poses is None and not self.equipment:
            return self.text
        return handler(self)

    @property
    def drawn(self) -> bool:
        """True when this version has its own key poses (its own pictures)."""
        return self.key_poses is not None


def _words_alone(value: object) -> object:
    """A modification written as words alone is a version without its own poses."""
    return {"text": value} if isinstance(value, str) else value


ModificationEntry = Annotated[
    Modification, BeforeValidator(_words_alone, json_schema_input_type=Text | Modification)
]
"""A modification as written: the words alone, or a mapping (:class:`Modification`)."""


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
    modifications: dict[ConditionId, ModificationEntry] = Field(
        default_factory=dict,
        description="Each condition's version: the words alone, or {text, key_poses, "
        "equipment} when the version is drawn from its own poses (docs/key-poses.md).",
    )
    regression: Slug | None = None
    progression: Slug | None = None
    key_poses: KeyPoses | None = Field(
        default=None,
        description="Key poses for the pictures: joint angles and resting parts, in order.",
    )
    coach: CoachSpec | None = Field(
        default=None,
        description="optional: what the camera coach measures and the form rules it checks; "
        "needs key_poses (see docs/coach.md).",
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

    @field_validator("coach")
    @classmethod
    def _coach_fits_poses(cls, coach: CoachSpec | None, info: ValidationInfo) -> CoachSpec | None:
        # A field validator, so a mistake is reported at the coach section's line. key_poses
        # comes first in the model: absent from ``info.data`` when it has mistakes of its own.
        if coach is None or "key_poses" not in info.data:
            return coach
        key_poses: KeyPoses | None = info.data["key_poses"]
        if key_poses is None:
            raise ValueError(
                "'coach' needs 'key_poses': the coach compares the camera with them; add "
                f"key_poses (see docs/key-poses.md and {WRITING_YOUR_OWN}) or remove 'coach'"
            )
        poses = key_poses.poses
        roles = [p.role for p in poses]
        for i, rule in enumerate(coach.rules):
            if isinstance(rule.pose, int) and not 0 <= rule.pose < len(poses):
                raise ValueError(
                    f"coach.rules[{i}].pose {rule.pose} is not a key pose; number them from 0 "
                    f"to {len(poses) - 1} (see {RULES_DOCS})"
                )
            if isinstance(rule.pose, str) and rule.pose not in roles:
                raise ValueError(
                    f"coach.rules[{i}].pose '{rule.pose}' is not a role of the key poses; use "
                    f"one of {', '.join(dict.fromkeys(roles))} or a position from 0 (see "
                    f"{RULES_DOCS})"
                )
        return coach

    def version(self, condition: ConditionId) -> Exercise | None:
        """The exercise as ``condition``'s drawn version: its key poses, and the version's
        equipment added to the exercise's. None when that version has no poses of its own.

        A new object each call; ``body.cache.version_of`` keeps one per exercise."""
        found = self.modifications.get(condition)
        if found is None or found.key_poses is None:
            return None
        equipment = list(dict.fromkeys([*self.equipment, *found.equipment]))
        return self.model_copy(update={"key_poses": found.key_poses, "equipment": equipment})

    @property
    def drawn_versions(self) -> tuple[ConditionId, ...]:
        """The conditions whose version has its own key poses, in the file's order."""
        return tuple(c for c, m in self.modifications.items() if m.drawn)

    @property
    def counted(self) -> bool:
        """True when dosed in repetitions, False when dosed as continuous time."""
        return self.dose.reps is not None
