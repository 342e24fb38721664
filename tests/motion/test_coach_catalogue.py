"""The catalogue side of the coach: coach sections are validated like every other field, and
every built-in coach section works with its key poses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from backcoach.body.timing import Tempo, tempo_of
from backcoach.catalogue import load_default
from backcoach.motion.analyse import Analyser
from backcoach.motion.reference import MIN_TRACK_CHANGE, NotCoachable, kind_of, reference
from backcoach.motion.synthetic import Camera, RepPlan, play
from tests.conftest import run_cli
from tests.motion.scenarios import EXAMPLE, SIT_UP, coached_exercises, sit_up

DOCS = Path(__file__).resolve().parents[2] / "docs" / "coach.md"
ORIGINAL = {"prone-press-up", "knee-to-chest-double", "bridge", "knee-rolls", "bird-dog", "cat-cow"}
"""The first six sections, checked against video and the robustness matrix from the start."""
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
    "childs-pose",
    "side-lying-open-book",
    "standing-side-bend",
    "thread-the-needle",
    "towel-hamstring-stretch",
    "seated-forward-bend",
    "seated-rotation",
}
LEFT_WITHOUT = {
    "deep-abdominal-activation",
    "diaphragmatic-breathing",
    "foam-roll-back",
    "pelvic-tilt",
    "prone-lying",
    "slouch-overcorrect",
    "standing-pelvic-tilt",
    "walking-warm-up",
}
"""Built-ins with no coach section; docs/coach.md gives each one's reason."""


def test_required_exercises_have_coach_sections() -> None:
    catalogue, problems = load_default(None)
    assert not problems
    assert {e.id for e in catalogue if e.coach is not None} >= REQUIRED


def test_every_built_in_without_a_coach_section_says_why_in_the_docs() -> None:
    """Every built-in has a coach section or is named, with its reason, in docs/coach.md."""
    catalogue, _ = load_default(None)
    without = {e.id for e in catalogue if e.coach is None}
    assert without <= LEFT_WITHOUT, f"add a reason to docs/coach.md for {without - LEFT_WITHOUT}"
    docs = DOCS.read_text()
    section = docs[docs.index("## Exercises without a coach section") :]
    for exercise_id in without:
        assert f"`{exercise_id}`" in section, exercise_id


PACES: dict[str, Callable[[Tempo], Tempo]] = {
    "brisk": lambda base: Tempo(0.5, 0.15, 0.5, 0.15),
    "normal": lambda base: base,
    "slow": lambda base: Tempo(base.out * 2, base.hold, base.back * 2, base.pause * 2),
}
"""Brisk: half a second each way, turning at once (0.15 s); slow: twice the dose's tempo."""


@pytest.mark.parametrize("pace", sorted(PACES))
@pytest.mark.parametrize("exercise_id", sorted(REQUIRED - ORIGINAL))
def test_new_sections_count_exactly_at_every_pace(exercise_id: str, pace: str) -> None:
    """Four repetitions played from the key poses through the body model, seen side-on (or as
    the key poses are drawn) with landmark jitter: counted exactly, no cue on a clean set."""
    exercise = coached_exercises()[exercise_id]
    assert exercise.key_poses is not None
    tempo = PACES[pace](tempo_of(exercise.dose, max_hold=4))
    frames, truths = play(
        exercise.key_poses, [RepPlan(tempo)] * 4, 15.0, Camera(yaw_deg=10), 0.008, 0.02, seed=3
    )
    analyser = Analyser(reference(exercise), fps=15.0)
    for frame in frames:
        analyser.feed(frame)
    analyser.finish()
    result = analyser.result()
    assert result["reps"] == len(truths), result["not_seen"]
    assert result["faults"] == []


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
            "give exactly one of angle, height, tilt, difference or turn (got height, tilt)",
        ),
        (
            "pelvis: {height: hip}",
            "pelvis: {turn: [hip, hip]}",
            "turn: [hip, hip] compares a line with itself; name two different points",
        ),
        (
            "pelvis: {height: hip}",
            "pelvis: {turn: [shoulder, hip], side: either}",
            "side: either does not apply to a turn",
        ),
        (
            "pelvis: {height: hip}",
            "pelvis: {turn: [shoulder, nose]}",
            "coach.features.pelvis.turn.1: is not one of the allowed values",
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


def test_the_walk_through_in_the_docs_works_as_written(tmp_path: Path) -> None:
    """Every command of docs/coach.md#writing-your-own, run as written (HOME replaced by the data
    folder `backcoach` prints); the film is four sit-ups played through the body model, saved as
    landmarks, since a test has no camera."""
    import shlex
    import shutil
    import subprocess

    from backcoach.motion.recorded import write_json

    docs = DOCS.read_text()
    section = docs[docs.index("## Writing your own") :]
    block = section[section.index("```sh\n") + 6 : section.index("```", section.index("```sh") + 5)]
    home = tmp_path / "home"
    home.mkdir()
    root = DOCS.parents[1]
    ran = []
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        words = shlex.split(command.replace("HOME", str(home)))
        quoted = comment.split('"')[1] if '"' in comment else ""
        if not words:
            continue
        if words[0] == "mkdir":
            subprocess.run(words, check=True, cwd=root)
        elif words[0] == "cp":
            shutil.copy(root / words[1], words[2])
        elif words[1:2] == ["coach"]:
            assert words[2:] == ["my-sit-ups.mp4", "--exercise", "sit-up"], words
            exercise = sit_up()
            assert exercise.key_poses is not None
            tempo = tempo_of(exercise.dose)
            frames, _ = play(exercise.key_poses, [RepPlan(tempo)] * 4, 25.0, Camera(yaw_deg=10))
            write_json(tmp_path / "my-sit-ups.json", frames, 25.0, (640, 480))
            result = run_cli("coach", "--landmarks", str(tmp_path / "my-sit-ups.json"),
                             "--exercise", "sit-up", home=home)  # fmt: skip
            assert result.returncode == 0, result.stderr
            assert "4 repetitions" in result.stdout, result.stdout
        else:
            assert words[0] == "backcoach", words
            result = run_cli(*words[1:], home=home)
            assert result.returncode == 0, result.stderr
            for part in quoted.replace("HOME", str(home)).split("..."):
                assert part.strip() in result.stdout, (words, part, result.stdout)
        ran.append(words[:2])
    assert len(ran) == 6
