"""A person's own exercises through the real CLI, the shipped example, and the JSON Schema."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from backcoach.catalogue import Exercise, builtin_dir
from backcoach.catalogue.loader import yaml_files
from backcoach.catalogue.yamlio import read_yaml, to_plain
from tests.conftest import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"
WALL_SIT = EXAMPLES / "wall-sit.yaml"


def own_folder(home: Path) -> Path:
    folder = home / "exercises"
    folder.mkdir(exist_ok=True)
    return folder


def table_rows(stdout: str) -> dict[str, str]:
    """The list table's rows keyed by the id cell; a person's own exercise is marked "(your
    own)" beside its name, so the id cell holds the id alone."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 2 and cells[1] and cells[1] != "id":
            rows[cells[1]] = line
    return rows


def test_own_exercise_is_listed_as_yours_and_shown(home: Path) -> None:
    shutil.copy(WALL_SIT, own_folder(home) / "wall-sit.yaml")
    listed = run_cli("exercises", "list", home=home)
    assert listed.returncode == 0, listed.stderr
    rows = table_rows(listed.stdout)
    assert "(your own)" in rows["wall-sit"]
    assert "(your own)" not in rows["bridge"]
    assert listed.stderr == ""

    shown = run_cli("exercises", "show", "wall-sit", home=home)
    assert shown.returncode == 0, shown.stderr
    flat = re.sub(r"[\s│]+", " ", shown.stdout)
    assert "Wall sit (wall-sit, your own)" in flat
    assert "“Slide down slowly.”" in flat
    assert "Knee problems: Slide down only a little way" in flat

    as_json = run_cli("exercises", "list", "--position", "standing", "--json", home=home)
    ids = [e["id"] for e in json.loads(as_json.stdout)]
    assert "wall-sit" in ids and "walking-warm-up" in ids


def test_a_broken_own_file_does_not_stop_the_list(home: Path) -> None:
    folder = own_folder(home)
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    broken = WALL_SIT.read_text(encoding="utf-8").replace("id: wall-sit", "id: wall-sit-deep")
    broken = broken.replace("difficulty: 2", 'difficulty: "two"')
    (folder / "wall-sit-deep.yaml").write_text(broken, encoding="utf-8")

    listed = run_cli("exercises", "list", home=home)
    assert listed.returncode == 0
    rows = table_rows(listed.stdout)
    assert "(your own)" in rows["wall-sit"]
    assert not any(key.startswith("wall-sit-deep") for key in rows)
    assert "1 problem(s) in your own exercise files" in listed.stderr
    assert "backcoach catalogue check" in listed.stderr

    # Listing again (now from the cache) still warns: broken files are never cached.
    again = run_cli("exercises", "list", home=home)
    assert "1 problem(s)" in again.stderr

    # Without DIR, `catalogue check` checks the person's own folder and names the line.
    checked = run_cli("catalogue", "check", home=home)
    assert checked.returncode == 2
    line = next(n for n, t in enumerate(broken.splitlines(), 1) if t.startswith("difficulty:"))
    assert (
        f"{folder / 'wall-sit-deep.yaml'}:{line}: exercise 'wall-sit-deep': difficulty: "
        "must be a whole number (got 'two')"
    ) in checked.stderr

    missing = run_cli("exercises", "show", "wall-sit-deep", home=home)
    assert missing.returncode == 2
    assert "did you mean wall-sit" in missing.stderr


def test_a_fixed_file_is_read_again(home: Path) -> None:
    folder = own_folder(home)
    broken = WALL_SIT.read_text(encoding="utf-8").replace("difficulty: 2", "difficulty: 5")
    (folder / "wall-sit.yaml").write_text(broken, encoding="utf-8")
    assert "wall-sit" not in table_rows(run_cli("exercises", "list", home=home).stdout)
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    fixed = run_cli("exercises", "list", home=home)
    assert "(your own)" in table_rows(fixed.stdout)["wall-sit"]
    assert fixed.stderr == ""


def test_the_shipped_examples_pass_the_check(home: Path) -> None:
    result = run_cli("catalogue", "check", str(EXAMPLES), home=home)
    assert result.returncode == 0, result.stderr
    count = len(yaml_files(EXAMPLES))
    assert count >= 1
    assert f"and {count} of your own exercises are valid" in result.stdout


def test_the_example_is_not_a_built_in_and_explains_every_field() -> None:
    assert not (builtin_dir() / WALL_SIT.name).exists()
    text = WALL_SIT.read_text(encoding="utf-8")
    assert text.count("#") >= 20  # a worked example, commented for people writing their own
    data = to_plain(read_yaml(WALL_SIT))
    # Every field is shown (pictures' key poses are optional and drawn separately; the camera
    # coach's section, which needs them, is explained in examples/exercises/leg-raise.yaml).
    assert set(Exercise.model_fields) - {"key_poses", "coach"} <= set(data)


# --- JSON Schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("home")
    result = run_cli("catalogue", "schema", home=home)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_schema_is_valid_and_names_every_field(schema: dict[str, object]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert set(Exercise.model_fields) <= set(properties)
    required = schema["required"]
    assert isinstance(required, list)
    assert {"id", "steps", "dose", "sources"} <= set(required)


@pytest.mark.parametrize("path", [*yaml_files(builtin_dir()), WALL_SIT], ids=lambda p: p.stem)
def test_schema_accepts_the_valid_files(schema: dict[str, object], path: Path) -> None:
    jsonschema.Draft202012Validator(schema).validate(to_plain(read_yaml(path)))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("difficulty: 2", 'difficulty: "two"'),
        ("difficulty: 2", "difficulty: 5"),
        ("steps:", "stpes:"),
        ("category: strength", "category: strenght"),
    ],
)
def test_schema_rejects_the_mistakes_the_loader_rejects(
    schema: dict[str, object], tmp_path: Path, old: str, new: str
) -> None:
    bad = tmp_path / "wall-sit.yaml"
    bad.write_text(WALL_SIT.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(to_plain(read_yaml(bad)))
