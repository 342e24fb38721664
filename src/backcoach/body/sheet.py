"""A contact sheet: every exercise's figure on one page, to look over the whole catalogue."""

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


def contact_sheet_svg(exercises: Sequence[Exercise], columns: int = 3) -> str:
    """All ``exercises`` in a grid, each titled with its name and id."""
    cells = []
    for ex in exercises:
        drawing = exercise_drawing(ex)
        width = min(CELL_WIDTH, SCALE * drawing.width)
        cells.append((ex, drawing, width, width * drawing.height / drawing.width))
    out = []
    y = CELL_GAP
    for row_start in range(0, len(cells), columns):
        row = cells[row_start : row_start + columns]
        row_height = max(h for _, _, _, h in row)
        for col, (ex, drawing, width, _h) in enumerate(row):
            x = CELL_GAP + col * (CELL_WIDTH + CELL_GAP)
            out.append(
                f'<text x="{x:.1f}" y="{y + 26:.1f}" font-size="22" font-weight="bold" '
                f'fill="{PALETTE.near}">{escape(ex.name)}</text>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{y + 42:.1f}" font-size="13" '
                f'fill="{PALETTE.floor}">{escape(ex.id)} · {escape(ex.position)}</text>'
            )
            out.append(drawing.nested(x + (CELL_WIDTH - width) / 2, y + TITLE_BAND + 4, width))
        y += TITLE_BAND + row_height + CELL_GAP
    total_w = CELL_GAP + columns * (CELL_WIDTH + CELL_GAP)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.0f} {y:.0f}" '
        f'width="{total_w:.0f}" height="{y:.0f}" font-family="{FONT}">\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(out) + "\n</svg>"
    )
