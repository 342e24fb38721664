"""In-between frames move a limb along the floor rather than through it."""

from __future__ import annotations

import pytest

from backcoach.body.clearance import LIMBS, settle
from backcoach.body.kinematics import blend, forward, resolve
from backcoach.body.placement import CONTACT_TOLERANCE_M, place
from backcoach.body.scene import between, key_frames
from backcoach.catalogue.poses import JointAngles
from tests.body.samples import PRESS_UP, key_poses

FACE_DOWN = {"neck": 4, "head": -8, "shoulder": 5, "hip": 7, "knee": 14, "ankle": -47}
ON_ELBOWS = {"lumbar": -41, "neck": -20, "shoulder": 55, "elbow": 74, "wrist": -1, "knee": 14}
PROPPING_UP = key_poses(
    "side",
    "right",
    {"angles": FACE_DOWN, "floor": ["head", "upper_trunk", "pelvis", "thighs", "toes"]},
    {"angles": {**ON_ELBOWS, "ankle": -49}, "floor": ["pelvis", "thighs", "toes", "forearms"]},
)
"""Lying face down, then propped on the forearms: straight blending swings the arms, lying
along the sides, forward through the floor."""


def test_a_limb_the_blend_would_push_through_the_floor_moves_along_it() -> None:
    start, end = key_frames(PROPPING_UP)
    supports = {"floor": ["pelvis", "thighs", "toes"]}
    blended = blend(start.posture, end.posture, 0.25)
    # Blended straight, the hands go down through the floor and hold the pelvis up.
    hint = start.placed.turn  # as an animation passes it: the body stays face down
    plain = place(forward(blended), "side", "right", supports, turn_hint=hint)
    assert plain.worst_gap > 3 * CONTACT_TOLERANCE_M
    posture, placed = settle(blended, "side", "right", supports, start.placed.height, hint)
    assert placed.worst_gap <= CONTACT_TOLERANCE_M
    assert placed.lowest == pytest.approx(0.0, abs=1e-9)
    # Only the shoulders turn; every other joint keeps its blended angle.
    changed = {key for key in blended if posture[key] != pytest.approx(blended[key])}
    assert changed and changed <= {LIMBS["left_arm"][0], LIMBS["right_arm"][0]}


def test_nothing_changes_when_no_limb_is_in_the_way() -> None:
    start, end, *_ = key_frames(PRESS_UP)
    frame = between(start, end, 0.5, "side", "right")
    assert frame.posture == blend(start.posture, end.posture, 0.5)
    standing = resolve(JointAngles())
    posture, placed = settle(standing, "side", "right", {"floor": ["feet"]}, 1.7)
    assert posture == standing and placed.worst_gap < 1e-6
