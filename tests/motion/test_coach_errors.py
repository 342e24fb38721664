"""Errors that point to the docs: every mistake a person can make writing their own coach
section, or running `backcoach coach` on an exercise, names the field (or option), the value and
the fix, and points to the part of docs/coach.md that explains it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backcoach.catalogue import load_default
from backcoach.catalogue.loader import Problem, load_catalogue
from backcoach.motion.checks import check_coach
from backcoach.motion.reference import NotCoachable, reference
from tests.conftest import run_cli
from tests.motion.scenarios import SIT_UP

DOCS = Path(__file__).resolve().parents[2] / "docs" / "coach.md"


def anchors() -> set[str]:
    """The anchors of docs/coach.md's headings, as GitHub makes them."""
    out = set()
    for line in DOCS.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title)))
    return out


def assert_points_to_docs(text: str, anchor: str) -> None:
    assert f"docs/coach.md#{anchor}" in text, text
    assert anchor in anchors(), f"docs/coach.md has no heading for #{anchor}"


def problems_of(tmp_path: Path, old: str, new: str) -> list[Problem]:
    """The problems `backcoach catalogue check` finds in the sit-up example with one change."""
    text = SIT_UP.read_text()
    assert old in text, old
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "sit-up.yaml").write_text(text.replace(old, new, 1))
    _, problems = load_catalogue([(folder, False)], None, [check_coach])
    assert problems, "the change should have been reported"
    return problems


COACH = "coach:\n  features:\n"
TRUNK = "    trunk: {tilt: [hip, shoulder]}"
KNEE_RULE = "    - feature: knee\n      check: stay\n      tolerance: 35\n"


@pytest.mark.parametrize(
    ("old", "new", "field", "value", "anchor"),
    [
        # A point MediaPipe does not find: the allowed points are listed.
        (TRUNK, "    trunk: {tilt: [hip, shoulders]}", "coach.features.trunk.tilt.1", "shoulders",
         "features"),
        # Two kinds in one feature.
        (TRUNK, "    trunk: {tilt: [hip, shoulder], height: hip}", "coach.features.trunk",
         "height, tilt", "features"),
        # A feature name that is not lowercase.
        (TRUNK, "    Trunk: {tilt: [hip, shoulder]}", "coach.features.Trunk", "Trunk", "features"),
        # A field the coach section does not have.
        ("  track: trunk\n", "  track: trunk\n  count: trunk\n", "coach.count", "count",
         "writing-your-own"),
        # No tracked feature at all.
        ("  track: trunk\n", "", "coach.track", "track", "track-and-hold"),
        ("  track: trunk\n", "  track: trunks\n", "coach", "trunks", "track-and-hold"),
        ("  track: trunk\n", "  track: trunk\n  hold: knees\n", "coach", "knees", "track-and-hold"),
        (KNEE_RULE, KNEE_RULE.replace("knee", "knees", 1), "coach", "knees", "form-rules"),
        (KNEE_RULE, KNEE_RULE.replace("stay", "keep"), "coach.rules.0.check", "keep",
         "form-rules"),
        (KNEE_RULE, KNEE_RULE.replace("35", "0"), "coach.rules.0.tolerance", "0", "form-rules"),
        (KNEE_RULE, KNEE_RULE + "      pose: end\n", "coach", "'pose'", "form-rules"),
        # A rule on a pose that does not exist, by number and by role.
        (KNEE_RULE, KNEE_RULE.replace("stay", "reach") + "      pose: 5\n", "coach", "5",
         "form-rules"),
        (KNEE_RULE, KNEE_RULE.replace("stay", "reach") + "      pose: hold\n", "coach", "'hold'",
         "form-rules"),
    ],
)  # fmt: skip
def test_mistakes_in_a_coach_section_name_the_field_and_the_docs(
    tmp_path: Path, old: str, new: str, field: str, value: str, anchor: str
) -> None:
    problems = [p for p in problems_of(tmp_path, old, new) if p.field == field]
    assert problems, field
    text = str(problems[0])
    assert value in text, text
    assert_points_to_docs(text, anchor)
    assert problems[0].line > 1  # the line of the mistake, not the top of the file


