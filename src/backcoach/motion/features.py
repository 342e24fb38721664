"""Features: angles, heights above the floor line, leans and left-right differences.

Features are read from UPRIGHT landmarks (y up; see :mod:`backcoach.motion.orient`), the same
way for a camera's landmarks and for the body model's key poses, so a threshold taken from a
key pose means the same thing on video. Every measure is unitless or in degrees, and none
depends on which way the person faces, so a camera on either side gives the same numbers.

Angles are measured in 3D, between world positions (MediaPipe's ``pose_world_landmarks``; the
body model's own 3D body for the key poses), whenever the landmarks have them: a limb pointing
toward the camera keeps its true angle, so a camera turned or looking down reads what a side
view reads. Heights, leans and left-right differences need the floor and "up", which the
levelled picture gives, so they stay in the picture plane.

An angle between points of the trunk, head and legs (the hips, knees and ankles bend forward
and back) is read in the body's own side-on plane: both segments are first flattened onto the
plane across the left-right hip axis. A straight joint's full 3D angle is ill-conditioned:
near 180 degrees a bend forward or back changes it only slightly (to second order), while the
sideways part, the build's own offsets (shoulders wider than hips) plus MediaPipe's depth
noise, which lies across a side-on camera, changes it at once and always makes it smaller.
Flattened, the bend moves the angle one for one and the depth noise drops out.

A turn (``turn: [shoulder, hip]``, a twist) is read on world positions only: the angle between
the left-to-right line of one paired point and that of the other, both flattened onto the plane
across the trunk's long axis (mid-hips to mid-shoulders). A turn about the long axis hardly
moves anything in the picture plane, and 3D positions read it the same from any camera. Without
world positions (an old landmark file) a turn is not measured at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from backcoach.catalogue.model import BODY_POINTS, CoachFeature
from backcoach.motion.frames import Mark, Marks

VISIBLE = 0.5
"""MediaPipe visibility below which a landmark counts as not seen (its documented range is
0-1; 0.5 is the threshold its own drawing utilities use)."""

SIDE_PREFERENCE = 0.25
"""When one side's landmarks are seen this much more surely than the other's (MediaPipe
visibility), a feature on ``both`` sides uses that side alone: in a side view the far limbs
are the pose model's guess, and its guesses for a hidden knee can be wildly bent."""

FORESHORTENED = 0.5
"""A trunk drawn shorter than this share of the body's size points at the camera."""

SAGITTAL = frozenset({"nose", "ear", "shoulder", "hip", "knee", "ankle", "heel", "toe"})
"""Points whose angles are read in the body's side-on plane (see above); an angle with an
elbow or a wrist (arms bend in any plane) stays fully 3D."""

SIDEWAYS = 0.5
"""A segment that keeps less than this share of its length once flattened points mostly along
the hip axis: its angle is not a forward or back bend, so the full 3D angle is used."""

SIDES = ("left", "right")
_MEDIAPIPE_NAME = {"toe": "foot_index"}
PAIRED = frozenset(BODY_POINTS) - {"nose"}


def landmark(point: str, side: str | None = None) -> str:
    """A catalogue point name (``hip``, ``left_toe``) as a MediaPipe landmark name."""
    for s in SIDES:
        if point.startswith(s + "_"):
            side, point = s, point[len(s) + 1 :]
    base = _MEDIAPIPE_NAME.get(point, point)
    return base if side is None or point not in PAIRED else f"{side}_{base}"


def seen(marks: Marks, name: str) -> Mark | None:
    mark = marks.get(name)
    return mark if mark is not None and mark.visibility >= VISIBLE else None


def _mid(marks: Marks, base: str) -> tuple[float, float] | None:
    pts = [m for m in (seen(marks, f"{s}_{base}") for s in SIDES) if m is not None]
    if not pts:
        return None
    return sum(p.x for p in pts) / len(pts), sum(p.y for p in pts) / len(pts)


