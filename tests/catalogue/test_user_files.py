"""Mistakes in a user's own exercise file: one line each, with the right line and the fix.

Every problem reads ``path:line: exercise 'id': field: what is wrong (got VALUE); how to fix``.
Each case starts from a valid file, makes one mistake, and checks the problem both through
``load_catalogue`` and through the real ``backcoach catalogue check DIR`` (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pytest

from backcoach.catalogue import Catalogue, Problem, builtin_dir, load_catalogue
from backcoach.catalogue.cache import FileCache
from backcoach.catalogue.model import Category
from tests.conftest import run_cli

VALID = """\
# A user's own exercise.
id: heel-slide
name: Heel slide
summary: Lying on your back, slide one heel away along the floor and back.
purpose: Moves the hip and knee gently while the lower back stays steady.
category: motor-control
position: supine
direction: neutral
equipment: [mat]
difficulty: 1
goals: [mobility]
targets: [hips, deep abdominal muscles]
steps:
  - text: Lie on your back with your knees bent and feet flat.
    cue: Knees bent, feet flat.
  - text: Slide one heel away along the floor until the leg is straight, then back.
    cue: Slide your heel out and back.
dose:
  sets: {min: 1, default: 1, max: 2}
  reps: {min: 5, default: 8, max: 10}
  hold_seconds: {min: 1, default: 2, max: 3}
  per_side: true
breathing: Breathe out as the heel slides away.
common_mistakes:
  - Letting the lower back arch as the leg straightens.
feel:
  should:
    - Gentle work low in the belly.
  should_not:
    - Sharp pain, or pain, numbness or tingling spreading down the leg.
cautions: [supine-long]
modifications:
  pregnancy: Do it sitting on a chair, sliding the foot forward along the floor.
regression: pelvic-tilt
sources:
  - A physiotherapist's home programme.
