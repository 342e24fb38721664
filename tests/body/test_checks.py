"""Pose checks that need the body: resting parts must touch; props must be in the equipment.

They run through the catalogue loader's hook, so a bad pose in a person's own file is reported
like any other problem, with the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backcoach.app import PersonContext
from backcoach.body.checks import check_exercise
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import KeyPoses

QUADRUPED = "{hip: 82, knee: 92, ankle: -53, shoulder: 92, wrist: -71, lumbar: -10}"


def _own_exercise(folder: Path, key_poses: str) -> Path:
    """A person's own exercise, copied from a built-in, with the given key poses."""
    text = (builtin_dir() / "prone-press-up.yaml").read_text(encoding="utf-8")
    text = text.split("\nkey_poses:")[0].rstrip("\n") + "\n"
    text = text.replace("id: prone-press-up", "id: my-press-up") + key_poses
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-press-up.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_resting_part_that_floats_is_reported_at_its_line(
    person: PersonContext, tmp_path: Path
) -> None:
    path = _own_exercise(
        tmp_path / "mine",
        f"""key_poses:
  view: side
  side: right
  poses:
    - role: start
      angles: {QUADRUPED}
      floor: [hands, knees, toes]
    - role: end
      angles: {{hip: 82, knee: 92, ankle: -53, shoulder: 92, wrist: -71, lumbar: -10, neck: 5}}
      floor:
        - hands
        - knees
        - head
""",
    )
    catalogue, problems = person.app.check_catalogue(tmp_path / "mine")
    mine = [p for p in problems if p.path == path]
    assert len(mine) == 1, [str(p) for p in problems]
    problem = mine[0]
    assert problem.line == _line(path, "- head")
    assert problem.field == "key_poses.poses.1.floor.2"
    assert "'head' should rest on the floor but the pose puts it" in problem.message
    assert "cm above it" in problem.message
    assert "change the joint angles so 'head' touches" in problem.fix
    assert "my-press-up" not in catalogue  # a file with problems is left out


def test_a_chair_pose_needs_a_chair_in_the_equipment(person: PersonContext, tmp_path: Path) -> None:
    path = _own_exercise(
        tmp_path / "mine",
        """key_poses:
  view: side
  side: right
  poses:
    - role: start
      angles: {hip: 82, knee: 85, ankle: 4}
      chair: [pelvis]
      floor: [feet]
    - role: end
      angles: {hip: 82, knee: 85, ankle: 4, lumbar: 20}
      chair: [pelvis]
      floor: [feet]
""",
    )
    _, problems = person.app.check_catalogue(tmp_path / "mine")
    mine = [p for p in problems if p.path == path]
    assert [p.field for p in mine] == ["key_poses.poses.0.chair", "key_poses.poses.1.chair"]
    assert "add 'chair' to 'equipment'" in mine[0].fix
    assert mine[0].line == _line(path, "chair: [pelvis]")


def test_an_exercise_without_key_poses_is_not_an_error(
    person: PersonContext, tmp_path: Path
) -> None:
    _own_exercise(tmp_path / "mine", "")
    catalogue, problems = person.app.check_catalogue(tmp_path / "mine")
    assert [str(p) for p in problems if "my-press-up" in str(p.path)] == []
    assert "my-press-up" in catalogue


def _with_poses(*floors: list[str], equipment: list[str] | None = None, **extra: Any) -> Exercise:
    """A built-in exercise with two quadruped key poses resting on the given parts."""
    exercise, problems = load_file(builtin_dir() / "prone-press-up.yaml")
    assert exercise is not None and not problems
    angles = {"hip": 82, "knee": 92, "ankle": -53, "shoulder": 92, "wrist": -71, "lumbar": -10}
    roles = ("start", "end")
    key_poses = KeyPoses.model_validate(
        {
            "view": "side",
            "side": "right",
            "poses": [
                {"role": r, "angles": angles, "floor": f, **extra}
                for r, f in zip(roles, floors, strict=True)
            ],
        }
    )
    update: dict[str, Any] = {"key_poses": key_poses}
    if equipment is not None:
        update["equipment"] = equipment
    return exercise.model_copy(update=update)


def test_a_flat_part_touching_at_one_end_is_reported_by_its_raised_end() -> None:
    # Lying face down the toes touch and the heels point up: the feet cannot lie flat. Their
    # lowest point (the toes) is on the floor, so a gap read off it would say "0 cm"; the
    # heels, the end that must come down too, are what is off the floor.
    exercise, problems = load_file(builtin_dir() / "prone-lying.yaml")
    assert exercise is not None and exercise.key_poses is not None and not problems
    start, *rest = exercise.key_poses.poses
    flat_feet = start.model_copy(update={"floor": [*start.floor, "feet"]})
    key_poses = exercise.key_poses.model_copy(update={"poses": [flat_feet, *rest]})
    findings = check_exercise(exercise.model_copy(update={"key_poses": key_poses}))
    feet = len(start.floor)
    assert [where for where, _, _ in findings] == [["key_poses", "poses", 0, "floor", feet]]
    message = findings[0][1]
    assert message.startswith("'feet' should rest on the floor but the pose puts it ")
    cm = int(message.split("puts it ")[1].split(" cm")[0])
    assert message.endswith("cm above it") and cm >= 5, message


def test_a_strap_needs_a_towel_in_the_equipment() -> None:
    floor = ["hands", "knees", "toes"]
    without = _with_poses(floor, floor, equipment=["mat"], strap="right_foot")
    findings = check_exercise(without)
    assert [where for where, _, _ in findings] == [
        ["key_poses", "poses", 0, "strap"],
        ["key_poses", "poses", 1, "strap"],
    ]
    assert "towel" in findings[0][1]
    assert "add 'towel' to 'equipment'" in findings[0][2]
    assert check_exercise(_with_poses(floor, floor, equipment=["mat", "towel"])) == []
    with_towel = _with_poses(floor, floor, equipment=["mat", "towel"], strap="right_foot")
    assert check_exercise(with_towel) == []
