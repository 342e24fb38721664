"""`backcoach article` as a person runs it (the installed command in a subprocess): --json
valid against the issue's shape, standard input, plain refusals, drafts that `catalogue check`
accepts, and the plan from an article's exercises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from tests.articles.corpus import DATA
from tests.conftest import run_cli

AMOUNT = {
    "oneOf": [
        {"type": "null"},
        {"type": "number"},
        {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    ]
}
TEXTS = {"type": "array", "items": {"type": "string"}}
LESSON = {"type": ["string", "null"]}
"""A lesson that covers the advice or conflict (issue 19), beside the issue's keys."""
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["title", "exercises", "unmatched", "removed", "kept", "advice", "conflicts"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": ["string", "null"]},
        "exercises": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["exercise_id", "confidence", "evidence", "dose", "dose_note"],
                "properties": {
                    "exercise_id": {"type": "string"},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "evidence": {**TEXTS, "minItems": 1},
                    "dose": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["hold_seconds", "reps", "sets", "per_side", "text"],
                        "properties": {
                            "hold_seconds": AMOUNT,
                            "reps": AMOUNT,
                            "sets": AMOUNT,
                            "per_side": {"type": "boolean"},
                            "text": {"type": "string"},
                        },
                    },
                    "dose_note": {"type": "string"},
                },
            },
        },
        "unmatched": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "evidence"],
                "additionalProperties": False,
                "properties": {"name": {"type": "string"}, "evidence": TEXTS},
            },
        },
        "removed": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "reason"],
                "additionalProperties": False,
                "properties": {"text": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
        "kept": TEXTS,
        "advice": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "maps_to", "note"],
                "additionalProperties": False,
                "properties": {
                    "text": {"type": ["string", "null"]},
                    "maps_to": TEXTS,
                    "note": {"type": "string"},
                    "lesson": LESSON,
                },
            },
        },
        "conflicts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "why"],
                "additionalProperties": False,
                "properties": {
                    "text": {"type": "string"},
                    "why": {"type": "string"},
                    "lesson": LESSON,
                },
            },
        },
    },
}


def test_json_of_a_saved_page_has_the_issue_shape(home: Path) -> None:
    done = run_cli("article", str(DATA / "03_ads_linkbait.html"), "--json", home=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [e["exercise_id"] for e in data["exercises"]] == [
        "bird-dog",
        "side-lying-clam",
        "walking-warm-up",
    ]
    assert {"text": "Click here to read more: 10 foods that secretly cause back pain!",
            "reason": "link bait"} in data["removed"]  # fmt: skip


def test_standard_input_and_plain_words(home: Path) -> None:
    text = (DATA / "01_clean_howto.md").read_text()
    done = run_cli("article", "-", home=home, input=text)
    assert done.returncode == 0, done.stderr
    assert "Bridge" in done.stdout and "Its hold fits backcoach's" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    as_json = run_cli("article", "-", "--json", home=home, input=text)
    jsonschema.validate(json.loads(as_json.stdout), SCHEMA)


def test_a_url_a_missing_file_and_a_huge_file_are_refused_plainly(
    home: Path, tmp_path: Path
) -> None:
    url = run_cli("article", "https://example.com/back", home=home)
    assert url.returncode == 2 and "save it" in url.stderr and "Traceback" not in url.stderr
    missing = run_cli("article", str(tmp_path / "nope.html"), home=home)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    huge = tmp_path / "huge.html"
    huge.write_bytes(b"<p>x</p>" * (5 * 1024 * 1024 // 8 + 10))
    big = run_cli("article", str(huge), home=home)
    assert big.returncode == 2 and "5 MB" in big.stderr and "Traceback" not in big.stderr


def test_non_english_and_no_exercises_get_a_clear_answer(home: Path, tmp_path: Path) -> None:
    german = tmp_path / "de.txt"
    german.write_text(
        "Legen Sie sich auf den Bauch und stützen Sie sich auf die Unterarme. Halten Sie die "
        "Position für dreißig Sekunden und wiederholen Sie die Übung zehnmal am Tag."
    )
    done = run_cli("article", str(german), home=home)
    assert done.returncode == 0 and "not seem to be in English" in done.stdout
    plain = tmp_path / "none.txt"
    plain.write_text("Back pain is common and usually gets better within a few weeks.")
    none = run_cli("article", str(plain), home=home)
    assert none.returncode == 0 and "No exercise that backcoach knows" in none.stdout


def test_draft_unmatched_writes_a_file_catalogue_check_accepts(home: Path) -> None:
    done = run_cli("article", str(DATA / "07_gym_mixed.md"), "--draft-unmatched", home=home)
    assert done.returncode == 0, done.stderr
    drafts = sorted((home / "exercises").glob("*.yaml"))
    assert [p.stem for p in drafts] == ["barbell-squat", "deadlift", "good-morning", "plank"]
    assert "Draft written:" in done.stdout
    check = run_cli("catalogue", "check", home=home)
    # Only the drafts are ours to judge: the built-in files are checked by their own tests.
    about_drafts = [
        line for line in (check.stdout + check.stderr).splitlines() if str(home) in line
    ]
    assert about_drafts == [], about_drafts
    assert "Traceback" not in check.stderr


def test_plan_needs_the_screen_then_honours_restrictions(home: Path) -> None:
    refused = run_cli("article", str(DATA / "11_extension_series.html"), "--plan", home=home)
    assert refused.returncode == 3 and "No plan yet" in refused.stdout
    from backcoach.safety.signs import SIGNS

    answers = home / "answers.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}))
    screen = run_cli("screen", "--answers", str(answers), home=home)
    assert screen.returncode == 0, screen.stdout + screen.stderr
    profile = run_cli("profile", "set", "--condition", "spinal-stenosis", home=home)
    assert profile.returncode == 0, profile.stdout + profile.stderr
    done = run_cli("article", str(DATA / "11_extension_series.html"), "--plan", home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Not for you now:" in done.stdout and "Press-up lying on your front" in done.stdout
