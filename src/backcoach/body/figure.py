"""The still figure of an exercise: one panel per key pose, arrows showing the movement.

Each panel after the first shows the previous pose as a pale ghost under the current one, with
an arrow along the path the main moving part takes, so the picture reads without words.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from html import escape

from backcoach.body import cache
from backcoach.body.contacts import on_the_feet
from backcoach.body.draw import CM, PALETTE, body_shapes, svg_point
from backcoach.body.geometry import Point
from backcoach.body.props import (
    Box,
    back_scenery,
    cushion_outline,
    cushion_svg,
    panel_box,
    scenery_for,
    stick_box,
    stick_svg,
)
from backcoach.body.scene import Frame, Motion, Scene, build_scene, motions, seen
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import Camera, KeyPoses

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
"""DejaVu ships with plain Debian (fonts-dejavu-core); browsers fall back to their own."""
PANEL_GAP = 24.0
FIGURE_WIDTH = 580.0
"""Every still picture is this many SVG units (centimetres of body) wide, so pictures shown
at one width (library cards, the handout, the contact sheet) draw bodies at one scale: a
standing exercise no longer looks small next to a lying one. Two panels of 2.78 m fit side by
side, room for the widest built-in pose (thread-the-needle's, bird-dog's) and its arrow."""
PANEL_WIDTH = (FIGURE_WIDTH - PANEL_GAP) / 2
"""A panel of a two-pose picture, and the animation's width: the same scale again."""
LABEL_FONT = 22.0
CHAR_WIDTH = 0.56
"""Average width of a DejaVu Sans character, in font sizes (for fitting captions)."""
TITLE_FONT = 26.0
TITLE_CHAR_WIDTH = 0.64
"""Average width of a bold DejaVu Sans character, in font sizes, with room to spare."""
LABEL_BAND = 2.3 * LABEL_FONT + 8
"""SVG units under each panel for its caption (two lines at most)."""
ARROW_WIDTH = 7.0
ARROW_HEAD = 24.0
ARROW_CLEARANCE_M = 0.10
LEADING = frozenset({"hips"})
"""Parts whose arrow goes ahead of them, in the direction they move, rather than wherever is
nearest: an arrow behind the hips pointing back reads "hips back"; one in front pointing at
them reads "push the hips"."""
MIN_ARROW_LENGTH_M = 0.40
"""Shorter movements get an arrow this long: legible beats literal."""


@dataclass(frozen=True)
class Grid:
    """How a picture's panels are laid out: ``columns`` across, as many rows as needed."""

    columns: int
    rows: int
    panel_width: float

    @property
    def width(self) -> float:
        return self.columns * self.panel_width + (self.columns - 1) * PANEL_GAP


