"""Putting a posed body on the floor: the view, the resting parts, and nothing below the floor.

A pose says which parts rest on the floor (or on a chair seat, a foam roller, against a wall);
the angles fix the body's shape but not how it is turned. Placement looks for the turn in the
picture plane (and the height) that brings every resting part onto its support, with the
lowest point of the whole body on the floor, never below it. When the resting parts cannot all
touch at once the best turn is kept and the gaps are reported: that is a pose error.

Where several turns fit equally (one small resting area), the one that keeps the centre of mass
over the resting parts wins: a body at rest is balanced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.geometry import Point, Vec3
from backcoach.body.kinematics import Body3D
from backcoach.catalogue.poses import Camera, Support, View

END_VIEWS = ("head-end", "foot-end")

SEAT_HEIGHT = 0.26
"""Chair seat height as a fraction of body height: 44 cm for 1.70 m, an ordinary dining chair
(seat near knee height, 0.285 H in Winter's table, less shoe)."""
ROLLER_DIAMETER_M = 0.15
"""A standard foam roller is 15 cm across."""
CONTACT_TOLERANCE_M = 0.02
"""A resting part may float at most 2 cm (about a soft mat's give) before a pose is wrong."""
_BALANCE_WEIGHT = 0.02
"""Metres of contact gap traded per metre the centre of mass sits outside the resting parts:
small, so balance only decides between turns that fit the resting parts equally well."""
_HINT_WEIGHT = 0.0005
"""Metres of contact gap traded per degree a turn strays from the hint: half a millimetre, so
the hint decides between turns that fit about equally well and never holds the body off the
floor for long."""
HINT_REACH_DEG = 60.0
"""How far from the hint a turn is looked for. Neighbouring animation frames turn a roll-up
some 11 degrees; a person never turns over (lying face up, then face down) between two."""


def support_height(support: Support, height: float) -> float:
    """How high the surface a part rests on is, metres (a wall has none: 0)."""
    if support == "chair":
        return SEAT_HEIGHT * height
    if support == "roller":
        return ROLLER_DIAMETER_M
    return 0.0


def rest_height(bottoms: Sequence[float], mode: Literal["any", "all"]) -> float:
    """Where a resting part sits, from the lowest points of its capsule ends: a flat part
    (``all``) sits as high as its highest end, since every end must touch; another (``any``)
    as low as its lowest end."""
    return max(bottoms) if mode == "all" else min(bottoms)


def _half_extents(
    rs: Sequence[float], flats: Sequence[float], c: float, s: float, vertical: bool
) -> list[float]:
    """Half-extents, up (or across) the picture, of ends of radius ``rs``, an oval ``flat``
    times as thick up the picture as across, once turned by the angle of (cos, sin)."""
    pairs = zip(rs, flats, strict=True)
    if vertical:
        return [r * math.sqrt(s * s + (f * c) ** 2) for r, f in pairs]
    return [r * math.sqrt(c * c + (f * s) ** 2) for r, f in pairs]


@dataclass(frozen=True)
class Capsule:
    """A segment in the picture: ends, half-thickness at each end, and depth (larger = nearer
    the viewer). The outline is the two end circles and the lines touching both.

    A trunk seen end-on is an oval rather than a circle: ``flat`` is its thickness up the
    picture over its thickness across (before the body is turned) and ``tilt`` the body's
    turn, which turns the oval with it. Other segments are round (``flat`` 1).
    """

    name: str
    a: Point
    b: Point
    ra: float
    rb: float
    depth: float
    flat: float = 1.0
    tilt: float = 0.0
    ends_depth: tuple[float, float] | None = None
    """The depth of each end, when known (a camera turning the picture needs them)."""
    across: float = 1.0
    """The segment's thickness seen at right angles to this view over its thickness here
    (a trunk seen from above shows its width, from the side its depth)."""

    def reach(self, r: float, vertical: bool) -> float:
        """Half-extent of an end of radius ``r``, up the picture or across it."""
        if self.flat == 1.0:
            return r
        t = math.radians(self.tilt)
        return _half_extents([r], [self.flat], math.cos(t), math.sin(t), vertical)[0]

    def end_bottom(self, end: int) -> float:
        point, r = (self.a, self.ra) if end == 0 else (self.b, self.rb)
        return point[1] - self.reach(r, vertical=True)

    @property
    def bottom(self) -> float:
        """Height of the capsule's lowest point."""
        return min(self.end_bottom(0), self.end_bottom(1))

    def extent(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the end circles: a box around the whole capsule."""
        ends = ((self.a, self.ra), (self.b, self.rb))
        return (
            min(p[0] - self.reach(r, False) for p, r in ends),
            min(p[1] - self.reach(r, True) for p, r in ends),
            max(p[0] + self.reach(r, False) for p, r in ends),
            max(p[1] + self.reach(r, True) for p, r in ends),
        )


@dataclass(frozen=True)
class Placed:
    """A body resting in the picture plane: metres, floor at y = 0, hip centre at x = 0."""

    view: View
    height: float
    points: dict[str, Point]
    depth: dict[str, float]
    capsules: dict[str, Capsule]
    gaps: dict[str, float]
    """Per resting part (with its support, e.g. ``floor:knees``): how far it is from its
    support, metres; 0 when touching."""
    wall_x: float | None
    """Where the wall's surface is, when something rests against one."""
    roller_x: float | None
    chair_x: float | None
    """The x of the seat's contact point; the chair is drawn around it."""
    turn: float
    """The body's turn in the picture plane, degrees."""
    camera: Camera | None = None
    """The camera this copy is seen through (:func:`backcoach.body.camera.look`); None for the
    body as placed, in the declared view's picture plane with the floor at y = 0."""

    @property
    def lowest(self) -> float:
        """Height of the lowest surface point of the body (0 when resting on the floor)."""
        return min(c.bottom for c in self.capsules.values())

    @property
    def worst_gap(self) -> float:
        return max((abs(g) for g in self.gaps.values()), default=0.0)

    def end_x(self, segment: str, end: int) -> float:
        """Where one end of a segment is along the picture."""
        cap = self.capsules[segment]
        return (cap.a if end == 0 else cap.b)[0]

    def part_x(self, name: str) -> float:
        """Where a resting part (``hands``, ``left_knee``) is along the picture: the middle of
        its capsule ends."""
        xs = [self.end_x(seg, end) for spec in contact_specs(name) for seg, end in spec.ends]
        return sum(xs) / len(xs)

    def part_gap(self, name: str, support: Support) -> float:
        """How far a resting part is above (negative: below) a floor, seat or roller surface,
        whether or not placement held it there; the worse side for a plural."""
        target = support_height(support, self.height)
        gaps = [
            rest_height([self.capsules[seg].end_bottom(end) for seg, end in spec.ends], spec.mode)
            - target
            for spec in contact_specs(name)
        ]
        return max(gaps, key=abs)


def project(v: Vec3, view: View, side: sk.Side) -> tuple[float, float, float]:
    """Body frame -> picture plane (x, y) and depth toward the viewer.

    Side view with the right side shown: the person faces right. Front view: the person faces
    the viewer, so their left is on the picture's right.
    """
    x, y, z = v
    if view == "front":
        return (-z, y, x)
    if view == "head-end":
        # From beyond the head looking toward the feet, the front of the body up the picture.
        return (z, x, y)
    if view == "foot-end":
        return (-z, x, -y)
    if side == "right":
        return (x, y, z)
    return (-x, y, -z)


@dataclass(frozen=True)
class _Ends:
    xs: list[float]
    ys: list[float]
    rs: list[float]
    flats: list[float]
    index: dict[tuple[str, int], int]

    def radii(self, c: float, s: float, vertical: bool) -> list[float]:
        """Each end's half-extent up (or across) the picture once turned by (cos, sin)."""
        return _half_extents(self.rs, self.flats, c, s, vertical)


def _ends(capsules: Sequence[Capsule]) -> _Ends:
    xs: list[float] = []
    ys: list[float] = []
    rs: list[float] = []
    flats: list[float] = []
    index: dict[tuple[str, int], int] = {}
    for cap in capsules:
        for end, (point, r) in enumerate(((cap.a, cap.ra), (cap.b, cap.rb))):
            index[(cap.name, end)] = len(xs)
            xs.append(point[0])
            ys.append(point[1])
            rs.append(r)
            flats.append(cap.flat)
    return _Ends(xs, ys, rs, flats, index)


@dataclass(frozen=True)
class _Fit:
    score: float
    dy: float
    gaps: dict[str, float]
    wall_x: float | None


class _Problem:
    """The placement search for one body: contacts as end indices, masses as points."""

    def __init__(
        self,
        ends: _Ends,
        supports: dict[Support, list[str]],
        com: Point,
        height: float,
        free: Collection[str] = (),
    ) -> None:
        self.e = ends
        self.com = com
        # Ends that may not go below the floor, when some are free to (else all).
        self.solid = (
            [i for (name, _), i in ends.index.items() if name not in free] if free else None
        )
        self.targets: list[tuple[str, list[int], Literal["any", "all"], float]] = []
        self.wall: list[tuple[str, list[int], Literal["any", "all"]]] = []
        for support, names in supports.items():
            for name in names:
                for spec in contact_specs(name):
                    idx = [ends.index[end] for end in spec.ends]
                    label = f"{support}:{spec.name}"
                    if support == "wall":
                        self.wall.append((label, idx, spec.mode))
                    else:
                        target = support_height(support, height)
                        self.targets.append((label, idx, spec.mode, target))

    def fit(self, turn: float) -> _Fit:
        c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
        e = self.e
        radii = e.radii(c, s, vertical=True)
        bottoms = [x * s + y * c - r for x, y, r in zip(e.xs, e.ys, radii, strict=True)]
        floor_min = min(bottoms) if self.solid is None else min(bottoms[i] for i in self.solid)
        values = []
        for _label, idx, mode, target in self.targets:
            values.append(rest_height([bottoms[i] for i in idx], mode) - target)
        # Lift or lower the body so the resting parts sit on their supports as evenly as
        # possible, but never push the lowest point under the floor.
        dy = -(max(values) + min(values)) / 2 if values else -floor_min
        dy = max(dy, -floor_min)
        gaps = {t[0]: v + dy for t, v in zip(self.targets, values, strict=True)}
        wall_x = None
        if self.wall:
            wall_x, wall_gaps = self._wall(c, s)
            gaps.update(wall_gaps)
        xs = [x * c - y * s for x, y in zip(e.xs, e.ys, strict=True)]
        support_x = [xs[i] for _l, idx, _m, _t in self.targets for i in idx]
        com_x = self.com[0] * c - self.com[1] * s
        outside = max(0.0, min(support_x) - com_x, com_x - max(support_x)) if support_x else 0
        worst = max((abs(g) for g in gaps.values()), default=0.0)
        return _Fit(worst + _BALANCE_WEIGHT * outside, dy, gaps, wall_x)

    def _wall(self, c: float, s: float) -> tuple[float, dict[str, float]]:
        e = self.e
        xs = [x * c - y * s for x, y in zip(e.xs, e.ys, strict=True)]
        best: tuple[float, float, dict[str, float]] | None = None
        for direction in (1.0, -1.0):
            # Extent toward the wall for every end; the wall stands at the furthest one.
            ext = [direction * x + r for x, r in zip(xs, e.radii(c, s, False), strict=True)]
            wall = max(ext)
            gaps = {}
            for label, idx, mode in self.wall:
                vals = [ext[i] for i in idx]
                gaps[label] = wall - (min(vals) if mode == "all" else max(vals))
            worst = max(gaps.values())
            if best is None or worst < best[0]:
                best = (worst, direction * wall, gaps)
        assert best is not None
        return best[1], best[2]


def place(
    body: Body3D,
    view: View,
    side: sk.Side,
    supports: dict[Support, list[str]],
    turn_hint: float | None = None,
    free: Collection[str] = (),
) -> Placed:
    """Turn and lift ``body`` so its resting parts touch their supports.

    Every turn is tried, or with ``turn_hint`` (degrees) those within HINT_REACH_DEG of it,
    the nearer the better: animation frames pass the turn of the neighbouring frame, so the
    figure cannot flip between equally good fits, yet still turns as far as the movement
    needs (a roll-up turns some 90 degrees in eight frames).

    ``free`` names segments allowed below the floor, for a caller that then moves them clear
    (see :mod:`backcoach.body.clearance`); a placed body shown to anyone has none.
    """
    if view == "top":
        return _from_above(body, side, supports, turn_hint, free)
    caps = _project(body, view, side)
    ends = _ends(list(caps.values()))
    com = _centre_of_mass(body, view, side)
    problem = _Problem(ends, supports, com, body.height, free)
    base = 0.0 if turn_hint is None else turn_hint

    def score(turn: float) -> float:
        stray = 0.0 if turn_hint is None else abs((turn - turn_hint + 180.0) % 360.0 - 180.0)
        return problem.fit(turn).score + _HINT_WEIGHT * stray

    reach = 180 if turn_hint is None else round(HINT_REACH_DEG)
    candidates = [base + d for d in range(-reach, reach + 1, 3)]
    scored = sorted(candidates, key=score)
    best_turn = min((_refine(score, t, 3.0) for t in scored[:3]), key=score)
    return _finish(body, caps, view, side, supports, best_turn, problem.fit(best_turn))


def gap_near(
    body: Body3D,
    view: View,
    side: sk.Side,
    supports: dict[Support, list[str]],
    turn: float,
    span: float = 15.0,
) -> float:
    """The worst gap between a resting part and its support when ``body`` is placed at a turn
    within ``span`` degrees of ``turn``: a quick look (a few turns, no search) for callers that
    try many postures near a placed one and place only the best in full."""
    caps = _project(body, view, side)
    problem = _Problem(_ends(list(caps.values())), supports, (0.0, 0.0), body.height)

    def worst(t: float) -> float:
        return max((abs(g) for g in problem.fit(t).gaps.values()), default=0.0)

    coarse = min((turn + span * k / 5 for k in range(-5, 6)), key=worst)
    return worst(_refine(worst, coarse, span / 5, iterations=12))


def _from_above(
    body: Body3D,
    side: sk.Side,
    supports: dict[Support, list[str]],
    turn_hint: float | None,
    free: Collection[str],
) -> Placed:
    """Rest the body as seen from the side or the front (whichever lets it rest), then look
    down on it: the picture's x stays, its y is the old depth (the side nearest the first
    viewer at the bottom), and the new depth is the height above the floor."""
    options = [place(body, v, side, supports, turn_hint, free) for v in ("side", "front")]
    base = min(options, key=lambda p: p.worst_gap)
    c, s = math.cos(math.radians(base.turn)), math.sin(math.radians(base.turn))
    lift = base.points["hip_centre"][1]  # the origin's height: how far placement raised it

    def above(v: Vec3) -> tuple[Point, float]:
        u, h, w = project(v, base.view, side)
        # Turning in the first view's picture plane moves x and height, never depth.
        return (u * c - h * s, -w), u * s + h * c + lift

    points: dict[str, Point] = {}
    depth: dict[str, float] = {}
    for name, v in body.points.items():
        points[name], depth[name] = above(v)
    caps = {}
    for seg in body.segments.values():
        (a, ha), (b, hb) = above(seg.start), above(seg.end)
        t = seg.thickness
        # From above, a segment shows the thickness the first view looked across.
        radius = t.front if base.view == "side" else t.side
        caps[seg.name] = Capsule(seg.name, a, b, radius, radius * t.taper, (ha + hb) / 2)
    return Placed(
        view="top",
        height=body.height,
        points=points,
        depth=depth,
        capsules=caps,
        gaps=base.gaps,
        wall_x=None,
        roller_x=None,
        chair_x=None,
        turn=base.turn,
    )


def _refine(
    score: Callable[[float], float], centre: float, span: float, iterations: int = 28
) -> float:
    """Golden-section search for the best turn within ``centre +- span`` degrees."""
    lo, hi = centre - span, centre + span
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = score(a), score(b)
    for _ in range(iterations):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = score(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = score(b)
    return (lo + hi) / 2


def _project(body: Body3D, view: View, side: sk.Side) -> dict[str, Capsule]:
    caps = {}
    for seg in body.segments.values():
        a = project(seg.start, view, side)
        b = project(seg.end, view, side)
        t = seg.thickness
        radius, across = (t.side, t.front / t.side) if view == "side" else (t.front, 1.0)
        flat = 1.0
        if view in END_VIEWS:
            # Across the picture the body's width, up it the body's depth.
            radius, flat = t.front, t.side / t.front
        elif view == "front":
            across = t.side / t.front
        caps[seg.name] = Capsule(
            seg.name,
            a[:2],
            b[:2],
            radius,
            radius * t.taper,
            (a[2] + b[2]) / 2,
            flat,
            ends_depth=(a[2], b[2]),
            across=across,
        )
    return caps


def _centre_of_mass(body: Body3D, view: View, side: sk.Side) -> Point:
    total = x = y = 0.0
    for seg in body.segments.values():
        mass = sk.MASS[sk.base_name(seg.name)]
        mid: Vec3 = (
            (seg.start[0] + seg.end[0]) / 2,
            (seg.start[1] + seg.end[1]) / 2,
            (seg.start[2] + seg.end[2]) / 2,
        )
        px, py, _ = project(mid, view, side)
        total += mass
        x += mass * px
        y += mass * py
    return (x / total, y / total)


def _finish(
    body: Body3D,
    caps: dict[str, Capsule],
    view: View,
    side: sk.Side,
    supports: dict[Support, list[str]],
    turn: float,
    fit: _Fit,
) -> Placed:
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    # Keep the hip centre (the body-frame origin) at x = 0 so poses of one exercise line up.

    def final(p: Point) -> Point:
        return (p[0] * c - p[1] * s, p[0] * s + p[1] * c + fit.dy)

    points: dict[str, Point] = {}
    depth: dict[str, float] = {}
    for name, v in body.points.items():
        px, py, pz = project(v, view, side)
        points[name] = final((px, py))
        depth[name] = pz
    moved = {
        name: replace(cap, a=final(cap.a), b=final(cap.b), tilt=turn) for name, cap in caps.items()
    }

    def prop_x(support: Support) -> float | None:
        xs = [
            (moved[seg].a if end == 0 else moved[seg].b)[0]
            for name in supports.get(support, [])
            for spec in contact_specs(name)
            for seg, end in spec.ends
        ]
        return sum(xs) / len(xs) if xs else None

    return Placed(
        view=view,
        height=body.height,
        points=points,
        depth=depth,
        capsules=moved,
        gaps=fit.gaps,
        wall_x=fit.wall_x,
        roller_x=prop_x("roller"),
        chair_x=prop_x("chair"),
        turn=turn,
    )


def lowest_as_placed(body: Body3D, like: Placed, side: sk.Side, segments: Collection[str]) -> float:
    """How high the lowest point of ``segments`` of ``body`` would be, turned and lifted as
    ``like`` is (a body seen from the side, the front or an end, not from above)."""
    c, s = math.cos(math.radians(like.turn)), math.sin(math.radians(like.turn))
    lift = like.points["hip_centre"][1]  # the origin's height: how far placement raised it

    def final(p: Point) -> Point:
        return (p[0] * c - p[1] * s, p[0] * s + p[1] * c + lift)

    caps = _project(body, like.view, side)
    return min(
        replace(caps[name], a=final(caps[name].a), b=final(caps[name].b), tilt=like.turn).bottom
        for name in segments
    )


def shifted(placed: Placed, dx: float) -> Placed:
    """The same placed body moved ``dx`` metres along the floor."""

    def move(p: Point) -> Point:
        return (p[0] + dx, p[1])

    def opt(x: float | None) -> float | None:
        return None if x is None else x + dx

    return replace(
        placed,
        points={k: move(p) for k, p in placed.points.items()},
        capsules={k: replace(c, a=move(c.a), b=move(c.b)) for k, c in placed.capsules.items()},
        wall_x=opt(placed.wall_x),
        roller_x=opt(placed.roller_x),
        chair_x=opt(placed.chair_x),
    )
