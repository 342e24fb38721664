"""A cushion under the head (``cushion: head``) and hands holding the stick (``hold: {hands:
stick}``): drawn where the pose says and checked on every built-in and every own file, each
problem named with its file, key pose and field."""

from __future__ import annotations

from pathlib import Path

from backcoach.app import PersonContext
from backcoach.body.checks import cushion_height
from backcoach.body.props import cushion_outline
from backcoach.body.scene import key_frames
from backcoach.catalogue.loader import Problem, builtin_dir, load_file
from tests.body.test_anatomy_checks import _line, _own_copy, _problems

KNEE_ROLLS_START = (
    "{neck: -8, shoulder: -9, wrist: -8, hip: 44, hip_abduction: -5, knee: 97, ankle: -37}"
)


def _fields(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def _key_poses_line(path: Path, text: str) -> int:
    """The line of ``text`` in the exercise's own ``key_poses`` (a drawn modification, earlier
    in the file, may say the same)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("key_poses:")
    return start + 1 + next(i for i, line in enumerate(lines[start:]) if text in line)


def test_a_head_left_on_the_floor_under_a_cushion_is_named(
    person: PersonContext, tmp_path: Path
) -> None:
    # The old knee rolls' neck: the head lies on the floor, with no room for the cushion.
    path = _own_copy(tmp_path / "mine", "knee-rolls", 0, angles=KNEE_ROLLS_START)
    problems = _problems(person, path)
    # The start pose, and the next one for a cushion that would have to grow 5 cm thicker.
    assert _fields(problems) == ["key_poses.poses.0.cushion", "key_poses.poses.1.cushion"], [
        str(p) for p in problems
    ]
    assert problems[0].message == (
        "the head should rest on a cushion 3 to 15 cm thick but sits 0 cm above the floor"
    )
    assert "lift it" in problems[0].fix
    assert problems[0].line == _key_poses_line(path, "cushion: head")


def test_a_head_on_the_cushion_and_the_floor_at_once_is_refused(
    person: PersonContext, tmp_path: Path
) -> None:
    path = _own_copy(
        tmp_path / "mine", "knee-rolls", 0, floor="[head, upper_trunk, pelvis, feet, hands]"
    )
    problems = _problems(person, path)
    assert any("'head' rests on the cushion" in p.message for p in problems), [
        str(p) for p in problems
    ]


def test_a_cushion_needs_one_in_the_equipment(person: PersonContext, tmp_path: Path) -> None:
    path = _own_copy(tmp_path / "mine", "knee-rolls", 1)
    path.write_text(
        path.read_text().replace("equipment: [mat, cushion]", "equipment: [mat]"),
        encoding="utf-8",
    )
    problems = _problems(person, path)
    assert "key_poses.poses.0.cushion" in _fields(problems)
    lacking = [p for p in problems if "equipment lacks one" in p.message]
    # Both key poses rest the head on it, and so do both of the drawn osteoporosis version's.
    assert [p.field for p in lacking] == [
        "key_poses.poses.0.cushion",
        "key_poses.poses.1.cushion",
        "modifications.osteoporosis.key_poses.poses.0.cushion",
        "modifications.osteoporosis.key_poses.poses.1.cushion",
    ], [str(p) for p in lacking]
    assert "add 'cushion' to 'equipment'" in lacking[0].fix


def test_a_hand_off_the_stick_is_named(person: PersonContext, tmp_path: Path) -> None:
    # The lower hand let go: the arm hangs by the side, in front of the stick.
    angles = (
        "{neck: -10, hip: 5, knee: 10, ankle: 5, left_shoulder: 160, "
        "left_shoulder_abduction: -15, left_shoulder_rotation: -60, left_elbow: 140}"
    )
    path = _own_copy(tmp_path / "mine", "hip-hinge", 0, angles=angles)
    problems = _problems(person, path)
    assert _fields(problems) == ["key_poses.poses.0.hold.hands"], [str(p) for p in problems]
    assert problems[0].message.startswith("the right hand should hold the stick but is ")
    assert problems[0].line == _line(path, "      hold: {hands: stick}")


def test_a_stick_in_the_hands_needs_one_in_the_equipment(
    person: PersonContext, tmp_path: Path
) -> None:
    path = _own_copy(tmp_path / "mine", "hip-hinge", 0)
    text = path.read_text().replace("equipment: [stick]", "equipment: []")
    path.write_text(text, encoding="utf-8")
    problems = _problems(person, path)
    assert any(
        p.message == "a hand holds a stick but the exercise's equipment lacks a stick"
        and p.field == "key_poses.poses.0.hold.hands"
        for p in problems
    ), [str(p) for p in problems]


def test_the_cushion_fills_the_gap_under_the_head_in_a_plain_view() -> None:
    exercise, _ = load_file(builtin_dir() / "knee-rolls.yaml")
    assert exercise is not None and exercise.key_poses is not None
    for frame in key_frames(exercise.key_poses):
        placed = frame.placed
        outline = cushion_outline(placed, "head")
        xs, ys = [x for x, _ in outline], [y for _, y in outline]
        assert min(ys) == 0.0  # on the floor
        assert max(ys) == cushion_height(placed, "head")  # up to the head
        head_x = placed.points["head_centre"][0]
        assert min(xs) < head_x < max(xs)  # under it
        assert max(xs) - min(xs) > 2 * placed.capsules["head"].ra  # wider than the head
        # Seen from the exercise's raised camera, the pad shows its top: more than a strip.
        seen = cushion_outline(placed, "head", exercise.key_poses.camera)
        assert len(seen) >= 4


def test_a_head_that_sinks_into_the_cushion_between_poses_is_named(
    person: PersonContext, tmp_path: Path
) -> None:
    # The old open book's neck: turning, the head dropped from 13 to 6 cm above the floor.
    angles = (
        "{lumbar_rotation: 41, neck_side_bend: -10, neck_rotation: 50, left_shoulder: 90, "
        "right_shoulder: 90, left_shoulder_abduction: -12, right_shoulder_abduction: 120, "
        "hip: 90, hip_abduction: 10, knee: 90}"
    )
    path = _own_copy(tmp_path / "mine", "side-lying-open-book", 1, angles=angles)
    problems = _problems(person, path)
    assert _fields(problems) == ["key_poses.poses.1.cushion"], [str(p) for p in problems]
    assert problems[0].message == (
        "the head rests on the cushion 6 cm above the floor here but 13 cm in the key pose "
        "before: one cushion keeps its thickness"
    )