def layout(need: float, panels: int) -> Grid:
    """The grid for ``panels`` panels that each need ``need`` SVG units across: as many side
    by side as fit in FIGURE_WIDTH (three seated poses do, three lying ones wrap onto a second
    row), each as wide as the columns share. A pose wider than a whole picture (none built in)
    gets a wider picture rather than a smaller body."""
    fit = int((FIGURE_WIDTH + PANEL_GAP) // (need + PANEL_GAP)) if need > 0 else panels
    columns = max(1, min(panels, fit))
    rows = -(-panels // columns)
    share = (FIGURE_WIDTH - (columns - 1) * PANEL_GAP) / columns
    if columns == 1 and panels > 1:
        # Lined up one under the other, the panels still take one picture's width.
        share = FIGURE_WIDTH
    return Grid(columns, rows, max(share, need))


@dataclass(frozen=True)
class Panel:
    frame: Frame
    """The key pose as drawn: seen through ``camera``."""
    ghost: Frame | None
    motions: list[Motion]
    arrows: list[list[Point]]
    """Where each motion's arrow runs, clear of the body (see :func:`motion_arrows`)."""
    number: int
    label: str | None
    camera: Camera | None = None


def _panels(key_poses: KeyPoses, scene: Scene) -> list[Panel]:
    """One panel per key pose, each seen through its pose's camera: the ghost of the pose
    before and the arrows along the way there through the same camera, so they line up."""
    frames = scene.frames
    first = key_poses.camera_of(0)
    panels = [Panel(seen(frames[0], first), None, [], [], 1, key_poses.poses[0].label, first)]
    chosen = key_poses.arrows
    for i, run in enumerate(scene.runs, start=1):
        camera = key_poses.camera_of(i)
        path = [seen(f, camera) for f in run]
        moving = [] if chosen is False else motions(path, parts=None if chosen is True else chosen)
        frame = seen(frames[i], camera)
        arrows = motion_arrows(moving, frame)
        label = key_poses.poses[i].label
        ghost = seen(frames[i - 1], camera)
        panels.append(Panel(frame, ghost, moving, arrows, i + 1, label, camera))
    return panels


def needs_mat(frames: list[Frame]) -> bool:
    """A mat under anything but the feet: lying, kneeling, sitting on the floor."""
    return any(not on_the_feet(name) for f in frames for name in f.supports.get("floor", []))


@dataclass(frozen=True)
class Drawing:
    """SVG content in a ``width`` x ``height`` box of SVG units, ready to stand alone or nest."""

    width: float
    height: float
    content: str

    def standalone(self, width_px: int | None = None) -> str:
        # One pixel per SVG unit (a centimetre of body) unless told otherwise.
        w_px = width_px or round(self.width)
        h_px = round(w_px * self.height / self.width)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} '
            f'{self.height:.0f}" width="{w_px}" height="{h_px}" font-family="{FONT}">\n'
            f"{self.content}\n</svg>"
        )

    def nested(self, x: float, y: float, width: float) -> str:
        """This drawing scaled to ``width`` units and placed at (x, y) inside another."""
        height = width * self.height / self.width
        return (
            f'<svg x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'viewBox="0 0 {self.width:.0f} {self.height:.0f}">{self.content}</svg>'
        )