def body_scale(marks: Marks) -> float | None:
    """The trunk length (mid-shoulders to mid-hips), or the shoulder width when that is
    longer (a body seen end-on); None when the shoulders or hips are not seen."""
    shoulders, hips = _mid(marks, "shoulder"), _mid(marks, "hip")
    if shoulders is None or hips is None:
        return None
    trunk = math.dist(shoulders, hips)
    left, right = seen(marks, "left_shoulder"), seen(marks, "right_shoulder")
    width = math.dist(left[:2], right[:2]) if left and right else 0.0
    return max(trunk, width) or None


def floor_line(marks: Marks) -> float | None:
    """Height of the floor: the lowest landmark seen (something always rests on the floor)."""
    ys = [m.y for m in marks.values() if m.visibility >= VISIBLE]
    return min(ys) if ys else None


@dataclass(frozen=True)
class Frame:
    """Upright landmarks with the body's scale and floor line for one moment."""

    marks: Marks
    scale: float
    floor: float


def hip_axis(marks: Marks) -> tuple[float, float, float] | None:
    """The unit left-right hip axis in world positions; None without both hips' positions.

    Visibility is not asked for: MediaPipe places every world landmark, and a hidden hip's
    sideways offset, guessed or not, tilts the axis only a little."""
    left, right = marks.get("left_hip"), marks.get("right_hip")
    if left is None or right is None or left.world is None or right.world is None:
        return None
    axis = [p - q for p, q in zip(left.world, right.world, strict=True)]
    size = math.hypot(*axis)
    return (axis[0] / size, axis[1] / size, axis[2] / size) if size else None


def _flatten(v: list[float], normal: tuple[float, float, float]) -> list[float] | None:
    along = sum(p * q for p, q in zip(v, normal, strict=True))
    flat = [p - along * q for p, q in zip(v, normal, strict=True)]
    return flat if math.hypot(*flat) >= SIDEWAYS * math.hypot(*v) else None


def angle_at(
    a: Mark, b: Mark, c: Mark, normal: tuple[float, float, float] | None = None
) -> float | None:
    """The angle at ``b`` in degrees: between the world segments (3D) when all three marks
    have a world position, so the camera's position does not change it; else in the picture.
    With a ``normal`` (the hip axis), the world segments are first flattened onto the plane
    across it, unless one of them points mostly along it."""
    if a.world is not None and b.world is not None and c.world is not None:
        v1 = [p - q for p, q in zip(a.world, b.world, strict=True)]
        v2 = [p - q for p, q in zip(c.world, b.world, strict=True)]
        if normal is not None:
            f1, f2 = _flatten(v1, normal), _flatten(v2, normal)
            if f1 is not None and f2 is not None:
                v1, v2 = f1, f2
    else:
        v1, v2 = [a.x - b.x, a.y - b.y], [c.x - b.x, c.y - b.y]
    n = math.hypot(*v1) * math.hypot(*v2)
    if n == 0:
        return None
    cos = sum(p * q for p, q in zip(v1, v2, strict=True)) / n
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _world_mid(marks: Marks, base: str) -> list[float] | None:
    left, right = marks.get(f"left_{base}"), marks.get(f"right_{base}")
    if left is None or right is None or left.world is None or right.world is None:
        return None
    return [(p + q) / 2 for p, q in zip(left.world, right.world, strict=True)]


