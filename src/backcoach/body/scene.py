"""From an exercise's key poses to placed bodies: key frames, in-between frames, what moves.

Everything the figure, the animation and the pose checks share lives here, so a picture and a
check can never disagree about where a pose puts the body.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.geometry import Point
from backcoach.body.kinematics import Posture, blend, forward, resolve
from backcoach.body.placement import Placed, Support, View, place, shifted
from backcoach.catalogue.poses import KeyPose, KeyPoses

SUPPORTS: tuple[Support, ...] = ("floor", "chair", "roller", "wall")


def supports_of(pose: KeyPose) -> dict[Support, list[str]]:
    return {s: list(getattr(pose, s)) for s in SUPPORTS if getattr(pose, s)}


@dataclass(frozen=True)
class Frame:
    """A placed body and the posture it came from."""

    posture: Posture
    placed: Placed
    supports: dict[Support, list[str]]
    strap: str | None = None
    """A part with a towel looped round it, its ends in the hands."""


def pose_frame(pose: KeyPose, key_poses: KeyPoses, height: float = sk.DEFAULT_HEIGHT_M) -> Frame:
    posture = resolve(pose.angles)
    supports = supports_of(pose)
    placed = place(forward(posture, height), key_poses.view, key_poses.side, supports)
    return Frame(posture, placed, supports, pose.strap)


def key_frames(key_poses: KeyPoses, height: float = sk.DEFAULT_HEIGHT_M) -> list[Frame]:
    """One frame per key pose, lined up so a part resting throughout stays put."""
    frames = [pose_frame(p, key_poses, height) for p in key_poses.poses]
    return align(frames)


def align(frames: list[Frame]) -> list[Frame]:
    anchor = _shared_contact(frames)
    if anchor is None:
        return frames
    target = _anchor_x(frames[0], anchor)
    return [replace(f, placed=shifted(f.placed, target - _anchor_x(f, anchor))) for f in frames]


def _shared_contact(frames: list[Frame]) -> tuple[Support, str] | None:
    first = frames[0].supports
    for support in SUPPORTS:
        for name in first.get(support, []):
            if all(name in f.supports.get(support, []) for f in frames[1:]):
                return (support, name)
    return None


def _anchor_x(frame: Frame, anchor: tuple[Support, str]) -> float:
    xs = []
    for spec in contact_specs(anchor[1]):
        for seg, end in spec.ends:
            cap = frame.placed.capsules[seg]
            xs.append((cap.a if end == 0 else cap.b)[0])
    return sum(xs) / len(xs)


def between(
    a: Frame,
    b: Frame,
    t: float,
    view: View,
    side: sk.Side,
    height: float = sk.DEFAULT_HEIGHT_M,
    turn_hint: float | None = None,
) -> Frame:
    """The body a fraction ``t`` of the way from ``a`` to ``b``.

    Joint angles are blended; the body rests on what both poses rest on (a bridge keeps its
    shoulders and feet down while the hips rise), or on the nearer pose's supports when they
    share nothing.
    """
    posture = blend(a.posture, b.posture, t)
    shared = {s: [n for n in a.supports.get(s, []) if n in b.supports.get(s, [])] for s in SUPPORTS}
    supports = {s: names for s, names in shared.items() if names}
    if not any(supports.get(s) for s in ("floor", "chair", "roller")):
        supports = a.supports if t < 0.5 else b.supports
    placed = place(forward(posture, height), view, side, supports, turn_hint=turn_hint)
    return Frame(posture, placed, supports, a.strap if a.strap == b.strap else None)


def path_frames(
    key_poses: KeyPoses, frames: list[Frame], steps: int, height: float = sk.DEFAULT_HEIGHT_M
) -> list[list[Frame]]:
    """For each pair of neighbouring key frames, ``steps`` frames from the first to the second
    (both included), lined up with the key frames."""
    runs = []
    for a, b in itertools.pairwise(frames):
        run = [a]
        for i in range(1, steps):
            t = i / steps
            f = between(a, b, t, key_poses.view, key_poses.side, height, run[-1].placed.turn)
            run.append(f)
        run.append(b)
        runs.append(_follow(run))
    return runs


def _follow(run: list[Frame]) -> list[Frame]:
    """Line up in-between frames with their ends: shift each so the hip centre moves evenly
    from the first frame's to the last frame's (horizontal) position."""
    x0 = run[0].placed.points["hip_centre"][0]
    x1 = run[-1].placed.points["hip_centre"][0]
    out = [run[0]]
    n = len(run) - 1
    for i, f in enumerate(run[1:-1], start=1):
        want = x0 + (x1 - x0) * i / n
        dx = want - f.placed.points["hip_centre"][0]
        out.append(replace(f, placed=shifted(f.placed, dx)))
    out.append(run[-1])
    return out


# --- what moves -------------------------------------------------------------------------

GROUP_JOINTS: dict[str, tuple[str, ...]] = {
    "trunk": ("lumbar", "lumbar_side_bend", "lumbar_rotation"),
    "head": ("neck", "neck_side_bend", "neck_rotation", "head"),
    "left_arm": tuple(
        f"left_{j}"
        for j in ("shoulder", "shoulder_abduction", "shoulder_rotation", "elbow", "wrist")
    ),
    "right_arm": tuple(
        f"right_{j}"
        for j in ("shoulder", "shoulder_abduction", "shoulder_rotation", "elbow", "wrist")
    ),
    "left_leg": tuple(
        f"left_{j}" for j in ("hip", "hip_abduction", "hip_rotation", "knee", "ankle")
    ),
    "right_leg": tuple(
        f"right_{j}" for j in ("hip", "hip_abduction", "hip_rotation", "knee", "ankle")
    ),
}
GROUP_SEGMENTS: dict[str, tuple[str, ...]] = {
    "trunk": ("pelvis", "upper_trunk"),
    "head": ("neck", "head"),
    **{f"{s}_arm": tuple(f"{s}_{seg}" for seg in sk.ARM_SEGMENTS) for s in sk.SIDES},
    **{f"{s}_leg": tuple(f"{s}_{seg}" for seg in sk.LEG_SEGMENTS) for s in sk.SIDES},
}
WORKING_CHANGE_DEG = 20.0
"""A limb whose joints turn this much more than its partner's is the working one."""