"""

FORMAT = re.compile(
    r"^(?P<path>.+?\.ya?ml):(?P<line>\d+): (?:exercise '(?P<id>[a-z0-9-]+)': "
    r"(?P<field>[^:]+): )?(?P<message>.+?)(?: \(got (?P<got>.+)\))?; (?P<fix>.+)$"
)


@dataclass(frozen=True)
class Case:
    """One mistake: how to make it, and the problem it must produce."""

    name: str
    edit: Callable[[str], str]
    line_of: str
    """Text found on the line the problem must point to (its first occurrence)."""
    field: str
    message: str
    got: str | None
    fix: str
    file_name: str | None = None
    named_id: bool = True
    """False when the file cannot be read, so the problem cannot name the exercise."""

    @property
    def exercise_id(self) -> str:
        return self.name

    def text(self) -> str:
        return self.edit(VALID.replace("id: heel-slide", f"id: {self.name}"))

    def path_in(self, folder: Path) -> Path:
        return folder / (self.file_name or f"{self.name}.yaml")


def sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


CASES = [
    Case(
        "bad-type",
        sub("difficulty: 1", 'difficulty: "two"'),
        "difficulty:",
        "difficulty",
        "must be a whole number",
        "'two'",
        "without quotes",
    ),
    Case(
        "out-of-range",
        sub("difficulty: 1", "difficulty: 5"),
        "difficulty:",
        "difficulty",
        "must be at most 3",
        "5",
        "use a value at most 3",
    ),
    Case(
        "hold-range",
        sub(
            "hold_seconds: {min: 1, default: 2, max: 3}",
            "hold_seconds: {min: 1, default: 2, max: 1}",
        ),
        "hold_seconds:",
        "dose.hold_seconds",
        "needs min <= default <= max",
        "min=1, default=2, max=1",  # and never "(got dict)"
        "reorder",
    ),
    Case(
        "reps-and-duration",
        sub(
            "  per_side: true",
            "  per_side: true\n  duration_seconds: {min: 30, default: 30, max: 60}",
        ),
        "dose:",
        "dose",
        "give exactly one of 'reps' (counted) or 'duration_seconds' (continuous)",
        None,
        "correct",
    ),
    Case(
        "typo",
        sub("steps:", "stpes:"),
        "stpes:",
        "stpes",
        "is not a known field",
        None,
        "did you mean 'steps'?",
    ),
    Case(
        "missing-field",
        sub("purpose: Moves the hip and knee gently while the lower back stays steady.\n", ""),
        "id: missing-field",
        "purpose",
        "is required but missing",
        None,
        "add it",
    ),
    Case(
        "missing-nested",
        sub("sets: {min: 1, default: 1, max: 2}", "sets: {min: 1, default: 1}"),
        "sets:",
        "dose.sets.max",
        "is required but missing",
        None,
        "add it",
    ),
    Case(
        "dangling",
        sub("regression: pelvic-tilt", "regression: pelvic-tlt"),
        "regression:",
        "regression",
        "points to an exercise that does not exist",
        "'pelvic-tlt'",
        "did you mean 'pelvic-tilt'?",
    ),
    Case(
        "bad-indent",
        sub("  reps: {min: 5", "    reps: {min: 5"),
        "    reps:",
        "(file)",
        "invalid YAML",
        None,
        "indentation",
        named_id=False,
    ),
    Case(
        "unclosed-quote",
        sub("summary: Lying", 'summary: "Lying'),
        "summary:",
        "(file)",
        "invalid YAML",
        None,
        "quote",
        named_id=False,
    ),
    Case(
        "missing-colon",
        sub("breathing: Breathe", "breathing Breathe"),
        "breathing Breathe",
        "(file)",
        "invalid YAML",
        None,
        "a missing ':'",
        named_id=False,
    ),
    Case(
        "yes-stays-text",
        sub("per_side: true", "per_side: yes"),
        "per_side:",
        "dose.per_side",
        "must be true or false",
        "'yes'",
        "write true or false",
    ),
    Case(
        "unknown-category",
        sub("category: motor-control", "category: strenght"),
        "category:",
        "category",
        "is not one of the allowed values",
        "'strenght'",
        "use one of " + ", ".join(f"'{c}'" for c in get_args(Category)),
    ),
    Case(
        "file-name",
        lambda text: text,
        "id: file-name",
        "id",
        "does not match the file name 'file-name-copy.yaml'",
        "'file-name'",
        "rename the file to 'file-name.yaml' or change the id to 'file-name-copy'",
        file_name="file-name-copy.yaml",
    ),
    Case(
        "bridge",  # reuses a built-in id
        lambda text: text,
        "id: bridge",
        "id",
        f"is already used by {builtin_dir() / 'bridge.yaml'}",
        "'bridge'",
        "give this exercise a new id",
    ),
    Case(
        "twin",  # a second user file with the same id: twin.yaml is read first
        lambda text: text,
        "id: twin",
        "id",
        "is already used by",
        "'twin'",
        "give this exercise a new id",
        file_name="twin.yml",
    ),
]


def write_case(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = case.path_in(folder)
    path.write_text(case.text(), encoding="utf-8")
    if case.name == "twin":
        (folder / "twin.yaml").write_text(case.text(), encoding="utf-8")
    return path


def expected_line(case: Case) -> int:
    for number, line in enumerate(case.text().splitlines(), 1):
        if case.line_of in line:
            return number
    raise AssertionError(f"{case.line_of!r} not in the file")


def check(case: Case, path: Path, problem_line: str) -> None:
    match = FORMAT.match(problem_line)
    assert match, problem_line
    assert match["path"] == str(path)
    assert int(match["line"]) == expected_line(case), problem_line
    assert match["id"] == (case.exercise_id if case.named_id else None)
    # A file too broken to have an id says where, without naming a field ("(file)").
    assert match["field"] == (None if case.field == "(file)" and not case.named_id else case.field)
    assert match["message"].startswith(case.message), problem_line
    assert match["got"] == case.got, problem_line
    assert case.fix in match["fix"], problem_line


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Parse the built-ins once for the module; files with problems are never cached."""
    return tmp_path_factory.mktemp("cache") / "catalogue.json"


def load(cache_file: Path, *folders: Path) -> tuple[Catalogue, list[Problem]]:
    pairs = [(builtin_dir(), True), *((f, False) for f in folders)]
    return load_catalogue(pairs, FileCache(cache_file))


