"""Turning a placed body into simple SVG shapes in a friendly pictogram style.

Limbs are thick lines with round ends, the head a circle with an eye and a nose so it is clear
which way the person faces, the trunk one smooth stroke (side view) or a rounded outline (front
view). The limbs on the far side are paler. Working limbs are coloured. Every frame of a body
yields the same shapes with the same ids in the same order, so an animation can move them.

Coordinates: SVG units are centimetres, x to the right, y down (``svg_y = -100 * y``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.geometry import Point
from backcoach.body.placement import END_VIEWS, Capsule, Placed

CM = 100.0
"""SVG units per metre."""


@dataclass(frozen=True)
class Palette:
    near: str = "#2b4a6f"
    far: str = "#9db4cc"
    work_near: str = "#e8702a"
    work_far: str = "#f4b48a"
    ghost: str = "#dfe4ea"
    eye: str = "#ffffff"
    floor: str = "#7a8694"
    mat: str = "#bfe0d6"
    prop: str = "#c8b497"
    prop_edge: str = "#9c8566"
    arrow: str = "#d9480f"
    wall: str = "#d8dde3"
    strap: str = "#5fa8a0"


PALETTE = Palette()
Paint = Callable[[str], str]
"""Colour of a segment by name."""


@dataclass(frozen=True)
class Shape:
    """One SVG element: ``kind`` is line, circle or path; ``geom`` holds its geometry."""

    id: str
    kind: Literal["line", "circle", "path"]
    geom: dict[str, float | str]
    style: dict[str, str | float] = field(default_factory=dict)

    def svg(self, with_id: bool = True) -> str:
        attrs = {**self.geom, **self.style}
        text = " ".join(f'{k.replace("_", "-")}="{_fmt(v)}"' for k, v in attrs.items())
        ident = f'id="{self.id}" ' if with_id else ""
        return f"<{self.kind} {ident}{text}/>"


def _fmt(value: float | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def svg_point(p: Point) -> tuple[float, float]:
    return (p[0] * CM, -p[1] * CM)


def _line(sid: str, a: Point, b: Point, width: float, colour: str) -> Shape:
    (x1, y1), (x2, y2) = svg_point(a), svg_point(b)
    return Shape(
        sid,
        "line",
        {"x1": x1, "y1": y1, "x2": x2, "y2": y2},
        {"stroke": colour, "stroke_width": round(width * CM, 1), "stroke_linecap": "round"},
    )


def _capsule(sid: str, cap: Capsule, colour: str) -> Shape:
    """A limb: two end circles joined by the lines touching both, as one closed path.

    The path's commands never change with the pose (the thicker end's arc is always the
    larger one), so an animation can move it smoothly.
    """
    (ax, ay), (bx, by) = svg_point(cap.a), svg_point(cap.b)
    ra, rb = cap.ra * CM, cap.rb * CM
    d = math.hypot(bx - ax, by - ay)
    if d < abs(ra - rb) + 1e-6:
        # Too short to show its length (seen end-on): a disc. Nudge b so the path keeps its
        # commands and the arcs stay well defined.
        bx, by, d = ax + abs(ra - rb) + 0.01, ay, abs(ra - rb) + 0.01
    ux, uy = (bx - ax) / d, (by - ay) / d
    nx, ny = -uy, ux
    s = (ra - rb) / d
    c = math.sqrt(max(0.0, 1 - s * s))
    w1 = (c * nx + s * ux, c * ny + s * uy)
    w2 = (-c * nx + s * ux, -c * ny + s * uy)
    p1 = (ax + ra * w1[0], ay + ra * w1[1])
    p2 = (bx + rb * w1[0], by + rb * w1[1])
    p3 = (bx + rb * w2[0], by + rb * w2[1])
    p4 = (ax + ra * w2[0], ay + ra * w2[1])
    big_a = 1 if ra >= rb else 0
    path = (
        f"M {p1[0]:.1f} {p1[1]:.1f} L {p2[0]:.1f} {p2[1]:.1f} "
        f"A {rb:.1f} {rb:.1f} 0 {1 - big_a} 0 {p3[0]:.1f} {p3[1]:.1f} "
        f"L {p4[0]:.1f} {p4[1]:.1f} A {ra:.1f} {ra:.1f} 0 {big_a} 0 {p1[0]:.1f} {p1[1]:.1f} Z"
    )
    return Shape(sid, "path", {"d": path}, {"fill": colour})


def _circle(sid: str, c: Point, r: float, colour: str) -> Shape:
    x, y = svg_point(c)
    return Shape(sid, "circle", {"cx": x, "cy": y, "r": round(r * CM, 1)}, {"fill": colour})


def body_shapes(
    placed: Placed,
    shown: sk.Side,
    working: frozenset[str] = frozenset(),
    ghost: bool = False,
    palette: Palette = PALETTE,
    strap: str | None = None,
) -> list[Shape]:
    """The body's shapes, with a towel from the hands to ``strap`` (a resting-part name)."""
    shapes = _body(placed, shown, working, ghost, palette)
    if strap is not None:
        shapes.append(_strap(placed, strap, palette.ghost if ghost else palette.strap))
    return shapes