def key_poses_drawing(
    key_poses: KeyPoses, title: str | None = None, captions: bool = True, stick: bool = False
) -> Drawing:
    """The key poses side by side, numbered, with the movement arrows.

    ``captions=False`` leaves out every word and number (title, step badges, pose labels): the
    web pages and the handout print the labels as page text under the picture instead, at one
    size, where they stay readable however small the picture is shown. ``stick`` draws a
    stick (broom handle) along the back in each side-view panel.
    """
    scene = build_scene(key_poses)
    panels = _panels(key_poses, scene)
    frames = [p.frame for p in panels]
    placed = [f.placed for f in frames]
    # The props stand in the placed world; each panel shows them through its own camera.
    scenery = scenery_for([f.placed for f in scene.frames], needs_mat(scene.frames))
    arrow_points = [pt for p in panels for path in p.arrows for pt in path]
    arrows_box = None
    if arrow_points:
        xs, ys = [x for x, _ in arrow_points], [y for _, y in arrow_points]
        arrows_box = Box(min(xs), min(ys), max(xs), max(ys))
    cushions = [
        cushion_outline(frame.placed, pose.cushion, panel.camera)
        for frame, pose, panel in zip(scene.frames, key_poses.poses, panels, strict=True)
        if pose.cushion is not None
    ]
    if cushions:
        xs, ys = [x for c in cushions for x, _ in c], [y for c in cushions for _, y in c]
        pads = Box(min(xs), min(ys), max(xs), max(ys))
        arrows_box = pads if arrows_box is None else arrows_box.union(pads)
    stick = stick and scenery.view == "side"
    if stick:
        sticks = stick_box(placed)
        arrows_box = sticks if arrows_box is None else arrows_box.union(sticks)
    inner = panel_box(scenery, placed, arrows_box, [p.camera for p in panels])
    grid = layout(inner.width * CM, len(panels))
    # Every panel is as wide as the grid gives, the figure centred in it: one scale for all.
    grow = (grid.panel_width / CM - inner.width) / 2
    inner = Box(inner.x0 - grow, inner.y0, inner.x1 + grow, inner.y1)
    pw, ph = grid.panel_width, inner.height * CM
    label_band = LABEL_BAND if captions else 0.0
    width = grid.width
    out, title_band = _title(title, width) if title and captions else ([], 0.0)
    row_height = ph + label_band
    height = title_band + grid.rows * row_height + (grid.rows - 1) * PANEL_GAP
    for i, panel in enumerate(panels):
        row, col = divmod(i, grid.columns)
        # A last row with fewer panels is centred under the rows above.
        in_row = min(grid.columns, len(panels) - row * grid.columns)
        x0 = (col + (grid.columns - in_row) / 2) * (pw + PANEL_GAP)
        top = title_band + row * (row_height + PANEL_GAP)
        out.append(
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{pw:.1f}" height="{ph:.1f}" '
            f'rx="14" fill="#f5f7fa"/>'
        )
        ox, oy = x0 - inner.x0 * CM, top + inner.y1 * CM
        out.append(f'<g transform="translate({ox:.1f} {oy:.1f})">')
        out += back_scenery(scenery, inner, camera=panel.camera)
        cushion = key_poses.poses[i].cushion
        if cushion is not None:
            # Under the head or the knees, behind the body and its ghost (which rests there too).
            out.append(cushion_svg(scene.frames[i].placed, cushion, panel.camera))
        if panel.ghost is not None:
            ghost = body_shapes(
                panel.ghost.placed, key_poses.side, ghost=True, strap=panel.ghost.strap
            )
            out += [s.svg(with_id=False) for s in ghost]
        shapes = body_shapes(
            panel.frame.placed, key_poses.side, scene.working, strap=panel.frame.strap
        )
        out += [s.svg(with_id=False) for s in shapes]
        if stick:
            out.append(stick_svg(panel.frame.placed))
        out += [
            _arrow_svg(motion, path)
            for motion, path in zip(panel.motions, panel.arrows, strict=True)
        ]
        out.append("</g>")
        if not captions:
            continue
        # The step number sits under the panel, left of the caption, clear of the figure.
        out += _badge(x0 + 20, top + ph + 24, panel.number)
        if panel.label:
            out += _label(panel.label, x0 + 20 + pw / 2, top + ph, pw - 44)
    return Drawing(width, height, "\n".join(out))


def key_poses_svg(key_poses: KeyPoses, title: str | None = None) -> str:
    """A standalone SVG of the key poses."""
    return key_poses_drawing(key_poses, title).standalone()


def exercise_drawing(exercise: Exercise, title: bool = False, captions: bool = True) -> Drawing:
    """The figure of an exercise; a placeholder card when it has no key poses.

    A stick in the exercise's equipment is drawn along the back: the hip hinge is taught with
    one, and the key poses have no field of their own for a held stick.
    """
    if exercise.key_poses is None:
        from backcoach.body.placeholder import placeholder_drawing

        return placeholder_drawing(exercise)
    return key_poses_drawing(
        exercise.key_poses,
        exercise.name if title else None,
        captions=captions,
        stick="stick" in exercise.equipment,
    )


def exercise_svg(exercise: Exercise, title: bool = False, captions: bool = True) -> str:
    return exercise_drawing(exercise, title, captions).standalone()


def pose_labels(exercise: Exercise) -> list[str]:
    """The key poses' labels in order, for page text under a picture drawn without captions
    (a pose without a label gets an empty string, so the numbers still match the panels)."""
    if exercise.key_poses is None:
        return []
    return [pose.label or "" for pose in exercise.key_poses.poses]


def plain_key(exercise: Exercise) -> cache.Key:
    """The cache key (and ETag) of the picture without words."""
    return cache.key("still", exercise, title=False, captions=False)


def plain_svg(exercise: Exercise) -> str:
    """The still figure without title, numbers or captions, drawn once (``body.cache``): the
    web pages and the handout print the pose labels as text under it.

    A placeholder card (no key poses) keeps its words: they are all it shows."""
    return cache.FIGURES.get_or_draw(
        plain_key(exercise), lambda: exercise_svg(exercise, captions=False)
    )


