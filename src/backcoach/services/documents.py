"""The clinician's report and the person's handout: their data read from the records, then
rendered by ``reports`` (which only formats what it is given). In clinic mode both carry the
clinic's header (``care_for``: practice, clinician, patient, date, days per week, review
date); in personal mode they have none."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from backcoach.clinic.programmes import CareHeader, assigned, care_header
from backcoach.errors import PlanRefused
from backcoach.reports import handout as paper
from backcoach.reports import report as render
from backcoach.reports.report import (
    REPORT_DECISIONS,
    REPORT_EVENTS,
    REPORT_WEEKS,
    care_lines,
    fmt_date,
    pain_rows,
    profile_lines,
    programme_lines,
    screen_lines,
)
from backcoach.services.adherence import flare_entry, stop_entry, week_start
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import has_profile, load_profile
from backcoach.services.progress import decision_entry, progress_summary

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from backcoach.catalogue import Catalogue
    from backcoach.planning.plan import Plan
    from backcoach.records.store import Store


def current_plan(
    store: Store, catalogue: Catalogue, today: dt.date
) -> tuple[Plan | None, str | None]:
    """Today's plan, or None with the reason none may be offered."""
    try:
        return todays_plan(store, catalogue, today), None
    except PlanRefused as exc:
        return None, str(exc)


def care_for(factory: sessionmaker[Session], store: Store, today: dt.date) -> CareHeader | None:
    """The clinic's header for the person's documents (issue 14), or None when the person is
    not a clinic's patient (personal mode). Without a programme, days per week are the
    profile's, which backcoach's own plan follows."""
    header = care_header(factory, store, today)
    if header is not None and header.days_per_week is None:
        header = replace(header, days_per_week=len(load_profile(store).days))
    return header


def _care(care: CareHeader | None) -> list[tuple[str, str]] | None:
    return None if care is None else care_lines(**asdict(care))


def report_data(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> dict[str, Any]:
    """What the report shows, in a fixed number of queries however long the history, in one
    read transaction: the progress summary (its weeks), and the newest stops and dose changes
    with how many came before them, read as such rather than from every record. ``care``: the
    clinic's header (``care_for``), None in personal mode."""
    with store.reading():
        return {**_report_data(store, catalogue, today), "care": _care(care)}


def _report_data(store: Store, catalogue: Catalogue, today: dt.date) -> dict[str, Any]:
    summary = progress_summary(store, catalogue, today)
    plan, refused = current_plan(store, catalogue, today)
    adherence = summary["adherence"]
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
        "today": fmt_date(summary["today"]),
        "since": fmt_date(first_day),
        "profile": profile_lines(load_profile(store), has_profile(store)),
        "screen": screen_lines(store.current_screen()),
        "plan": plan,
        "plan_minutes": round(plan.total_seconds / 60) if plan else 0,
        "refused": refused,
        "programme": programme_lines(catalogue, plan),
        "summary": summary,
        "weeks": adherence["weeks"][-REPORT_WEEKS:],
        "earlier_weeks": max(0, all_weeks - REPORT_WEEKS),
        "pain_rows": pain_rows(summary),
        "stopped": [stop_entry(catalogue, o, started) for o, started in stops],
        "more_stopped": max(0, stop_count - REPORT_EVENTS),
        "flare_ups": [flare_entry(d) for d in reversed(store.flare_ups())],
        "changes": [decision_entry(catalogue, d) for d in changes],
        "more_changes": max(0, change_count - REPORT_DECISIONS),
        "unchanged": counts.get("same", 0),
    }


def report_html(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> str:
    return render.report_html(report_data(store, catalogue, today, care))


def report_pdf(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> bytes:
    """The clinician's report (1-3 A4 pages)."""
    return render.report_pdf(report_data(store, catalogue, today, care))


def handout_context(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> dict[str, Any]:
    """The handout's content for today's plan; PlanRefused when no plan may be offered. With
    a clinician's programme, the prescriber and each exercise's times a day and note come
    from it; the profile's days say how many days a week in personal mode."""
    with store.reading():
        plan = todays_plan(store, catalogue, today)
        given = assigned(store)
        days = list(load_profile(store).days)
    prescription = None
    if given is not None:
        items = given.programme.items
        prescription = paper.Prescription(
            by_name=given.by_name,
            times_per_day={i.exercise_id: i.times_per_day for i in items},
            notes={i.exercise_id: i.note for i in items if i.note},
        )
    return paper.handout_context(
        plan, catalogue, made_on=today, days=days, care=care, prescription=prescription
    )


def handout_html(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> str:
    """The handout as one run of HTML (not yet packed into pages)."""
    return paper.handout_html(handout_context(store, catalogue, today, care))


def handout_pdf(
    store: Store, catalogue: Catalogue, today: dt.date, care: CareHeader | None = None
) -> bytes:
    """The printable programme: two or three exercises to an A4 page, each with its picture,
    steps, dose, the person's own version and cautions, and a box for notes. The web app (its
    job) and `backcoach handout` both make it here. Raises PlanRefused when no plan may be
    offered (no screen, or warning signs)."""
    return paper.handout_pdf(handout_context(store, catalogue, today, care))
