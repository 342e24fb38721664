"""Turning a placed body into SVG shapes that read as a solid figure.

Limbs are capsules (two round ends joined), hands mittens and feet feet; the head a circle with
hair on its back and top, an eye and a nose, so it is clear which way the person faces; the
trunk one smooth solid outline (chest, waist and pelvis seen side-on; shoulders, waist and hips
face-on). Parts are drawn far to near by their depth from the camera, in every view, and
shaded by it: nearer darker, further paler, each with a thin darker edge; a knee or an elbow
shows no edge across it, so a limb reads as one piece. Working limbs are coloured orange,
shaded the same way.
Every frame of a body yields the same shapes with the same ids and path commands, so an
animation can move them; only their order follows the depth.

Coordinates: SVG units are centimetres, x to the right, y down (``svg_y = -100 * y``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.geometry import Point
from backcoach.body.placement import END_VIEWS, Capsule, Placed

CM = 100.0
"""SVG units per metre."""


@dataclass(frozen=True)
class Palette:
    """The figure's colours. Body parts are shaded along a ramp by how near the viewer they
    are: ``near`` (nearest), ``mid`` (the body's middle), ``far`` (furthest); working parts
    along the orange ramp ``work_near`` to ``work_far``. Near and middle tones keep a contrast
    of at least 3:1 against the panel (#f5f7fa), WCAG's minimum for graphics."""

    near: str = "#2b4a6f"
    mid: str = "#4a6d93"
    far: str = "#a9bdd3"
    work_near: str = "#c25010"
    work_mid: str = "#d9621c"
    work_far: str = "#f4b48a"
    outline: str = "#14263a"
    """Mixed into a part's own colour for its edge, so overlapping parts stay apart."""
    hair: str = "#1f2f42"
    ghost: str = "#dfe4ea"
    eye: str = "#ffffff"
    floor: str = "#7a8694"
    mat: str = "#bfe0d6"
    prop: str = "#c8b497"
    prop_edge: str = "#9c8566"
    arrow: str = "#d9480f"
    wall: str = "#d8dde3"
    strap: str = "#5fa8a0"

    def tone(self, farness: float, working: bool = False) -> str:
        """The colour of a part ``farness`` along the ramp (0 nearest, 0.5 the body's middle,
        1 furthest)."""
        t = min(1.0, max(0.0, farness))
        near, mid, far = (
            (self.work_near, self.work_mid, self.work_far)
            if working
            else (self.near, self.mid, self.far)
        )
        return mix(near, mid, 2 * t) if t <= 0.5 else mix(mid, far, 2 * t - 1)

    def tones(self, working: bool = False) -> list[str]:
        """Every colour a body part can take (the ramp's steps)."""
        return [self.tone(i / TONE_STEPS, working) for i in range(TONE_STEPS + 1)]

    def edge(self, colour: str) -> str:
        """The outline of a part of ``colour``: the same hue, darker."""
        return mix(colour, self.outline, EDGE_DARKEN)


TONE_STEPS = 6
"""The depth ramp has this many steps: enough to grade near, middle and far parts, few enough
that a limb keeps one colour while it moves a little."""
DEPTH_SPAN = 0.08
"""Depth (fraction of height) from the body's middle to the ends of the colour ramp: about the
shoulder joint's distance from the midline, so in a side view the near arm gets the nearest
tone, the near leg (hip joint 0.05 H out) the next."""
LIMB_LEAD = 0.015
"""Depth (fraction of height) an arm is taken to be nearer than the trunk when deciding which
is drawn on top: arms hanging beside the trunk, seen from the front, at the trunk's own depth,
then show over its edge instead of vanishing into it. Legs get none: their tops belong under
the pelvis."""
EDGE_DARKEN = 0.45
EDGE_WIDTH_CM = 0.6
"""Outline width in SVG units (cm of body): about a pixel in a card-sized picture."""


@functools.cache
def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b`` (hex ``#rrggbb``). Cached: a figure
    uses a handful of tones, asked for by every shape of every animation frame."""
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


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
    """The shapes of one body, furthest first, in every view.

    Each part is placed by its capsule's depth (the head with its face, the trunk by the
    middle of its two segments), so what is nearer the viewer is drawn over what is further,
    whichever way the camera looks; limbs lead the trunk a little (``LIMB_LEAD``). Parts are
    shaded by depth too: nearer darker, further paler, graded along the palette's ramp. A
    ghost (an earlier pose under a later one) is drawn flat and pale. ``shown`` is the side
    the pose names as nearest the viewer; depth alone decides, so it is not needed here.
    """
    del shown  # depth decides what is near, in every view
    h = placed.height
    caps = placed.capsules
    middle = (caps["pelvis"].depth + caps["upper_trunk"].depth) / 2

    def farness(depth: float) -> float:
        ahead = max(-1.0, min(1.0, (depth - middle) / (DEPTH_SPAN * h)))
        return round((1 - ahead) / 2 * TONE_STEPS) / TONE_STEPS

    def paint(segment: str) -> str:
        if ghost:
            return palette.ghost
        return palette.tone(farness(caps[segment].depth), segment in working)

    def edged(shape: Shape) -> Shape:
        if ghost or "stroke" in shape.style:
            return shape  # a ghost stays flat; a stroked shape's stroke is its body
        fill = str(shape.style["fill"])
        style = {
            **shape.style,
            "stroke": palette.edge(fill),
            "stroke_width": EDGE_WIDTH_CM,
            "stroke_linejoin": "round",
        }
        return Shape(shape.id, shape.kind, shape.geom, style)

    groups: list[tuple[float, list[Shape]]] = []
    for side in sk.SIDES:
        for seg in ("thigh", "shank", "foot", "upper_arm", "forearm", "hand"):
            name = f"{side}_{seg}"
            cap = caps[name]
            if seg == "foot":
                shape = _foot(name, placed, side, paint(name))
            elif seg == "hand":
                shape = _hand(name, placed, side, paint(name))
            else:
                shape = _capsule(name, cap, paint(name))
            lead = LIMB_LEAD * h if seg in sk.ARM_SEGMENTS else 0.0
            if seg in JOINED:
                other = caps[f"{side}_{JOINED[seg]}"]
                if seg in ("shank", "forearm"):  # the part across the joint ends there
                    other = replace(other, a=other.b, b=other.a, ra=other.rb, rb=other.ra)
                parts = _joined(shape, other, ghost, palette)
            else:
                parts = [edged(shape)]
            groups.append((cap.depth + lead, parts))
    groups += [(depth, [edged(s) for s in shapes]) for depth, shapes in _trunk(placed, paint)]
    head = [edged(s) if s.id == "head" else s for s in _head(placed, paint, ghost, palette)]
    groups.append((caps["head"].depth, head))
    # A stable sort: parts at one depth (trunk, neck, head in a side view) keep this order.
    groups.sort(key=lambda group: group[0])
    return [shape for _, shapes in groups for shape in shapes]


JOINED = {"thigh": "shank", "shank": "thigh", "upper_arm": "forearm", "forearm": "upper_arm"}
"""The limb parts that meet at a knee or an elbow: each with the part across the joint (the
first two of each pair are above the joint, ending there; the others start there)."""
JOINT_PATCH = 1.5
"""How far (in joint radii) a limb part's fill reaches along its neighbour across the joint:
far enough to cover its own edge where it crosses the neighbour near the joint, on the
outside of the bend (its rounded end) and on the inside (its side, up to the crease of a knee
bent to about 120 degrees)."""


def _joined(shape: Shape, other: Capsule, ghost: bool, palette: Palette) -> list[Shape]:
    """A limb part that meets ``other`` at a knee or an elbow, drawn so the two read as one
    limb: its edge first (a stroke twice the edge width, half of it hidden under the fill),
    then its fill, which also covers the start of ``other``. Whichever of the two is drawn
    on top hides its own edge where it lies over the other near the joint, and the seam
    across the joint goes; further along, where a bent limb folds over itself, the edge
    still shows. Both parts carry the patch, so the path's commands never depend on which is
    on top; the one underneath has its patch covered by the other's fill."""
    fill = str(shape.style["fill"])
    filled = Shape(shape.id, "path", {"d": f"{shape.geom['d']} {_patch(other)}"}, shape.style)
    if ghost:
        return [filled]
    edge = Shape(
        f"{shape.id}_edge",
        "path",
        shape.geom,
        {
            "fill": "none",
            "stroke": palette.edge(fill),
            "stroke_width": 2 * EDGE_WIDTH_CM,
            "stroke_linejoin": "round",
        },
    )
    return [edge, filled]


def _patch(cap: Capsule) -> str:
    """A quadrilateral over the start of ``cap`` (the joint end, ``a``), inside its outline:
    ``JOINT_PATCH`` joint radii long, or the whole of ``cap`` when it is shorter."""
    (ax, ay), (bx, by) = svg_point(cap.a), svg_point(cap.b)
    length = math.hypot(bx - ax, by - ay)
    ux, uy = ((bx - ax) / length, (by - ay) / length) if length > 1e-6 else (1.0, 0.0)
    nx, ny = -uy, ux
    reach = min(JOINT_PATCH * cap.ra * CM, length)
    # Within the outline, which narrows from ra to rb along the part.
    w0 = 0.97 * cap.ra * CM
    w1 = 0.97 * (cap.ra + (cap.rb - cap.ra) * (reach / length if length > 1e-6 else 0.0)) * CM
    ex, ey = ax + ux * reach, ay + uy * reach
    corners = [
        (ax + nx * w0, ay + ny * w0),
        (ex + nx * w1, ey + ny * w1),
        (ex - nx * w1, ey - ny * w1),
        (ax - nx * w0, ay - ny * w0),
    ]
    return "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in corners) + " Z"


def _limb_frame(
    a: tuple[float, float], b: tuple[float, float], toward: tuple[float, float]
) -> tuple[float, tuple[float, float], tuple[float, float]]:
    """Length, direction ``u`` from ``a`` to ``b`` and the normal ``n`` on ``toward``'s side
    (SVG coordinates). A segment seen end-on takes its direction across ``toward``."""
    d = math.hypot(b[0] - a[0], b[1] - a[1])
    if d > 1e-6:
        u = ((b[0] - a[0]) / d, (b[1] - a[1]) / d)
    else:
        tx, ty = toward[0] - a[0], toward[1] - a[1]
        k = math.hypot(tx, ty) or 1.0
        u = (-ty / k, tx / k) if math.hypot(tx, ty) > 1e-9 else (1.0, 0.0)
    n = (-u[1], u[0])
    if (toward[0] - a[0]) * n[0] + (toward[1] - a[1]) * n[1] < 0:
        n = (-n[0], -n[1])
    return d, u, n


def _at(
    p: tuple[float, float], u: tuple[float, float], along: float, n: tuple[float, float], out: float
) -> str:
    """``p`` moved ``along`` in direction ``u`` and ``out`` in direction ``n``, as SVG text."""
    return f"{p[0] + u[0] * along + n[0] * out:.1f} {p[1] + u[1] * along + n[1] * out:.1f}"


FOOT_HALF_WIDTH = 0.028
"""Half the foot's width across the toes, a fraction of height (about 9.5 cm across for a
1.70 m adult)."""


def _foot(sid: str, placed: Placed, side: sk.Side, colour: str) -> Shape:
    """A foot: heel, flat sole, rounded toes and an instep rising to the ankle.

    The sole is the foot capsule's underside and the toes stay within its rounded tip, so a
    foot rests exactly where the pose check put it; the instep and the back of the heel meet
    the shank within the shank's thickness at the ankle.
    """
    cap = placed.capsules[sid]
    heel, toe = svg_point(cap.a), svg_point(cap.b)
    ankle = svg_point(placed.points[f"{side}_ankle"])
    r = cap.ra * CM
    rk = 0.9 * placed.capsules[f"{side}_shank"].rb * CM
    shown, u, n = _limb_frame(heel, toe, ankle)
    # Seen end-on (from the front or behind) a foot shows its width instead of its length:
    # a sole as wide as the foot under a low dome rising to the ankle.
    length = math.dist(cap.a, cap.b) * CM
    foreshortened = 1 - min(1.0, shown / length) if length > 1e-6 else 1.0
    spread = max(shown / 2, foreshortened * (FOOT_HALF_WIDTH * placed.height * CM - r))
    mid = ((heel[0] + toe[0]) / 2, (heel[1] + toe[1]) / 2)
    heel = (mid[0] - u[0] * spread, mid[1] - u[1] * spread)
    toe = (mid[0] + u[0] * spread, mid[1] + u[1] * spread)
    # Toe tip: round from the sole, through the tip, up to a low top of the toes.
    top = (0.83, 0.55)  # cos and sin of 33 degrees: the toes are lower than the instep
    sweep = _sweep(u, n)
    ax, ay = ankle[0] - heel[0], ankle[1] - heel[1]
    ankle_along, ankle_up = ax * u[0] + ay * u[1], ax * n[0] + ay * n[1]
    d = (
        f"M {_at(heel, u, 0, n, -r)} L {_at(toe, u, 0, n, -r)} "
        f"A {r:.1f} {r:.1f} 0 0 {sweep} {_at(toe, u, top[0] * r, n, top[1] * r)} "
        f"L {_at(heel, u, ankle_along + rk, n, ankle_up)} "
        f"L {_at(heel, u, ankle_along - rk, n, ankle_up)} "
        f"Q {_at(heel, u, -r, n, ankle_up / 2)} {_at(heel, u, -r, n, 0)} "
        f"A {r:.1f} {r:.1f} 0 0 {sweep} {_at(heel, u, 0, n, -r)} Z"
    )
    return Shape(sid, "path", {"d": d}, {"fill": colour})


def _hand(sid: str, placed: Placed, side: sk.Side, colour: str) -> Shape:
    """A mitten along the hand: a slim wrist, the palm widening to the knuckles, the fingers
    rounded at the tip and the thumb standing out on its own side. All of it within the hand
    capsule, so a hand on the floor, a knee or a chair touches as the pose check says."""
    cap = placed.capsules[sid]
    wrist, tip = svg_point(cap.a), svg_point(cap.b)
    thumb = svg_point(placed.points[f"{side}_thumb"])
    r = cap.ra * CM
    length, u, n = _limb_frame(wrist, tip, thumb)
    sweep = _sweep(u, n)
    d = (
        f"M {_at(wrist, u, 0, n, -0.7 * r)} "
        f"L {_at(wrist, u, 0.55 * length, n, -r)} L {_at(tip, u, 0, n, -r)} "
        f"A {r:.1f} {r:.1f} 0 0 {sweep} {_at(tip, u, 0, n, r)} "
        f"L {_at(wrist, u, 0.6 * length, n, 0.75 * r)} "
        f"L {_at(wrist, u, 0.5 * length, n, r)} "
        f"Q {_at(wrist, u, 0.2 * length, n, r)} {_at(wrist, u, 0, n, 0.7 * r)} Z"
    )
    return Shape(sid, "path", {"d": d}, {"fill": colour})


def _sweep(u: tuple[float, float], n: tuple[float, float]) -> int:
    """The SVG arc sweep flag for turning from ``-n`` through ``u`` toward ``n``."""
    return 1 if (-n[0]) * u[1] - (-n[1]) * u[0] > 0 else 0


def _trunk(placed: Placed, paint: Paint) -> list[tuple[float, list[Shape]]]:
    """The neck and the trunk, each with the depth it is drawn at."""
    pelvis = placed.capsules["pelvis"]
    chest = placed.capsules["upper_trunk"]
    neck = placed.capsules["neck"]
    fill = paint("upper_trunk")
    # The neck first: where it ties with the trunk (a side view) the trunk covers its base.
    groups = [(neck.depth, [_capsule("neck", neck, paint("neck"))])]
    if placed.view in END_VIEWS:
        # Seen lengthwise the trunk is two ovals, chest and pelvis, each at its own depth.
        return [
            *groups,
            (pelvis.depth, [_oval("pelvis", pelvis, paint("pelvis"))]),
            (chest.depth, [_oval("trunk", chest, fill)]),
        ]
    return [*groups, ((pelvis.depth + chest.depth) / 2, [_trunk_shape(placed, fill)])]


def _trunk_shape(placed: Placed, fill: str) -> Shape:
    """The trunk as one smooth closed outline, seen side-on or face-on.

    Either way the outline is twelve points joined by one smooth curve (``_smooth_loop``), so
    the path's commands are the same in every frame, whichever way the trunk is seen.
    """
    pts = placed.points
    spread = math.dist(pts["left_shoulder"], pts["right_shoulder"])
    if placed.view == "side" or spread < 0.5 * placed.height * sk.SHOULDER_HALF_WIDTH:
        # Seen side-on (from the side, or from above when lying on one side).
        outline = _side_outline(placed)
    else:
        outline = _front_outline(placed)
    d = _smooth_loop([svg_point(p) for p in outline])
    return Shape("trunk", "path", {"d": d}, {"fill": fill})


SIDE_PROFILE = ((0.75, 0.066, 0.064), (0.5, 0.054, 0.059), (0.22, 0.060, 0.062))
"""The trunk seen from the side, between its rounded top and bottom: (where along the spine
curve, 0 at the hip centre and 1 at the top of the chest; half-depth in front; half-depth
behind), fractions of height. The chest is the deepest, as deep as its capsule so a back or a
chest resting on the floor touches where the pose check says; the waist is the slimmest."""
FRONT_PROFILE = (
    ("top", 0.035, 0.125),
    ("ribs", 0.0, 0.108),
    ("waist", 0.0, 0.088),
    ("hips", 0.0, 0.105),
    ("bottom", -0.035, 0.09),
)
"""The trunk seen face-on, down one side: (where, how far along the trunk from there, half-width),
fractions of height: shoulders, ribs, waist, hips and the corner below the hip."""


class _Spine:
    """The trunk's centre curve seen side-on: a quadratic from the hip centre through the
    lumbar joint to the top of the chest, so a rounded or arched back bends smoothly instead
    of at one point. Its normals point to the side of ``toward`` (the front of the body)."""

    def __init__(self, placed: Placed, toward: Point) -> None:
        a, m = placed.capsules["pelvis"].a, placed.capsules["upper_trunk"].a
        b = placed.capsules["upper_trunk"].b
        self.ends = (a, (2 * m[0] - (a[0] + b[0]) / 2, 2 * m[1] - (a[1] + b[1]) / 2), b)
        self.h = placed.height
        axis = (b[0] - a[0], b[1] - a[1])
        self.side = 1.0 if -axis[1] * toward[0] + axis[0] * toward[1] >= 0 else -1.0

    def at(self, t: float, along: float, out: float) -> Point:
        """The point ``along`` the curve's direction and ``out`` along its normal from the
        curve at ``t`` (both fractions of height)."""
        a, c, b = self.ends
        s = 1 - t
        p = (
            s * s * a[0] + 2 * s * t * c[0] + t * t * b[0],
            s * s * a[1] + 2 * s * t * c[1] + t * t * b[1],
        )
        tx = s * (c[0] - a[0]) + t * (b[0] - c[0])
        ty = s * (c[1] - a[1]) + t * (b[1] - c[1])
        k = math.hypot(tx, ty) or 1.0
        ux, uy = tx / k, ty / k
        nx, ny = -uy * self.side, ux * self.side
        return (
            p[0] + (ux * along + nx * out) * self.h,
            p[1] + (uy * along + ny * out) * self.h,
        )


def _front_of_body(placed: Placed) -> Point:
    """Which way the front of the trunk points in the picture: up the trunk crossed with the
    person's left-to-right, from the points' picture positions and depths."""
    pts, depth = placed.points, placed.depth

    def p3(name: str) -> tuple[float, float, float]:
        return (pts[name][0], pts[name][1], depth[name])

    hip, neck = p3("hip_centre"), p3("neck_base")
    up = [n - h for n, h in zip(neck, hip, strict=True)]
    right = [
        sum(p3(f"right_{j}")[i] - p3(f"left_{j}")[i] for j in ("shoulder", "hip")) for i in range(3)
    ]
    return (up[1] * right[2] - up[2] * right[1], up[2] * right[0] - up[0] * right[2])


def _side_outline(placed: Placed) -> list[Point]:
    """The trunk seen side-on: a rounded top at the shoulders, the chest, the waist and the
    pelvis, rounded below the hips; front and back follow the spine curve."""
    spine = _Spine(placed, _front_of_body(placed))
    front = [spine.at(t, 0.0, ahead) for t, ahead, _ in SIDE_PROFILE]
    back = [spine.at(t, 0.0, -behind) for t, _, behind in reversed(SIDE_PROFILE)]
    return [
        spine.at(1.0, 0.064, 0.0),
        spine.at(1.0, 0.025, 0.056),
        *front,
        spine.at(0.0, -0.025, 0.056),
        spine.at(0.0, -0.060, -0.010),
        spine.at(0.0, -0.030, -0.058),
        *back,
        spine.at(1.0, 0.025, -0.060),
    ]


def _front_outline(placed: Placed) -> list[Point]:
    """The trunk seen face-on: shoulders, ribs, waist and hips either side of the spine. The
    hips go across the pelvis, the ribs across the chest and the waist across the line from
    the hip centre to the top of the chest, so in a side bend the waist follows the lean in
    one smooth curve. Turned away from the viewer, the trunk shows less of its width."""
    pts = placed.points
    h = placed.height
    ls, rs = pts["left_shoulder"], pts["right_shoulder"]
    a, m = placed.capsules["pelvis"].a, placed.capsules["upper_trunk"].a
    b = placed.capsules["upper_trunk"].b
    turned = min(1.0, math.dist(ls, rs) / (2 * sk.SHOULDER_HALF_WIDTH * h))
    depth = sk.THICKNESS["upper_trunk"].side

    def axes(p: Point, q: Point) -> tuple[Point, Point]:
        k = math.dist(p, q) or 1.0
        u = ((q[0] - p[0]) / k, (q[1] - p[1]) / k)
        n = (-u[1], u[0])
        if n[0] * (ls[0] - rs[0]) + n[1] * (ls[1] - rs[1]) < 0:
            n = (-n[0], -n[1])  # toward the left shoulder
        return u, n

    pelvis, chest, waist = axes(a, m), axes(m, b), axes(a, b)
    places = {
        "top": (b, chest),
        "ribs": (((m[0] + b[0]) / 2, (m[1] + b[1]) / 2), chest),
        "waist": (m, waist),
        "hips": ((a[0] + 0.3 * (m[0] - a[0]), a[1] + 0.3 * (m[1] - a[1])), pelvis),
        "bottom": (a, pelvis),
    }

    def at(where: str, along: float, half: float, sign: float) -> Point:
        p, ((ux, uy), (nx, ny)) = places[where]
        # A turned trunk shows its width foreshortened and some of its depth.
        out = sign * math.sqrt((half * turned) ** 2 + depth**2 * (1 - turned * turned))
        return (p[0] + (ux * along + nx * out) * h, p[1] + (uy * along + ny * out) * h)

    left = _eased([at(where, along, half, 1.0) for where, along, half in FRONT_PROFILE], h)
    right = _eased([at(where, along, half, -1.0) for where, along, half in FRONT_PROFILE], h)
    return [at("top", 0.05, 0.0, 1.0), *left, at("bottom", -0.05, 0.0, 1.0), *reversed(right)]


WAIST_INSET = 0.015
"""How far (fraction of height) the waist may sit in from the line joining ribs and hips on
one side: a standing waist's curve. On the inside of a side bend the ribs come down toward
the hips, and a deeper notch would read as a kink rather than a lean."""


def _eased(side: list[Point], h: float) -> list[Point]:
    """One side of the face-on outline (shoulder, ribs, waist, hips, bottom) with the waist
    no further in than ``WAIST_INSET`` from the line between ribs and hips."""
    ribs, waist, hips = side[1], side[2], side[3]
    dx, dy = hips[0] - ribs[0], hips[1] - ribs[1]
    k = math.hypot(dx, dy) or 1.0
    t = ((waist[0] - ribs[0]) * dx + (waist[1] - ribs[1]) * dy) / (k * k)
    foot = (ribs[0] + t * dx, ribs[1] + t * dy)
    inset = math.dist(waist, foot)
    if inset > WAIST_INSET * h:
        s = WAIST_INSET * h / inset
        waist = (foot[0] + (waist[0] - foot[0]) * s, foot[1] + (waist[1] - foot[1]) * s)
    return [side[0], ribs, waist, hips, side[4]]


def _smooth_loop(points: list[tuple[float, float]]) -> str:
    """A smooth closed SVG path through ``points`` (a closed Catmull-Rom spline as cubic
    Beziers): one ``C`` command per point, whatever the points are."""
    n = len(points)
    parts = [f"M {points[0][0]:.1f} {points[0][1]:.1f}"]
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + k) % n] for k in (-1, 0, 1, 2))
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C {c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {p2[0]:.1f} {p2[1]:.1f}")
    return " ".join(parts) + " Z"


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


HAIR_LIFT = 0.8
"""How far the hair's middle leans from straight behind the face toward the crown (1 would be
45 degrees): hair covers the back and the top of the head, the face stays bare."""


def _head(placed: Placed, paint: Paint, ghost: bool, palette: Palette) -> list[Shape]:
    """The head: a circle, hair on the back and top of it, a nose and the eyes that face the
    viewer. Which part of the head the hair covers shows where the face looks from any view:
    a half in profile, a thin band on top seen face-on, nearly all of it seen from behind."""
    head = placed.capsules["head"]
    pts = placed.points
    h = placed.height
    centre = placed.depth["head_centre"]

    def toward(name: str, origin: str) -> tuple[float, float, float]:
        (x, y), (x0, y0) = svg_point(pts[name]), svg_point(pts[origin])
        return (x - x0, y - y0, (placed.depth[name] - placed.depth[origin]) * CM)

    face = _unit(toward("nose", "head_centre"))
    up = _unit(toward("head_centre", "skull_base"))
    hair = _unit(tuple(HAIR_LIFT * b - f for f, b in zip(face, up, strict=True)))
    skin = paint("head")
    shapes = [
        _circle("head", head.a, head.ra, skin),
        _cap("hair", svg_point(head.a), head.ra * CM, hair, skin if ghost else palette.hair),
    ]
    # The nose shows unless the face is turned away (then it is behind the head).
    away = (placed.depth["nose"] - centre) / (math.dist(pts["nose"], pts["head_centre"]) + 1e-9)
    shown = 0.0 if away < -0.5 else min(1.0, (away + 0.5) / 0.3)
    shapes.append(_circle("nose", pts["nose"], 0.016 * h * shown, skin))
    eye = palette.ghost if ghost else palette.eye
    # Eyes on the side of the head facing the viewer; both ids always exist for animation.
    for sid, name in (("eye", "left_eye"), ("eye2", "right_eye")):
        facing = placed.depth[name] > centre + 0.01 * h
        size = (0.009 if facing else 0.0) * h
        shapes.append(_circle(sid, pts[name], size, eye))
    return shapes


def _unit(v: tuple[float, ...]) -> tuple[float, float, float]:
    n = math.sqrt(sum(c * c for c in v)) or 1.0
    return (v[0] / n, v[1] / n, v[2] / n)


def _cap(
    sid: str, centre: tuple[float, float], r: float, pole: tuple[float, float, float], colour: str
) -> Shape:
    """The half of a ball's surface around ``pole`` (SVG x, y and depth toward the viewer), as
    seen: the outline's half on the pole's side, closed by the edge of that half, a great
    circle, which shows as an ellipse as wide as the ball and ``|depth|`` as deep. With the
    pole toward the viewer the cap covers more than half the disc, turned away less."""
    px, py, pz = pole
    s = math.hypot(px, py)
    hx, hy = (px / s, py / s) if s > 1e-6 else (0.0, -1.0)
    ux, uy = hy, -hx  # across the pole, turned so the outline's arc always sweeps one way
    minor = max(0.05, r * abs(pz))
    rot = math.degrees(math.atan2(uy, ux))
    a = (centre[0] + ux * r, centre[1] + uy * r)
    b = (centre[0] - ux * r, centre[1] - uy * r)
    # The edge bulges away from the pole when it points at the viewer, toward it otherwise.
    sweep = 1 if pz > 0 else 0
    d = (
        f"M {a[0]:.1f} {a[1]:.1f} A {r:.1f} {r:.1f} 0 0 1 {b[0]:.1f} {b[1]:.1f} "
        f"A {r:.1f} {minor:.1f} {rot:.1f} 0 {sweep} {a[0]:.1f} {a[1]:.1f} Z"
    )
    return Shape(sid, "path", {"d": d}, {"fill": colour})
