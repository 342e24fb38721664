"""Figures: every starting position renders; arrows follow the movement; the working side is
coloured; an exercise without key poses gets a placeholder card."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from backcoach.body import figure
from backcoach.body.defaults import NEUTRAL
from backcoach.body.draw import PALETTE
from backcoach.body.figure import exercise_svg, key_poses_svg, needs_mat
from backcoach.body.geometry import Point
from backcoach.body.placeholder import CARD_NOTE
from backcoach.body.png import svg_to_png
from backcoach.body.scene import Frame, Motion, key_frames
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.poses import KeyPoses
from tests.body.pngread import pixels, share
from tests.body.samples import PRESS_UP, SINGLE_LEG_RAISE, key_poses

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
    panels = root.findall(f".//{SVG}g")
    assert len(panels) == 2
    body_colours = {*PALETTE.tones(), *PALETTE.tones(working=True)}
    for panel in panels:
        drawn = [el for el in panel if {el.get("fill"), el.get("stroke")} & body_colours]
        limbs = [el for el in drawn if el.tag == f"{SVG}path" and el.get("fill") != "none"]
        circles = [el for el in drawn if el.tag == f"{SVG}circle"]
        # Limbs are closed capsule outlines; the neck is one too, and a front-on trunk.
        assert 12 + 1 <= len(limbs) <= 12 + 2, position
        assert len(circles) == 2, position  # the head and the nose
        assert len(drawn) == 16, position  # limbs, neck, trunk, head, nose
    png = svg_to_png(svg, 400)
    width, height, counts = pixels(png)
    assert width == 400 and height > 50
    # The body is there, in its colours, and not a speck: at least 2% of the picture.
    assert sum(share(counts, tone) for tone in body_colours) > 0.02, position


def _fills(svg: str, colour: str) -> int:
    return len(re.findall(f'(?:fill|stroke)="{colour}"', svg))


def test_the_working_leg_is_coloured_and_the_resting_one_is_not() -> None:
    svg = key_poses_svg(SINGLE_LEG_RAISE)
    # The right leg is nearest the viewer: thigh, shank and foot in both panels, in the near
    # half of the orange ramp; nothing else is orange.
    orange = PALETTE.tones(working=True)
    fills = re.findall(r'fill="(#[0-9a-f]{6})"', svg)
    assert sum(fills.count(tone) for tone in orange) == 6
    assert sum(fills.count(tone) for tone in orange[: len(orange) // 2]) == 6


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


def test_an_exercise_without_key_poses_gets_a_placeholder_card() -> None:
    exercise, problems = load_file(builtin_dir() / "prone-press-up.yaml")
    assert exercise is not None and not problems
    bare = exercise.model_copy(update={"key_poses": None})
    svg = exercise_svg(bare)
    assert CARD_NOTE in svg
    assert exercise.name in svg
    _, _, counts = pixels(svg_to_png(svg, 300))
    assert len(counts) > 5  # more than a blank card


def test_arrows_are_routed_once_per_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    routed: list[str] = []
    real = figure._arrow_points

    def counting(motion: Motion, frame: Frame, avoid: list[Point]) -> list[Point]:
        routed.append(motion.part)
        return real(motion, frame, avoid)

    monkeypatch.setattr(figure, "_arrow_points", counting)
    svg = key_poses_svg(PRESS_UP)
    assert routed == re.findall(r'data-part="(\w+)"', svg)
    assert routed


def test_standing_on_heels_and_toes_needs_no_mat_but_kneeling_does() -> None:
    stride = key_poses(
        "side",
        "right",
        {"angles": {"left_hip": 20, "right_hip": -15}, "floor": ["left_heel", "right_toes"]},
        {"angles": {"left_hip": -15, "right_hip": 20}, "floor": ["right_heel", "left_toes"]},
    )
    assert not needs_mat(key_frames(stride))
    view, kneeling = NEUTRAL["kneeling"]
    still = KeyPoses(
        view=view, side="right", poses=[kneeling, kneeling.model_copy(update={"role": "end"})]
    )
    assert needs_mat(key_frames(still))