def group_change(frames: list[Frame], group: str) -> float:
    """The largest total joint turn of a body part between any two key frames, degrees."""
    best = 0.0
    for a in frames:
        for b in frames:
            total = sum(abs(a.posture[j] - b.posture[j]) for j in GROUP_JOINTS[group])
            best = max(best, total)
    return best


def _expand(parts: Sequence[str]) -> set[str]:
    """Body-part names as groups: ``arms`` and ``legs`` stand for both sides."""
    out = set()
    for part in parts:
        if part in ("arms", "legs"):
            out |= {f"{s}_{part[:-1]}" for s in sk.SIDES}
        else:
            out.add(part)
    return out


def working_parts(frames: list[Frame], explicit: Sequence[str] | None = None) -> frozenset[str]:
    """Segments to colour: the parts named in the pose data, else a limb that moves clearly
    more than its partner (the working side), else the trunk when it bends."""
    if explicit is not None:
        return frozenset(seg for g in _expand(explicit) for seg in GROUP_SEGMENTS[g])
    change = {g: group_change(frames, g) for g in GROUP_JOINTS}
    groups = set()
    for limb in ("arm", "leg"):
        left, right = change[f"left_{limb}"], change[f"right_{limb}"]
        if left - right >= WORKING_CHANGE_DEG:
            groups.add(f"left_{limb}")
        elif right - left >= WORKING_CHANGE_DEG:
            groups.add(f"right_{limb}")
    if not groups and change["trunk"] >= WORKING_CHANGE_DEG:
        groups.add("trunk")
    return frozenset(seg for g in groups for seg in GROUP_SEGMENTS[g])


