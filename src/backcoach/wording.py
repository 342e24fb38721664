"""Words shown to a person for the program's ids: conditions, cautions, goals, equipment,
positions, phases and the rest. One module, so the web pages, the reports, the CLI and the
plan's own explanations say a thing the same way and never show a raw id such as
``supine-long`` or ``mat``. Plain data; imports nothing from backcoach.
"""

from __future__ import annotations

from collections.abc import Iterable

CONDITION_TEXT = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "spinal-stenosis": "Spinal stenosis",
    "spondylolisthesis": "Spondylolisthesis",
    "pregnancy": "Pregnancy",
    "wrist": "Wrist problems",
    "knee": "Knee problems",
    "recent-spinal-surgery": "Recent spinal surgery",
    "acute-flare": "A flare-up right now",
}

CAUTION_TEXT = {
    "loaded-flexion": "bending the trunk forward against gravity",
    "end-range-flexion": "bending the spine forward as far as it goes",
    "sustained-extension": "holding or repeating bending backwards",
    "end-range-extension": "a short bend backwards toward the limit",
    "end-range-rotation": "twisting the trunk as far as it goes",
    "supine-long": "lying on your back for minutes",
    "prone": "lying on your front",
    "wrist-load": "weight through the hands with the wrists bent back",
    "knee-load": "weight through the knees, or deep knee bending",
    "direct-spinal-pressure": "pressure on the spine itself",
    "balance": "keeping your balance",
    "deep-hip-flexion": "hips bent well up toward the chest",
    "lifting-load": "practising a lift",
}
"""The caution tags of the catalogue in plain words (see catalogue/model.py CautionTag)."""

WEEKDAY_TEXT = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}

GOAL_TEXT = {
    "relief": "Ease the pain",
    "mobility": "Move more freely",
    "strength": "Get stronger",
    "posture": "Better posture",
    "return-to-activity": "Get back to activities",
}

EQUIPMENT_TEXT = {
    "mat": "A mat or rug",
    "chair": "A sturdy chair",
    "towel": "A towel",
    "foam-roller": "A foam roller",
    "cushion": "A cushion",
    "wall": "A clear wall",
    "stick": "A stick or broom handle",
}

EXPERIENCE_TEXT = {
    "new": "New to exercise",
    "some": "I exercise sometimes",
    "regular": "I exercise regularly",
}

DIRECTION_TEXT = {
    "unknown": "Not known yet",
    "extension": "Bending backwards eases it",
    "flexion": "Bending forwards eases it",
    "none": "No clear preference",
}

VERDICT_TEXT = {
    "allowed": "Suits you",
    "modified": "Suits you with a change",
    "excluded": "Not for you now",
}

POSITION_TEXT = {
    "prone": "Lying on your front",
    "supine": "Lying on your back",
    "side-lying": "Lying on your side",
    "quadruped": "On hands and knees",
    "kneeling": "Kneeling",
    "seated": "Sitting",
    "standing": "Standing",
}
"""The catalogue's positions (catalogue/model.py Position) in everyday words."""

PHASE_TEXT = {
    "warm-up": "Warm up",
    "mobility": "Mobility",
    "strength": "Strength",
    "stretch": "Stretch",
    "relaxation": "Relax",
}

TIER_TITLE = {
    "emergency": "Please get help now",
    "urgent": "Please see a doctor today",
    "soon": "Please see a clinician in the next few days",
    "clear": "No warning signs reported",
}
"""Headlines of the screen result; the advice below them comes from the screen itself."""

OUTCOME_TEXT = {
    "finished": "finished",
    "stopped": "stopped to look after your back",
    "skipped": "skipped",
    "not done": "not reached",
}
"""How an exercise in a session ended (``exercise_outcomes.outcome``)."""

ACTION_TEXT = {
    "same": "dose kept",
    "more": "a step more",
    "less": "a step lighter",
    "progress-to": "moved on to a harder version",
    "regress-to": "changed to an easier version",
    "drop": "left out",
    "restore": "brought back",
    "flare-up": "flare-up days",
    "start": "started",
}
"""Progression decisions (``planning.state.Action``) in words."""

TABLES: dict[str, dict[str, str]] = {
    "condition": CONDITION_TEXT,
    "caution": CAUTION_TEXT,
    "weekday": WEEKDAY_TEXT,
    "goal": GOAL_TEXT,
    "equipment": EQUIPMENT_TEXT,
    "experience": EXPERIENCE_TEXT,
    "direction": DIRECTION_TEXT,
    "verdict": VERDICT_TEXT,
    "phase": PHASE_TEXT,
    "position": POSITION_TEXT,
    "tier": TIER_TITLE,
    "outcome": OUTCOME_TEXT,
    "action": ACTION_TEXT,
}


def label(value: str, table: str) -> str:
    """Look an id up in one of the tables above; unknown ids are shown with their hyphens as
    spaces (an exercise file's own tag still reads as words)."""
    return TABLES[table].get(value, value.replace("-", " "))


def labels(values: Iterable[str], table: str) -> list[str]:
    return [label(v, table) for v in values]


def in_sentence(text: str) -> str:
    """A label inside a sentence: "Ease the pain" -> "ease the pain"."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]