def _label(text: str, cx: float, top: float, width: float) -> list[str]:
    """A caption under a panel: one line if it fits, else two, shrunk to the panel's width."""
    lines = [text]
    if len(text) * CHAR_WIDTH * LABEL_FONT > width * 0.94 and " " in text:
        words = text.split()
        cut = min(
            range(1, len(words)),
            key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
        )
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    longest = max(len(line) for line in lines)
    size = min(LABEL_FONT, width * 0.94 / (CHAR_WIDTH * longest))
    return [
        f'<text x="{cx:.1f}" y="{top + 4 + size * (1.1 * i + 1):.1f}" font-size="{size:.1f}" '
        f'text-anchor="middle" fill="{PALETTE.near}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    ]


def _title(text: str, width: float) -> tuple[list[str], float]:
    """The title over the panels and the height it takes: one line at TITLE_FONT when it
    fits, else two balanced lines, shrunk until the longer fits the drawing's width (a long
    name on a two-panel figure used to run off the right edge of the PNG)."""
    room = width - 8
    lines = [text]
    if len(text) * TITLE_CHAR_WIDTH * TITLE_FONT > room and " " in text:
        words = text.split()
        cut = min(
            range(1, len(words)),
            key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
        )
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    size = min(TITLE_FONT, room / (TITLE_CHAR_WIDTH * max(len(line) for line in lines)))
    out = [
        f'<text x="4" y="{size * (1.15 * i + 1.05):.1f}" font-size="{size:.1f}" '
        f'font-weight="bold" fill="{PALETTE.near}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    ]
    return out, size * 1.15 * len(lines) + 10


def _badge(x: float, y: float, number: int) -> list[str]:
    return [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="15" fill="{PALETTE.near}"/>',
        f'<text x="{x:.1f}" y="{y + 7:.1f}" font-size="20" font-weight="bold" '
        f'text-anchor="middle" fill="#ffffff">{number}</text>',
    ]


# --- arrows -------------------------------------------------------------------------------


def motion_arrows(moving: list[Motion], frame: Frame) -> list[list[Point]]:
    """Where the arrow of each motion runs over ``frame`` (the pose it ends in); each keeps
    clear of the body and of the ones before."""
    placed: list[list[Point]] = []
    for motion in moving:
        placed.append(_arrow_points(motion, frame, [p for path in placed for p in path]))
    return placed


def _arrow_points(motion: Motion, frame: Frame, avoid: list[Point]) -> list[Point]:
    """The motion's path, trimmed, made long enough to read, and moved off the body into free
    space: the smallest shift, any way but below the floor, that clears every part of the
    body by ARROW_CLEARANCE_M (or the clearest one tried)."""
    path = _at_least(_trim(motion.path, 0.08), MIN_ARROW_LENGTH_M)
    best: tuple[float, list[Point]] | None = None
    shifts = _SHIFTS
    if motion.part in LEADING:
        # Ahead of the part, pointing the way it goes: "hips back" starts behind the hips.
        way = (motion.path[-1][0] - motion.path[0][0], motion.path[-1][1] - motion.path[0][1])
        shifts = sorted(_SHIFTS, key=lambda p: p[0] * way[0] + p[1] * way[1] < 0)
    for ox, oy in shifts:
        moved = [(x + ox, y + oy) for x, y in path]
        if (
            frame.placed.view != "top"
            and frame.placed.camera is None
            and min(y for _, y in moved) < 0.04
        ):
            continue  # never under or along the floor
        clear = _clearance(moved, frame)
        if avoid:
            clear = min(clear, min(math.dist(p, q) for p in moved for q in avoid) - 0.05)
        if clear >= ARROW_CLEARANCE_M:
            return moved
        if best is None or clear > best[0]:
            best = (clear, moved)
    return best[1] if best is not None else path


def _shifts(reach: float, step: float) -> list[Point]:
    n = round(reach / step)
    grid = [(i * step, j * step) for i in range(-n, n + 1) for j in range(-n, n + 1)]
    # Open space is usually above a body on the floor: a downward shift counts as further.
    return sorted(grid, key=lambda p: (round(math.hypot(p[0], 2 * min(p[1], 0) + p[1]), 6), -p[1]))


_SHIFTS = _shifts(0.5, 0.05)
"""Shifts to try, nearest first, upward before downward."""


def _at_least(path: list[Point], length: float) -> list[Point]:
    """Stretch a short path about its middle so the arrow is long enough to read."""
    have = sum(math.dist(a, b) for a, b in itertools.pairwise(path))
    if have >= length or have == 0:
        return path
    k = length / have
    mx = sum(x for x, _ in path) / len(path)
    my = sum(y for _, y in path) / len(path)
    return [(mx + (x - mx) * k, my + (y - my) * k) for x, y in path]


def _clearance(points: list[Point], frame: Frame) -> float:
    """The closest any point comes to the body's outline, metres."""
    return min(
        _to_capsule(p, cap.a, cap.b, cap.ra, cap.rb)
        for p in points
        for cap in frame.placed.capsules.values()
    )


def _to_capsule(p: Point, a: Point, b: Point, ra: float, rb: float) -> float:
    vx, vy = b[0] - a[0], b[1] - a[1]
    length2 = vx * vx + vy * vy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / length2))
    )
    q = (a[0] + vx * t, a[1] + vy * t)
    return math.dist(p, q) - (ra + (rb - ra) * t)


