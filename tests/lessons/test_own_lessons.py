"""A person's own lesson files are checked like their exercise files: a broken one gets a
``file:line`` error naming the field, the value and the fix (the real command), and is left
out while the rest keep working; a good one joins the list."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

GOOD = """\
---
id: my-walks
title: My walking plan
topics: [walking]
minutes: 1
sources:
  - key: nice-ng59
    cite: NICE guideline NG59 (2016)
exercises: [walking-warm-up]
---
Walk a little each day. Add a few minutes each week.
[sources: nice-ng59]
"""

LIST_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "title", "topics", "minutes", "sources", "text"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "title": {"type": "string", "minLength": 1},
            "topics": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "minutes": {"type": "integer", "minimum": 1},
            "sources": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "text": {"type": "string", "minLength": 20},
        },
    },
}


def _own(home: Path, name: str, text: str) -> Path:
    folder = home / "lessons"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


HARD = (
    "Ambulatory rehabilitation necessitates considerable perseverance, notwithstanding "
    "intermittent musculoskeletal discomfort."
)

BROKEN = [
    # (file text, line, words the error must hold)
    (GOOD.replace("minutes: 1", "minutes: 30"), 5, ["minutes", "at most 10", "30"]),
    (GOOD.replace("[sources: nice-ng59]\n", ""), 11, ["cites no source", "[sources:"]),
    (
        GOOD.replace("[sources: nice-ng59]", "[sources: nice-ng95]"),
        11,
        ["'nice-ng95'", "nice-ng59"],
    ),
    (GOOD.replace("topics: [walking]", "topics: [walking"), 4, ["invalid YAML"]),
    (
        GOOD.replace("title: My walking plan\n", "title: My walking plan\ncolour: blue\n"),
        4,
        ["colour", "not a known field"],
    ),
    (
        GOOD.replace("exercises: [walking-warm-up]", "exercises: [walking-warmup]"),
        9,
        ["'walking-warmup'", "did you mean 'walking-warm-up'"],
    ),
    (
        GOOD.replace(
            "Walk a little each day.",
            "Ambulatory rehabilitation necessitates "
            "considerable perseverance, notwithstanding intermittent musculoskeletal discomfort.",
        ),
        11,
        ["grade", "shorter sentences"],
    ),
    (GOOD.replace("id: my-walks", "id: my-walk"), 2, ["file name", "my-walk.md"]),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_a_broken_own_lesson_gets_file_and_line(
    home: Path, text: str, line: int, words: list[str]
) -> None:
    path = _own(home, "my-walks.md", text)
    checked = run_cli("learn", "check", home=home)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert f"{path}:{line}: " in checked.stderr, checked.stderr
    for word in words:
        assert word in checked.stderr, checked.stderr
    assert "Traceback" not in checked.stderr


def test_a_broken_own_lesson_is_left_out_and_the_rest_keep_working(home: Path) -> None:
    _own(home, "my-walks.md", GOOD.replace("minutes: 1", "minutes: 30"))
    listed = run_cli("learn", "list", "--json", home=home)
    assert listed.returncode == 0, listed.stderr
    ids = [item["id"] for item in json.loads(listed.stdout)]
    assert "my-walks" not in ids and len(ids) == 15
    assert "learn check" in listed.stderr  # where to find out what is wrong


def test_the_reading_grade_of_an_own_lesson_is_measured_by_the_check_only(home: Path) -> None:
    """Measuring the grade takes over a second (textstat's dictionary), so everyday commands
    and pages keep a hard-to-read lesson of the person's own; `learn check` says so."""
    _own(home, "my-walks.md", GOOD.replace("Walk a little each day.", HARD))
    listed = run_cli("learn", "list", "--json", home=home)
    assert "my-walks" in [item["id"] for item in json.loads(listed.stdout)]


def test_a_good_own_lesson_joins_the_list_and_the_json_is_valid(home: Path) -> None:
    _own(home, "my-walks.md", GOOD)
    checked = run_cli("learn", "check", home=home)
    assert checked.returncode == 0, checked.stderr
    assert "1 of your own" in checked.stdout
    listed = run_cli("learn", "list", "--json", home=home)
    data = json.loads(listed.stdout)
    jsonschema.validate(data, LIST_SCHEMA)
    assert len(data) == 16 and data[-1]["id"] == "my-walks"
    assert "*Source: NICE guideline NG59 (2016)*" in data[-1]["text"]
    shown = run_cli("learn", "show", "my-walks", home=home)
    assert shown.returncode == 0 and "Walk a little each day" in shown.stdout
    unknown = run_cli("learn", "show", "my-walk", home=home)
    assert unknown.returncode == 2 and "did you mean my-walks" in unknown.stderr


def test_an_own_lesson_may_not_take_a_builtin_id(home: Path) -> None:
    _own(home, "scans.md", GOOD.replace("id: my-walks", "id: scans"))
    checked = run_cli("learn", "check", home=home)
    assert checked.returncode == 2
    assert "scans.md:2: lesson 'scans': id: is already the id of another lesson" in checked.stderr
