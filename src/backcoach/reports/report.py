"""The clinician's report and the person's handout, as PDF.

The report gives a physiotherapist the picture in two minutes, on one to three pages: who the
person is and what they live with, their warning-sign screen, the programme with doses and
modifications, how much they have done, how pain and activities have changed (with the chart),
what the stop rules stopped, flare-ups, and every dose change with its reason. Long lists are
cut to their newest entries so the report stays short; the JSON export holds everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcoach.reports.pdf import data_uri, html_to_pdf, render_html

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.planning.plan import Plan

REPORT_WEEKS = 8
"""Weeks of adherence shown: two months is what a review appointment looks back on. At most
``services.adherence.SUMMARY_WEEKS``, the weeks the progress summary holds."""

REPORT_EVENTS = 8
"""Stop-rule events shown (newest first)."""

REPORT_DECISIONS = 10
"""Dose changes shown (newest first). "Dose stays the same" decisions are counted, not listed."""

CHART_SIZE = (7.0, 2.6)
"""Inches: the width of an A4 page inside its margins, short enough to share a page."""


def _date(iso: str | None) -> str:
    import datetime as dt

    return dt.date.fromisoformat(iso).strftime("%d %b %Y") if iso else ""


def _profile(coach: Coach) -> dict[str, Any]:
    profile = coach.profile()
    conditions = []
    for c in profile.conditions:
        text = c.id.replace("-", " ")
        if c.weeks is not None:
            text += f" ({c.weeks} weeks)"
        if c.cleared_on is not None:
            text += f", cleared {c.cleared_on:%d %b %Y}"
        conditions.append(text)
    return {
        "saved": coach.has_profile(),
        "minutes": profile.minutes,
        "days": ", ".join(d.capitalize() for d in profile.days),
        "goals": ", ".join(profile.goals),
        "equipment": ", ".join(profile.equipment) or "none",
        "experience": profile.experience,
        "conditions": conditions,
        "direction": profile.directional_preference,
        "avoid": ", ".join(profile.avoid_directions),
    }


def _screen(coach: Coach) -> dict[str, Any] | None:
    from backcoach.safety.signs import SIGNS

    row = coach.current_screen()
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


def current_plan(coach: Coach) -> tuple[Plan | None, str | None]:
    """Today's plan, or None with the reason none may be offered."""
    from backcoach.coach import PlanRefused

    try:
        return coach.plan(), None
    except PlanRefused as exc:
        return None, str(exc)


def _programme(coach: Coach, plan: Plan | None) -> list[dict[str, Any]]:

    items = []
    for item in plan.items if plan else []:
        ex = coach.exercise(item.exercise_id)
        items.append(
            {
                "name": ex.name,
                "phase": item.phase,
                "dose": item.dose_words(ex),
                "modification": item.modification,
                "reason": item.reason,
            }
        )
    return items


def report_context(coach: Coach) -> dict[str, Any]:
    from backcoach.reports.charts import progress_chart

    with coach.store.reading():  # one read transaction for every query of the report's data
        data = _report_data(coach)
    summary = data["summary"]
    chart = progress_chart(summary, "svg", size=CHART_SIZE)
    return {**data, "chart": data_uri(chart, "image/svg+xml"), "fmt_date": _date, "signed": _signed}


def _report_data(coach: Coach) -> dict[str, Any]:
    """What the report shows, in a fixed number of queries however long the history: the
    progress summary (its weeks), and the newest stops and dose changes with how many came
    before them, read as such rather than from every record."""
    import datetime as dt

    from backcoach.services.adherence import flare_entry, stop_entry, week_start
    from backcoach.services.progress import decision_entry, progress_summary

    store = coach.store
    summary = progress_summary(coach)
    plan, refused = current_plan(coach)
    adherence = summary["adherence"]
    today = dt.date.fromisoformat(summary["today"])
    first_day = adherence["first_session_day"]
    all_weeks = 0
    if first_day is not None:
        first_week = week_start(dt.date.fromisoformat(first_day))
        all_weeks = max(0, (week_start(today) - first_week).days // 7 + 1)
    stops, stop_count = store.newest_stops(REPORT_EVENTS)
    not_changes = ("same", "start")
    changes = store.newest_decisions(not_changes, REPORT_DECISIONS)
    counts = store.decision_counts()
    change_count = sum(n for action, n in counts.items() if action not in not_changes)
    return {
        "today": _date(summary["today"]),
        "since": _date(first_day),
        "profile": _profile(coach),
        "screen": _screen(coach),
        "plan": plan,
        "plan_minutes": round(plan.total_seconds / 60) if plan else 0,
        "refused": refused,
        "programme": _programme(coach, plan),
        "summary": summary,
        "weeks": adherence["weeks"][-REPORT_WEEKS:],
        "earlier_weeks": max(0, all_weeks - REPORT_WEEKS),
        "pain_rows": _pain_rows(summary),
        "stopped": [stop_entry(coach, o, started) for o, started in stops],
        "more_stopped": max(0, stop_count - REPORT_EVENTS),
        "flare_ups": [flare_entry(d) for d in reversed(store.flare_ups())],
        "changes": [decision_entry(coach, d) for d in changes],
        "more_changes": max(0, change_count - REPORT_DECISIONS),
        "unchanged": counts.get("same", 0),
    }


def _signed(value: float) -> str:
    """+2, -1.5, and 0 without a sign."""
    return f"{value:+g}" if value else "0"


def _pain_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
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


def report_html(coach: Coach) -> str:
    return render_html("report.html", **report_context(coach))


def report_pdf(coach: Coach) -> bytes:
    """The clinician's report (1-3 A4 pages)."""
    return html_to_pdf(report_html(coach))


def handout_html(coach: Coach) -> str:
    from backcoach.reports.handout import handout_context

    return render_html("handout.html", **handout_context(coach))


def handout_pdf(coach: Coach) -> bytes:
    """The printable programme: every exercise with its picture, steps, dose and cautions.
    Raises PlanRefused when no plan may be offered (no screen, or warning signs)."""
    return html_to_pdf(handout_html(coach))