def _strap(placed: Placed, part: str, colour: str) -> Shape:
    """A towel or strap: from between the hands to the middle of the part it loops round."""
    pts = placed.points
    grip = [
        (
            (pts[f"{s}_wrist"][0] + pts[f"{s}_fingertip"][0]) / 2,
            (pts[f"{s}_wrist"][1] + pts[f"{s}_fingertip"][1]) / 2,
        )
        for s in sk.SIDES
    ]
    hands = ((grip[0][0] + grip[1][0]) / 2, (grip[0][1] + grip[1][1]) / 2)
    caps = [placed.capsules[seg] for spec in contact_specs(part) for seg, _ in spec.ends]
    xs = [p[0] for c in caps for p in (c.a, c.b)]
    ys = [p[1] for c in caps for p in (c.a, c.b)]
    loop = (sum(xs) / len(xs), sum(ys) / len(ys))
    return _line("strap", hands, loop, 0.018 * placed.height, colour)


def _body(
    placed: Placed,
    shown: sk.Side,
    working: frozenset[str],
    ghost: bool,
    palette: Palette,
) -> list[Shape]:
    """The shapes of one body, far side first, in a fixed order.

    ``shown`` is the side nearest the viewer in a side view; ``working`` names segments to
    colour. A ghost (an earlier pose under a later one) is drawn flat and pale.
    """

    def colour(segment: str) -> str:
        if ghost:
            return palette.ghost
        far = placed.view == "side" and sk.side_of(segment) not in (None, shown)
        if segment in working:
            return palette.work_far if far else palette.work_near
        return palette.far if far else palette.near

    far_side: sk.Side = "left" if shown == "right" else "right"
    if placed.view == "side":
        # Far limbs, then the trunk and head, then the near limbs: a fixed order.
        return [
            *_limbs(placed, far_side, colour),
            *_trunk(placed, colour),
            *_head(placed, colour, ghost, palette),
            *_limbs(placed, shown, colour),
        ]
    # From the front or above nothing is simply behind: draw the furthest shapes first.
    shapes = [
        *_limbs(placed, far_side, colour),
        *_limbs(placed, shown, colour),
        *_trunk(placed, colour),
    ]
    depth = {
        **{name: cap.depth for name, cap in placed.capsules.items()},
        "trunk": (placed.capsules["pelvis"].depth + placed.capsules["upper_trunk"].depth) / 2,
    }
    shapes.sort(key=lambda sh: depth.get(sh.id, 0.0))
    return shapes + _head(placed, colour, ghost, palette)


def _limbs(placed: Placed, side: sk.Side, paint: Paint) -> list[Shape]:
    shapes = []
    for seg in ("thigh", "shank", "foot", "upper_arm", "forearm", "hand"):
        name = f"{side}_{seg}"
        cap = placed.capsules[name]
        shapes.append(_capsule(name, cap, paint(name)))
    return shapes


