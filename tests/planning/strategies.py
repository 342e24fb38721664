"""Hypothesis strategies: random but valid exercises, catalogues and profiles."""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import strategies as st

from backcoach.catalogue.model import (
    Category,
    CautionTag,
    ConditionId,
    Direction,
    Equipment,
    Exercise,
    Goal,
    Position,
)
from backcoach.planning.profile import WEEKDAYS, Profile


def _range(lo: int, hi: int) -> st.SearchStrategy[dict[str, int]]:
    return st.tuples(st.integers(lo, hi), st.integers(lo, hi), st.integers(lo, hi)).map(
        lambda t: dict(zip(("min", "default", "max"), sorted(t), strict=True))
    )


@st.composite
def exercises(draw: st.DrawFn, exercise_id: str) -> Exercise:
    counted = draw(st.booleans())
    dose: dict[str, Any] = {
        "sets": draw(_range(1, 3)),
        "rest_seconds": draw(st.integers(0, 60)),
        "per_side": draw(st.booleans()),
        "movement_seconds": draw(st.sampled_from([1.0, 2.0, 3.0, 4.0])),
    }
    if counted:
        dose["reps"] = draw(_range(1, 15))
        if draw(st.booleans()):
            dose["hold_seconds"] = draw(_range(1, 30))
    else:
        dose["duration_seconds"] = draw(_range(30, 300))
    conditions = list(get_args(ConditionId))
    mods = draw(st.lists(st.sampled_from(conditions), unique=True, max_size=4))
    return Exercise.model_validate(
        {
            "id": exercise_id,
            "name": exercise_id.replace("-", " ").title(),
            "summary": "A generated exercise.",
            "purpose": "Exercises the back for a property test.",
            "category": draw(st.sampled_from(get_args(Category))),
            "position": draw(st.sampled_from(get_args(Position))),
            "direction": draw(st.sampled_from(get_args(Direction))),
            "equipment": draw(
                st.lists(st.sampled_from(get_args(Equipment)), unique=True, max_size=2)
            ),
            "difficulty": draw(st.integers(1, 3)),
            "goals": draw(st.lists(st.sampled_from(get_args(Goal)), unique=True, min_size=1)),
            "targets": ["back"],
            "steps": [{"text": "Get ready."}, {"text": "Move."}],
            "dose": dose,
            "breathing": "Breathe easily.",
            "common_mistakes": ["Rushing."],
            "feel": {"should": ["a stretch"], "should_not": ["sharp pain"]},
            "cautions": draw(
                st.lists(st.sampled_from(get_args(CautionTag)), unique=True, max_size=3)
            ),
            "modifications": {c: f"A gentler way for {c}." for c in mods},
            "sources": ["generated"],
        }
    )


@st.composite
def catalogues(draw: st.DrawFn, max_size: int = 25) -> list[Exercise]:
    n = draw(st.integers(1, max_size))
    items = [draw(exercises(f"ex-{i:03d}")) for i in range(n)]
    # Link a few neighbours into easier/harder families (both directions kept consistent).
    for i in range(0, n - 1, 3):
        if draw(st.booleans()):
            a, b = items[i], items[i + 1]
            items[i] = a.model_copy(update={"progression": b.id})
            items[i + 1] = b.model_copy(update={"regression": a.id})
    return items


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    condition_ids = draw(st.lists(st.sampled_from(get_args(ConditionId)), unique=True, max_size=3))
    conditions: list[dict[str, Any]] = []
    for cid in condition_ids:
        c: dict[str, Any] = {"id": cid}
        if cid == "pregnancy":
            c["weeks"] = draw(st.integers(0, 42))
        if cid == "recent-spinal-surgery" and draw(st.booleans()):
            c["cleared_on"] = "2026-10-01"
        conditions.append(c)
    return Profile.model_validate(
        {
            "minutes": draw(st.integers(5, 45)),
            "days": draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, min_size=1)),
            "goals": draw(st.lists(st.sampled_from(get_args(Goal)), unique=True, min_size=1)),
            "equipment": draw(st.lists(st.sampled_from(get_args(Equipment)), unique=True)),
            "experience": draw(st.sampled_from(["new", "some", "regular"])),
            "conditions": conditions,
            "directional_preference": draw(
                st.sampled_from(["extension", "flexion", "none", "unknown"])
            ),
        }
    )
