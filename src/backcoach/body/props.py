"""Scenery under and around the body: floor line, mat, chair, wall, foam roller and stick."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backcoach.body.camera import Lens, plain
from backcoach.body.draw import CM, PALETTE, Palette
from backcoach.body.geometry import Point
from backcoach.body.placement import ROLLER_DIAMETER_M, SEAT_HEIGHT, Placed
from backcoach.catalogue.poses import Camera

MAT_THICKNESS_M = 0.02
PANEL_MARGIN_M = 0.12
"""Room around the figure and its props inside a picture's panel."""
CHAIR_SEAT_DEPTH_M = 0.42
CHAIR_BACK_HEIGHT_M = 0.45
WALL_THICKNESS_M = 0.10
MAT_WIDTH_M = 0.60
"""An exercise mat is about 60 cm wide: seen from above it reaches this far across the body."""
FLOOR_MARGIN_M = 0.30
"""How far the floor seen from above reaches past the body, the mat and the chair."""
FLOOR_PLANE = "#e3e8ee"
"""The floor seen from above: a pale grey plane under the mat, a step darker than the panel."""
CHAIR_WIDTH_M = 0.44


@dataclass(frozen=True)
class Box:
    """An extent in metres (y up)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def body_box(placed: Placed) -> Box:
    extents = [c.extent() for c in placed.capsules.values()]
    return Box(
        min(e[0] for e in extents),
        min(e[1] for e in extents),
        max(e[2] for e in extents),
        max(e[3] for e in extents),
    )


@dataclass(frozen=True)
class Scenery:
    """The props of one exercise, fixed for all its pictures: a chair stays where it was
    when the person stands up from it."""

    view: str
    height: float
    mat: Box | None
    chair_x: float | None
    facing: float
    """+1 when a seated person faces the picture's right."""
    wall_x: float | None
    wall_side: float
    """+1 when the wall is to the right of the body."""
    roller_x: float | None
    depth: tuple[float, float] = (0.0, 0.0)
    """The nearest and furthest any body reaches toward the viewer, metres: how wide the mat
    and the floor are once a raised camera shows them from above."""
    body: Box | None = None
    """Everything the bodies cover in the declared view's picture."""


def scenery_for(placed: Sequence[Placed], mat: bool) -> Scenery:
    """The props of a run of placed bodies: each prop from the first body that uses it."""
    chair = next((p for p in placed if p.chair_x is not None), None)
    wall = next((p for p in placed if p.wall_x is not None), None)
    roller = next((p for p in placed if p.roller_x is not None), None)
    body = body_box(placed[0])
    for p in placed[1:]:
        body = body.union(body_box(p))
    return Scenery(
        view=placed[0].view,
        height=placed[0].height,
        mat=_mat(placed[0].view, body) if mat else None,
        chair_x=None if chair is None else chair.chair_x,
        facing=1.0 if chair is None else _facing(chair),
        wall_x=None if wall is None else wall.wall_x,
        wall_side=(
            1.0
            if wall is None or wall.wall_x is None
            else (1.0 if wall.wall_x >= wall.points["hip_centre"][0] else -1.0)
        ),
        roller_x=None if roller is None else roller.roller_x,
        depth=(
            min(d for p in placed for d in p.depth.values()),
            max(d for p in placed for d in p.depth.values()),
        ),
        body=body,
    )


def _mat(view: str, body: Box) -> Box:
    if view == "top":
        return Box(body.x0 - 0.08, body.y0 - 0.08, body.x1 + 0.08, body.y1 + 0.08)
    return Box(body.x0 - 0.05, -MAT_THICKNESS_M, body.x1 + 0.05, 0.0)


def _facing(placed: Placed) -> float:
    """+1 when the person's knees point to the picture's right, else -1 (where a seat goes)."""
    knees = (placed.points["left_knee"][0] + placed.points["right_knee"][0]) / 2
    return 1.0 if knees >= placed.points["hip_centre"][0] else -1.0


def chair_box(scenery: Scenery) -> Box | None:
    if scenery.chair_x is None:
        return None
    seat = SEAT_HEIGHT * scenery.height
    top = seat + CHAIR_BACK_HEIGHT_M
    if scenery.view == "front":
        return Box(scenery.chair_x - 0.24, 0.0, scenery.chair_x + 0.24, top)
    back = scenery.chair_x - scenery.facing * 0.14
    front = back + scenery.facing * CHAIR_SEAT_DEPTH_M
    return Box(min(back, front), 0.0, max(back, front), top)


