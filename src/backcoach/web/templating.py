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
from backcoach.wording import (  # noqa: F401 (re-exported for the pages)
    CAUTION_TEXT,
    CONDITION_TEXT,
    DIRECTION_TEXT,
    EQUIPMENT_TEXT,
    EXPERIENCE_TEXT,
    GOAL_TEXT,
    PHASE_TEXT,
    POSITION_TEXT,
    TIER_TITLE,
    VERDICT_TEXT,
    WEEKDAY_TEXT,
    label,
)

HERE = Path(__file__).parent

templates = Jinja2Templates(directory=HERE / "templates")
"""Autoescaping is on for .html (Starlette's default), so text from exercise files is safe."""

# The words for ids live in backcoach.wording, shared with the reports and the CLI.


def item_dose(item: PlanItem, exercise: Exercise) -> str:
    """The planned dose of one plan item in words, e.g. ``2 sets of 8 reps, hold 5 s each``."""
    return item.dose_words(exercise)


def minutes_text(seconds: float) -> str:
    """``about 12 minutes``: a session's length as a person would say it."""
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} minute" + ("" if minutes == 1 else "s")


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


def _pose_labels(exercise: Exercise) -> list[str]:
    """The key poses' labels, as page text under a picture drawn without words."""
    from backcoach.body.figure import pose_labels

    return [text for text in pose_labels(exercise) if text]


templates.env.filters["pose_labels"] = _pose_labels
templates.env.filters["long_date"] = long_date
templates.env.globals["dose_text"] = dose_text
templates.env.globals["item_dose"] = item_dose
