"""Views beyond the side view, and the figure options poses can set."""

from __future__ import annotations

import re

import pytest

from backcoach.body.draw import PALETTE
from backcoach.body.figure import key_poses_svg
from backcoach.body.kinematics import forward, resolve
from backcoach.body.placement import CONTACT_TOLERANCE_M, place
from backcoach.body.scene import key_frames
from backcoach.catalogue.poses import JointAngles
from tests.body.samples import key_poses

HOOK = {"hip": 42, "knee": 93, "ankle": -40, "neck": -8, "shoulder": -9, "wrist": -8}
HOOK_FLOOR = ["head", "upper_trunk", "pelvis", "feet", "hands"]


def test_lying_seen_from_the_feet_rests_with_its_trunk_oval_on_the_floor() -> None:
    body = forward(resolve(JointAngles.model_validate(HOOK)))
    side = place(body, "side", "right", {"floor": HOOK_FLOOR})
    end = place(body, "foot-end", "right", {"floor": HOOK_FLOOR})
    assert side.worst_gap <= CONTACT_TOLERANCE_M
    assert end.worst_gap <= CONTACT_TOLERANCE_M
    assert end.lowest == pytest.approx(0.0, abs=1e-9)
    # Seen lengthwise the back rests on the floor: the trunk is wider (across) than deep (up).
    chest = end.capsules["upper_trunk"]
    assert chest.flat < 1
    x0, y0, x1, y1 = chest.extent()
    assert x1 - x0 > y1 - y0
    # The knees point up, one each side of the middle.
    assert end.points["left_knee"][1] > 0.35 and end.points["right_knee"][1] > 0.35
    assert end.points["left_knee"][0] * end.points["right_knee"][0] < 0


def test_knees_rolling_to_one_side_move_sideways_when_seen_from_the_feet() -> None:
    rolled = {**HOOK, "right_hip_abduction": 40, "left_hip_abduction": -25}
    poses = key_poses(
        "foot-end",
        "right",
        {"angles": HOOK, "floor": HOOK_FLOOR},
        {"angles": rolled, "floor": HOOK_FLOOR},
    )
    start, end = key_frames(poses)
    knees = [
        (start.placed.points[k][0], end.placed.points[k][0]) for k in ("left_knee", "right_knee")
    ]
    assert all(abs(b - a) > 0.1 for a, b in knees)
    assert all((b - a) * (knees[0][1] - knees[0][0]) > 0 for a, b in knees)  # the same way


def test_from_above_the_picture_is_the_floor_and_depth_is_height() -> None:
    body = forward(resolve(JointAngles.model_validate(HOOK)))
    side = place(body, "side", "right", {"floor": HOOK_FLOOR})
    top = place(body, "top", "right", {"floor": HOOK_FLOOR})
    assert top.view == "top" and top.gaps == side.gaps
    # Along the body the two pictures agree; the height in one is the depth in the other.
    for name in ("nose", "right_knee", "left_ankle"):
        assert top.points[name][0] == pytest.approx(side.points[name][0])
        assert top.depth[name] == pytest.approx(side.points[name][1])
    # Left and right lie apart across the picture.
    assert abs(top.points["left_knee"][1] - top.points["right_knee"][1]) > 0.05


def test_a_strap_is_drawn_from_the_hands_to_the_foot() -> None:
    bent = {"right_hip": 90, "right_knee": 90, "shoulder": 60, "elbow": 50}
    poses = key_poses(
        "side",
        "right",
        {"angles": bent, "floor": ["head", "upper_trunk", "pelvis"], "strap": "right_foot"},
        {"angles": {**bent, "right_knee": 5}, "floor": ["head", "upper_trunk", "pelvis"]},
    )
    svg = key_poses_svg(poses)
    assert len(re.findall(f'stroke="{PALETTE.strap}"', svg)) == 1  # only the first pose


def test_arrows_can_be_left_out_or_limited_to_named_parts() -> None:
    stand = {"angles": {}, "floor": ["feet"]}
    reach = {"angles": {"shoulder": 50, "lumbar": 40}, "floor": ["feet"]}
    both = key_poses_svg(key_poses("side", "right", stand, reach))
    none = key_poses_svg(key_poses("side", "right", stand, reach, arrows=False))
    trunk = key_poses_svg(key_poses("side", "right", stand, reach, arrows=["trunk"]))
    # By default the part travelling furthest leads (an arm); the trunk, going the same way,
    # adds no arrow of its own. Named, the trunk gets its arrow.
    assert re.findall(r'data-part="(\w+)"', both) in (["left_arm"], ["right_arm"])
    assert 'class="arrow"' not in none
    assert re.findall(r'data-part="(\w+)"', trunk) == ["trunk"]