def _trim(path: list[Point], frac: float) -> list[Point]:
    """The part of ``path`` between ``frac`` and ``1 - frac`` of its length."""
    cum = [0.0]
    for a, b in itertools.pairwise(path):
        cum.append(cum[-1] + math.dist(a, b))
    total = cum[-1]
    if total == 0:
        return path
    lo, hi = total * frac, total * (1 - frac)

    def at(s: float) -> Point:
        for i in range(len(path) - 1):
            if cum[i] <= s <= cum[i + 1] and cum[i + 1] > cum[i]:
                t = (s - cum[i]) / (cum[i + 1] - cum[i])
                a, b = path[i], path[i + 1]
                return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        return path[-1]

    inner = [p for p, c in zip(path, cum, strict=True) if lo < c < hi]
    return [at(lo), *inner, at(hi)]


def _arrow_svg(motion: Motion, path: list[Point]) -> str:
    pts = [svg_point(p) for p in path]
    d = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in pts[:-1])
    x2, y2 = pts[-1]
    # Aim the head along the last stretch of the path, not its last (maybe tiny) step.
    x1, y1 = next((p for p in reversed(pts[:-1]) if math.dist(p, pts[-1]) >= 12.0), pts[0])
    angle = math.atan2(y2 - y1, x2 - x1)
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(pts))
    # A short movement gets a smaller head so some shaft still shows.
    head = min(ARROW_HEAD, 0.45 * length)
    # Stop the shaft short of the tip so the round cap does not poke through the head.
    bx, by = x2 - math.cos(angle) * head * 0.8, y2 - math.sin(angle) * head * 0.8
    d += f" L {bx:.1f} {by:.1f}"
    left = (x2 - head * math.cos(angle - 0.5), y2 - head * math.sin(angle - 0.5))
    right = (x2 - head * math.cos(angle + 0.5), y2 - head * math.sin(angle + 0.5))
    tip = (
        f'<path d="M {x2:.1f} {y2:.1f} L {left[0]:.1f} {left[1]:.1f} '
        f'L {right[0]:.1f} {right[1]:.1f} Z" fill="{PALETTE.arrow}" '
        f'stroke="{PALETTE.arrow}" stroke-width="3" stroke-linejoin="round"/>'
    )
    shaft = (
        f'<path d="{d}" fill="none" stroke="{PALETTE.arrow}" stroke-width="{ARROW_WIDTH}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )
    return f'<g class="arrow" data-part="{motion.part}">{shaft}{tip}</g>'
