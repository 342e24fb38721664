"""The pictures issue 16 found a patient could not copy, measured on the body they draw.

Each test measures the geometry itself (not the pose's own declarations), so it failed on the
old key poses: the press-up's trunk stood upright, the hands of knee-to-chest pointed at the
ceiling, belly breathing's hands floated, prone-on-elbows looked up, and feet and knees slid
between frames.
"""

from __future__ import annotations

import math

import pytest

from backcoach.body.checks import face_elevation, hold_gap
from backcoach.body.kinematics import forward
from backcoach.body.placement import Placed
from backcoach.body.scene import Frame, key_frames, max_slide
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.model import Exercise

HOLD_M = 0.05
"""A hand that holds a knee is within 5 cm of it."""


def _exercise(exercise_id: str) -> Exercise:
    exercise, problems = load_file(builtin_dir() / f"{exercise_id}.yaml")
    assert exercise is not None and exercise.key_poses is not None and not problems
    return exercise


def _frames(exercise_id: str) -> list[Frame]:
    key_poses = _exercise(exercise_id).key_poses
    assert key_poses is not None
    return key_frames(key_poses)


def _incline(placed: Placed, segment: str) -> float:
    """How steeply a segment rises from the floor, degrees (0 level, 90 upright)."""
    cap = placed.capsules[segment]
    return math.degrees(math.atan2(abs(cap.b[1] - cap.a[1]), abs(cap.b[0] - cap.a[0])))


def test_the_press_up_trunk_stays_low_and_the_hands_stay_put() -> None:
    frames = _frames("prone-press-up")
    top = frames[-1].placed
    assert _incline(top, "upper_trunk") < 40  # was about 90: an impossible upright trunk
    assert _incline(top, "upper_trunk") > 20  # yet clearly pushed up
    assert min(f.posture["lumbar"] for f in frames) >= -30  # lumbar extension 25-30 (AAOS)
    assert top.points["hip_centre"][1] < 0.15  # the hips stay down
    assert max_slide(frames) <= 0.03  # the hands do not slide forward


@pytest.mark.parametrize(
    ("exercise_id", "holds"),
    [
        ("knee-to-chest-double", [("left", "left_knee"), ("right", "right_knee")]),
        ("knee-to-chest-single", [("left", "right_knee"), ("right", "right_knee")]),
        ("diaphragmatic-breathing", [("left", "chest"), ("right", "belly")]),
    ],
)
def test_the_hands_hold_what_the_steps_say(exercise_id: str, holds: list[tuple[str, str]]) -> None:
    last = _frames(exercise_id)[-1]
    body = forward(last.posture, last.placed.height)
    for hand, target in holds:
        gap = hold_gap(body, hand, target)
        assert abs(gap) < HOLD_M, f"{hand} hand is {gap * 100:.0f} cm from the {target}"


def test_propped_on_the_elbows_the_face_looks_down_at_the_mat() -> None:
    frames = _frames("prone-on-elbows")
    assert face_elevation(frames[-1].placed) <= -30  # was looking up
    assert frames[-1].posture["lumbar"] >= -30


@pytest.mark.parametrize("exercise_id", ["bridge", "bottom-to-heels", "pelvic-tilt", "childs-pose"])
def test_feet_and_knees_stay_where_they_rest(exercise_id: str) -> None:
    # The bridge's feet slid 20 cm, bottom-to-heels' knees 25 cm, child's pose's knees 15 cm.
    assert max_slide(_frames(exercise_id)) <= 0.03


def test_the_pelvic_tilt_shows_the_pelvis_turning() -> None:
    start, end = _frames("pelvic-tilt")
    # The lower back arches a little at rest and flattens in the tilt: 25 degrees of lumbar
    # movement, which turns the pelvis visibly and presses the small of the back down.
    assert end.posture["lumbar"] - start.posture["lumbar"] >= 20

    def pelvis_angle(frame: Frame) -> float:
        cap = frame.placed.capsules["pelvis"]
        return math.degrees(math.atan2(cap.b[1] - cap.a[1], cap.b[0] - cap.a[0]))

    turn = (pelvis_angle(end) - pelvis_angle(start) + 180) % 360 - 180
    assert abs(turn) >= 10  # was about 1: two frames that looked the same
    assert start.placed.points["lumbar"][1] - end.placed.points["lumbar"][1] >= 0.02
