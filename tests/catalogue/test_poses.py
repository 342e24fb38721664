"""The key-pose schema: human joint ranges and pose order, reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from backcoach.catalogue import load_file, poses
from backcoach.catalogue.loader import builtin_dir
from backcoach.catalogue.poses import (
    JOINT_LIMITS,
    LIMB_JOINTS,
    SUPPORTS,
    TRUNK_JOINTS,
    JointAngles,
    KeyPose,
    KeyPoses,
)

POSES = """\
key_poses:
  view: side
  side: right
  poses:
    - role: start
      angles: {{hip: 80, knee: 90}}
      floor: [feet]
    - role: end
      angles:
        hip: 80
        knee: {knee}
      floor: [feet]
"""


def _exercise_with_poses(tmp_path: Path, knee: str) -> tuple[Path, int]:
    base = (builtin_dir() / "prone-press-up.yaml").read_text(encoding="utf-8")
    # Drop any key poses the built-in file has, then add ours at the end.
    base = base.split("\nkey_poses:")[0].rstrip("\n") + "\n"
    text = base + POSES.format(knee=knee)
    path = tmp_path / "prone-press-up.yaml"
    path.write_text(text, encoding="utf-8")
    knee_line = text.splitlines().index(f"        knee: {knee}") + 1
    return path, knee_line


def test_an_angle_outside_the_human_range_is_reported_at_its_line(tmp_path: Path) -> None:
    path, line = _exercise_with_poses(tmp_path, "170")
    exercise, problems = load_file(path)
    assert exercise is None
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == line
    assert problem.field == "key_poses.poses.1.angles.knee"
    assert "knee flexion of 170 degrees is outside the human range (-5 to 160)" in str(problem)
    assert "use an angle between -5 and 160" in str(problem)


def test_a_valid_pose_loads(tmp_path: Path) -> None:
    path, _ = _exercise_with_poses(tmp_path, "95")
    exercise, problems = load_file(path)
    assert problems == []
    assert exercise is not None and exercise.key_poses is not None
    assert exercise.key_poses.poses[1].angles.value("knee", "left") == 95


def test_side_overrides_fall_back_to_both_sides() -> None:
    angles = JointAngles(hip=30, left_hip=90)
    assert angles.value("hip", "left") == 90
    assert angles.value("hip", "right") == 30
    assert angles.value("knee", "right") == 0
    assert angles.value("lumbar") == 0


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["end", "start"], "make the first pose the only 'start'"),
        (["start", "middle"], "make the last pose the only 'end' or 'hold'"),
        (["start", "hold", "end"], "make the last pose the only 'end' or 'hold'"),
    ],
)
def test_poses_go_start_middle_end(roles: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        KeyPoses.model_validate(
            {
                "view": "side",
                "side": "left",
                "poses": [{"role": r, "floor": ["feet"]} for r in roles],
            }
        )


def test_a_pose_must_rest_on_something_and_name_each_part_once() -> None:
    with pytest.raises(ValidationError, match="the pose rests on nothing"):
        KeyPose.model_validate({"role": "start", "wall": ["hands"]})
    with pytest.raises(ValidationError, match="'knees' is listed twice"):
        KeyPose.model_validate({"role": "start", "floor": ["knees"], "chair": ["knees"]})
    with pytest.raises(ValidationError):
        KeyPose.model_validate({"role": "start", "floor": ["elbow"]})  # not a resting part


def test_the_schema_tells_editors_each_range() -> None:
    schema = JointAngles.model_json_schema()
    knee = schema["properties"]["knee"]["anyOf"][0]
    assert (knee["minimum"], knee["maximum"]) == (-5.0, 160.0)


def test_one_table_gives_every_angle_field_its_range() -> None:
    schema = JointAngles.model_json_schema()["properties"]
    fields = set(TRUNK_JOINTS) | {
        f"{side}{joint}" for joint in LIMB_JOINTS for side in ("", "left_", "right_")
    }
    assert set(schema) == fields
    assert set(JOINT_LIMITS) == set(TRUNK_JOINTS) | set(LIMB_JOINTS)
    for name, field in schema.items():
        base = name.removeprefix("left_").removeprefix("right_")
        bounds = field["anyOf"][0]
        assert (bounds["minimum"], bounds["maximum"]) == JOINT_LIMITS[base], name
    # The table holds the documented constants, not copies of them.
    assert JOINT_LIMITS["knee"] == poses.KNEE_FLEXION
    assert JOINT_LIMITS["lumbar"] == poses.LUMBAR_FLEXION
    # Each joint's message names it, whichever side is set.
    with pytest.raises(ValidationError, match="shoulder rotation of 95 degrees"):
        JointAngles.model_validate({"left_shoulder_rotation": 95})
    with pytest.raises(ValidationError, match="head nod of -30 degrees"):
        JointAngles.model_validate({"head": -30})


def test_the_supports_are_the_pose_fields_listing_resting_parts() -> None:
    for support in SUPPORTS:
        assert KeyPose.model_fields[support].annotation == list[poses.Contact], support
    pose = KeyPose.model_validate({"role": "start", "floor": ["feet"], "wall": ["pelvis"]})
    assert pose.rests_on() == {"floor": ["feet"], "wall": ["pelvis"]}
    with pytest.raises(ValidationError, match="'pelvis' is listed twice"):
        KeyPose.model_validate(
            {"role": "start", "floor": ["feet"], "roller": ["pelvis"], "wall": ["pelvis"]}
        )