def problems_for(path: Path, problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.path == path]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_load_catalogue_reports_the_mistake(case: Case, tmp_path: Path, cache_file: Path) -> None:
    path = write_case(case, tmp_path / "mine")
    catalogue, problems = load(cache_file, path.parent)
    lines = problems_for(path, problems)
    assert lines, [str(p) for p in problems]
    # A typo also leaves the real field missing; the typo's own line is the one that helps.
    matching = [str(p) for p in problems if p.path == path and p.field == case.field]
    assert len(matching) == 1, lines
    check(case, path, matching[0])
    assert all(p.path == path for p in problems), "no problem is blamed on another file"
    if case.name in ("bridge", "twin", "dangling"):
        # The first definition stays; a dangling link leaves a readable exercise listed.
        assert case.exercise_id in catalogue
    elif case.name != "twin":
        assert not catalogue.is_builtin(case.exercise_id)


def test_yaml_1_2_keeps_on_yes_no_as_text(tmp_path: Path, cache_file: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    text = VALID.replace("targets: [hips, deep abdominal muscles]", "targets: [no, on, yes]")
    text = text.replace("  - Gentle work low in the belly.", "  - off")
    (folder / "heel-slide.yaml").write_text(text, encoding="utf-8")
    catalogue, problems = load(cache_file, folder)
    assert problems == []
    exercise = catalogue.get("heel-slide")
    assert exercise.targets == ["no", "on", "yes"]
    assert exercise.feel.should == ["off"]


def test_the_same_file_in_two_folders_names_the_first(tmp_path: Path, cache_file: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "heel-slide.yaml").write_text(VALID, encoding="utf-8")
    catalogue, problems = load(cache_file, first, second)
    assert catalogue.origins["heel-slide"] == first / "heel-slide.yaml"
    assert [str(p) for p in problems] == [
        f"{second / 'heel-slide.yaml'}:2: exercise 'heel-slide': id: is already used by "
        f"{first / 'heel-slide.yaml'} (got 'heel-slide'); give this exercise a new id; ids are "
        "never shared or reused"
    ]


def test_check_cli_reports_every_mistake_with_exit_2(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    paths = {case.name: write_case(case, folder) for case in CASES}
    result = run_cli("catalogue", "check", str(folder), home=home)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for case in CASES:
        path = paths[case.name]
        here = [line for line in lines if line.startswith(f"{path}:")]
        mine = [
            line
            for line in here
            if (match := FORMAT.match(line)) and (match["field"] or "(file)") == case.field
        ]
        assert len(mine) == 1, (case.name, result.stderr)
        check(case, path, mine[0])
    summary = lines[-1]
    assert re.fullmatch(r"\d+ problem\(s\) found\.", summary), summary


def test_check_cli_passes_a_valid_folder(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "heel-slide.yaml").write_text(VALID, encoding="utf-8")
    result = run_cli("catalogue", "check", str(folder), home=home)
    assert result.returncode == 0, result.stderr
    assert "1 of your own exercises are valid" in result.stdout


def test_check_cli_rejects_a_missing_folder(home: Path, tmp_path: Path) -> None:
    result = run_cli("catalogue", "check", str(tmp_path / "nowhere"), home=home)
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_check_says_everything_wrong_with_a_file_at_once(home: Path, tmp_path: Path) -> None:
    """Issue 15: an id that does not match the file name was reported only once every other
    mistake was mended, and a file too broken to have an id was labelled 'exercise ?'."""
    folder = tmp_path / "mine"
    folder.mkdir()
    bridge = (builtin_dir() / "bridge.yaml").read_text()
    (folder / "my-bridge.yaml").write_text(
        bridge.replace("id: bridge\n", "id: bridge-two\n").replace("difficulty: 2", "difficulty: 9")
    )
    (folder / "broken.yaml").write_text("id: broken\nname: [unclosed\n")
    result = run_cli("catalogue", "check", str(folder), home=home)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    mine = [line for line in lines if "my-bridge.yaml" in line]
    assert any("id: does not match the file name 'my-bridge.yaml'" in line for line in mine)
    assert any("difficulty: must be at most 3 (got 9)" in line for line in mine)
    broken = [line for line in lines if "broken.yaml" in line]
    assert broken and broken[0].startswith(f"{folder / 'broken.yaml'}:2: invalid YAML")
    assert "exercise ?" not in result.stderr
