"""Pose checks that need the body's geometry, reported like any other catalogue problem.

The catalogue's schema rejects angles no body reaches; here every key pose is held to what an
adult's joints normally do and to what its own data declares:

- joint angles within published adult range-of-motion norms (:data:`NORMS`, sources beside
  each number), and two-joint limits one angle alone cannot show (a hip bent far with the
  knee straight stretches the hamstrings past their length);
- each resting part touches its support (within 2 cm) and props are in the equipment;
- no part of the body goes through the floor;
- a part resting on the same support in two neighbouring key poses stays put (knees and feet
  do not slide along the mat between frames);
- hands declared holding something (``hold``) are within a few centimetres of it;
- the face points where the pose says (``look``);
- a stick in the equipment (drawn along the back) touches the back of the head.

The catalogue loader calls :func:`check_exercise` through its ``extra_checks`` hook, so the
catalogue package itself never imports the body model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.geometry import Vec3, norm, sub
from backcoach.body.kinematics import Body3D, forward, resolve
from backcoach.body.placement import CONTACT_TOLERANCE_M, Placed
from backcoach.body.props import STICK_WIDTH_M, stick_line
from backcoach.body.scene import STILL_M, Frame, align, pose_frame, slides
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import KeyPose, KeyPoses, Support

Finding = tuple[list[str | int], str, str]
"""(location in the file, what is wrong, how to fix it)."""

_PROP_EQUIPMENT = {
    "chair": "chair",
    "wall": "wall",
    "roller": "foam-roller",
    "strap": "towel",
    "hold:chair": "chair",
}
"""Pose fields that need an item of equipment: the supports that are props, the strap (a
towel does: the catalogue's equipment has no separate strap) and a hand on a chair."""
_WHERE = {"floor": "on the floor", "chair": "on the chair seat", "roller": "on the roller"}

Gap = tuple[Support, int, str, float]
"""(support, index in its list, listed name, worst gap in metres)."""


# --- range-of-motion norms -----------------------------------------------------------------


@dataclass(frozen=True)
class Norm:
    """A joint's normal adult range, degrees (signs as in :mod:`backcoach.catalogue.poses`),
    where the numbers come from, and the names of its two directions for messages."""

    low: float
    high: float
    source: str
    low_name: str
    high_name: str


AAOS = "AAOS (Greene & Heckman 1994; as in Norkin & White)"
NORMS: dict[str, Norm] = {
    # The schema allows 45 of extension (see poses.LUMBAR_FLEXION); the adult norm is 25-30
    # even with the arms pushing, so a prone press-up's trunk can never stand upright.
    "lumbar": Norm(-30.0, 80.0, f"{AAOS}: flexion 80, extension 25-30", "extension", "flexion"),
    "lumbar_side_bend": Norm(-35.0, 35.0, f"{AAOS}: 35 each way", "side bend", "side bend"),
    "lumbar_rotation": Norm(-45.0, 45.0, f"{AAOS}: 45 each way", "rotation", "rotation"),
    "neck": Norm(-60.0, 45.0, f"{AAOS}: flexion 45, extension 45-75", "extension", "flexion"),
    "neck_rotation": Norm(-80.0, 80.0, f"{AAOS}: 80 each way", "rotation", "rotation"),
    # Hip extension: AAOS gives 30; Roach & Miles 1991 (Phys Ther 71:656) measured a mean of
    # about 20 in adults. Lying face down with the pelvis on the floor the hip barely extends.
    "hip": Norm(
        -30.0, 135.0, f"{AAOS}: extension 30; flexion 120 (+15 passive)", "extension", "flexion"
    ),
    "knee": Norm(
        -5.0,
        160.0,
        f"{AAOS}: flexion 135 (+25 kneeling, Hemmerich 2006)",
        "hyperextension",
        "flexion",
    ),
}
"""Adult range-of-motion norms checked on every key pose. Angles not listed are held to the
schema's ranges (also AAOS, in :mod:`backcoach.catalogue.poses`)."""

STRAIGHT_KNEE_DEG = 20.0
HAMSTRING_HIP_FLEXION_DEG = 95.0
"""With the knee within 20 degrees of straight, hip flexion stops where the hamstrings do: a
straight-leg raise of about 80-90 degrees in healthy adults (Norkin & White; Youdas et al.
2005, J Orthop Sports Phys Ther 35:246, hamstring length about 70-80), plus 5 for a pelvis
that tips with it (uncertain)."""


def _written_key(pose: KeyPose, key: str) -> str:
    """The angle key as the file writes it: ``left_hip`` for ``left_hip`` if given, else
    ``hip``."""
    if getattr(pose.angles, key, None) is not None:
        return key
    bare = key.removeprefix("left_").removeprefix("right_")
    return bare


def _norm_findings(pose: KeyPose, i: int) -> list[Finding]:
    posture = resolve(pose.angles)
    findings: list[Finding] = []
    seen: set[str] = set()
    for key, value in posture.items():
        bare = key.removeprefix("left_").removeprefix("right_")
        norm_ = NORMS.get(bare)
        if norm_ is None or norm_.low <= value <= norm_.high:
            continue
        written = _written_key(pose, key)
        if written in seen:
            continue
        seen.add(written)
        limit, name = (
            (norm_.low, norm_.low_name) if value < norm_.low else (norm_.high, norm_.high_name)
        )
        joint = bare.replace("_", " ")
        findings.append(
            (
                ["key_poses", "poses", i, "angles", written],
                f"{joint} {name} of {abs(value):g} degrees is beyond the adult norm of "
                f"{abs(limit):g} ({norm_.source})",
                f"use at most {abs(limit):g} degrees of {joint} {name} ({written}: {limit:g})",
            )
        )
    for side in sk.SIDES:
        hip, knee = posture[f"{side}_hip"], posture[f"{side}_knee"]
        if knee <= STRAIGHT_KNEE_DEG and hip > HAMSTRING_HIP_FLEXION_DEG:
            written = _written_key(pose, f"{side}_hip")
            if written in seen:
                continue
            seen.add(written)
            findings.append(
                (
                    ["key_poses", "poses", i, "angles", written],
                    f"{side} hip flexion of {hip:g} degrees with the knee nearly straight "
                    f"({knee:g}) is beyond the hamstrings' normal length (a straight-leg "
                    f"raise of 80-90, Norkin & White)",
                    f"bend the hip at most {HAMSTRING_HIP_FLEXION_DEG:g} degrees, or bend the "
                    f"knee more than {STRAIGHT_KNEE_DEG:g}",
                )
            )
    return findings


# --- hands that hold ----------------------------------------------------------------------

HOLD_TOLERANCE_M = 0.03
"""A hand holding a knee or resting on the belly may be at most 3 cm off its surface (or 3 cm
into it: skin and clothes give)."""

_HOLD_PORTIONS: dict[str, tuple[tuple[str, float, float], ...]] = {
    # (segment, from, to): fractions along the segment that count as the part.
    "knee": (("shank", 0.0, 0.3), ("thigh", 0.7, 1.0)),
    "shin": (("shank", 0.0, 1.0),),
    "thigh": (("thigh", 0.0, 1.0),),
    "belly": (("pelvis", 0.2, 1.0), ("upper_trunk", 0.0, 0.35)),
    "chest": (("upper_trunk", 0.4, 1.0),),
}


def _palm(body: Body3D, side: str) -> Vec3:
    """The middle of the hand, where it meets what it holds."""
    seg = body.segments[f"{side}_hand"]
    return _lerp(seg.start, seg.end, 0.5)


def _lerp(a: Vec3, b: Vec3, t: float) -> Vec3:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def _surface_gap(body: Body3D, point: Vec3, segment: str, t0: float, t1: float) -> float:
    """Distance from ``point`` to the surface of a stretch of ``segment`` (negative: inside)."""
    seg = body.segments[segment]
    axis = sub(seg.end, seg.start)
    length2 = sum(c * c for c in axis) or 1.0
    t = sum(a * b for a, b in zip(sub(point, seg.start), axis, strict=True)) / length2
    t = min(max(t, t0), t1)
    radius = seg.thickness.side * (1.0 + (seg.thickness.taper - 1.0) * t)
    return norm(sub(point, _lerp(seg.start, seg.end, t))) - radius


def hold_gap(body: Body3D, hand_side: str, target: str) -> float:
    """How far the palm of one hand is from the surface of a body part (``knee``,
    ``left_knee``, ``belly``), metres, less the hand's own half-thickness; negative inside."""
    palm = _palm(body, hand_side)
    if target in ("belly", "chest"):
        prefix, part = "", target
    else:
        side, _, part = target.partition("_")
        prefix = f"{side}_"
    hand_r = body.segments[f"{hand_side}_hand"].thickness.side
    return (
        min(
            _surface_gap(body, palm, f"{prefix}{seg}", t0, t1)
            for seg, t0, t1 in _HOLD_PORTIONS[part]
        )
        - hand_r
    )


def _holds(pose: KeyPose) -> list[tuple[str, str, str]]:
    """(key as written, hand side, target for that hand) for every hand the pose declares."""
    out: list[tuple[str, str, str]] = []
    for hand, target in pose.hold.items():
        sides = list(sk.SIDES) if hand == "hands" else [hand.removesuffix("_hand")]
        for side in sides:
            one: str = target
            if target in ("knees", "shins", "thighs"):
                one = f"{side}_{target.removesuffix('s')}"
            out.append((hand, side, one))
    return out


def _hold_findings(pose: KeyPose, i: int, frame: Frame, exercise: Exercise) -> list[Finding]:
    if not pose.hold:
        return []
    body = forward(frame.posture, frame.placed.height)
    findings: list[Finding] = []
    for hand, side, target in _holds(pose):
        where: list[str | int] = ["key_poses", "poses", i, "hold", hand]
        if target == "towel":
            continue  # the towel is drawn from the strapped part to the hands: always held
        if target in ("chair", "stick") and target not in exercise.equipment:
            verb = "rests on" if target == "chair" else "holds"
            findings.append(
                (
                    where,
                    f"a hand {verb} a {target} but the exercise's equipment lacks a {target}",
                    f"add '{target}' to 'equipment' or take the hand off the {target}",
                )
            )
        if target == "chair":
            gap = frame.placed.part_gap(f"{side}_hand", "chair")
        elif target == "stick":
            gap = stick_hold_gap(frame.placed, side)
        else:
            gap = hold_gap(body, side, target)
        if abs(gap) > HOLD_TOLERANCE_M:
            what = target.replace("_", " ")
            findings.append(
                (
                    where,
                    f"the {side} hand should hold the {what} but is {abs(gap) * 100:.0f} cm "
                    + ("away from it" if gap > 0 else "inside it"),
                    f"change the {side} shoulder and elbow angles so the hand reaches the "
                    f"{what} (within {HOLD_TOLERANCE_M * 100:.0f} cm counts), or remove it "
                    "from 'hold'",
                )
            )
    return findings


# --- a cushion under the head or the knees -------------------------------------------------

CUSHION_M = (0.03, 0.15)
"""How thick a cushion under a part can be: a folded towel or a small flat cushion (3 cm) to a
pillow that fills the gap under the head of someone lying on their side (15 cm)."""


def cushion_height(placed: Placed, part: str) -> float:
    """How far above the floor the part on the cushion sits: the cushion's thickness."""
    return placed.part_gap(part, "floor")


def _cushion_findings(pose: KeyPose, i: int, frame: Frame, exercise: Exercise) -> list[Finding]:
    if pose.cushion is None:
        return []
    where: list[str | int] = ["key_poses", "poses", i, "cushion"]
    findings: list[Finding] = []
    if "cushion" not in exercise.equipment:
        findings.append(
            (
                where,
                f"the {pose.cushion} rests on a cushion but the exercise's equipment lacks one",
                "add 'cushion' to 'equipment' or remove 'cushion' from the pose",
            )
        )
    low, high = CUSHION_M
    height = cushion_height(frame.placed, pose.cushion)
    if not low - 0.005 <= height <= high + 0.005:
        how = "lower it" if height > high else "lift it"
        findings.append(
            (
                where,
                f"the {pose.cushion} should rest on a cushion {low * 100:.0f} to "
                f"{high * 100:.0f} cm thick but sits {height * 100:.0f} cm above the floor",
                f"change the angles so the {pose.cushion} sits {low * 100:.0f} to "
                f"{high * 100:.0f} cm above the floor ({how}), or remove 'cushion'",
            )
        )
    return findings


def _cushion_keeps_its_thickness(poses: list[KeyPose], frames: list[Frame]) -> list[Finding]:
    """A cushion under the same part in neighbouring key poses is one cushion: the part rests
    on it at the same height (within the 2 cm a resting part may float)."""
    findings: list[Finding] = []
    for i in range(1, len(poses)):
        part = poses[i].cushion
        if part is None or poses[i - 1].cushion != part:
            continue
        before = cushion_height(frames[i - 1].placed, part)
        now = cushion_height(frames[i].placed, part)
        if abs(now - before) > CONTACT_TOLERANCE_M:
            findings.append(
                (
                    ["key_poses", "poses", i, "cushion"],
                    f"the {part} rests on the cushion {now * 100:.0f} cm above the floor here "
                    f"but {before * 100:.0f} cm in the key pose before: one cushion keeps its "
                    "thickness",
                    f"change the angles so the {part} sits as high as in the key pose before "
                    f"(within {CONTACT_TOLERANCE_M * 100:.0f} cm counts)",
                )
            )
    return findings


# --- where the face points ----------------------------------------------------------------

LOOK_LEVEL_DEG = 30.0
"""The face within 30 degrees of level looks ahead; further up or down, up or down."""


def face_elevation(placed: Placed) -> float:
    """How far above level (negative: below) the face points, degrees."""
    nose, centre = placed.points["nose"], placed.points["head_centre"]
    dx, dy = nose[0] - centre[0], nose[1] - centre[1]
    dz = placed.depth["nose"] - placed.depth["head_centre"]
    if placed.view == "top":  # seen from above: height is the depth, the picture is level
        up, level = dz, math.hypot(dx, dy)
    else:
        up, level = dy, math.hypot(dx, dz)
    return math.degrees(math.atan2(up, level))


def _look_finding(pose: KeyPose, i: int, frame: Frame) -> list[Finding]:
    if pose.look is None:
        return []
    elevation = face_elevation(frame.placed)
    actual = (
        "up" if elevation >= LOOK_LEVEL_DEG else "down" if elevation <= -LOOK_LEVEL_DEG else "ahead"
    )
    if actual == pose.look:
        return []
    fix = {
        "up": "bend the neck back (a more negative 'neck') until the face points up",
        "down": "bend the neck forward (a larger 'neck') until the face points at the floor",
        "ahead": "bend the neck until the face points level",
    }[pose.look]
    return [
        (
            ["key_poses", "poses", i, "look"],
            f"the pose says to look {pose.look} but the face points {actual} "
            f"({elevation:+.0f} degrees from level)",
            fix,
        )
    ]


# --- the floor ----------------------------------------------------------------------------

BELOW_FLOOR_M = 0.01
"""A part more than 1 cm below the floor's surface goes through it."""
SLIDE_M = STILL_M
"""A part resting in two neighbouring key poses may shift 3 cm (skin on a mat) before it
counts as sliding."""


def _below_floor(placed: Placed, i: int) -> list[Finding]:
    findings: list[Finding] = []
    for name, cap in placed.capsules.items():
        if cap.bottom < -BELOW_FLOOR_M:
            findings.append(
                (
                    ["key_poses", "poses", i, "angles"],
                    f"the {name.replace('_', ' ')} goes {-cap.bottom * 100:.0f} cm through "
                    "the floor",
                    "change the joint angles so the body stays above the floor, or list the "
                    "part under 'floor'",
                )
            )
    return findings


def _slides(poses: list[KeyPose], frames: list[Frame]) -> list[Finding]:
    """Resting limbs shared by neighbouring key poses, as lined up for the figure, that move
    along the floor: the picture would show a knee or a foot sliding on the mat. A pose may
    name parts that move on purpose (hands walking forward) under ``moves``."""
    findings: list[Finding] = []
    for i in range(1, len(frames)):
        for support, j, name, moved in slides(frames[i - 1], frames[i]):
            if abs(moved) <= SLIDE_M:
                continue
            findings.append(
                (
                    ["key_poses", "poses", i, support, j],
                    f"'{name}' slides {abs(moved) * 100:.0f} cm along the floor from the pose "
                    "before; a resting part stays where it is",
                    "change the joint angles so it stays put, list it under 'moves' if the "
                    f"steps move it on purpose, or remove it from '{support}' in one of the "
                    "two poses",
                )
            )
    return findings


# --- all together -------------------------------------------------------------------------


def check_exercise(exercise: Exercise) -> list[Finding]:
    """Every key pose of ``exercise`` against the norms, its declared contacts and the floor."""
    key_poses = exercise.key_poses
    if key_poses is None:
        return []
    findings: list[Finding] = []
    frames = [pose_frame(pose, key_poses) for pose in key_poses.poses]
    for i, (pose, frame) in enumerate(zip(key_poses.poses, frames, strict=True)):
        findings += _norm_findings(pose, i)
        used = [*pose.rests_on(), *(["strap"] if pose.strap is not None else [])]
        for field in used:
            needed = _PROP_EQUIPMENT.get(field)
            if needed is not None and needed not in exercise.equipment:
                findings.append(
                    (
                        ["key_poses", "poses", i, field],
                        f"the pose uses a {field} but the exercise's equipment lacks a {needed}",
                        f"add '{needed}' to 'equipment' or "
                        + ("remove the strap" if field == "strap" else "rest the pose elsewhere"),
                    )
                )
        misplaced = _misplaced(pose, key_poses)
        for support, j, name, gap in misplaced:
            findings.append(
                (
                    ["key_poses", "poses", i, support, j],
                    _message(name, support, gap),
                    f"change the joint angles so '{name}' touches, or remove it from "
                    f"'{support}' (within {CONTACT_TOLERANCE_M * 100:.0f} cm counts)",
                )
            )
        findings += _below_floor(frame.placed, i)
        findings += _hold_findings(pose, i, frame, exercise)
        findings += _look_finding(pose, i, frame)
        findings += _cushion_findings(pose, i, frame, exercise)
    if not any(f[0][3:4] and f[0][3] in ("floor", "chair", "roller") for f in findings):
        findings += _slides(key_poses.poses, align(frames))
    if "stick" in exercise.equipment:
        findings += stick_findings(key_poses, frames)
    findings += _cushion_keeps_its_thickness(key_poses.poses, frames)
    return findings


# --- the stick along the back -------------------------------------------------------------


def stick_findings(key_poses: KeyPoses, frames: list[Frame]) -> list[Finding]:
    """An exercise with a stick in its equipment has it drawn along the back
    (``props.stick_line``), as the hip hinge is taught: touching the head, the upper back and
    the tailbone. The picture can only show that from the side, and only if the head rests
    back against the stick; a head hanging forward off it is the mistake the stick is there to
    catch, so the picture must not show it."""
    if key_poses.view != "side":
        return [
            (
                ["key_poses", "view"],
                f"the exercise uses a stick along the back, which only shows from the side "
                f"(the view is '{key_poses.view}')",
                "set 'view: side' or take 'stick' out of 'equipment'",
            )
        ]
    findings: list[Finding] = []
    for i, frame in enumerate(frames):
        head = frame.placed.capsules["head"]
        gap = _line_gap(stick_line(frame.placed), head.a) - head.ra
        if gap > HOLD_TOLERANCE_M:
            findings.append(
                (
                    ["key_poses", "poses", i, "angles", "neck"],
                    f"the stick along the back should touch the back of the head, but the head "
                    f"is {gap * 100:.0f} cm in front of it",
                    "bend the neck back a little (a smaller or negative 'neck' angle) so the "
                    f"head rests against the stick (within {HOLD_TOLERANCE_M * 100:.0f} cm "
                    "counts)",
                )
            )
    return findings


def stick_hold_gap(placed: Placed, side: str) -> float:
    """How far the palm of one hand is from the surface of the stick held along the back
    (``props.stick_line``), metres, less the hand's own half-thickness: the stick lies in the
    middle of the body, so a hand off to one side of the back is off it too."""
    (x1, y1), (x2, y2) = stick_line(placed)
    hand = placed.capsules[f"{side}_hand"]
    da, db = hand.ends_depth if hand.ends_depth is not None else (hand.depth, hand.depth)
    palm = ((hand.a[0] + hand.b[0]) / 2, (hand.a[1] + hand.b[1]) / 2)
    length = math.dist((x1, y1), (x2, y2)) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    t = min(max((palm[0] - x1) * ux + (palm[1] - y1) * uy, 0.0), length)
    along = math.dist(palm, (x1 + ux * t, y1 + uy * t))
    across = (da + db) / 2 - placed.depth["hip_centre"]
    return math.hypot(along, across) - STICK_WIDTH_M / 2 - (hand.ra + hand.rb) / 2


def _line_gap(
    line: tuple[tuple[float, float], tuple[float, float]], p: tuple[float, float]
) -> float:
    """How far ``p`` is from the straight line through ``line``'s two points, metres."""
    (x1, y1), (x2, y2) = line
    length = math.dist((x1, y1), (x2, y2)) or 1.0
    return abs((x2 - x1) * (y1 - p[1]) - (x1 - p[0]) * (y2 - y1)) / length


def _gaps(pose: KeyPose, key_poses: KeyPoses) -> tuple[Placed, list[Gap]]:
    """The placed body and the gap of every listed resting part."""
    placed = pose_frame(pose, key_poses).placed
    out: list[Gap] = []
    for support, names in pose.rests_on().items():
        for j, name in enumerate(names):
            gap = max(
                (placed.gaps[f"{support}:{spec.name}"] for spec in contact_specs(name)), key=abs
            )
            out.append((support, j, name, gap))
    return placed, out


def _misplaced(pose: KeyPose, key_poses: KeyPoses) -> list[Gap]:
    """The resting parts to blame. Placement shares a misfit among all resting parts, so when
    the rest fit once one part is left out, only that part is reported, with its gap then."""
    _, gaps = _gaps(pose, key_poses)
    bad = [g for g in gaps if abs(g[3]) > CONTACT_TOLERANCE_M]
    if len(bad) < 2:
        return bad
    blamed = []
    for support, j, name, gap in gaps:
        remaining = [n for n in getattr(pose, support) if n != name]
        without = pose.model_copy(update={support: remaining})
        if not any(s != "wall" for s in without.rests_on()):
            continue  # nothing left to bear the weight: placement needs something
        placed, others = _gaps(without, key_poses)
        if all(abs(g[3]) <= CONTACT_TOLERANCE_M for g in others):
            # A wall part's gap is sideways and, left out, the wall is not placed at all:
            # its shared gap stands. Any other part's gap is read off the body as placed.
            alone = gap if support == "wall" else placed.part_gap(name, support)
            blamed.append((support, j, name, alone))
    return blamed or bad


def _message(name: str, support: str, gap: float) -> str:
    cm = abs(gap) * 100
    if support == "wall":
        return f"'{name}' should rest against the wall but is {cm:.0f} cm away from it"
    where = "above" if gap > 0 else "below"
    return f"'{name}' should rest {_WHERE[support]} but the pose puts it {cm:.0f} cm {where} it"
