"""Forward kinematics: joint angles -> 3D positions of joints, segments and landmarks.

The body is a tree of rigid segments rooted at the pelvis. Each joint turns its child segment
relative to the parent by flexion (about the side-to-side axis), then abduction or side bend
(about the front-to-back axis), then rotation about the segment's own long axis. Segment
lengths therefore never change; tests hold the model to that.

The result is in the body frame of :mod:`backcoach.body.skeleton` (x forward, y up, z right,
origin between the hip joints). :mod:`backcoach.body.placement` turns it to rest on the floor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backcoach.body import skeleton as sk
from backcoach.body.geometry import IDENTITY, Mat3, Vec3, add, apply, matmul, rot_x, rot_y, rot_z
from backcoach.catalogue.poses import LIMB_JOINTS, TRUNK_JOINTS, JointAngles

Posture = Mapping[str, float]
"""Every joint angle by full key (``lumbar``, ``left_hip``, ``right_hip_abduction``, ...),
degrees, with the sign conventions of :mod:`backcoach.catalogue.poses`."""


def posture_keys() -> list[str]:
    keys = list(TRUNK_JOINTS)
    for side in sk.SIDES:
        keys += [f"{side}_{joint}" for joint in LIMB_JOINTS]
    return keys


def resolve(angles: JointAngles) -> dict[str, float]:
    """Expand a pose's angles (bare keys meaning both sides) into a full posture."""
    posture = {joint: angles.value(joint) for joint in TRUNK_JOINTS}
    for side in sk.SIDES:
        for joint in LIMB_JOINTS:
            posture[f"{side}_{joint}"] = angles.value(joint, side)
    return posture


def blend(a: Posture, b: Posture, t: float) -> dict[str, float]:
    """The posture a fraction ``t`` of the way from ``a`` to ``b`` (joint by joint)."""
    return {key: a[key] + (b[key] - a[key]) * t for key in a}


@dataclass(frozen=True)
class Segment:
    """A rigid segment drawn as a capsule from ``start`` to ``end`` (equal for the head)."""

    name: str
    start: Vec3
    end: Vec3
    thickness: sk.Thickness
    """Half-thickness in metres, seen from the side and from the front."""


@dataclass(frozen=True)
class Body3D:
    """A posed body: named points (joints and landmarks) and segments, in metres."""

    height: float
    points: dict[str, Vec3]
    segments: dict[str, Segment]


def _joint(flexion: float, sideways: float = 0.0, rotation: float = 0.0) -> Mat3:
    # Intrinsic order: flex about z, then tilt about the new x, then twist about the new y.
    return matmul(matmul(rot_z(flexion), rot_x(sideways)), rot_y(rotation))


def _ball(posture: Posture, side: sk.Side, joint: str) -> Mat3:
    """A shoulder or hip: flexion, then abduction and rotation, both positive away from the
    midline on either side (so the right side turns the other way about the body's axes)."""
    away = -1.0 if side == "right" else 1.0
    return _joint(
        posture[f"{side}_{joint}"],
        away * posture[f"{side}_{joint}_abduction"],
        away * posture[f"{side}_{joint}_rotation"],
    )


class _Builder:
    def __init__(self, height: float) -> None:
        self.h = height
        self.points: dict[str, Vec3] = {}
        self.segments: dict[str, Segment] = {}

    def at(self, origin: Vec3, frame: Mat3, local: tuple[float, float, float]) -> Vec3:
        """A point given in a segment's frame, in heights (H), to the body frame in metres."""
        return add(origin, apply(frame, (local[0] * self.h, local[1] * self.h, local[2] * self.h)))

    def segment(self, name: str, start: Vec3, end: Vec3) -> None:
        t = sk.THICKNESS[sk.base_name(name)]
        self.segments[name] = Segment(
            name, start, end, sk.Thickness(t.side * self.h, t.front * self.h, t.taper)
        )


