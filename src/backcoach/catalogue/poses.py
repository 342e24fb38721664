"""Key poses: how an exercise looks, as joint angles and what the body rests on.

A pose is data the body model (``backcoach.body``) turns into a figure: joint angles in
degrees from the anatomical standing position, plus the body parts that touch the floor or a
prop. Angles outside a human range are rejected here, field by field, so the loader reports
the exact line; checks that need the body's geometry (do the resting parts really touch the
floor?) live in ``backcoach.body.checks``.

Sign conventions (all angles in degrees, 0 = standing upright, arms by the sides):

- flexion is positive and extension negative (``lumbar: 30`` bends forward, ``lumbar: -20``
  arches back); ``ankle`` is positive when the foot lifts toward the shin (dorsiflexion);
- ``*_abduction`` is positive away from the midline, for either side;
- ``*_rotation`` of a limb is positive outward (external rotation); of the trunk or neck,
  positive turns to the person's right; ``*_side_bend`` is positive toward the right.

A bare limb key (``hip``) sets both sides; ``left_hip``/``right_hip`` override one side.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# --- joint limits -------------------------------------------------------------------------
# (low, high) in degrees, negative = extension/adduction/inward, with the sign conventions above.
# Unless marked otherwise: AAOS normal ranges of motion (Greene & Heckman 1994, "The Clinical
# Measurement of Joint Motion", AAOS), the values goniometry texts such as Norkin & White,
# "Measurement of Joint Motion" repeat. Several floor exercises take a joint passively past
# its active range (kneeling, press-ups); those limits are widened and marked (uncertain).

LUMBAR_FLEXION = (-45.0, 80.0)
"""Thoracolumbar flexion 80 (AAOS). Extension 25-30 standing active (AAOS); the schema lets
45 through as the outer limit of any body, and the pose checks (``backcoach.body.checks.NORMS``)
hold every key pose to the adult norm of 30."""
LUMBAR_SIDE_BEND = (-35.0, 35.0)
"""Thoracolumbar lateral flexion 35 each way (AAOS)."""
LUMBAR_ROTATION = (-45.0, 45.0)
"""Thoracolumbar rotation 45 each way (AAOS)."""
NECK_FLEXION = (-60.0, 45.0)
"""Cervical flexion 45, extension 45-75 (AAOS); the mid value 60 for extension."""
NECK_SIDE_BEND = (-45.0, 45.0)
"""Cervical lateral flexion 45 each way (AAOS)."""
NECK_ROTATION = (-80.0, 80.0)
"""Cervical rotation 80 each way (AAOS)."""
HEAD_FLEXION = (-25.0, 25.0)
"""Nodding at the skull base (atlanto-occipital), about 25 each way (uncertain: textbook
ranges vary from 15 to 30)."""
SHOULDER_FLEXION = (-60.0, 180.0)
"""Shoulder flexion 180, extension 60 (AAOS)."""
SHOULDER_ABDUCTION = (-135.0, 180.0)
"""Shoulder abduction 180 (AAOS). Negative values bring the arm across the body: with the arm
raised forward that is horizontal adduction, 135 (AAOS); with the arm down the trunk stops it
near 0, which this single range cannot tell apart."""
SHOULDER_ROTATION = (-70.0, 90.0)
"""Shoulder internal rotation 70, external 90 (AAOS)."""
ELBOW_FLEXION = (-10.0, 150.0)
"""Elbow flexion 150 (AAOS); up to 10 of hyperextension is common."""
WRIST_FLEXION = (-90.0, 80.0)
"""Wrist flexion 80 (AAOS). Extension 70 active (AAOS); weight on a flat hand (press-ups,
hands and knees) bends it back passively to about 90 (uncertain: practice-based)."""
HIP_FLEXION = (-30.0, 135.0)
"""Hip extension 30 (AAOS). Flexion 120 active (AAOS); hugging the knees or sitting back into
child's pose takes it passively to about 135 (uncertain: practice-based)."""
HIP_ABDUCTION = (-30.0, 45.0)
"""Hip abduction 45, adduction 30 (AAOS)."""
HIP_ROTATION = (-45.0, 45.0)
"""Hip internal and external rotation 45 each (AAOS)."""
KNEE_FLEXION = (-5.0, 160.0)
"""Knee flexion 135 active (AAOS); kneeling and sitting on the heels reach about 155-160
passively (Hemmerich et al. 2006, J Orthop Res 24:770; uncertain). Up to 5 hyperextension."""
ANKLE_DORSIFLEXION = (-70.0, 25.0)
"""Ankle dorsiflexion 20, plantarflexion 50 (AAOS). A lunge takes dorsiflexion about 5 further;
kneeling or sitting back on the heels with the tops of the feet flat on the floor takes
plantarflexion passively to about 60-70 (uncertain: practice-based)."""


