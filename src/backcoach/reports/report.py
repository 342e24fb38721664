"""The clinician's report and the person's handout, as PDF.

The report gives a physiotherapist the picture in two minutes, on one to three pages: who the
person is and what they live with, their warning-sign screen, the programme with doses and
modifications, how much they have done, how pain and activities have changed (with the chart),
what the stop rules stopped, flare-ups, and every dose change with its reason. Long lists are
cut to their newest entries so the report stays short; the JSON export holds everything.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from backcoach.reports.charts import progress_chart
from backcoach.reports.pdf import data_uri, html_to_pdf, render_html
from backcoach.safety.signs import SIGNS
from backcoach.wording import label as word_for

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.planning.plan import Plan
    from backcoach.planning.profile import Profile
    from backcoach.records.tables import ScreenRow

REPORT_WEEKS = 8
"""Weeks of adherence shown: two months is what a review appointment looks back on. At most
``services.adherence.SUMMARY_WEEKS``, the weeks the progress summary holds."""

REPORT_EVENTS = 8
"""Stop-rule events shown (newest first)."""

REPORT_DECISIONS = 10
"""Dose changes shown (newest first). "Dose stays the same" decisions are counted, not listed."""

CHART_SIZE = (7.0, 2.6)
"""Inches: the width of an A4 page inside its margins, short enough to share a page."""


def fmt_date(iso: str | None) -> str:
    """``2026-11-02`` as ``02 Nov 2026``; empty for None."""
    return dt.date.fromisoformat(iso).strftime("%d %b %Y") if iso else ""


def care_lines(
    *,
    practice: str,
    clinician: str,
    patient: str,
    made_on: dt.date,
    days_per_week: int | None,
    review_date: dt.date | None,
) -> list[tuple[str, str]]:
    """The clinic's header of a report or handout (issue 14) as label and value pairs, in the
    order printed. The clinic side gathers the values; this only words them. Personal mode
    has no header at all (``care`` is None), never an empty one."""
    return [
        ("Practice", practice),
        ("Clinician", clinician or "not assigned"),
        ("Patient", patient),
        ("Date", f"{made_on:%d %B %Y}"),
        ("Days per week", str(days_per_week) if days_per_week else "not set"),
        ("Review date", f"{review_date:%d %B %Y}" if review_date else "not set"),
    ]


def profile_lines(profile: Profile, saved: bool) -> dict[str, Any]:
    """The profile as the report prints it (``saved``: whether one was saved at all)."""
    conditions = []
    for c in profile.conditions:
        text = word_for(c.id, "condition")
        if c.weeks is not None:
            text += f" ({c.weeks} weeks)"
        if c.cleared_on is not None:
            text += f", cleared {c.cleared_on:%d %b %Y}"
        conditions.append(text)
    return {
        "saved": saved,
        "minutes": profile.minutes,
        "days": ", ".join(word_for(d, "weekday") for d in profile.days),
        "goals": "; ".join(word_for(g, "goal") for g in profile.goals),
        "equipment": "; ".join(word_for(e, "equipment") for e in profile.equipment) or "none",
        "experience": word_for(profile.experience, "experience"),
        "conditions": conditions,
        "direction": word_for(profile.directional_preference, "direction"),
        "avoid": ", ".join(DIRECTION_WORDS.get(d, d) for d in profile.avoid_directions),
    }


DIRECTION_WORDS = {"extension": "bending backwards", "flexion": "bending forwards"}
"""A direction to avoid, in words (the direction check's own wording)."""


def screen_lines(row: ScreenRow | None) -> dict[str, Any] | None:
    """The latest screen as the report prints it, or None when there is none."""
    if row is None:
        return None
    labels = {s.id: s.label for s in SIGNS}
    return {
        "tier": row.tier,
        "taken_on": f"{row.taken_on:%d %b %Y}",
        "flags": [labels.get(f, f) for f in row.flags],
        "unanswered": [labels.get(f, f) for f in row.unanswered],
        "cleared_on": f"{row.cleared_on:%d %b %Y}" if row.cleared_on else None,
        "cleared_by": row.cleared_by,
        "advice": row.advice,
    }


def programme_lines(catalogue: Catalogue, plan: Plan | None) -> list[dict[str, Any]]:
    """Each exercise of the plan as the report lists it."""
    items = []
    for item in plan.items if plan else []:
        ex = catalogue.get(item.exercise_id)
        items.append(
            {
                "name": ex.name,
                "phase": word_for(item.phase, "phase"),
                "dose": item.dose_words(ex),
                "modification": item.modification,
                "reason": item.reason,
            }
        )
    return items


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    """The template's context: the report's data (``services.documents.report_data``) with
    the chart drawn and the formatting helpers."""
    chart = progress_chart(data["summary"], "svg", size=CHART_SIZE)
    return {
        "care": None,
        **data,
        "chart": data_uri(chart, "image/svg+xml"),
        "fmt_date": fmt_date,
        "signed": _signed,
    }


def _signed(value: float) -> str:
    """+2, -1.5, and 0 without a sign."""
    return f"{value:+g}" if value else "0"


def pain_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Start and latest of each measure, for the small table beside the chart."""
    rows = []
    for label, block in (
        ("Worst pain in 24 h (0-10)", summary["pain"]["worst_24h"]),
        ("Pain now (0-10)", summary["pain"]["now"]),
        ("Activity score (0-10)", summary["activities"]),
    ):
        change = block["change"]
        series = block.get("series", block.get("mean_series", []))
        rows.append(
            {
                "label": label,
                "readings": len(series),
                "start": change["start"] if change else None,
                "latest": change["latest"] if change else None,
                "points": change["points"] if change else None,
                "meaningful": change["meaningful"] if change else False,
                "direction": change["direction"] if change else None,
            }
        )
    return rows


def report_html(data: dict[str, Any]) -> str:
    return render_html("report.html", **report_context(data))


def report_pdf(data: dict[str, Any]) -> bytes:
    """The clinician's report (1-3 A4 pages) from its data."""
    return html_to_pdf(report_html(data))


def handout_html(context: dict[str, Any]) -> str:
    return render_html("handout.html", **{"care": None, **context})


def handout_pdf(context: dict[str, Any]) -> bytes:
    """The printable programme (``reports.handout.handout_context``): every exercise with its
    picture, steps, dose and cautions."""
    return html_to_pdf(handout_html(context))
