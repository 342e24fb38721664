"""A plain resting pose for each starting position, for exercises that have no key poses yet.

An exercise a person writes for themselves may leave out key poses; it then gets a simple card
showing the body in its starting position. The angles were solved with the body model so the
listed parts touch the floor (the tests hold them to that).
"""

from __future__ import annotations

from backcoach.catalogue.poses import JointAngles, KeyPose, View
from backcoach.catalogue.vocabulary import Position


def _pose(angles: dict[str, float], **supports: list[str]) -> KeyPose:
    return KeyPose.model_validate(
        {"role": "start", "angles": JointAngles.model_validate(angles), **supports}
    )


NEUTRAL: dict[Position, tuple[View, KeyPose]] = {
    "standing": ("side", _pose({}, floor=["feet"])),
    "seated": (
        "side",
        _pose({"hip": 82.0, "knee": 85.0, "ankle": 4.0}, chair=["pelvis"], floor=["feet"]),
    ),
    "supine": (
        "side",
        _pose(
            {"neck": -11.0, "ankle": 6.0, "hip": -2.0, "knee": 1.0},
            floor=["head", "upper_trunk", "pelvis", "heels"],
        ),
    ),
    "prone": (
        "side",
        _pose(
            {"shoulder": 5.0, "head": 3.0, "neck": -3.0, "ankle": -44.0, "hip": 7.0, "knee": 15.0},
            floor=["head", "upper_trunk", "pelvis", "thighs", "toes"],
        ),
    ),
    "quadruped": (
        "side",
        _pose(
            {
                "hip": 82.0,
                "knee": 92.0,
                "ankle": -53.0,
                "shoulder": 92.0,
                "wrist": -71.0,
                "lumbar": -10.0,
            },
            floor=["hands", "knees", "toes"],
        ),
    ),
    "kneeling": (
        "side",
        _pose({"hip": -1.0, "knee": 91.0, "ankle": -60.0}, floor=["knees", "toes"]),
    ),
    "side-lying": (
        "front",
        _pose(
            {
                "left_shoulder_abduction": 170.0,
                "left_elbow": 10.0,
                "neck_side_bend": -10.0,
                "hip_abduction": -3.0,
                "lumbar_side_bend": 2.0,
            },
            floor=["left_upper_arm", "pelvis", "left_thigh", "left_shin"],
        ),
    ),
}
"""Position -> (view, resting pose)."""