Bounds = tuple[float, float]

TRUNK_LIMITS: dict[str, tuple[str, Bounds]] = {
    "lumbar": ("lumbar flexion", LUMBAR_FLEXION),
    "lumbar_side_bend": ("lumbar side bend", LUMBAR_SIDE_BEND),
    "lumbar_rotation": ("lumbar rotation", LUMBAR_ROTATION),
    "neck": ("neck flexion", NECK_FLEXION),
    "neck_side_bend": ("neck side bend", NECK_SIDE_BEND),
    "neck_rotation": ("neck rotation", NECK_ROTATION),
    "head": ("head nod", HEAD_FLEXION),
}
"""Angle keys of the midline (one value each): the name used in messages and the range."""
ARM_LIMITS: dict[str, tuple[str, Bounds]] = {
    "shoulder": ("shoulder flexion", SHOULDER_FLEXION),
    "shoulder_abduction": ("shoulder abduction", SHOULDER_ABDUCTION),
    "shoulder_rotation": ("shoulder rotation", SHOULDER_ROTATION),
    "elbow": ("elbow flexion", ELBOW_FLEXION),
    "wrist": ("wrist flexion", WRIST_FLEXION),
}
"""Angle keys of each arm (``shoulder``, ``left_shoulder``, ``right_shoulder``)."""
LEG_LIMITS: dict[str, tuple[str, Bounds]] = {
    "hip": ("hip flexion", HIP_FLEXION),
    "hip_abduction": ("hip abduction", HIP_ABDUCTION),
    "hip_rotation": ("hip rotation", HIP_ROTATION),
    "knee": ("knee flexion", KNEE_FLEXION),
    "ankle": ("ankle dorsiflexion", ANKLE_DORSIFLEXION),
}
"""Angle keys of each leg."""

TRUNK_JOINTS = tuple(TRUNK_LIMITS)
"""Angle keys of the midline: one value each."""
ARM_JOINTS = tuple(ARM_LIMITS)
LEG_JOINTS = tuple(LEG_LIMITS)
LIMB_JOINTS = ARM_JOINTS + LEG_JOINTS
"""Angle keys that exist once per side (``hip``, ``left_hip``, ``right_hip``)."""
_TABLE = {**TRUNK_LIMITS, **ARM_LIMITS, **LEG_LIMITS}
JOINT_LIMITS: dict[str, Bounds] = {key: bounds for key, (_, bounds) in _TABLE.items()}
"""Every angle key (without its side) and its range, degrees."""


def _limit(key: str) -> AfterValidator:
    label, (low, high) = _TABLE[key]

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(
                f"{label} of {value:g} degrees is outside the human range ({low:g} to "
                f"{high:g}); use an angle between {low:g} and {high:g}"
            )
        return value

    return AfterValidator(check)


def _schema(key: str) -> Any:
    # The validator above does the checking (with a message naming the joint); this only
    # tells editors and `backcoach catalogue schema` readers the range.
    low, high = JOINT_LIMITS[key]
    return Field(json_schema_extra={"minimum": low, "maximum": high})


Lumbar = Annotated[float, _limit("lumbar"), _schema("lumbar")]
LumbarSide = Annotated[float, _limit("lumbar_side_bend"), _schema("lumbar_side_bend")]
LumbarRot = Annotated[float, _limit("lumbar_rotation"), _schema("lumbar_rotation")]
Neck = Annotated[float, _limit("neck"), _schema("neck")]
NeckSide = Annotated[float, _limit("neck_side_bend"), _schema("neck_side_bend")]
NeckRot = Annotated[float, _limit("neck_rotation"), _schema("neck_rotation")]
Head = Annotated[float, _limit("head"), _schema("head")]
Shoulder = Annotated[float, _limit("shoulder"), _schema("shoulder")]
ShoulderAbd = Annotated[float, _limit("shoulder_abduction"), _schema("shoulder_abduction")]
ShoulderRot = Annotated[float, _limit("shoulder_rotation"), _schema("shoulder_rotation")]
Elbow = Annotated[float, _limit("elbow"), _schema("elbow")]
Wrist = Annotated[float, _limit("wrist"), _schema("wrist")]
Hip = Annotated[float, _limit("hip"), _schema("hip")]
HipAbd = Annotated[float, _limit("hip_abduction"), _schema("hip_abduction")]
HipRot = Annotated[float, _limit("hip_rotation"), _schema("hip_rotation")]
Knee = Annotated[float, _limit("knee"), _schema("knee")]
Ankle = Annotated[float, _limit("ankle"), _schema("ankle")]