def scenery_box(scenery: Scenery, placed: Sequence[Placed], camera: Camera | None = None) -> Box:
    """Everything drawn: the bodies (as ``camera`` sees them), the floor under them, the
    props."""
    if not plain(camera) and scenery.view != "top":
        assert camera is not None
        box = body_box(placed[0])
        for p in placed[1:]:
            box = box.union(body_box(p))
        for _fill, corners in _seen_planes(scenery, Lens.of(camera)):
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            box = box.union(Box(min(xs), min(ys), max(xs), max(ys)))
        return box
    box = body_box(placed[0]) if scenery.view == "top" else Box(0, -MAT_THICKNESS_M, 0, 0)
    for p in placed:
        box = box.union(body_box(p))
    if scenery.mat is not None:
        box = box.union(scenery.mat)
    chair = chair_box(scenery)
    if chair is not None:
        box = box.union(chair)
    if scenery.wall_x is not None:
        box = box.union(Box(scenery.wall_x, 0, scenery.wall_x, 0))
    return box


def panel_box(
    scenery: Scenery,
    placed: Sequence[Placed],
    extra: Box | None = None,
    cameras: Sequence[Camera | None] = (None,),
) -> Box:
    """The panel a picture draws in: everything drawn (and ``extra``, e.g. arrows) with a
    margin, and always a little floor under the figure. ``placed`` are the bodies as drawn;
    ``cameras`` every camera the panels are seen from, for the props each one shows."""
    box = scenery_box(scenery, placed, cameras[0])
    for camera in cameras[1:]:
        box = box.union(scenery_box(scenery, placed, camera))
    if extra is not None:
        box = box.union(extra)
    m = PANEL_MARGIN_M
    return Box(box.x0 - m, min(box.y0, -0.02) - m * 0.6, box.x1 + m, box.y1 + m)


def back_scenery(
    scenery: Scenery, panel: Box, palette: Palette = PALETTE, camera: Camera | None = None
) -> list[str]:
    """SVG elements drawn behind the body: floor, mat, chair, wall, roller; seen from
    ``camera`` when there is one."""
    if not plain(camera) and scenery.view != "top":
        assert camera is not None
        return _seen_scenery(scenery, Lens.of(camera), palette)
    out = []
    mat = scenery.mat
    if scenery.view == "top":
        # Looking down: the mat is a rectangle under the whole body, and there is no floor line.
        if mat is not None:
            out.append(
                f'<rect x="{mat.x0 * CM:.1f}" y="{-mat.y1 * CM:.1f}" width="{mat.width * CM:.1f}" '
                f'height="{mat.height * CM:.1f}" rx="12" fill="{palette.mat}"/>'
            )
        return out
    floor_y = (MAT_THICKNESS_M if mat is not None else 0.0) * CM
    out.append(
        f'<line x1="{panel.x0 * CM:.1f}" y1="{floor_y:.1f}" x2="{panel.x1 * CM:.1f}" '
        f'y2="{floor_y:.1f}" stroke="{palette.floor}" stroke-width="3" stroke-linecap="round"/>'
    )
    if mat is not None:
        out.append(
            f'<rect x="{mat.x0 * CM:.1f}" y="0" width="{mat.width * CM:.1f}" '
            f'height="{MAT_THICKNESS_M * CM:.1f}" rx="{MAT_THICKNESS_M * CM / 2:.1f}" '
            f'fill="{palette.mat}"/>'
        )
    if scenery.wall_x is not None:
        x = scenery.wall_x if scenery.wall_side > 0 else scenery.wall_x - WALL_THICKNESS_M
        out.append(
            f'<rect x="{x * CM:.1f}" y="{-panel.y1 * CM:.1f}" '
            f'width="{WALL_THICKNESS_M * CM:.1f}" height="{panel.y1 * CM:.1f}" '
            f'fill="{palette.wall}"/>'
        )
    chair = chair_box(scenery)
    if chair is not None:
        out += _chair(scenery, chair, palette)
    if scenery.roller_x is not None:
        r = ROLLER_DIAMETER_M / 2
        out.append(
            f'<circle cx="{scenery.roller_x * CM:.1f}" cy="{-r * CM:.1f}" r="{r * CM:.1f}" '
            f'fill="{palette.prop}" stroke="{palette.prop_edge}" stroke-width="2"/>'
        )
    return out


