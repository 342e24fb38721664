"""The Jinja2 templates object and the small filters the pages share.

Words shown to the person live here (labels for ids, tier titles) so every page says a thing
the same way. Nothing here talks to the database: pages fetch data from the service layer and
hand plain values to the templates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.templating import Jinja2Templates

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.text import dose_text, seconds_text
from backcoach.planning.plan import PlanItem

HERE = Path(__file__).parent

templates = Jinja2Templates(directory=HERE / "templates")
"""Autoescaping is on for .html (Starlette's default), so text from exercise files is safe."""

TIER_TITLE = {
    "emergency": "Please get help now",
    "urgent": "Please see a doctor today",
    "soon": "Please see a clinician in the next few days",
    "clear": "No warning signs reported",
}
"""Headlines of the screen result; the advice below them comes from the screen itself."""

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


def item_dose(item: PlanItem, exercise: Exercise) -> str:
    """The planned dose of one plan item in words, e.g. ``2 sets of 8 reps, hold 5 s each``."""
    return item.dose_words(exercise)


def minutes_text(seconds: float) -> str:
    """``about 12 minutes``: a session's length as a person would say it."""
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} minute" + ("" if minutes == 1 else "s")


def label(value: str, table: str) -> str:
    """Look an id up in one of the tables above; unknown ids are shown as they are."""
    tables: dict[str, dict[str, str]] = {
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
    }
    return tables[table].get(value, value.replace("-", " "))


def paragraphs(text: str) -> list[str]:
    """Advice text is written one thought per line; each becomes a paragraph."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def long_date(value: str | dt.date) -> str:
    """``Saturday 21 November 2026`` for a date or an ISO date(-time) string."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return day.strftime("%A %d %B %Y")


def without_name(reason: str, name: str) -> str:
    """Plan reasons begin "Bridge: ..."; under the exercise's own heading the name is noise."""
    prefix = f"{name}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


templates.env.filters["label"] = label
templates.env.filters["without_name"] = without_name
templates.env.filters["seconds"] = seconds_text
templates.env.filters["minutes"] = minutes_text
templates.env.filters["paragraphs"] = paragraphs
templates.env.filters["long_date"] = long_date
templates.env.globals["dose_text"] = dose_text
templates.env.globals["item_dose"] = item_dose
