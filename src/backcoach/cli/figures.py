"""`backcoach figures`: draw every exercise (or some) as SVG, animated SVG and PNG."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcoach.cli.common import app_context, console, fail, user_errors, warn_problems

if TYPE_CHECKING:
    from backcoach.catalogue.model import Exercise

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
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            metavar="CONDITION",
            help="Draw this condition's version (a modification drawn from its own key "
            "poses, e.g. wrist) as ID--CONDITION.svg; without --id, every exercise that "
            "draws it.",
        ),
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
    suffix = ""
    if version is not None:
        chosen = _versions(chosen, version, everything=not ids)
        suffix = f"--{version}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(
            f"cannot create '{out}' ({exc.strerror}); choose another folder with --out"
        ) from None
    written = 0
    for exercise in chosen:
        name = f"{exercise.id}{suffix}"
        svg = still_svg(exercise, title=True)
        written += _write(out / f"{name}.svg", svg)
        if pngs:
            written += _write(out / f"{name}.png", png(svg, width))
        animation = moving_svg(exercise, max_hold=max_hold)
        if animation is not None:
            written += _write(out / f"{name}.anim.svg", animation)
    if sheet:
        whole = sheet_svg(chosen)
        written += _write(out / f"{SHEET_NAME}.svg", whole)
        if pngs:
            written += _write(out / f"{SHEET_NAME}.png", png(whole, 2 * width))
    console.print(f"Wrote {written} files for {len(chosen)} exercise(s) to {out}/")


def _versions(chosen: list[Exercise], condition: str, everything: bool) -> list[Exercise]:
    """The chosen exercises as ``condition``'s version draws them. Of every exercise
    (``everything``), those that draw it; an exercise named with --id must draw it. Either
    way a version nothing draws is an error listing the versions that are drawn."""
    from backcoach.body.cache import UnknownVersion, version_of

    if everything:
        drawing = [ex for ex in chosen if condition in ex.drawn_versions]
        if not drawing:
            drawn = sorted({c for ex in chosen for c in ex.drawn_versions})
            raise fail(
                f"--version {condition}: no exercise is drawn in a version for '{condition}'; "
                f"drawn versions: {', '.join(drawn) or 'none'}. Use one of them, or leave "
                "--version out for the usual pictures"
            )
        chosen = drawing
    try:
        return [version_of(ex, condition) for ex in chosen]
    except UnknownVersion as exc:
        raise fail(
            f"--version {condition}: {exc}; choose one of those, or leave --version out for "
            "the usual pictures"
        ) from None


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