def _chair(scenery: Scenery, box: Box, palette: Palette) -> list[str]:
    seat = SEAT_HEIGHT * scenery.height
    style = f'stroke="{palette.prop_edge}" stroke-width="4" stroke-linecap="round"'
    leg_inset = 0.03
    out = [
        f'<line x1="{(box.x0 + leg_inset) * CM:.1f}" y1="{-seat * CM:.1f}" '
        f'x2="{(box.x0 + leg_inset) * CM:.1f}" y2="0" {style}/>',
        f'<line x1="{(box.x1 - leg_inset) * CM:.1f}" y1="{-seat * CM:.1f}" '
        f'x2="{(box.x1 - leg_inset) * CM:.1f}" y2="0" {style}/>',
    ]
    if scenery.view == "side":
        back_x = box.x0 + leg_inset if scenery.facing > 0 else box.x1 - leg_inset
        out.append(
            f'<line x1="{back_x * CM:.1f}" y1="{-seat * CM:.1f}" x2="{back_x * CM:.1f}" '
            f'y2="{-box.y1 * CM:.1f}" {style}/>'
        )
    else:
        out.append(
            f'<rect x="{(box.x0 + 0.04) * CM:.1f}" y="{-box.y1 * CM:.1f}" '
            f'width="{(box.width - 0.08) * CM:.1f}" height="{CHAIR_BACK_HEIGHT_M * CM:.1f}" '
            f'rx="6" fill="{palette.prop}"/>'
        )
    out.append(
        f'<rect x="{box.x0 * CM:.1f}" y="{-seat * CM:.1f}" width="{box.width * CM:.1f}" '
        f'height="5" rx="2.5" fill="{palette.prop}" stroke="{palette.prop_edge}" '
        f'stroke-width="2"/>'
    )
    return out


# --- props seen from a raised or turned camera ---------------------------------------------

World = tuple[float, float, float]
"""A point of the placed world: x along the declared picture, y up, depth toward its viewer."""


def _floor_extent(scenery: Scenery) -> tuple[float, float, float, float]:
    """(x0, x1, near, far) of the floor drawn under a body seen from above at an angle."""
    body = scenery.body or Box(-0.5, 0.0, 0.5, 0.0)
    x0, x1 = body.x0, body.x1
    chair = chair_box(scenery)
    if chair is not None:
        x0, x1 = min(x0, chair.x0), max(x1, chair.x1)
    d0, d1 = scenery.depth
    return x0 - FLOOR_MARGIN_M, x1 + FLOOR_MARGIN_M, d0 - FLOOR_MARGIN_M, d1 + FLOOR_MARGIN_M


def _quad(x0: float, x1: float, y: float, d0: float, d1: float) -> list[World]:
    return [(x0, y, d0), (x1, y, d0), (x1, y, d1), (x0, y, d1)]


def _seen_planes(scenery: Scenery, lens: Lens) -> list[tuple[str, list[Point]]]:
    """The floor, the mat and the chair's flat parts as the camera sees them, far first:
    (fill, corners in the picture)."""
    x0, x1, d0, d1 = _floor_extent(scenery)
    planes: list[tuple[str, list[World]]] = [("floor", _quad(x0, x1, 0.0, d0, d1))]
    if scenery.mat is not None:
        mid = (scenery.depth[0] + scenery.depth[1]) / 2
        half = max(MAT_WIDTH_M, scenery.depth[1] - scenery.depth[0] + 0.1) / 2
        planes.append(("mat", _quad(scenery.mat.x0, scenery.mat.x1, 0.0, mid - half, mid + half)))
    chair = chair_box(scenery)
    if chair is not None:
        seat = SEAT_HEIGHT * scenery.height
        planes += _chair_planes(scenery, chair, seat)
    return [(fill, [lens.see(*p)[0] for p in pts]) for fill, pts in planes]


def _chair_planes(scenery: Scenery, box: Box, seat: float) -> list[tuple[str, list[World]]]:
    """The chair as legs (thin planes seen edge-on would vanish: drawn as lines by the
    caller), seat and back, in the world: the seat as wide across as a chair."""
    half = CHAIR_WIDTH_M / 2
    if scenery.view == "front":
        # Facing the viewer: the seat reaches back, away from the viewer.
        near, far = 0.14, 0.14 - CHAIR_SEAT_DEPTH_M
        x0, x1 = box.x0, box.x1
        back: list[World] = [
            (x0, seat, far),
            (x1, seat, far),
            (x1, box.y1, far),
            (x0, box.y1, far),
        ]
        return [("leg", [(x, 0.0, d), (x, seat, d)]) for x in (x0, x1) for d in (near, far)] + [
            ("seat", _quad(x0, x1, seat, near, far)),
            ("back", back),
        ]
    back_x = box.x0 if scenery.facing > 0 else box.x1
    legs: list[tuple[str, list[World]]] = [
        ("leg", [(x, 0.0, d), (x, seat, d)]) for x in (box.x0, box.x1) for d in (-half, half)
    ]
    return [
        *legs,
        ("seat", _quad(box.x0, box.x1, seat, -half, half)),
        (
            "back",
            [
                (back_x, seat, -half),
                (back_x, seat, half),
                (back_x, box.y1, half),
                (back_x, box.y1, -half),
            ],
        ),
    ]


