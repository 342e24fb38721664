"""Scenery under and around the body: floor line, mat, chair, wall and foam roller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backcoach.body.draw import CM, PALETTE, Palette
from backcoach.body.placement import ROLLER_DIAMETER_M, SEAT_HEIGHT, Placed

MAT_THICKNESS_M = 0.02
PANEL_MARGIN_M = 0.12
"""Room around the figure and its props inside a picture's panel."""
CHAIR_SEAT_DEPTH_M = 0.42
CHAIR_BACK_HEIGHT_M = 0.45
WALL_THICKNESS_M = 0.10


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


def scenery_box(scenery: Scenery, placed: Sequence[Placed]) -> Box:
    """Everything drawn: the bodies, the floor under them, the props."""
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


def panel_box(scenery: Scenery, placed: Sequence[Placed], extra: Box | None = None) -> Box:
    """The panel a picture draws in: everything drawn (and ``extra``, e.g. arrows) with a
    margin, and always a little floor under the figure."""
    box = scenery_box(scenery, placed)
    if extra is not None:
        box = box.union(extra)
    m = PANEL_MARGIN_M
    return Box(box.x0 - m, min(box.y0, -0.02) - m * 0.6, box.x1 + m, box.y1 + m)


def back_scenery(scenery: Scenery, panel: Box, palette: Palette = PALETTE) -> list[str]:
    """SVG elements drawn behind the body: floor, mat, chair, wall, roller."""
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