class JointAngles(BaseModel):
    """Joint angles in degrees; a missing angle is 0 (the standing position)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    lumbar: Lumbar | None = None
    lumbar_side_bend: LumbarSide | None = None
    lumbar_rotation: LumbarRot | None = None
    neck: Neck | None = None
    neck_side_bend: NeckSide | None = None
    neck_rotation: NeckRot | None = None
    head: Head | None = None

    shoulder: Shoulder | None = None
    left_shoulder: Shoulder | None = None
    right_shoulder: Shoulder | None = None
    shoulder_abduction: ShoulderAbd | None = None
    left_shoulder_abduction: ShoulderAbd | None = None
    right_shoulder_abduction: ShoulderAbd | None = None
    shoulder_rotation: ShoulderRot | None = None
    left_shoulder_rotation: ShoulderRot | None = None
    right_shoulder_rotation: ShoulderRot | None = None
    elbow: Elbow | None = None
    left_elbow: Elbow | None = None
    right_elbow: Elbow | None = None
    wrist: Wrist | None = None
    left_wrist: Wrist | None = None
    right_wrist: Wrist | None = None

    hip: Hip | None = None
    left_hip: Hip | None = None
    right_hip: Hip | None = None
    hip_abduction: HipAbd | None = None
    left_hip_abduction: HipAbd | None = None
    right_hip_abduction: HipAbd | None = None
    hip_rotation: HipRot | None = None
    left_hip_rotation: HipRot | None = None
    right_hip_rotation: HipRot | None = None
    knee: Knee | None = None
    left_knee: Knee | None = None
    right_knee: Knee | None = None
    ankle: Ankle | None = None
    left_ankle: Ankle | None = None
    right_ankle: Ankle | None = None

    def value(self, joint: str, side: Literal["left", "right"] | None = None) -> float:
        """The angle of ``joint`` (a key of LIMB_JOINTS or TRUNK_JOINTS) on ``side``."""
        if side is not None:
            own = getattr(self, f"{side}_{joint}")
            if own is not None:
                return float(own)
        both = getattr(self, joint)
        return 0.0 if both is None else float(both)


# --- poses --------------------------------------------------------------------------------

View = Literal["side", "front", "top", "head-end", "foot-end"]
"""``side``: seen from one side (bending forward and back shows best); ``front``: seen from in
front (side bends, lying on one side); ``top``: seen from above, for lying exercises that move
sideways; ``head-end``/``foot-end``: seen lengthwise from beyond the head or the feet, for
lying or kneeling exercises that turn about the body's long axis (knees rolling to one side,
an arm opening like a book)."""
BodySide = Literal["left", "right"]
PoseRole = Literal["start", "middle", "end", "hold"]
Support = Literal["floor", "chair", "roller", "wall"]
"""What a pose can rest on; each is a field of :class:`KeyPose` listing the parts on it."""
SUPPORTS: tuple[Support, ...] = get_args(Support)

Contact = Literal[
    "head",
    "shoulders",
    "upper_trunk",
    "pelvis",
    "upper_arms",
    "left_upper_arm",
    "right_upper_arm",
    "elbows",
    "left_elbow",
    "right_elbow",
    "forearms",
    "left_forearm",
    "right_forearm",
    "hands",
    "left_hand",
    "right_hand",
    "thighs",
    "left_thigh",
    "right_thigh",
    "knees",
    "left_knee",
    "right_knee",
    "shins",
    "left_shin",
    "right_shin",
    "feet",
    "left_foot",
    "right_foot",
    "heels",
    "left_heel",
    "right_heel",
    "toes",
    "left_toes",
    "right_toes",
]
"""Body parts a pose can rest on. A plural names both sides. ``hands``, ``forearms``,
``shins`` and ``feet`` lie flat (both ends touch); ``shoulders`` is the top of the upper back;
the others touch at some point."""

BodyPart = Literal[
    "trunk", "hips", "head", "arms", "left_arm", "right_arm", "legs", "left_leg", "right_leg"
]
"""Parts a figure can colour as the working ones, or follow with an arrow (``hips``: the
hip centre, followed only when named, as in a hip hinge's "hips back")."""

Hand = Literal["hands", "left_hand", "right_hand"]
"""A hand that holds something; ``hands`` is both, each holding its own side's part (or both
the one part named, e.g. ``hands: right_knee``)."""
HoldTarget = Literal[
    "knees",
    "left_knee",
    "right_knee",
    "shins",
    "left_shin",
    "right_shin",
    "thighs",
    "left_thigh",
    "right_thigh",
    "belly",
    "chest",
    "towel",
    "chair",
    "stick",
]
"""What a hand can hold or rest on, besides the floor: a part of the body (the knee, the shin
just below it, the thigh, the belly, the chest), the towel of ``strap``, the chair seat or the
stick held along the back (a ``stick`` in the equipment)."""
PAIRED_HOLDS = ("knees", "shins", "thighs")
"""Hold targets that name both sides: only ``hands`` (one hand each) can hold them."""
Cushioned = Literal["head", "knees"]
"""What a cushion (in the exercise's equipment) lies under: the head of a person lying down,
or both knees. The part rests on the cushion, not on the floor."""
Look = Literal["up", "down", "ahead"]
"""Where the face points: ``up`` (at the ceiling or the sky, 30 degrees or more above level),
``down`` (at the floor or the mat, 30 degrees or more below level) or ``ahead`` (within 30
degrees of level)."""

Caption = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]