def _seen_scenery(scenery: Scenery, lens: Lens, palette: Palette) -> list[str]:
    """Floor, mat and chair seen from above at an angle: planes, not lines."""
    fills = {
        "floor": (FLOOR_PLANE, palette.floor),
        "mat": (palette.mat, palette.mat),
        "seat": (palette.prop, palette.prop_edge),
        "back": (palette.prop, palette.prop_edge),
    }
    out = []
    for kind, corners in _seen_planes(scenery, lens):
        pts = " ".join(f"{x * CM:.1f},{-y * CM:.1f}" for x, y in corners)
        if kind == "leg":
            out.append(
                f'<polyline class="prop" points="{pts}" fill="none" '
                f'stroke="{palette.prop_edge}" stroke-width="4" stroke-linecap="round"/>'
            )
            continue
        fill, edge = fills[kind]
        out.append(
            f'<polygon class="{kind}" points="{pts}" fill="{fill}" stroke="{edge}" '
            f'stroke-width="2" stroke-linejoin="round"/>'
        )
    return out


# --- the stick (broom handle) held along the back -------------------------------------------

STICK_LENGTH_M = 1.2
"""A broom handle: about shoulder height of an adult."""
STICK_WIDTH_M = 0.025
STICK_BELOW_TAILBONE_M = 0.12
"""How far the stick reaches past the tailbone, where the lower hand holds it."""


def stick_line(placed: Placed) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where a stick held along the back lies in a side view: against the back of the pelvis
    and the upper back, from a little below the tailbone up past the head.

    The line runs along the trunk (hip centre to the top of the chest), moved out to the back
    surface; the back is the side away from the nose. The stick touches the head when the head
    is in line with the back, which is what the exercise teaches (``checks.stick_findings``).
    """
    pelvis, chest = placed.capsules["pelvis"], placed.capsules["upper_trunk"]
    a, b = pelvis.a, chest.b
    length = math.dist(a, b) or 1.0
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    nx, ny = -uy, ux
    nose = placed.points["nose"]
    if (nose[0] - a[0]) * nx + (nose[1] - a[1]) * ny > 0:
        nx, ny = -nx, -ny  # the normal points to the back, away from the face
    r = max(pelvis.ra, pelvis.rb, chest.ra, chest.rb) + STICK_WIDTH_M / 2
    start = (
        a[0] + nx * r - ux * STICK_BELOW_TAILBONE_M,
        a[1] + ny * r - uy * STICK_BELOW_TAILBONE_M,
    )
    end = (start[0] + ux * STICK_LENGTH_M, start[1] + uy * STICK_LENGTH_M)
    return start, end


def stick_box(placed: Sequence[Placed]) -> Box:
    """Everything the sticks of these bodies cover, for the panel to make room for them."""
    ends = [p for body in placed for p in stick_line(body)]
    xs, ys = [x for x, _ in ends], [y for _, y in ends]
    pad = STICK_WIDTH_M
    return Box(min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def stick_svg(placed: Placed, palette: Palette = PALETTE) -> str:
    """The stick as one rounded line (``class="prop stick"``), drawn over the body's back."""
    (x1, y1), (x2, y2) = stick_line(placed)
    return (
        f'<line class="prop stick" x1="{x1 * CM:.1f}" y1="{-y1 * CM:.1f}" '
        f'x2="{x2 * CM:.1f}" y2="{-y2 * CM:.1f}" stroke="{palette.prop_edge}" '
        f'stroke-width="{STICK_WIDTH_M * CM:.1f}" stroke-linecap="round"/>'
    )


# --- a cushion under the head or the knees --------------------------------------------------

CUSHION_ALONG_M = 0.34
"""A small cushion or pillow, along the body: about a pillow's short side."""
CUSHION_ACROSS_M = 0.46
"""Across the body: a pillow's long side, wider than the head."""
CUSHION_FILL = "#e9e2f2"
"""A soft pale lilac, apart from the mat's green, the floor's grey and the wooden props."""
CUSHION_EDGE = "#a99bbd"


