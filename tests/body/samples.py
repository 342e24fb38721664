"""Poses written in test code, so the body model is tested apart from the catalogue data."""

from __future__ import annotations

from typing import Any

from backcoach.catalogue.poses import KeyPoses


def key_poses(view: str, side: str, *poses: dict[str, Any], **extra: Any) -> KeyPoses:
    """KeyPoses from plain dicts; roles default to start, middle..., end."""
    roles = ["start"] + ["middle"] * (len(poses) - 2) + ["end"]
    return KeyPoses.model_validate(
        {
            "view": view,
            "side": side,
            "poses": [{"role": r, **p} for r, p in zip(roles, poses, strict=True)],
            **extra,
        }
    )


PRESS_UP = key_poses(
    "side",
    "right",
    {
        "angles": {
            "ankle": -70,
            "knee": 7,
            "shoulder": -21,
            "shoulder_abduction": 62,
            "elbow": 150,
            "wrist": -38,
            "neck": 3,
            "hip": 5,
        },
        "floor": ["upper_trunk", "pelvis", "thighs", "toes", "hands"],
    },
    {
        "angles": {
            "ankle": -68,
            "knee": 9,
            "shoulder": -1,
            "shoulder_abduction": 55,
            "elbow": 99,
            "wrist": -54,
            "lumbar": -40,
            "hip": 5,
            "neck": -17,
        },
        "floor": ["pelvis", "thighs", "toes", "hands"],
    },
    {
        "angles": {
            "ankle": -38,
            "knee": 17,
            "elbow": 2,
            "lumbar": -45,
            "shoulder": 39,
            "wrist": -56,
            "hip": -30,
            "neck": -16,
        },
        "floor": ["pelvis", "thighs", "toes", "hands"],
    },
)
"""A press-up lying on the front: chest lifted on straight arms, pelvis down. The middle
pose (elbows half bent) keeps the in-between frames resting on the floor."""

SINGLE_LEG_RAISE = key_poses(
    "side",
    "right",
    {"angles": {"neck": -11, "ankle": 6}, "floor": ["head", "upper_trunk", "pelvis", "heels"]},
    {
        "angles": {"neck": -11, "ankle": 6, "right_hip": 60},
        "floor": ["head", "upper_trunk", "pelvis", "left_heel"],
    },
)
"""Lying on the back, lifting the right leg straight: one working side."""
