"""Which way is up in the picture: found by matching the body to the exercise's key poses.

A phone propped sideways shows a person lying on the floor as if standing. Heights and leans
need the real up, so the coach tries the picture as it is and turned a quarter either way,
and keeps the turn under which the body looks most like one of the key poses (facing either
way). The picture as it is wins unless a turn fits clearly better: a camera is usually level.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from backcoach.motion.features import body_scale, seen
from backcoach.motion.frames import Mark, Marks

MAX_LEVEL_DEG = 12.0
"""The largest tilt of a camera that is levelled: more than a propped phone usually leans;
beyond it the body is more likely posed unlike the key poses than the camera tilted."""
QUARTERS = (0, 1, 3)
"""Turns tried, in quarter turns counter-clockwise (upside-down cameras are not expected)."""
KEEP_AS_IS = 0.6
"""A turn must fit at least this much better (cost ratio) than the picture as it is."""
_SHAPE = ("shoulder", "hip", "knee", "ankle", "wrist", "elbow")


def upright(marks: Marks, quarter: int = 0, level: float = 0.0) -> Marks:
    """Picture landmarks (y down) as upright ones (y up), turned ``quarter`` quarter turns
    and then ``level`` degrees counter-clockwise. World positions are kept as they are: only
    angles are measured on them, and those do not depend on which way is up."""
    c, s = math.cos(math.radians(level)), math.sin(math.radians(level))
    out = {}
    for name, m in marks.items():
        x, y = m.x, -m.y
        for _ in range(quarter % 4):
            x, y = -y, x
        out[name] = Mark(x * c - y * s, x * s + y * c, m.visibility, m.world)
    return out


def shape(marks: Marks) -> dict[str, tuple[float, float]] | None:
    """Where the main joints sit relative to the mid-hips, in trunk lengths."""
    scale = body_scale(marks)
    hips = [seen(marks, f"{s}_hip") for s in ("left", "right")]
    centre = [h for h in hips if h is not None]
    if scale is None or not centre:
        return None
    cx, cy = sum(h.x for h in centre) / len(centre), sum(h.y for h in centre) / len(centre)
    out = {}
    for base in _SHAPE:
        pts = [m for m in (seen(marks, f"{s}_{base}") for s in ("left", "right")) if m]
        if pts:
            x = sum(p.x for p in pts) / len(pts)
            y = sum(p.y for p in pts) / len(pts)
            out[base] = ((x - cx) / scale, (y - cy) / scale)
    return out


Shape = dict[str, tuple[float, float]]


def _fit(a: Shape, b: Shape) -> tuple[float, float]:
    """(cost, turn): how unlike two shapes are, facing either way, and the turn in degrees
    that lays ``a`` best onto ``b`` (a least-squares rotation)."""
    common = [k for k in a if k in b and k != "hip"]
    if not common:
        return math.inf, 0.0
    best = (math.inf, 0.0)
    for mirror in (1.0, -1.0):
        pairs = [((a[k][0] * mirror, a[k][1]), b[k]) for k in common]
        cost = sum((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 for p, q in pairs) / len(common)
        cross = sum(p[0] * q[1] - p[1] * q[0] for p, q in pairs)
        dot = sum(p[0] * q[0] + p[1] * q[1] for p, q in pairs)
        turn = math.degrees(math.atan2(cross, dot)) * mirror
        best = min(best, (cost, turn))
    return best


def best_turn(picture: Sequence[Marks], poses: Sequence[Marks]) -> tuple[int, float]:
    """(quarter turns, degrees): how to turn the picture's landmarks so the body looks most
    like the key poses. The quarter turn is kept only when it fits clearly better than none;
    the degrees then level a slightly tilted camera (at most MAX_LEVEL_DEG)."""
    references = [s for s in (shape(p) for p in poses) if s is not None]
    costs: dict[int, float] = {}
    turns: dict[int, list[float]] = {}
    for quarter in QUARTERS:
        fits = []
        for marks in picture:
            mine = shape(upright(marks, quarter))
            if mine is not None:
                fits.append(min(_fit(mine, ref) for ref in references))
        costs[quarter] = statistics.fmean(f[0] for f in fits) if fits else math.inf
        turns[quarter] = [f[1] for f in fits]
    best = min(costs, key=lambda q: costs[q])
    if best != 0 and not costs[best] < KEEP_AS_IS * costs[0]:
        best = 0
    level = statistics.median(turns[best]) if turns[best] else 0.0
    return best, max(-MAX_LEVEL_DEG, min(MAX_LEVEL_DEG, level))
