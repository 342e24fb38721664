"""The hip hinge is drawn as taught: both hands hold the stick along the back (one behind the
neck, one behind the lower back), and the arrow reads "hips back". The arms used to hang
forward, off the stick, and the arrow followed the hands forward."""

from __future__ import annotations

import math

from backcoach.body.figure import exercise_svg, motion_arrows
from backcoach.body.geometry import Point
from backcoach.body.props import STICK_WIDTH_M, stick_line
from backcoach.body.scene import build_scene, motions
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.model import Exercise

GRIP_M = 0.04
"""A hand holds the stick when the middle of the palm is within 4 cm of the stick's line (a
hand is some 5 cm thick; the stick 2.5 cm)."""


def _hinge() -> Exercise:
    exercise, problems = load_file(builtin_dir() / "hip-hinge.yaml")
    assert exercise is not None and exercise.key_poses is not None and not problems
    return exercise


def _along_and_off(p: Point, line: tuple[Point, Point]) -> tuple[float, float]:
    (ax, ay), (bx, by) = line
    length = math.dist(line[0], line[1])
    ux, uy = (bx - ax) / length, (by - ay) / length
    return (p[0] - ax) * ux + (p[1] - ay) * uy, abs((p[0] - ax) * uy - (p[1] - ay) * ux)


def test_both_hands_hold_the_stick_behind_the_neck_and_the_lower_back() -> None:
    key_poses = _hinge().key_poses
    assert key_poses is not None
    for frame in build_scene(key_poses).frames:
        placed = frame.placed
        line = stick_line(placed)
        neck, _ = _along_and_off(placed.points["neck_base"], line)
        lower_back, _ = _along_and_off(placed.points["lumbar"], line)
        grips = {}
        for side in ("left", "right"):
            wrist, tip = placed.points[f"{side}_wrist"], placed.points[f"{side}_fingertip"]
            palm = ((wrist[0] + tip[0]) / 2, (wrist[1] + tip[1]) / 2)
            along, off = _along_and_off(palm, line)
            assert off <= GRIP_M + STICK_WIDTH_M / 2, f"{side} hand {off * 100:.0f} cm off"
            grips[side] = along
        # One hand at the neck, the other at the lower back, each within 8 cm along the stick.
        assert abs(grips["left"] - neck) < 0.08
        assert abs(grips["right"] - lower_back) < 0.08


def test_the_arrow_reads_hips_back() -> None:
    exercise = _hinge()
    assert exercise.key_poses is not None
    scene = build_scene(exercise.key_poses)
    run = scene.runs[0]
    arrows = exercise.key_poses.arrows
    assert arrows == ["hips"]
    moving = motions(run, parts=arrows)
    assert [m.part for m in moving] == ["hips"]
    end = scene.frames[1].placed
    faces = 1.0 if end.points["nose"][0] > end.points["head_centre"][0] else -1.0
    (path,) = motion_arrows(moving, scene.frames[1])
    # Backward: against the way the face points, and starting behind the hips.
    assert (path[-1][0] - path[0][0]) * faces < -0.3
    assert (path[0][0] - end.points["hip_centre"][0]) * faces < 0
    svg = exercise_svg(exercise, captions=False)
    assert svg.count('class="arrow" data-part="hips"') == 1
