"""Synthetic scenarios for the camera coach: exercises, injected faults, camera set-ups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backcoach.catalogue import Exercise, load_default, load_file
from backcoach.catalogue.poses import KeyPoses
from backcoach.motion.synthetic import Camera

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "exercises" / "leg-raise.yaml"
SIT_UP = EXAMPLE.with_name("sit-up.yaml")


def coached_exercises() -> dict[str, Exercise]:
    catalogue, _ = load_default(None)
    found = {e.id: e for e in catalogue if e.coach is not None}
    example, problems = load_file(EXAMPLE)
    assert example is not None and not problems, problems
    found[example.id] = example
    return found


def sit_up() -> Exercise:
    """The second example exercise (bent-knee sit-up), as a user's own file."""
    exercise, problems = load_file(SIT_UP)
    assert exercise is not None and not problems, problems
    return exercise


# Per exercise: faults injected into the last key pose (angle changes and what rests on the
# floor), and the rules (by position in coach.rules) each breaks.
FAULTS: dict[str, list[tuple[dict[str, Any], frozenset[int]]]] = {
    "prone-press-up": [
        (
            {"angles": {"hip": 0, "lumbar": -10, "knee": 0}, "floor": ["hands", "toes"]},
            frozenset({0}),
        ),
        # Elbows left bent (70 degrees of flexion). Angles are measured between MediaPipe's
        # world landmarks (3D), so a camera turned 20 degrees reads the bend as it is; in the
        # picture alone it read nearly straight (test_world_landmarks.py).
        ({"angles": {"elbow": 70, "shoulder": 20}}, frozenset({1})),
    ],
    "knee-to-chest-double": [
        ({"angles": {"lumbar": 45}, "floor": ["head", "upper_trunk"]}, frozenset({0})),
    ],
    "knee-to-chest-single": [
        ({"angles": {"lumbar": 45}, "floor": ["head", "upper_trunk"]}, frozenset({0})),
    ],
    "bridge": [({"angles": {"hip": 28}}, frozenset({0}))],
    "knee-rolls": [
        (
            {
                "angles": {
                    "lumbar_rotation": 30,
                    "left_hip_rotation": -30,
                    "right_hip_rotation": 30,
                    "right_hip_abduction": 45,
                }
            },
            frozenset({0}),
        )
    ],
    "bird-dog": [
        (
            {
                "angles": {"right_hip": 50, "right_knee": 120},
                "floor": ["left_hand", "right_knee", "right_toes"],
            },
            frozenset({0}),
        ),
        ({"angles": {"lumbar_rotation": 30}}, frozenset({1})),
    ],
    "cat-cow": [],  # cat-cow's faults are shallow movements: see shallow() below
    "leg-raise": [({"angles": {"knee": 70}}, frozenset({1}))],
    "prone-on-elbows": [
        # Hips lifted: resting on the forearms and toes only.
        (
            {"angles": {"hip": 0, "lumbar": -10, "knee": 0}, "floor": ["forearms", "toes"]},
            frozenset({0}),
        ),
        ({"angles": {"neck": -60}}, frozenset({1})),  # the head tipped right back
    ],
    "bottom-to-heels": [({"angles": {"neck": 45, "head": 20}}, frozenset({0}))],  # the head dropped
    "sit-to-stand": [({"angles": {"hip": 45}}, frozenset({0}))],  # not standing tall
    "bodyweight-squat": [
        ({"angles": {"ankle": -15}, "floor": ["toes"]}, frozenset({0})),  # heels up
        ({"angles": {"lumbar": 40, "hip": 110}}, frozenset({1})),  # chest dropped forward
    ],
    "standing-back-extension": [({"angles": {"knee": 35, "ankle": 20}}, frozenset({0}))],
    "hip-hinge": [({"angles": {"knee": 70, "ankle": 25}}, frozenset({0}))],
    "side-lying-clam": [({"angles": {"right_hip_rotation": -15}}, frozenset({0}))],  # feet apart
    "roll-up": [({"angles": {"hip": 60}}, frozenset({0}))],  # sitting up, not reaching forward
    "childs-pose": [],  # none of its mistakes can be seen (see its coach section)
    "thread-the-needle": [],
    # The hips pushed out to the side: the legs lean, the shoulders still tilt as far.
    "standing-side-bend": [
        (
            {
                "angles": {
                    "lumbar_side_bend": 28,
                    "left_hip_abduction": 25,
                    "right_hip_abduction": -15,
                }
            },
            frozenset({0}),
        )
    ],
    # The knees swung round with the trunk: the hips turn some 20 degrees with it while the feet
    # stay planted, so, seen from the hips (the body model turns the legs, never the pelvis),
    # one foot ends further forward than the other.
    "seated-rotation": [({"angles": {"left_knee": 72, "right_knee": 88}}, frozenset({0}))],
    "side-lying-open-book": [({"angles": {"right_hip": 50}}, frozenset({0}))],  # top knee back
    # Forcing further than is comfortable: 15 degrees more of the back, 15 of the hips.
    "seated-forward-bend": [({"angles": {"lumbar": 60, "hip": 125}}, frozenset({0}))],
    # The head and shoulders lifted off the floor, curling up.
    "towel-hamstring-stretch": [
        ({"angles": {"lumbar": 25, "neck": 25}, "floor": ["pelvis", "left_foot"]}, frozenset({0}))
    ],
}


def faulty(key_poses: KeyPoses, change: dict[str, Any], index: int = -1) -> KeyPoses:
    """The key poses with one pose changed: angles merged, the floor list replaced."""
    data = key_poses.model_dump(mode="json", exclude_none=True)
    pose = data["poses"][index]
    pose["angles"] = {**pose.get("angles", {}), **change.get("angles", {})}
    if "floor" in change:
        pose["floor"] = change["floor"]
    return KeyPoses.model_validate(data)


def shallow(key_poses: KeyPoses, index: int, share: float) -> KeyPoses:
    """The key poses with pose ``index`` only ``share`` of the way from the start pose."""
    data = key_poses.model_dump(mode="json", exclude_none=True)
    start, pose = data["poses"][0]["angles"], data["poses"][index]["angles"]
    keys = set(start) | set(pose)
    pose_new = {k: start.get(k, 0) + (pose.get(k, 0) - start.get(k, 0)) * share for k in keys}
    data["poses"][index]["angles"] = {k: round(v, 1) for k, v in pose_new.items()}
    return KeyPoses.model_validate(data)


CAMERAS: dict[str, Camera] = {
    "as-drawn": Camera(),
    "turned-20-tilted-4": Camera(yaw_deg=20, roll_deg=4),
    "turned-away-15": Camera(yaw_deg=-15),
    "phone-on-side-cw": Camera(quarter=1),
    "phone-on-side-ccw": Camera(quarter=3, roll_deg=-3),
}