def cushion_box(placed: Placed, part: str) -> tuple[float, float, float, float, float]:
    """Where a cushion under ``part`` (``head`` or ``knees``) of a placed body lies, in the
    placed world: (x0, x1, depth0, depth1, top). It fills the gap from the floor up to the part
    (its thickness is how high the part rests) and is centred under it, its long side across
    the body, whichever way the body lies in the picture."""
    if part == "head":
        centre, towards = "head_centre", "neck_base"
        cx = placed.points[centre][0]
        cd = placed.depth[centre]
        fx, fd = placed.points[towards][0], placed.depth[towards]
    else:
        knees = [placed.points[f"{side}_knee"] for side in ("left", "right")]
        cx = (knees[0][0] + knees[1][0]) / 2
        cd = (placed.depth["left_knee"] + placed.depth["right_knee"]) / 2
        fx, fd = placed.points["hip_centre"][0], placed.depth["hip_centre"]
    top = max(min(placed.part_gap(part, "floor"), 0.15), 0.0)
    # The body runs along the picture (x) or toward the viewer (depth): the cushion's short
    # side lies along it.
    along_x = abs(cx - fx) >= abs(cd - fd)
    half_x = (CUSHION_ALONG_M if along_x else CUSHION_ACROSS_M) / 2
    half_d = (CUSHION_ACROSS_M if along_x else CUSHION_ALONG_M) / 2
    return cx - half_x, cx + half_x, cd - half_d, cd + half_d, top


def cushion_outline(placed: Placed, part: str, camera: Camera | None = None) -> list[Point]:
    """The cushion's outline in the picture, round it in order: its side face in a plain
    view, the silhouette of the whole pad as ``camera`` sees it from above at an angle, the
    pad as it lies when the view looks straight down."""
    x0, x1, d0, d1, top = cushion_box(placed, part)
    if placed.view == "top":
        # Picture y runs across the body here: the pad's long side lies along it.
        name = "head_centre" if part == "head" else "left_knee"
        cy = placed.points[name][1]
        if part == "knees":
            cy = (cy + placed.points["right_knee"][1]) / 2
        half = CUSHION_ACROSS_M / 2
        x0, x1 = (x0 + x1) / 2 - CUSHION_ALONG_M / 2, (x0 + x1) / 2 + CUSHION_ALONG_M / 2
        return [(x0, cy - half), (x1, cy - half), (x1, cy + half), (x0, cy + half)]
    if plain(camera):
        return [(x0, 0.0), (x1, 0.0), (x1, top), (x0, top)]
    assert camera is not None
    lens = Lens.of(camera)
    corners = [lens.see(x, y, d)[0] for x in (x0, x1) for y in (0.0, top) for d in (d0, d1)]
    return _hull(corners)


def _hull(points: list[Point]) -> list[Point]:
    """The convex hull of a few points, in order round it (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def cushion_svg(placed: Placed, part: str, camera: Camera | None = None) -> str:
    """The cushion under ``part`` of ``placed`` (the body as placed, not as the camera sees
    it) as one pad with rounded corners (``class="prop cushion"``), drawn behind the body."""
    return (
        f'<path class="prop cushion" d="{_rounded(cushion_outline(placed, part, camera))}" '
        f'fill="{CUSHION_FILL}" stroke="{CUSHION_EDGE}" stroke-width="2.5" '
        f'stroke-linejoin="round"/>'
    )


def _rounded(outline: list[Point], radius: float = 0.05) -> str:
    """An SVG path round ``outline`` (metres, y up) with each corner rounded off."""
    n = len(outline)
    d = []
    for i in range(n):
        (px, py), (cx, cy), (nx, ny) = outline[i - 1], outline[i], outline[(i + 1) % n]
        a = min(radius, math.dist((px, py), (cx, cy)) / 2) / (math.dist((px, py), (cx, cy)) or 1)
        b = min(radius, math.dist((nx, ny), (cx, cy)) / 2) / (math.dist((nx, ny), (cx, cy)) or 1)
        sx, sy = cx + (px - cx) * a, cy + (py - cy) * a
        ex, ey = cx + (nx - cx) * b, cy + (ny - cy) * b
        d.append(
            f"{'M' if i == 0 else 'L'} {sx * CM:.1f} {-sy * CM:.1f} "
            f"Q {cx * CM:.1f} {-cy * CM:.1f} {ex * CM:.1f} {-ey * CM:.1f}"
        )
    return " ".join(d) + " Z"
