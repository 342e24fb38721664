"""A contact sheet of every exercise's key poses, written to test-artifacts/contact-sheet/ to be
looked at: one PNG per exercise (its key poses side by side, with the title) and one SVG sheet
of them all. Each drawn version (a modification with key poses of its own) gets its own PNG,
``<id>--<condition>.png``, and its own cell on the sheet."""

from __future__ import annotations

import struct
from pathlib import Path

from backcoach.body.figure import exercise_svg
from backcoach.body.png import svg_to_png
from backcoach.body.sheet import contact_sheet_svg, versions
from backcoach.catalogue import load_default

SHEET_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "contact-sheet"


def test_every_exercise_is_drawn_on_the_contact_sheet() -> None:
    catalogue, problems = load_default(None)
    assert problems == []
    SHEET_DIR.mkdir(parents=True, exist_ok=True)
    exercises = sorted(catalogue, key=lambda ex: ex.id)
    drawn = versions(exercises)
    assert len(drawn) > len(exercises)  # the built-ins draw some of their modifications
    for exercise, condition in drawn:
        png = svg_to_png(exercise_svg(exercise, title=True), width_px=900)
        name = exercise.id if condition is None else f"{exercise.id}--{condition}"
        path = SHEET_DIR / f"{name}.png"
        path.write_bytes(png)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == 900 and height > 150, name
    sheet = contact_sheet_svg(exercises)
    (SHEET_DIR / "sheet.svg").write_text(sheet, encoding="utf-8")
    assert sheet.count("<svg") == 1 + len(drawn)
    assert "prone-press-up--wrist" in sheet
