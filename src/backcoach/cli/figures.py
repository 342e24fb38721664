"""`backcoach figures`: draw every exercise (or some) as SVG, animated SVG and PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import console, fail, get_coach, user_errors, warn_problems

SHEET_NAME = "contact-sheet"


def figures(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the figures to (created if needed).")
    ] = Path("figures"),
    ids: Annotated[
        list[str] | None,
        typer.Option("--id", help="Only this exercise; repeat for more. Default: all."),
    ] = None,
    sheet: Annotated[
        bool, typer.Option("--sheet", help="Also write a contact sheet of the chosen exercises.")
    ] = False,
    png: Annotated[bool, typer.Option("--png/--no-png", help="Also write PNG files.")] = True,
    width: Annotated[
        int, typer.Option(min=200, max=8000, help="Width of the PNG files in pixels.")
    ] = 1200,
    max_hold: Annotated[
        float | None,
        typer.Option(min=0, help="Cap holds in the animations at this many seconds."),
    ] = None,
) -> None:
    """Write each exercise's figure (ID.svg, ID.png) and animation (ID.anim.svg)."""
    coach = get_coach()
    warn_problems(coach)
    with user_errors():
        chosen = [coach.exercise(i).id for i in ids] if ids else [ex.id for ex in coach.catalogue]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(
            f"cannot create '{out}' ({exc.strerror}); choose another folder with --out"
        ) from None
    written = 0
    for exercise_id in chosen:
        svg = coach.figure_svg(exercise_id, title=True)
        written += _write(out / f"{exercise_id}.svg", svg)
        if png:
            written += _write(out / f"{exercise_id}.png", coach.svg_to_png(svg, width))
        animation = coach.animation_svg(exercise_id, max_hold=max_hold)
        if animation is not None:
            written += _write(out / f"{exercise_id}.anim.svg", animation)
    if sheet:
        sheet_svg = coach.contact_sheet_svg(chosen)
        written += _write(out / f"{SHEET_NAME}.svg", sheet_svg)
        if png:
            written += _write(out / f"{SHEET_NAME}.png", coach.svg_to_png(sheet_svg, 2 * width))
    console.print(f"Wrote {written} files for {len(chosen)} exercise(s) to {out}/")


def _write(path: Path, data: str | bytes) -> int:
    """Write one file (and count it); a failure names the file and why, and stops."""
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        raise fail(
            f"cannot write '{path}' ({exc.strerror or exc}); check the folder's free space and "
            "permissions, or choose another folder with --out"
        ) from None
    return 1
