"""The anatomy checks on a person's own file: each broken pose is named with its file, key pose
and joint (or hand, or resting part), and the file is left out.

Every own file here is a built-in copied under a new id with one key pose broken, so whatever
is reported comes from the break. The built-ins themselves pass (tests/body/test_builtin_poses).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from backcoach.app import PersonContext
from backcoach.body.checks import NORMS, check_exercise, face_elevation
from backcoach.body.placement import Capsule
from backcoach.body.scene import pose_frame
from backcoach.catalogue.loader import Problem, builtin_dir, load_file
from backcoach.catalogue.poses import KeyPose


def _own_copy(folder: Path, builtin: str, pose: int, **fields: str) -> Path:
    """``builtin`` saved in ``folder`` as ``my-<builtin>``, with one-line YAML ``fields`` of key
    pose ``pose`` replaced (or added)."""
    text = (builtin_dir() / f"{builtin}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {builtin}", f"id: my-{builtin}")
    text = re.sub(r"\n(regression|progression): .*", "", text)
    head, _, tail = text.partition("\nkey_poses:")
    parts = re.split(r"(?m)^(?=    - role:)", tail)
    lines = parts[pose + 1].splitlines(keepends=True)
    for key, value in fields.items():
        at = next((i for i, line in enumerate(lines) if line.startswith(f"      {key}:")), None)
        new = f"      {key}: {value}\n"
        if at is None:
            lines.insert(len(lines) - (0 if lines[-1].strip() else 1), new)
        else:
            lines[at] = new
    parts[pose + 1] = "".join(lines)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"my-{builtin}.yaml"
    path.write_text(head + "\nkey_poses:" + "".join(parts), encoding="utf-8")
    return path


def _problems(person: PersonContext, path: Path) -> list[Problem]:
    catalogue, problems = person.app.check_catalogue(path.parent)
    assert path.stem not in catalogue  # a file with problems is left out
    return [p for p in problems if p.path == path]


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_trunk_bent_back_past_the_adult_norm_is_named_with_its_joint(
    person: PersonContext, tmp_path: Path
) -> None:
    # The schema allows 45 of lumbar extension; the adult norm (AAOS) is 25-30.
    angles = "{lumbar: -40, neck: -10, shoulder: 48, shoulder_abduction: 64, elbow: 9, wrist: -90}"
    path = _own_copy(tmp_path / "mine", "prone-press-up", 2, angles=angles)
    problems = _problems(person, path)
    lumbar = [p for p in problems if p.field == "key_poses.poses.2.angles.lumbar"]
    assert lumbar, [str(p) for p in problems]
    assert "lumbar extension of 40 degrees is beyond the adult norm of 30" in lumbar[0].message
    assert "AAOS" in lumbar[0].message
    assert "at most 30 degrees" in lumbar[0].fix
    assert lumbar[0].line == _line(path, "lumbar: -40")


def test_a_straight_leg_raised_past_the_hamstrings_is_named(
    person: PersonContext, tmp_path: Path
) -> None:
    angles = (
        "{neck: -8, shoulder: -9, wrist: -8, right_hip: 120, right_knee: 0, left_hip: 42, "
        "left_knee: 93, ankle: -40}"
    )
    path = _own_copy(tmp_path / "mine", "knee-to-chest-single", 1, angles=angles, hold="{}")
    problems = _problems(person, path)
    hip = [p for p in problems if p.field == "key_poses.poses.1.angles.right_hip"]
    assert hip, [str(p) for p in problems]
    assert "right hip flexion of 120 degrees with the knee nearly straight" in hip[0].message
    assert "hamstrings" in hip[0].message


def test_hands_declared_on_the_knees_but_left_on_the_floor_are_named(
    person: PersonContext, tmp_path: Path
) -> None:
    # Knee-to-chest's start pose, hands by the sides, claims to hold both knees.
    path = _own_copy(tmp_path / "mine", "knee-to-chest-double", 0, hold="{hands: knees}")
    problems = _problems(person, path)
    assert {p.field for p in problems} == {"key_poses.poses.0.hold.hands"}, [
        str(p) for p in problems
    ]
    messages = sorted(p.message for p in problems)
    assert messages[0].startswith("the left hand should hold the left knee but is ")
    assert messages[1].startswith("the right hand should hold the right knee but is ")
    cm = int(messages[0].split(" but is ")[1].split(" cm")[0])
    assert cm >= 20
    assert problems[0].line == _line(path, "hold: {hands: knees}")
    assert "shoulder and elbow angles" in problems[0].fix


def test_a_pose_that_looks_the_wrong_way_is_named(person: PersonContext, tmp_path: Path) -> None:
    # Propped on the forearms and told to look down, but declared as looking up.
    path = _own_copy(tmp_path / "mine", "prone-on-elbows", 1, look="up")
    problems = _problems(person, path)
    assert [p.field for p in problems] == ["key_poses.poses.1.look"], [str(p) for p in problems]
    assert problems[0].message.startswith("the pose says to look up but the face points down")
    assert problems[0].line == _line(path, "look: up")


def test_feet_that_slide_between_key_poses_are_named(person: PersonContext, tmp_path: Path) -> None:
    # The bridge's old start pose: feet a hand's width further from the bottom than at the top.
    angles = "{neck: -8, shoulder: -9, wrist: -8, hip: 42, knee: 93, ankle: -40}"
    path = _own_copy(tmp_path / "mine", "bridge", 0, angles=angles)
    problems = _problems(person, path)
    assert [p.field for p in problems] == ["key_poses.poses.1.floor.2"], [str(p) for p in problems]
    assert re.match(
        r"'feet' slides \d+ cm along the floor from the pose before", problems[0].message
    )
    assert "list it under 'moves'" in problems[0].fix


def test_a_part_moved_on_purpose_is_not_a_slide() -> None:
    exercise, problems = load_file(builtin_dir() / "childs-pose.yaml")
    assert exercise is not None and exercise.key_poses is not None and not problems
    start, hold = exercise.key_poses.poses
    assert hold.moves == ["hands"]  # the steps walk the hands forward
    still = exercise.key_poses.model_copy(
        update={"poses": [start, hold.model_copy(update={"moves": []})]}
    )
    findings = check_exercise(exercise.model_copy(update={"key_poses": still}))
    # Held still, the hands anchor the picture and the knees and toes are seen to slide.
    assert [f[0] for f in findings] == [
        ["key_poses", "poses", 1, "floor", 1],
        ["key_poses", "poses", 1, "floor", 2],
    ]
    assert findings[0][1].startswith("'knees' slides ")


def test_a_body_through_the_floor_is_named() -> None:
    # Placement never puts a body through the floor, so the check is shown a placed frame
    # pushed down by hand: the check must not trust placement blindly.
    from backcoach.body import checks

    exercise, _ = load_file(builtin_dir() / "bridge.yaml")
    assert exercise is not None and exercise.key_poses is not None
    frame = pose_frame(exercise.key_poses.poses[0], exercise.key_poses)
    sunk = {
        name: replace(cap, a=(cap.a[0], cap.a[1] - 0.05), b=(cap.b[0], cap.b[1] - 0.05))
        for name, cap in frame.placed.capsules.items()
    }
    placed = replace(frame.placed, capsules=sunk)
    findings = checks._below_floor(placed, 0)
    assert findings, "a body 5 cm under the floor must be reported"
    assert all(f[0] == ["key_poses", "poses", 0, "angles"] for f in findings)
    assert any(f[1] == "the head goes 5 cm through the floor" for f in findings)
    assert all(isinstance(c, Capsule) for c in sunk.values())


@pytest.mark.parametrize(
    ("hold", "message"),
    [
        ("{left_hand: knees}", "'left_hand' cannot hold both knees; say left_knee or right_knee"),
        ("{hands: towel}", "'hands' holds a towel but the pose has none"),
        ("{hands: knees, left_hand: chest}", "'hold' names 'hands' and one hand as well"),
        ("{hands: nose}", "nose"),
    ],
)
def test_a_hold_that_makes_no_sense_is_a_schema_problem(
    person: PersonContext, tmp_path: Path, hold: str, message: str
) -> None:
    path = _own_copy(tmp_path / "mine", "knee-to-chest-double", 1, hold=hold)
    problems = _problems(person, path)
    assert len(problems) == 1, [str(p) for p in problems]
    # Named with the key pose (a pose-wide rule points at the pose's first line).
    assert problems[0].field.startswith("key_poses.poses.1")
    assert message in str(problems[0])
    assert _line(path, "- role: hold") <= problems[0].line <= _line(path, f"hold: {hold}")


def test_the_norms_give_their_sources_and_forbid_an_upright_press_up() -> None:
    assert all(norm.source for norm in NORMS.values())
    assert NORMS["lumbar"].low >= -30  # lumbar extension 25-30 (AAOS)
    # A pose standing the trunk upright on straight arms, as the old press-up did, fails.
    exercise, _ = load_file(builtin_dir() / "prone-press-up.yaml")
    assert exercise is not None and exercise.key_poses is not None
    upright = KeyPose.model_validate(
        {
            "role": "hold",
            "angles": {
                "lumbar": -45.0,
                "neck": -15.0,
                "shoulder": 38.0,
                "elbow": 4.0,
                "wrist": -55.0,
                "hip": -30.0,
                "knee": 16.0,
                "ankle": -40.0,
            },
            "floor": ["pelvis", "thighs", "toes", "hands"],
        }
    )
    poses = [*exercise.key_poses.poses[:-1], upright]
    findings = check_exercise(
        exercise.model_copy(
            update={"key_poses": exercise.key_poses.model_copy(update={"poses": poses})}
        )
    )
    assert ["key_poses", "poses", 2, "angles", "lumbar"] in [f[0] for f in findings]
    assert face_elevation(pose_frame(upright, exercise.key_poses).placed) > -90
