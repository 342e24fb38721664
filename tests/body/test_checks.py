"""Pose checks that need the body: resting parts must touch; props must be in the equipment.

They run through the catalogue loader's hook, so a bad pose in a person's own file is reported
like any other problem, with the file and line.
"""

from __future__ import annotations

from pathlib import Path

from backcoach.catalogue.loader import builtin_dir
from backcoach.coach import Coach

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


def test_a_resting_part_that_floats_is_reported_at_its_line(coach: Coach, tmp_path: Path) -> None:
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
    catalogue, problems = coach.check_catalogue(tmp_path / "mine")
    mine = [p for p in problems if p.path == path]
    assert len(mine) == 1, [str(p) for p in problems]
    problem = mine[0]
    assert problem.line == _line(path, "- head")
    assert problem.field == "key_poses.poses.1.floor.2"
    assert "'head' should rest on the floor but the pose puts it" in problem.message
    assert "cm above it" in problem.message
    assert "change the joint angles so 'head' touches" in problem.fix
    assert "my-press-up" not in catalogue  # a file with problems is left out


def test_a_chair_pose_needs_a_chair_in_the_equipment(coach: Coach, tmp_path: Path) -> None:
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
    _, problems = coach.check_catalogue(tmp_path / "mine")
    mine = [p for p in problems if p.path == path]
    assert [p.field for p in mine] == ["key_poses.poses.0.chair", "key_poses.poses.1.chair"]
    assert "add 'chair' to 'equipment'" in mine[0].fix
    assert mine[0].line == _line(path, "chair: [pelvis]")


def test_an_exercise_without_key_poses_is_not_an_error(coach: Coach, tmp_path: Path) -> None:
    _own_exercise(tmp_path / "mine", "")
    catalogue, problems = coach.check_catalogue(tmp_path / "mine")
    assert [str(p) for p in problems if "my-press-up" in str(p.path)] == []
    assert "my-press-up" in catalogue
