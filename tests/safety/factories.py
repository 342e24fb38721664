"""Build test exercises in code, so the safety rules are tested apart from the built-in YAML."""

from __future__ import annotations

from typing import Any

from backcoach.catalogue.model import Exercise


def make_exercise(ex_id: str = "test-exercise", **fields: Any) -> Exercise:
    """A valid exercise with neutral defaults; ``fields`` override any field."""
    data: dict[str, Any] = {
        "id": ex_id,
        "name": "Test exercise",
        "summary": "An exercise made for a test.",
        "purpose": "Checks how the safety rules treat an exercise.",
        "category": "mobility",
        "position": "standing",
        "direction": "neutral",
        "difficulty": 1,
        "goals": ["relief"],
        "targets": ["lower back"],
        "steps": [{"text": "Start."}, {"text": "Finish."}],
        "dose": {
            "sets": {"min": 1, "default": 1, "max": 2},
            "reps": {"min": 1, "default": 5, "max": 10},
        },
        "breathing": "Breathe easily.",
        "common_mistakes": ["Rushing."],
        "feel": {"should": ["Comfort."], "should_not": ["Sharp pain."]},
        "sources": ["test"],
    }
    data.update(fields)
    return Exercise.model_validate(data)
