"""A draft exercise file for an exercise the catalogue lacks, from the article's own steps.

The draft is a starting point for the person's own exercise folder: it passes the catalogue's
checks, says in its sources that it came from an article, and asks for a clinician's look
before use. Guesses (category, position) are marked in the file's first comment line."""

from __future__ import annotations

import io
import re
from typing import Any

from backcoach.articles.analyse import Unmatched
from backcoach.articles.doses import merge, read_dose
from backcoach.articles.match import positions_in


def slug(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    text = "-".join(words)[:50].strip("-") or "exercise"
    return f"article-{text}" if len(text) < 2 else text


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def draft_exercise(item: Unmatched, title: str | None, taken: set[str]) -> dict[str, Any]:
    """The draft as plain data (the exercise file's fields)."""
    text = " ".join(item.evidence)
    low = text.lower()
    where = sorted(positions_in(text)) or ["standing"]
    position = where[0]
    if re.search(r"\bstretch", low):
        category, goals = "stretch", ["mobility"]
    elif re.search(r"\b(lift|raise|plank|squat|deadlift|lunge|strength|curl|crunch|sit-?up)", low):
        category, goals = "strength", ["strength"]
    else:
        category, goals = "mobility", ["mobility"]
    steps = [_clip(s, 400) for s in item.evidence if s.strip() and s.strip() != item.name]
    if len(steps) < 2:
        parts = [p.strip() for p in re.split(r"[;,]\s+|\.\s+", " ".join(steps)) if p.strip()]
        steps = [_clip(p, 400) for p in parts] if len(parts) >= 2 else steps
    while len(steps) < 2:
        steps.append("Come back slowly to where you started.")
    found = merge([read_dose(s) for s in item.evidence])

    def bounds(values: list[Any], fallback: tuple[int, int]) -> tuple[int, int]:
        for value, _ in values:
            if value is None:
                continue
            low_, high = value if isinstance(value, tuple) else (value, value)
            return max(1, int(low_)), max(1, int(high))
        return fallback

    reps = bounds(found.reps, (5, 10))
    dose: dict[str, Any] = {
        "sets": {"min": 1, "default": 1, "max": 2},
        "reps": {"min": reps[0], "default": reps[0], "max": max(reps[1], reps[0])},
    }
    if found.hold:
        hold = bounds(found.hold, (5, 10))
        dose["hold_seconds"] = {"min": hold[0], "default": hold[0], "max": min(120, hold[1])}
    if found.per_side:
        dose["per_side"] = True
    base = slug(item.name)
    ex_id, n = base, 2
    while ex_id in taken:
        ex_id, n = f"{base[:56]}-{n}", n + 1
    source = f"Drafted by backcoach from the article '{_clip(title or 'untitled', 200)}'"
    return {
        "id": ex_id,
        "name": _clip(item.name, 120),
        "summary": _clip(steps[0], 120),
        "purpose": "Drafted from an article; say in your own words why it helps, and have a "
        "clinician look at it before you use it.",
        "category": category,
        "position": position,
        "direction": "neutral",
        "equipment": [],
        "difficulty": 2,
        "goals": goals,
        "targets": ["lower back"],
        "steps": [{"text": s} for s in steps[:8]],
        "dose": dose,
        "breathing": "Breathe slowly throughout; do not hold your breath.",
        "common_mistakes": ["Moving fast or pushing into pain."],
        "feel": {
            "should": ["A gentle stretch or effort, with no more than mild discomfort."],
            "should_not": ["Sharp pain.", "Pain, numbness or tingling spreading down the leg."],
        },
        "sources": [source + "; check it with a clinician before use."],
    }


def draft_yaml(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    out = io.StringIO()
    out.write(
        "# A draft made by backcoach from an article. The category, position and dose are "
        "guesses:\n# check every line (and ask a clinician) before you use it.\n"
    )
    yaml.dump(data, out)
    return out.getvalue()