def _trunk(placed: Placed, paint: Paint) -> list[Shape]:
    pelvis = placed.capsules["pelvis"]
    chest = placed.capsules["upper_trunk"]
    neck = placed.capsules["neck"]
    fill = paint("upper_trunk")
    shapes = [_capsule("neck", neck, paint("neck"))]
    if placed.view in END_VIEWS:
        # Seen lengthwise the trunk is two ovals, chest and pelvis, the nearer one on top.
        ovals = [
            _oval(name, cap, paint(name))
            for name, cap in sorted(
                (("pelvis", pelvis), ("trunk", chest)), key=lambda item: item[1].depth
            )
        ]
        return shapes + ovals
    pts = placed.points
    spread = math.dist(pts["left_shoulder"], pts["right_shoulder"])
    if placed.view == "side" or spread < 0.5 * placed.height * sk.SHOULDER_HALF_WIDTH:
        # Seen side-on (from the side, or from above when lying on one side).
        # One smooth stroke through hip centre, lumbar joint and chest top: a curved back
        # reads as rounded or arched, where two straight pieces would look broken.
        a, m, b = svg_point(pelvis.a), svg_point(chest.a), svg_point(chest.b)
        control = (2 * m[0] - (a[0] + b[0]) / 2, 2 * m[1] - (a[1] + b[1]) / 2)
        width = 2 * max(pelvis.ra, chest.ra) * CM
        d = f"M {a[0]:.1f} {a[1]:.1f} Q {control[0]:.1f} {control[1]:.1f} {b[0]:.1f} {b[1]:.1f}"
        shapes.append(
            Shape(
                "trunk",
                "path",
                {"d": d},
                {
                    "fill": "none",
                    "stroke": fill,
                    "stroke_width": round(width, 1),
                    "stroke_linecap": "round",
                },
            )
        )
        return shapes
    # Seen face-on: a rounded outline from the shoulders through the waist to the hips.
    h = placed.height
    ls, rs = pts["left_shoulder"], pts["right_shoulder"]
    lh, rh = pts["left_hip"], pts["right_hip"]
    lumbar, hipc = pts["lumbar"], pts["hip_centre"]
    axis = (lumbar[0] - hipc[0], lumbar[1] - hipc[1])
    n = math.hypot(*axis) or 1.0
    across = (-axis[1] / n, axis[0] / n)
    # Which way "across" points: toward the person's left or right in the picture.
    if (ls[0] - rs[0]) * across[0] + (ls[1] - rs[1]) * across[1] < 0:
        across = (-across[0], -across[1])
    waist = 0.055 * h
    hip_out = 0.035 * h
    outline = [
        ls,
        (lumbar[0] + across[0] * waist, lumbar[1] + across[1] * waist),
        _toward(lh, rh, -hip_out),
        _toward(rh, lh, -hip_out),
        (lumbar[0] - across[0] * waist, lumbar[1] - across[1] * waist),
        rs,
    ]
    svg_pts = [svg_point(p) for p in outline]
    d = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in svg_pts) + " Z"
    shapes.append(
        Shape(
            "trunk",
            "path",
            {"d": d},
            {
                "fill": fill,
                "stroke": fill,
                "stroke_width": round(0.07 * h * CM, 1),
                "stroke_linejoin": "round",
            },
        )
    )
    return shapes


def _oval(sid: str, cap: Capsule, colour: str) -> Shape:
    """A trunk segment seen end-on: an oval at its middle, as wide as the body and as deep."""
    mid = ((cap.a[0] + cap.b[0]) / 2, (cap.a[1] + cap.b[1]) / 2)
    cx, cy = svg_point(mid)
    rx, ry = cap.ra * CM, cap.ra * cap.flat * CM
    # Lengthwise tilt shows as a longer oval: half the projected length is added across.
    rx += math.dist(cap.a, cap.b) * CM / 2
    t = math.radians(cap.tilt)
    ux, uy = math.cos(t), -math.sin(t)  # the oval's long axis, SVG y pointing down
    x1, y1, x2, y2 = cx - ux * rx, cy - uy * rx, cx + ux * rx, cy + uy * rx
    rot = -cap.tilt
    d = (
        f"M {x1:.1f} {y1:.1f} A {rx:.1f} {ry:.1f} {rot:.1f} 1 0 {x2:.1f} {y2:.1f} "
        f"A {rx:.1f} {ry:.1f} {rot:.1f} 1 0 {x1:.1f} {y1:.1f} Z"
    )
    return Shape(sid, "path", {"d": d}, {"fill": colour})


def _toward(p: Point, q: Point, dist: float) -> Point:
    """``p`` moved ``dist`` metres toward ``q`` (negative: away from it)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    n = math.hypot(dx, dy) or 1.0
    return (p[0] + dx / n * dist, p[1] + dy / n * dist)


def _head(placed: Placed, paint: Paint, ghost: bool, palette: Palette) -> list[Shape]:
    head = placed.capsules["head"]
    pts = placed.points
    h = placed.height
    shapes = [
        _circle("head", head.a, head.ra, paint("head")),
        _circle("nose", pts["nose"], 0.016 * h, paint("head")),
    ]
    eye = palette.ghost if ghost else palette.eye
    # Eyes on the side of the head facing the viewer; both ids always exist for animation.
    centre = placed.depth["head_centre"]
    for sid, name in (("eye", "left_eye"), ("eye2", "right_eye")):
        facing = placed.depth[name] > centre + 0.01 * h
        size = (0.009 if facing else 0.0) * h
        shapes.append(_circle(sid, pts[name], size, eye))
    return shapes
