"""Every built-in exercise has key poses that rest on the floor, and its pictures render."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from typing import get_args

import pytest

from backcoach.body.animation import exercise_animation_svg
from backcoach.body.checks import check_exercise
from backcoach.body.draw import PALETTE
from backcoach.body.figure import exercise_svg
from backcoach.body.png import svg_to_png
from backcoach.catalogue import Catalogue, load_default
from backcoach.catalogue.model import Position
from tests.body.pngread import pixels, share


@cache
def _builtins() -> Catalogue:
    catalogue, problems = load_default(None)
    assert problems == []
    return catalogue


def _ids() -> list[str]:
    return sorted(ex.id for ex in _builtins())


@pytest.mark.parametrize("exercise_id", _ids())
def test_builtin_key_poses_pass_the_body_checks(exercise_id: str) -> None:
    exercise = _builtins().get(exercise_id)
    assert exercise.key_poses is not None, f"{exercise_id} has no key poses"
    roles = [p.role for p in exercise.key_poses.poses]
    assert roles[0] == "start" and roles[-1] in ("end", "hold")
    assert check_exercise(exercise) == []


@pytest.mark.parametrize("exercise_id", _ids())
def test_builtin_figure_and_animation_render(exercise_id: str) -> None:
    exercise = _builtins().get(exercise_id)
    svg = exercise_svg(exercise, title=True)
    ET.fromstring(svg)
    _, _, counts = pixels(svg_to_png(svg, 500))
    tones = {*PALETTE.tones(), *PALETTE.tones(working=True)}
    assert sum(share(counts, tone) for tone in tones) > 0.005, "the body is drawn"
    animation = exercise_animation_svg(exercise, max_hold=2)
    assert animation is not None
    assert "<animate " in animation
    ET.fromstring(animation)


def test_every_position_is_pictured_by_some_builtin() -> None:
    positions = {ex.position for ex in _builtins()}
    assert positions == set(get_args(Position))
