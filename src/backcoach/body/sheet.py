"""A contact sheet: every exercise's figure on one page, to look over the whole catalogue, each
followed by its drawn versions (modifications with their own key poses)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from backcoach.body.draw import PALETTE
from backcoach.body.figure import FIGURE_WIDTH, FONT, exercise_drawing
from backcoach.catalogue.model import Exercise

CELL_WIDTH = 760.0
CELL_GAP = 28.0
TITLE_BAND = 44.0
SCALE = CELL_WIDTH / FIGURE_WIDTH
"""Every figure at one scale (pictures are FIGURE_WIDTH wide), so bodies compare: a standing
figure is as tall here as a lying one is long."""


def versions(exercises: Sequence[Exercise]) -> list[tuple[Exercise, str | None]]:
    """Each exercise as drawn usually (None), then as each of its drawn versions (the
    condition), in order: what the sheet shows."""
    out: list[tuple[Exercise, str | None]] = []
    for ex in exercises:
        out.append((ex, None))
        for condition in ex.drawn_versions:
            version = ex.version(condition)
            if version is not None:
                out.append((version, condition))
    return out


def contact_sheet_svg(exercises: Sequence[Exercise], columns: int = 3) -> str:
    """All ``exercises`` and their drawn versions in a grid, each titled with its name and id
    (a version's with the condition: ``prone-press-up--wrist``)."""
    cells = []
    for ex, condition in versions(exercises):
        drawing = exercise_drawing(ex)
        width = min(CELL_WIDTH, SCALE * drawing.width)
        name = ex.name if condition is None else f"{ex.name} ({condition} version)"
        ident = ex.id if condition is None else f"{ex.id}--{condition}"
        cells.append((name, ident, ex, drawing, width, width * drawing.height / drawing.width))
    out = []
    y = CELL_GAP
    for row_start in range(0, len(cells), columns):
        row = cells[row_start : row_start + columns]
        row_height = max(cell[-1] for cell in row)
        for col, (name, ident, ex, drawing, width, _h) in enumerate(row):
            x = CELL_GAP + col * (CELL_WIDTH + CELL_GAP)
            out.append(
                f'<text x="{x:.1f}" y="{y + 26:.1f}" font-size="22" font-weight="bold" '
                f'fill="{PALETTE.near}">{escape(name)}</text>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{y + 42:.1f}" font-size="13" '
                f'fill="{PALETTE.floor}">{escape(ident)} · {escape(ex.position)}</text>'
            )
            out.append(drawing.nested(x + (CELL_WIDTH - width) / 2, y + TITLE_BAND + 4, width))
        y += TITLE_BAND + row_height + CELL_GAP
    total_w = CELL_GAP + columns * (CELL_WIDTH + CELL_GAP)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.0f} {y:.0f}" '
        f'width="{total_w:.0f}" height="{y:.0f}" font-family="{FONT}">\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(out) + "\n</svg>"
    )