CAMERA_TURN = (-90.0, 90.0)
"""How far the camera walks round the body from the declared view, degrees: at 90 a side
view has become a view from the front or the back, which ``view`` says more plainly."""
CAMERA_RAISE = (0.0, 80.0)
"""How far the camera looks down, degrees: 0 is level; ``view: top`` looks straight down."""


def _camera_angle(label: str, bounds: Bounds, hint: str) -> AfterValidator:
    low, high = bounds

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(
                f"a camera {label} of {value:g} degrees is outside {low:g} to {high:g}; use an "
                f"angle between {low:g} and {high:g} ({hint})"
            )
        return value

    return AfterValidator(check)


class Camera(BaseModel):
    """Where the picture is seen from, relative to the declared ``view``: walked round the body
    about the vertical (``turn``) and raised to look down on it (``raise``). Placement still
    rests the body in the declared view; the camera only changes how it is drawn."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    turn: Annotated[
        float,
        _camera_angle("turn", CAMERA_TURN, "positive walks round to the picture's right"),
        Field(json_schema_extra={"minimum": CAMERA_TURN[0], "maximum": CAMERA_TURN[1]}),
    ] = Field(
        default=0.0,
        description="Degrees the camera walks round the body about the vertical, from the "
        "declared view; positive walks to the picture's right, so the body's right-hand end "
        "comes nearer.",
    )
    raise_: Annotated[
        float,
        _camera_angle("raise", CAMERA_RAISE, "0 is level, 80 nearly straight down"),
        Field(json_schema_extra={"minimum": CAMERA_RAISE[0], "maximum": CAMERA_RAISE[1]}),
    ] = Field(
        default=0.0,
        alias="raise",
        description="Degrees the camera looks down on the body: 0 level, 25-40 a raised "
        "three-quarter view that shows a body lying on the floor from above at an angle.",
    )


class KeyPose(BaseModel):
    """One moment of the exercise: joint angles and what the body rests on."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    role: PoseRole = Field(
        description="start, middle (only where the path is not obvious), end, or hold."
    )
    label: Caption | None = Field(default=None, description="A few words under the picture.")
    angles: JointAngles = Field(default_factory=JointAngles)
    floor: list[Contact] = Field(default_factory=list, description="Parts on the floor or mat.")
    chair: list[Contact] = Field(default_factory=list, description="Parts on a chair seat.")
    wall: list[Contact] = Field(default_factory=list, description="Parts against a wall.")
    roller: list[Contact] = Field(
        default_factory=list, description="Parts lying on a foam roller (on the floor)."
    )
    strap: Contact | None = Field(
        default=None,
        description="A part with a towel or strap looped round it, its ends in the hands.",
    )
    hold: dict[Hand, HoldTarget] = Field(
        default_factory=dict,
        description="What the hands hold or rest on other than the floor, e.g. {hands: knees} "
        "(each hand its own knee) or {hands: right_knee} (both hands round one knee); checked: "
        "the hand must be within a few centimetres of it.",
    )
    moves: list[Contact] = Field(
        default_factory=list,
        description="Resting parts that slide along the floor on purpose on the way to this "
        "pose (hands walking forward); others must stay put.",
    )
    look: Look | None = Field(
        default=None,
        description="Where the face points, when the steps say so: up, down or ahead; checked.",
    )
    cushion: Cushioned | None = Field(
        default=None,
        description="A cushion under the head (or the knees) when the steps put one there; "
        "drawn, and checked: the part must sit a cushion's thickness (3 to 15 cm) above the "
        "floor and the exercise's equipment must list a cushion.",
    )
    camera: Camera | None = Field(
        default=None,
        description="This pose's picture from another camera than the exercise's, e.g. "
        "{turn: 30, raise: 35}; the animation keeps the exercise's camera.",
    )

    def rests_on(self) -> dict[Support, list[Contact]]:
        """The parts listed on each support, for the supports the pose uses."""
        listed = {support: list(getattr(self, support)) for support in SUPPORTS}
        return {support: parts for support, parts in listed.items() if parts}

    @model_validator(mode="after")
    def _supported(self) -> Self:
        if not (self.floor or self.chair or self.roller):
            raise ValueError(
                "the pose rests on nothing; list the parts that touch the floor under "
                "'floor' (or 'chair'/'roller'), e.g. floor: [feet]"
            )
        seen: set[str] = set()
        for part in (part for parts in self.rests_on().values() for part in parts):
            if part in seen:
                raise ValueError(f"'{part}' is listed twice; list each resting part once")
            seen.add(part)
        if self.cushion is not None and self.cushion in seen:
            raise ValueError(
                f"'{self.cushion}' rests on the cushion, so it cannot rest on the floor or "
                f"another support as well; take '{self.cushion}' out of that list"
            )
        if "hands" in self.hold and len(self.hold) > 1:
            raise ValueError(
                "'hold' names 'hands' and one hand as well; say 'hands' alone or give "
                "'left_hand' and 'right_hand' each"
            )
        for hand, target in self.hold.items():
            if hand != "hands" and target in PAIRED_HOLDS:
                one = target.removesuffix("s")
                raise ValueError(
                    f"'{hand}' cannot hold both {target}; say left_{one} or right_{one}"
                )
            if target == "towel" and self.strap is None:
                raise ValueError(
                    f"'{hand}' holds a towel but the pose has none; add 'strap' with the part "
                    "the towel goes round, e.g. strap: right_foot"
                )
        return self


