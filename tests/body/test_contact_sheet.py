"""A contact sheet of every exercise's key poses, written to test-artifacts/contact-sheet/ to be
looked at: one PNG per exercise (its key poses side by side, with the title) and one SVG sheet
of them all. No built-in exercise has modifications with poses of their own yet; when one
does, it belongs here too."""

from __future__ import annotations

import struct
from pathlib import Path

from backcoach.body.figure import exercise_svg
from backcoach.body.png import svg_to_png
from backcoach.body.sheet import contact_sheet_svg
from backcoach.catalogue import load_default

SHEET_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "contact-sheet"


def test_every_exercise_is_drawn_on_the_contact_sheet() -> None:
    catalogue, problems = load_default(None)
    assert problems == []
    SHEET_DIR.mkdir(parents=True, exist_ok=True)
    exercises = sorted(catalogue, key=lambda ex: ex.id)
    for exercise in exercises:
        png = svg_to_png(exercise_svg(exercise, title=True), width_px=900)
        path = SHEET_DIR / f"{exercise.id}.png"
        path.write_bytes(png)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == 900 and height > 150, exercise.id
    sheet = contact_sheet_svg(exercises)
    (SHEET_DIR / "sheet.svg").write_text(sheet, encoding="utf-8")
    assert sheet.count("<svg") == 1 + len(exercises)