def forward(posture: Posture, height: float = sk.DEFAULT_HEIGHT_M) -> Body3D:
    """Place every segment of a body of ``height`` metres in the given posture."""
    b = _Builder(height)
    p = posture
    origin: Vec3 = (0.0, 0.0, 0.0)
    b.points["hip_centre"] = origin
    pelvis = IDENTITY

    # Trunk. Flexion bends forward: a negative turn about z for a segment pointing up.
    lumbar = b.at(origin, pelvis, (0.0, sk.PELVIS, 0.0))
    b.points["lumbar"] = lumbar
    b.segment("pelvis", origin, lumbar)
    chest = matmul(pelvis, _joint(-p["lumbar"], p["lumbar_side_bend"], -p["lumbar_rotation"]))
    neck_base = b.at(lumbar, chest, (0.0, sk.UPPER_TRUNK, 0.0))
    b.points["neck_base"] = neck_base
    trunk_top = sk.UPPER_TRUNK - 0.7 * sk.THICKNESS["upper_trunk"].side
    # The chest capsule stops short of the neck base so its rounded top sits at the shoulders.
    b.segment("upper_trunk", lumbar, b.at(lumbar, chest, (0.0, trunk_top, 0.0)))
    neck = matmul(chest, _joint(-p["neck"], p["neck_side_bend"], -p["neck_rotation"]))
    skull_base = b.at(neck_base, neck, (0.0, sk.NECK, 0.0))
    b.points["skull_base"] = skull_base
    b.segment("neck", neck_base, skull_base)
    head = matmul(neck, _joint(-p["head"]))
    centre = b.at(skull_base, head, (sk.HEAD_CENTRE[0], sk.HEAD_CENTRE[1], 0.0))
    b.points["head_centre"] = centre
    b.segment("head", centre, centre)
    for name, local in _FACE.items():
        b.points[name] = b.at(skull_base, head, local)

    for side in sk.SIDES:
        zs = 1.0 if side == "right" else -1.0
        # Arm. Neutral forearm is turned palm-back, so wrist extension (a flat hand on the
        # floor in a press-up) bends the hand toward the back of the forearm.
        shoulder_at = b.at(neck_base, chest, (0.0, -sk.SHOULDER_DROP, zs * sk.SHOULDER_HALF_WIDTH))
        b.points[f"{side}_shoulder"] = shoulder_at
        arm = matmul(chest, _ball(p, side, "shoulder"))
        elbow_at = b.at(shoulder_at, arm, (0.0, -sk.UPPER_ARM, 0.0))
        b.points[f"{side}_elbow"] = elbow_at
        b.segment(f"{side}_upper_arm", shoulder_at, elbow_at)
        forearm = matmul(arm, _joint(p[f"{side}_elbow"]))
        wrist_at = b.at(elbow_at, forearm, (0.0, -sk.FOREARM, 0.0))
        b.points[f"{side}_wrist"] = wrist_at
        b.segment(f"{side}_forearm", elbow_at, wrist_at)
        hand = matmul(forearm, _joint(-p[f"{side}_wrist"]))
        r_hand = sk.THICKNESS["hand"].side
        tip = b.at(wrist_at, hand, (0.0, -(sk.HAND - r_hand), 0.0))
        b.points[f"{side}_fingertip"] = tip
        b.segment(f"{side}_hand", wrist_at, tip)
        for name, (x, y, z) in _HAND.items():
            b.points[f"{side}_{name}"] = b.at(wrist_at, hand, (x, y, zs * z))

        # Leg.
        hip_at = b.at(origin, pelvis, (0.0, 0.0, zs * sk.HIP_HALF_WIDTH))
        b.points[f"{side}_hip"] = hip_at
        thigh = matmul(pelvis, _ball(p, side, "hip"))
        knee_at = b.at(hip_at, thigh, (0.0, -sk.THIGH, 0.0))
        b.points[f"{side}_knee"] = knee_at
        b.segment(f"{side}_thigh", hip_at, knee_at)
        shank = matmul(thigh, _joint(-p[f"{side}_knee"]))
        ankle_at = b.at(knee_at, shank, (0.0, -sk.SHANK, 0.0))
        b.points[f"{side}_ankle"] = ankle_at
        b.segment(f"{side}_shank", knee_at, ankle_at)
        foot = matmul(shank, _joint(p[f"{side}_ankle"]))
        r_foot = sk.THICKNESS["foot"].side
        heel = b.at(ankle_at, foot, (-sk.HEEL_BACK + r_foot, -sk.FOOT_SOLE_OFFSET, 0.0))
        toe = b.at(ankle_at, foot, (sk.TOE_FRONT - r_foot, -sk.FOOT_SOLE_OFFSET, 0.0))
        b.points[f"{side}_heel"] = heel
        b.points[f"{side}_foot_index"] = toe
        b.segment(f"{side}_foot", heel, toe)
    return Body3D(height, b.points, b.segments)


# Face landmarks in the head frame (from the skull base, fractions of height), named as in
# MediaPipe's pose model so the camera coach can compare like with like.
_FACE: dict[str, Vec3] = {
    "nose": (0.074, 0.058, 0.0),
    "left_eye_inner": (0.062, 0.074, -0.012),
    "left_eye": (0.060, 0.075, -0.024),
    "left_eye_outer": (0.055, 0.075, -0.036),
    "right_eye_inner": (0.062, 0.074, 0.012),
    "right_eye": (0.060, 0.075, 0.024),
    "right_eye_outer": (0.055, 0.075, 0.036),
    "left_ear": (0.008, 0.066, -0.060),
    "right_ear": (0.008, 0.066, 0.060),
    "mouth_left": (0.062, 0.034, -0.018),
    "mouth_right": (0.062, 0.034, 0.018),
}
# Hand landmarks in the hand frame (from the wrist; z is toward the little finger).
_HAND: dict[str, Vec3] = {
    "index": (0.0, -0.072, -0.012),
    "pinky": (0.0, -0.062, 0.020),
    "thumb": (0.012, -0.040, -0.024),
}