@pytest.mark.parametrize(
    ("old", "new", "field", "says", "anchor"),
    [
        # The knees stay bent at about 93 degrees in every key pose: nothing to count.
        ("  track: trunk\n", "  track: knee\n", "coach.track",
         "'knee' changes only 0.0 degrees", "features"),
        ("  track: trunk\n", "  track: trunk\n  hold: feet\n", "coach.hold",
         "'feet' changes only 0.00 trunk lengths", "track-and-hold"),
        # A reach rule on the tracked feature wider than a repetition's last 40%.
        (KNEE_RULE, "    - feature: trunk\n      check: reach\n      tolerance: 60\n",
         "coach.rules.0.tolerance", "rules[0] on 'trunk' allows 60.0 degrees", "form-rules"),
    ],
)  # fmt: skip
def test_a_section_the_key_poses_cannot_support_names_the_field_and_the_docs(
    tmp_path: Path, old: str, new: str, field: str, says: str, anchor: str
) -> None:
    [problem] = problems_of(tmp_path, old, new)
    assert problem.field == field
    text = str(problem)
    assert says in text, text
    assert_points_to_docs(text, anchor)
    assert problem.line > 1


def test_coach_without_key_poses_points_to_both_docs(tmp_path: Path) -> None:
    text = SIT_UP.read_text()
    start, end = text.index("key_poses:"), text.index("# The camera coach")
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "sit-up.yaml").write_text(text[:start] + text[end:])
    _, problems = load_catalogue([(folder, False)], None, [check_coach])
    [problem] = problems
    assert problem.field == "coach" and problem.line > 1
    assert "'coach' needs 'key_poses'" in str(problem)
    assert "docs/key-poses.md" in str(problem)
    assert_points_to_docs(str(problem), "writing-your-own")


def test_an_exercise_without_a_coach_section_says_where_to_read_why() -> None:
    catalogue, _ = load_default(None)
    with pytest.raises(NotCoachable) as caught:
        reference(catalogue.get("diaphragmatic-breathing"))
    text = str(caught.value)
    assert "'diaphragmatic-breathing' has no 'coach' section" in text
    assert_points_to_docs(text, "exercises-without-a-coach-section")
    assert_points_to_docs(text, "writing-your-own")


def test_the_coach_command_points_to_the_docs(tmp_path: Path) -> None:
    marks = tmp_path / "marks.json"
    marks.write_text("{}")  # never read: the exercise is refused first
    unknown = run_cli("coach", "--landmarks", str(marks), "--exercise", "sit-upp", home=tmp_path)
    assert unknown.returncode == 2
    text = unknown.stderr.replace("\n", " ")
    assert "--exercise: no exercise with id 'sit-upp'" in text
    assert "bridge" in text and str(tmp_path / "exercises") in text  # what it knows; where to add
    assert_points_to_docs(text, "writing-your-own")

    # Refused before the landmark file is read (a long film is not read only to be refused).
    without = run_cli(
        "coach", "--landmarks", str(marks), "--exercise", "diaphragmatic-breathing", home=tmp_path
    )
    assert without.returncode == 2
    text = without.stderr.replace("\n", " ")
    assert "has no 'coach' section" in text and "not a landmark file" not in text
    assert_points_to_docs(text, "exercises-without-a-coach-section")

    missing = run_cli("coach", "--landmarks", str(marks), home=tmp_path)
    assert missing.returncode == 2
    text = missing.stderr.replace("\n", " ")
    assert "--exercise ID" in text and "childs-pose" in text
    assert_points_to_docs(text, "writing-your-own")


def test_every_anchor_the_code_names_exists() -> None:
    """Guards the docs: renaming a heading must not leave the errors pointing nowhere."""
    from backcoach.catalogue import model

    names = ["WRITING_YOUR_OWN", "FEATURES_DOCS", "TRACK_DOCS", "RULES_DOCS", "WITHOUT_DOCS"]
    for name in names:
        link = getattr(model, name)
        assert link.partition("#")[2] in anchors(), link
