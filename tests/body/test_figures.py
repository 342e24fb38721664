"""Figures: every starting position renders; arrows follow the movement; the working side is
coloured; an exercise without key poses gets a placeholder card."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from backcoach.body.defaults import NEUTRAL
from backcoach.body.draw import PALETTE
from backcoach.body.figure import exercise_svg, key_poses_svg
from backcoach.body.placeholder import CARD_NOTE
from backcoach.body.png import svg_to_png
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.poses import KeyPoses
from tests.body.pngread import pixels, share
from tests.body.samples import PRESS_UP, SINGLE_LEG_RAISE

SVG = "{http://www.w3.org/2000/svg}"


def _still(position: str) -> KeyPoses:
    view, pose = NEUTRAL[position]  # type: ignore[index]
    nod = pose.angles.model_copy(update={"head": 10.0})
    end = pose.model_copy(update={"role": "end", "angles": nod})
    return KeyPoses(view=view, side="right", poses=[pose, end])


@pytest.mark.parametrize("position", sorted(NEUTRAL))
def test_a_figure_renders_for_every_position(position: str) -> None:
    svg = key_poses_svg(_still(position), title=position)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    # Two panels, each with a body: 6 limb segments a side, head and trunk.
    assert len(root.findall(f".//{SVG}g")) == 2
    png = svg_to_png(svg, 400)
    width, height, counts = pixels(png)
    assert width == 400 and height > 50
    # The body is there, in its colour, and not a speck: at least 2% of the picture.
    assert share(counts, PALETTE.near) > 0.02, position


def _fills(svg: str, colour: str) -> int:
    return len(re.findall(f'(?:fill|stroke)="{colour}"', svg))


def test_the_working_leg_is_coloured_and_the_resting_one_is_not() -> None:
    svg = key_poses_svg(SINGLE_LEG_RAISE)
    # The right leg is nearest the viewer: thigh, shank and foot in both panels.
    assert _fills(svg, PALETTE.work_near) == 6
    assert _fills(svg, PALETTE.work_far) == 0


def test_a_press_up_shows_the_chest_rising_with_an_arrow() -> None:
    svg = key_poses_svg(PRESS_UP)
    arrows = re.findall(r'<g class="arrow" data-part="(\w+)"><path d="M ([-\d.]+) ([-\d.]+)', svg)
    assert arrows, "the movement has an arrow"
    part, _x, _y = arrows[0]
    assert part in ("trunk", "head")
    # The shaft runs upward: SVG y decreases from its first point to the arrow's tip.
    shaft = re.search(r'<g class="arrow"[^>]*><path d="([^"]+)"', svg)
    assert shaft is not None
    ys = [float(v) for v in re.findall(r"[ML] [-\d.]+ ([-\d.]+)", shaft.group(1))]
    assert ys[-1] < ys[0] - 20
    # The ghost of the starting pose sits under the second panel.
    assert _fills(svg, PALETTE.ghost) > 10


def test_no_arrow_for_a_pose_that_does_not_move() -> None:
    assert 'class="arrow"' not in key_poses_svg(_still("standing"))


def test_an_exercise_without_key_poses_gets_a_placeholder_card(tmp_path: object) -> None:
    exercise, problems = load_file(builtin_dir() / "prone-press-up.yaml")
    assert exercise is not None and not problems
    bare = exercise.model_copy(update={"key_poses": None})
    svg = exercise_svg(bare)
    assert CARD_NOTE in svg
    assert exercise.name in svg
    _, _, counts = pixels(svg_to_png(svg, 300))
    assert len(counts) > 5  # more than a blank card