# Points whose path an arrow may follow, by body part.
TRACKED: dict[str, tuple[str, ...]] = {
    "trunk": ("neck_base", "lumbar", "hip_centre"),
    "head": ("head_centre",),
    "left_arm": ("left_wrist", "left_elbow"),
    "right_arm": ("right_wrist", "right_elbow"),
    "left_leg": ("left_ankle", "left_knee"),
    "right_leg": ("right_ankle", "right_knee"),
}
MIN_ARROW_M = 0.07
"""Movements shorter than 7 cm get no arrow: small shifts (a pelvic tilt) would only mislead."""
LOOPY = 1.15
"""A point that gets this much further from its start than where it ends doubles back."""


@dataclass(frozen=True)
class Motion:
    part: str
    point: str
    path: list[Point]

    @property
    def length(self) -> float:
        """Straight-line distance from start to end."""
        return math.dist(self.path[0], self.path[-1])

    @property
    def reach(self) -> float:
        """The furthest the point gets from where it started (an arc over ends furthest)."""
        return max(math.dist(self.path[0], p) for p in self.path)


def motions(run: list[Frame], limit: int = 2, parts: Sequence[str] | None = None) -> list[Motion]:
    """The main movements along one run of frames: the point of each body part that travels
    furthest, biggest first; the head only when it moves differently from the trunk."""
    allowed = set(TRACKED) if parts is None else _expand(parts)
    found = []
    for part, points in TRACKED.items():
        if part not in allowed:
            continue
        if _rests_throughout(run, part):
            # A resting hand or foot stays put, but the knee or elbow above it may travel
            # (knees rolling to one side): follow that joint only.
            points = points[1:]
        best = max(
            points, key=lambda p: math.dist(run[0].placed.points[p], run[-1].placed.points[p])
        )
        path = [f.placed.points[best] for f in run]
        found.append(Motion(part, best, path))
    found.sort(key=lambda m: m.length, reverse=True)
    if not found or found[0].length < MIN_ARROW_M:
        return []
    top = found[0].length
    floor_len = max(MIN_ARROW_M, 0.4 * top)
    trunk = next((m for m in found if m.part == "trunk"), None)
    chosen: list[Motion] = []
    for m in found:
        if m.length < floor_len:
            continue
        if m.reach > LOOPY * m.length:
            continue  # out and back again: an arrow from end to end would mislead
        # The head rides on the trunk: its own arrow only when it moves another way.
        if m.part == "head" and trunk and trunk.length >= floor_len and _same_way(m, trunk):
            continue
        if any(_same_way(m, c) for c in chosen):
            continue  # a smaller movement the same way adds clutter, not meaning
        chosen.append(m)
    return chosen[:limit]


_RESTING_PARTS = {
    "arm": ("hand", "forearm", "elbow"),
    "leg": ("foot", "heel", "toes", "knee", "shin"),
}
_PLURAL = {
    "hand": "hands",
    "forearm": "forearms",
    "elbow": "elbows",
    "foot": "feet",
    "heel": "heels",
    "toes": "toes",
    "knee": "knees",
    "shin": "shins",
}


def _rests_throughout(run: list[Frame], part: str) -> bool:
    """A hand or foot that rests at both ends of a movement does not travel: no arrow."""
    side, _, limb = part.partition("_")
    if limb not in _RESTING_PARTS:
        return False

    def resting(frame: Frame) -> bool:
        listed = {n for names in frame.supports.values() for n in names}
        return any(f"{side}_{p}" in listed or _PLURAL[p] in listed for p in _RESTING_PARTS[limb])

    return resting(run[0]) and resting(run[-1])


def _same_way(a: Motion, b: Motion) -> bool:
    va = (a.path[-1][0] - a.path[0][0], a.path[-1][1] - a.path[0][1])
    vb = (b.path[-1][0] - b.path[0][0], b.path[-1][1] - b.path[0][1])
    cos = (va[0] * vb[0] + va[1] * vb[1]) / ((math.hypot(*va) * math.hypot(*vb)) or 1.0)
    return cos > math.cos(math.radians(50))