class KeyPoses(BaseModel):
    """The key poses of an exercise, in order, and how they are seen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    view: View
    side: BodySide = Field(
        description="Side and top views: the side of the body nearest the viewer (from above: "
        "at the bottom of the picture). Front and end views show both sides alike and "
        "ignore it; any value will do."
    )
    poses: list[KeyPose] = Field(min_length=2)
    highlight: list[BodyPart] | None = Field(
        default=None,
        description="Parts to colour as working; by default the limb that moves more than "
        "its partner, else the trunk when it bends.",
    )
    arrows: bool | list[BodyPart] = Field(
        default=True,
        description="Arrows along the movement: true (the main moving parts), false (none: an "
        "alternating movement such as walking reads better without), or the parts to follow.",
    )
    camera: Camera | None = Field(
        default=None,
        description="Draw the placed body from a camera walked round it and raised, e.g. "
        "{turn: 35, raise: 25}: a raised three-quarter view where the plain view hides the "
        "movement (knees rolling to one side, a seated twist). Not with view: top, a wall "
        "or a foam roller.",
    )

    def camera_of(self, index: int) -> Camera | None:
        """The camera of the key pose at ``index``: its own, else the exercise's."""
        own = self.poses[index].camera
        return own if own is not None else self.camera

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        roles = [pose.role for pose in self.poses]
        if roles[0] != "start" or roles.count("start") != 1:
            raise ValueError(
                f"poses go start, middle..., end or hold (got {', '.join(roles)}); make the "
                "first pose the only 'start'"
            )
        if roles[-1] not in ("end", "hold") or any(r in ("end", "hold") for r in roles[1:-1]):
            raise ValueError(
                f"poses go start, middle..., end or hold (got {', '.join(roles)}); make the "
                "last pose the only 'end' or 'hold'"
            )
        cameras = [self.camera, *(pose.camera for pose in self.poses)]
        if any(c is not None for c in cameras):
            if self.view == "top":
                raise ValueError(
                    "'camera' cannot be used with view: top (it already looks straight down); "
                    "use view: side or front with camera: {raise: 60} instead"
                )
            props = [s for pose in self.poses for s in ("wall", "roller") if getattr(pose, s)]
            if props:
                raise ValueError(
                    f"'camera' cannot be used with a pose resting on a {props[0]} (it is drawn "
                    "only from the plain view); remove 'camera' or the "
                    f"'{props[0]}' contact"
                )
        return self