def turn_between(marks: Marks, first: str, second: str) -> float | None:
    """How far the left-to-right line of ``first`` (a paired point, ``shoulder``) is turned
    from that of ``second`` about the trunk's long axis, on world positions: -180 to 180
    degrees, the sign saying which way. The sign is kept until the sides are combined
    (:func:`combine` reports the size alone), so smoothing averages the jitter of a turn near
    0 out instead of adding it up.

    None without world positions, when neither side of a point is seen, or when a line points
    mostly along the trunk (its direction across the trunk is then mostly noise). As with
    :func:`hip_axis`, the far side need not be seen: MediaPipe places every world landmark."""
    lines = []
    for point in (first, second):
        left, right = marks.get(landmark(point, "left")), marks.get(landmark(point, "right"))
        if left is None or right is None or left.world is None or right.world is None:
            return None
        if max(left.visibility, right.visibility) < VISIBLE:
            return None
        lines.append([p - q for p, q in zip(right.world, left.world, strict=True)])
    hips, shoulders = _world_mid(marks, "hip"), _world_mid(marks, "shoulder")
    if hips is None or shoulders is None:
        return None
    long_axis = [p - q for p, q in zip(shoulders, hips, strict=True)]
    size = math.hypot(*long_axis)
    if size == 0:
        return None
    normal = (long_axis[0] / size, long_axis[1] / size, long_axis[2] / size)
    a, b = (_flatten(line, normal) for line in lines)
    if a is None or b is None:
        return None
    cos = sum(p * q for p, q in zip(a, b, strict=True))
    cross = (b[1] * a[2] - b[2] * a[1], b[2] * a[0] - b[0] * a[2], b[0] * a[1] - b[1] * a[0])
    sin = sum(p * q for p, q in zip(cross, normal, strict=True))
    return math.degrees(math.atan2(sin, cos)) if cos or sin else None


def _tilt(a: Mark, b: Mark) -> float:
    lean = abs(math.degrees(math.atan2(b.y - a.y, b.x - a.x))) % 180
    return min(lean, 180 - lean)


def side_values(spec: CoachFeature, frame: Frame) -> dict[str, float]:
    """The feature on each side ("left"/"right"), or once ("") when it names no bare paired
    point; a side whose landmarks are not seen is left out."""
    m = frame.marks
    if spec.turn is not None:
        turn = turn_between(m, spec.turn[0], spec.turn[1])
        return {"": turn} if turn is not None else {}
    if spec.difference is not None:
        a = seen(m, landmark(spec.difference, "left"))
        b = seen(m, landmark(spec.difference, "right"))
        return {"": abs(a.y - b.y) / frame.scale} if a and b else {}
    points = spec.angle or spec.tilt or ([spec.height] if spec.height else [])
    paired = any(p in PAIRED for p in points)
    out: dict[str, float] = {}
    sureness: dict[str, float] = {}
    for side in SIDES if paired else (None,):
        found = [seen(m, landmark(p, side)) for p in points]
        marks = [f for f in found if f is not None]
        if len(marks) != len(points):
            continue
        sureness[side or ""] = min(f.visibility for f in marks)
        value: float | None
        if spec.angle is not None:
            sagittal = all(p.split("_")[-1] in SAGITTAL for p in points)
            value = angle_at(marks[0], marks[1], marks[2], hip_axis(m) if sagittal else None)
        elif spec.tilt is not None:
            value = _tilt(marks[0], marks[1])
            if {p.split("_")[-1] for p in points} == {"hip", "shoulder"} and math.dist(
                marks[0][:2], marks[1][:2]
            ) < FORESHORTENED * frame.scale:
                # The trunk drawn short points at the camera (seen from the head or foot
                # end): it is level, whatever direction its few pixels happen to take.
                value = 0.0
        else:
            value = (marks[0].y - frame.floor) / frame.scale
        if value is not None:
            out[side or ""] = value
    if spec.side == "both" and len(out) == 2:
        best = max(out, key=lambda k: sureness[k])
        if min(sureness.values()) < sureness[best] - SIDE_PREFERENCE:
            return {best: out[best]}
    return out


def combine(
    spec: CoachFeature, values: Mapping[str, float], start: Mapping[str, float]
) -> float | None:
    """One value from the sides: their mean, or for ``side: either`` the side that has moved
    further from its value in the start pose; for a turn, its size either way."""
    if not values:
        return None
    if spec.turn is not None:  # either way: a twist to the left or the right counts the same
        return abs(sum(values.values()) / len(values))
    if spec.side == "either" and len(values) > 1:
        side = max(values, key=lambda s: abs(values[s] - start.get(s, values[s])))
        return values[side]
    return sum(values.values()) / len(values)
