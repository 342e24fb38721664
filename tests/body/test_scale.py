"""One scale for every picture: shown at one width (a library card, the handout, the contact
sheet's 900-pixel PNGs) a 1.70 m body's thigh is as long in a lying exercise's picture as in a
standing one's. Each picture used to be fitted to its own figure, so a standing person looked
small next to a lying one."""

from __future__ import annotations

import math
import re

import pytest

from backcoach.body.animation import exercise_animation_svg
from backcoach.body.figure import FIGURE_WIDTH, exercise_drawing, exercise_svg, layout
from backcoach.body.scene import build_scene
from backcoach.catalogue import load_default
from backcoach.catalogue.model import Exercise

SHOWN_PX = 900
"""The width the contact sheet renders every picture at; a card shows them all alike too."""


def _builtins() -> dict[str, Exercise]:
    catalogue, problems = load_default(None)
    assert problems == []
    return {ex.id: ex for ex in catalogue if ex.key_poses is not None}


def _thigh_px(exercise: Exercise, width_px: int) -> float:
    """The first pose's thigh (seen side-on) in pixels, in the picture shown ``width_px`` wide:
    its length in SVG units (the picture draws bodies without scaling them) times the
    picture's pixels per unit."""
    assert exercise.key_poses is not None
    svg = exercise_svg(exercise, captions=False)
    assert "scale(" not in svg  # bodies are drawn at one unit per centimetre
    view_w = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]
    placed = build_scene(exercise.key_poses).frames[0].placed
    thigh = math.dist(placed.points["right_hip"], placed.points["right_knee"]) * 100
    return thigh * width_px / view_w


@pytest.mark.parametrize(
    ("lying", "upright"),
    [("bridge", "bodyweight-squat"), ("prone-press-up", "hip-hinge"), ("bird-dog", "sit-to-stand")],
)
def test_a_thigh_is_as_long_lying_as_standing_at_one_shown_width(lying: str, upright: str) -> None:
    exercises = _builtins()
    a, b = _thigh_px(exercises[lying], SHOWN_PX), _thigh_px(exercises[upright], SHOWN_PX)
    assert a == pytest.approx(b, rel=0.05)
    assert a > 60  # and large enough to read: 42 cm of thigh over at least 60 pixels


def test_every_built_in_picture_is_one_width() -> None:
    widths = {ex_id: exercise_drawing(ex).width for ex_id, ex in _builtins().items()}
    assert set(widths.values()) == {FIGURE_WIDTH}, widths


def test_three_seated_poses_go_side_by_side_and_three_lying_ones_wrap() -> None:
    seated = layout(150, 3)
    assert (seated.columns, seated.rows) == (3, 1)
    lying = layout(220, 3)
    assert (lying.columns, lying.rows) == (2, 2)
    assert lying.width == seated.width == FIGURE_WIDTH
    wide = layout(FIGURE_WIDTH + 40, 2)
    assert wide.width == FIGURE_WIDTH + 40  # too wide to fit: a wider picture, same scale


def test_animations_share_one_width_too() -> None:
    exercises = _builtins()
    widths = set()
    for ex_id in ("bridge", "bodyweight-squat", "seated-rotation"):
        svg = exercise_animation_svg(exercises[ex_id])
        assert svg is not None
        widths.add(round(float(re.search(r'viewBox="\S+ \S+ ([\d.]+) ', svg).group(1))))  # type: ignore[union-attr]
    assert len(widths) == 1, widths
