"""The catalogue side of the coach: coach sections are validated like every other field, and
every built-in coach section works with its key poses."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.catalogue import load_default
from backcoach.motion.reference import MIN_TRACK_CHANGE, NotCoachable, kind_of, reference
from tests.conftest import run_cli
from tests.motion.scenarios import EXAMPLE, SIT_UP, coached_exercises, sit_up

REQUIRED = {
    "prone-press-up",
    "knee-to-chest-double",
    "bridge",
    "knee-rolls",
    "bird-dog",
    "cat-cow",
    "prone-on-elbows",
    "bottom-to-heels",
    "side-lying-clam",
    "sit-to-stand",
    "bodyweight-squat",
    "standing-back-extension",
    "hip-hinge",
    "roll-up",
}


def test_required_exercises_have_coach_sections() -> None:
    catalogue, problems = load_default(None)
    assert not problems
    assert {e.id for e in catalogue if e.coach is not None} >= REQUIRED


@pytest.mark.parametrize("exercise_id", sorted(coached_exercises()))
def test_reference_values_come_from_the_key_poses(exercise_id: str) -> None:
    exercise = coached_exercises()[exercise_id]
    ref = reference(exercise)
    assert exercise.coach is not None
    least = MIN_TRACK_CHANGE[kind_of(exercise.coach.features[exercise.coach.track])]
    assert abs(ref.track_end - ref.track_start) >= least
    assert len(ref.pose_values) == len(exercise.key_poses.poses)  # type: ignore[union-attr]
    for rule in ref.rules:
        assert rule.low < rule.high


def test_a_feature_that_barely_moves_cannot_be_tracked(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace("track: hip", "track: pelvis")
    path = tmp_path / "leg-raise.yaml"
    path.write_text(text)
    from backcoach.catalogue import load_file

    exercise, problems = load_file(path)
    assert exercise is not None and not problems
    with pytest.raises(NotCoachable, match="'pelvis' changes only"):
        reference(exercise)


def _own_file(home: Path, old: str, new: str) -> None:
    folder = home / "exercises"
    folder.mkdir(exist_ok=True)
    text = EXAMPLE.read_text()
    assert old in text
    (folder / "leg-raise.yaml").write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "track: hip",
            "track: hips",
            "'track' names the feature 'hips', which is not under 'features'; "
            "use one of hip, knee, pelvis",
        ),
        (
            "track: hip",
            "track: hip\n  hold: elbows",
            "'hold' names the feature 'elbows', which is not under 'features'",
        ),
        ("    - feature: pelvis\n", "    - feature: back\n", "rules[0] names the feature 'back'"),
        (
            "      check: stay\n      tolerance: 0.15",
            "      check: keep\n      tolerance: 0.15",
            "coach.rules.0.check: is not one of the allowed values",
        ),
        (
            "knee: {angle: [hip, knee, ankle]}",
            "knee: {angle: [hip, knee, foot]}",
            "coach.features.knee.angle.2: is not one of the allowed values",
        ),
        (
            "pelvis: {height: hip}",
            "pelvis: {height: hip, tilt: [hip, knee]}",
            "give exactly one of angle, height, tilt or difference (got height, tilt)",
        ),
        (
            "      tolerance: 0.15\n",
            "      tolerance: 0.15\n      pose: end\n",
            "'pose' goes with check 'reach'",
        ),
        (
            "      check: stay\n      tolerance: 0.15",
            "      check: reach\n      pose: 5\n      tolerance: 0.15",
            "coach.rules[0].pose 5 is not a key pose; number them from 0 to 1",
        ),
        (
            "      check: stay\n      tolerance: 0.15",
            "      check: reach\n      pose: hold\n      tolerance: 0.15",
            "'hold' is not a role of the key poses; use one of start, end",
        ),
    ],
)
def test_mistakes_in_coach_sections_are_reported_with_their_line(
    home: Path, old: str, new: str, expected: str
) -> None:
    _own_file(home, old, new)
    result = run_cli("catalogue", "check", home=home)
    assert result.returncode == 2, result.stdout
    assert "leg-raise.yaml:" in result.stderr
    assert expected in result.stderr.replace("\n", " ")


def test_the_example_is_valid(home: Path) -> None:
    _own_file(home, "id: leg-raise", "id: leg-raise")
    result = run_cli("catalogue", "check", home=home)
    assert result.returncode == 0, result.stderr


def test_check_coach_in_the_loaders_form(tmp_path: Path) -> None:
    from backcoach.catalogue import load_file
    from backcoach.motion.checks import check_coach

    assert all(check_coach(e) == [] for e in coached_exercises().values())
    path = tmp_path / "leg-raise.yaml"
    path.write_text(EXAMPLE.read_text().replace("track: hip", "track: pelvis"))
    exercise, _ = load_file(path)
    assert exercise is not None
    ((where, what, fix),) = check_coach(exercise)
    assert where == ["coach", "track"] and "changes only" in what and "track a feature" in fix


def test_catalogue_check_reports_a_tracked_feature_that_barely_moves(home: Path) -> None:
    _own_file(home, "track: hip", "track: pelvis")
    result = run_cli("catalogue", "check", home=home)
    assert result.returncode == 2, result.stdout
    assert "leg-raise.yaml:" in result.stderr + result.stdout
    assert "changes only" in result.stderr + result.stdout


def test_the_sit_up_example_passes_the_catalogue_check(tmp_path: Path) -> None:
    """The second example, as a user's own file: no problem reported for it (built-in files
    other people are editing may report their own; those are not this file's)."""
    home = tmp_path / "home"
    (home / "exercises").mkdir(parents=True)
    (home / "exercises" / "sit-up.yaml").write_text(SIT_UP.read_text())
    result = run_cli("catalogue", "check", home=home)
    assert "sit-up.yaml" not in result.stdout + result.stderr
    exercise = sit_up()
    ref = reference(exercise)
    assert ref.track_end - ref.track_start > 60  # the trunk's lean: lying 0, sitting near 80
