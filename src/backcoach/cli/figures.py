"""`backcoach figures`: draw every exercise (or some) as SVG, animated SVG and PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import app_context, console, fail, user_errors, warn_problems

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
    pngs: Annotated[bool, typer.Option("--png/--no-png", help="Also write PNG files.")] = True,
    width: Annotated[
        int, typer.Option(min=200, max=8000, help="Width of the PNG files in pixels.")
    ] = 1200,
    max_hold: Annotated[
        float | None,
        typer.Option(min=0, help="Cap holds in the animations at this many seconds."),
    ] = None,
) -> None:
    """Write each exercise's figure (ID.svg, ID.png) and animation (ID.anim.svg)."""
    # The drawing code is heavy: imported by this command only.
    from backcoach.body.cache import moving_svg, png, sheet_svg, still_svg

    app = app_context()
    warn_problems(app)
    catalogue = app.catalogue
    with user_errors():
        chosen = [catalogue.get(i) for i in ids] if ids else list(catalogue)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(
            f"cannot create '{out}' ({exc.strerror}); choose another folder with --out"
        ) from None
    written = 0
    for exercise in chosen:
        svg = still_svg(exercise, title=True)
        written += _write(out / f"{exercise.id}.svg", svg)
        if pngs:
            written += _write(out / f"{exercise.id}.png", png(svg, width))
        animation = moving_svg(exercise, max_hold=max_hold)
        if animation is not None:
            written += _write(out / f"{exercise.id}.anim.svg", animation)
    if sheet:
        whole = sheet_svg(chosen)
        written += _write(out / f"{SHEET_NAME}.svg", whole)
        if pngs:
            written += _write(out / f"{SHEET_NAME}.png", png(whole, 2 * width))
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
