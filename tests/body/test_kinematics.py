"""Forward kinematics: segment lengths never change, joints bend the way anatomy says."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.body import skeleton as sk
from backcoach.body.geometry import norm, sub
from backcoach.body.kinematics import Posture, blend, forward, posture_keys, resolve
from backcoach.catalogue.poses import JOINT_LIMITS, JointAngles

H = sk.DEFAULT_HEIGHT_M
STANDING = resolve(JointAngles())


def _bounds(key: str) -> tuple[float, float]:
    base = key.removeprefix("left_").removeprefix("right_")
    return JOINT_LIMITS[base]


postures = st.fixed_dictionaries(
    {key: st.floats(*_bounds(key), allow_nan=False) for key in posture_keys()}
)

SEGMENT_LENGTHS = {
    "upper_arm": sk.UPPER_ARM,
    "forearm": sk.FOREARM,
    "thigh": sk.THIGH,
    "shank": sk.SHANK,
    "pelvis": sk.PELVIS,
    "neck": sk.NECK,
}


def _joint_distance(posture: Posture, a: str, b: str) -> float:
    body = forward(posture)
    return norm(sub(body.points[a], body.points[b]))


@settings(max_examples=60, deadline=None)
@given(postures)
def test_segment_lengths_are_preserved_in_any_posture(posture: Posture) -> None:
    body = forward(posture)
    pairs = {
        "pelvis": ("hip_centre", "lumbar"),
        "neck": ("neck_base", "skull_base"),
        **{f"{s}_upper_arm": (f"{s}_shoulder", f"{s}_elbow") for s in sk.SIDES},
        **{f"{s}_forearm": (f"{s}_elbow", f"{s}_wrist") for s in sk.SIDES},
        **{f"{s}_thigh": (f"{s}_hip", f"{s}_knee") for s in sk.SIDES},
        **{f"{s}_shank": (f"{s}_knee", f"{s}_ankle") for s in sk.SIDES},
    }
    for segment, (a, b) in pairs.items():
        length = norm(sub(body.points[a], body.points[b]))
        assert math.isclose(length, SEGMENT_LENGTHS[sk.base_name(segment)] * H, rel_tol=1e-9)
    # Rigid bodies stay rigid: the foot's heel-to-toe and the trunk's hip-to-neck distances.
    for s in sk.SIDES:
        foot = norm(sub(body.points[f"{s}_heel"], body.points[f"{s}_foot_index"]))
        expected = (sk.TOE_FRONT + sk.HEEL_BACK - 2 * sk.THICKNESS["foot"].side) * H
        assert math.isclose(foot, expected, rel_tol=1e-9)


def test_standing_matches_winters_proportions() -> None:
    body = forward(STANDING)
    floor = min(p[1] for p in body.points.values()) - sk.THICKNESS["foot"].side * H
    crown = body.points["head_centre"][1] + sk.HEAD_RADIUS * H
    assert math.isclose(crown - floor, H, rel_tol=0.01)
    assert math.isclose(body.points["right_knee"][1] - floor, 0.285 * H, rel_tol=0.03)
    # The shoulder joint centre sits a little below the acromion's 0.818 H.
    shoulder = body.points["right_shoulder"][1] - floor
    assert 0.78 * H < shoulder < 0.818 * H
    arm = shoulder - (body.points["right_wrist"][1] - floor)
    assert math.isclose(arm, (0.818 - 0.485) * H, rel_tol=0.01)


def test_flexion_moves_limbs_forward_and_knees_bend_back() -> None:
    bent = resolve(JointAngles(hip=90, knee=90, shoulder=90, lumbar=30))
    body = forward(bent)
    # Hip flexion: thigh straight forward (x), knee flexion: shank straight down again.
    knee, hip, ankle = (
        body.points["right_knee"],
        body.points["right_hip"],
        body.points["right_ankle"],
    )
    assert math.isclose(knee[0] - hip[0], sk.THIGH * H, rel_tol=1e-6)
    assert abs(ankle[0] - knee[0]) < 1e-9 and ankle[1] < knee[1]
    # Lumbar flexion tips the chest forward; shoulder flexion 90 points the arm forward of it.
    assert body.points["neck_base"][0] > 0.05
    assert body.points["right_wrist"][0] > body.points["right_shoulder"][0] + 0.4


def test_abduction_is_away_from_the_midline_on_both_sides() -> None:
    body = forward(resolve(JointAngles(hip_abduction=30, shoulder_abduction=90)))
    # z points to the person's right.
    assert body.points["right_ankle"][2] > body.points["right_hip"][2] + 0.2
    assert body.points["left_ankle"][2] < body.points["left_hip"][2] - 0.2
    assert body.points["right_wrist"][2] > 0.5 and body.points["left_wrist"][2] < -0.5


def test_side_overrides_and_mirror_symmetry() -> None:
    angles = JointAngles(hip=20, right_hip=70, right_knee=40)
    posture = resolve(angles)
    assert posture["left_hip"] == 20 and posture["right_hip"] == 70
    assert posture["left_knee"] == 0 and posture["right_knee"] == 40
    body = forward(resolve(JointAngles(hip=45, knee=60, shoulder=30, elbow=90)))
    for name, (x, y, z) in body.points.items():
        if name.startswith("left_"):
            mx, my, mz = body.points["right_" + name.removeprefix("left_")]
            assert math.isclose(x, mx, abs_tol=1e-9) and math.isclose(y, my, abs_tol=1e-9)
            assert math.isclose(z, -mz, abs_tol=1e-9)


def test_blend_interpolates_each_joint() -> None:
    a = resolve(JointAngles(hip=0, knee=20))
    b = resolve(JointAngles(hip=90, knee=120))
    half = blend(a, b, 0.5)
    assert half["left_hip"] == 45 and half["right_knee"] == 70
    assert _joint_distance(half, "left_hip", "left_knee") == _joint_distance(
        a, "left_hip", "left_knee"
    )
