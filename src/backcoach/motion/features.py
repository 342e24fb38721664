"""Features: angles, heights above the floor line, leans and left-right differences.

Features are read from UPRIGHT landmarks (y up; see :mod:`backcoach.motion.orient`), the same
way for a camera's landmarks and for the body model's key poses, so a threshold taken from a
key pose means the same thing on video. Every measure is unitless or in degrees, and none
depends on which way the person faces, so a camera on either side gives the same numbers.
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


def _angle(a: Mark, b: Mark, c: Mark) -> float | None:
    v1, v2 = (a.x - b.x, a.y - b.y), (c.x - b.x, c.y - b.y)
    n = math.hypot(*v1) * math.hypot(*v2)
    if n == 0:
        return None
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / n
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _tilt(a: Mark, b: Mark) -> float:
    lean = abs(math.degrees(math.atan2(b.y - a.y, b.x - a.x))) % 180
    return min(lean, 180 - lean)


def side_values(spec: CoachFeature, frame: Frame) -> dict[str, float]:
    """The feature on each side ("left"/"right"), or once ("") when it names no bare paired
    point; a side whose landmarks are not seen is left out."""
    m = frame.marks
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
            value = _angle(marks[0], marks[1], marks[2])
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
    further from its value in the start pose."""
    if not values:
        return None
    if spec.side == "either" and len(values) > 1:
        side = max(values, key=lambda s: abs(values[s] - start.get(s, values[s])))
        return values[side]
    return sum(values.values()) / len(values)
