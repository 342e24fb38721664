"""Adherence from the records: sessions done against the days planned, minutes, a forgiving
streak, exercises stopped by stop rules, and flare-ups.

Reminders and feedback help people keep exercising (Lambert 2017, J Physiother 63:161), so
this is shown kindly: a streak survives one missed day, and nothing here is a score to fail.

The summary covers the last ``SUMMARY_WEEKS`` calendar weeks (``summary_start``), read in a
fixed number of queries, so it costs the same after years of sessions: its weeks and totals,
the streak, session days, stops and flare-ups are those of these weeks. Planned days count
from the first session ever, as before.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backcoach.planning.profile import WEEKDAYS
from backcoach.records.store import day_starts, local_day
from backcoach.services.library import exercise_name
from backcoach.services.profiles import load_profile
from backcoach.services.saved import saved_plan
from backcoach.services.session_summary import figures

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.records.tables import ExerciseOutcomeRow, ProgressionDecisionRow

MISSED_DAYS_THAT_BREAK_A_STREAK = 2
"""A streak forgives one missed planned day; two planned days missed in a row end it. Life gets
in the way; one missed day should not undo weeks of effort (a product choice)."""

SUMMARY_WEEKS = 8
"""Calendar weeks (this one included) the progress summary covers: two months, what a review
appointment looks back on, and so the weeks the report shows (``reports.report.REPORT_WEEKS``).
Pain and activity changes still compare against the very first readings, however old."""


def summary_start(today: dt.date) -> dt.date:
    """The Monday the summary's ``SUMMARY_WEEKS`` weeks begin on."""
    return week_start(today) - dt.timedelta(weeks=SUMMARY_WEEKS - 1)


@dataclass(frozen=True)
class DoneSession:
    """A session that counts as done: ended (finished or stopped early) with at least one
    complete set."""

    session_id: int
    day: dt.date
    status: str
    minutes: float


def done_sessions(store: Store, since: dt.date | None = None) -> list[DoneSession]:
    """Every session that counts as done, oldest first; from the day ``since`` on (all when
    None). Three queries: the sessions, their plans and their sets. Minutes are the sessions'
    active time (``services.session_summary``, the figure every other place shows)."""
    rows = store.done_sessions_since(None if since is None else day_starts(since))
    plans = store.plans_for({row.plan_id for row in rows})
    sets_by: dict[int, list[Any]] = defaultdict(list)
    for set_row in store.sets_for([row.id for row in rows]):
        sets_by[set_row.session_id].append(set_row)
    out = []
    for row in rows:
        plan_row = plans.get(row.plan_id)
        if plan_row is None:
            continue
        active = figures(saved_plan(plan_row), sets_by[row.id]).active_seconds
        out.append(
            DoneSession(row.id, local_day(row.started_at), row.status, round(active / 60, 1))
        )
    return out


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def planned_weekdays(days: Collection[str]) -> set[int]:
    """Profile weekdays ("mon", ...) as Python weekday numbers (Monday 0)."""
    return {WEEKDAYS.index(d) for d in days}


def weekly(
    sessions: list[DoneSession],
    planned: set[int],
    today: dt.date,
    first: dt.date | None = None,
    since: dt.date | None = None,
) -> list[dict[str, Any]]:
    """One entry per week (Monday first) from the first session's week to this week; from the
    week of ``since`` when that is later (``sessions`` then hold that window's sessions).

    Planned days count from the first session on (``first``; by default the first of
    ``sessions``); the current week counts its whole plan and is marked ``current``, so "1 of
    3" reads as "so far this week".
    """
    start = first or (sessions[0].day if sessions else None)
    if start is None:
        return []
    weeks = []
    monday = week_start(start)
    if since is not None:
        monday = max(monday, week_start(since))
    while monday <= today:
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        in_week = [s for s in sessions if monday <= s.day <= days[-1]]
        weeks.append(
            {
                "week_start": monday.isoformat(),
                "planned": sum(1 for d in days if d >= start and d.weekday() in planned),
                "done": len(in_week),
                "minutes": round(sum(s.minutes for s in in_week), 1),
                "current": monday == week_start(today),
            }
        )
        monday += dt.timedelta(days=7)
    return weeks


def due_so_far(
    sessions: list[DoneSession],
    planned: set[int],
    today: dt.date,
    first: dt.date | None = None,
    since: dt.date | None = None,
) -> int:
    """Planned days from the first session (``first``, by default the first of ``sessions``;
    ``since`` when later) up to today: the days already over, and today once its session is
    done (today is not missed until it is over, as for the streak).

    The honest "of N" for a total: the rest of this week's plan is not yet due, so counting
    it would make Thursday's "11 of 15" read like a missed session that is really Friday's.
    """
    start = first or (sessions[0].day if sessions else None)
    if start is None:
        return 0
    if since is not None:
        start = max(start, since)
    days = (today - start).days
    over = sum(1 for n in range(days) if (start + dt.timedelta(days=n)).weekday() in planned)
    done_today = any(s.day == today for s in sessions)
    return over + (1 if today.weekday() in planned and done_today else 0)


def streak(sessions: list[DoneSession], planned: set[int], today: dt.date) -> dict[str, int]:
    """Planned days done in a row: the current run of planned days with a session, counting
    back from today to the first of ``sessions`` at most (for the summary: the first of its
    weeks). Mon/Wed/Fri sessions for two weeks are a run of 6, not "10 days in a row".

    A planned day without a session is forgiven once; two in a row end the run. Today is not
    yet missed (the day is not over). Sessions on days that were not planned are welcome but
    do not lengthen the run (nor end it). With no planned days at all, days with a session
    count instead.
    """
    if not sessions:
        return {"days": 0, "forgiven": 0}
    session_days = {s.day for s in sessions}
    start = sessions[0].day
    count = forgiven = missed_in_row = 0
    day = today
    while day >= start:
        counts = day.weekday() in planned if planned else day in session_days
        if day in session_days and counts:
            count += 1
            missed_in_row = 0
        elif day.weekday() in planned and day != today and day not in session_days:
            missed_in_row += 1
            if missed_in_row >= MISSED_DAYS_THAT_BREAK_A_STREAK:
                forgiven -= missed_in_row - 1  # the earlier miss was outside the run after all
                break
            forgiven += 1
        day -= dt.timedelta(days=1)
    if count == 0:
        forgiven = 0
    return {"days": count, "forgiven": forgiven}


def stopped_exercises(
    store: Store, catalogue: Catalogue, since: dt.date | None = None
) -> list[dict[str, Any]]:
    """Exercises a stop rule ended, with the reasons, oldest first; in sessions from the day
    ``since`` on (all when None)."""
    moment = day_starts(since) if since is not None else None
    return [
        stop_entry(catalogue, o, started) for o, started in store.stopped_outcomes_since(moment)
    ]


def stop_entry(catalogue: Catalogue, o: ExerciseOutcomeRow, started: dt.datetime) -> dict[str, Any]:
    """One stopped exercise as the summary lists it (``started``: when its session began)."""
    return {
        "date": local_day(started).isoformat(),
        "session_id": o.session_id,
        "exercise_id": o.exercise_id,
        "name": exercise_name(catalogue, o.exercise_id),
        "reasons": list(o.details.get("reasons", [])),
        "not_tolerated": bool(o.details.get("not_tolerated")),
    }


def decisions_since(store: Store, since: dt.date | None) -> list[ProgressionDecisionRow]:
    """Decisions from the day ``since`` on (all when None), in the order made."""
    if since is None:
        return store.decisions()
    return store.decisions_since(since, day_starts(since))


def flare_ups(
    store: Store,
    since: dt.date | None = None,
    decisions: Sequence[ProgressionDecisionRow] | None = None,
) -> list[dict[str, Any]]:
    """Flare-up periods started (by the person or by their pain), oldest first; from the day
    ``since`` on (all when None). ``decisions``: those already read for the same days."""
    rows = decisions if decisions is not None else decisions_since(store, since)
    return [flare_entry(d) for d in rows if d.action == "flare-up"]


def flare_entry(d: ProgressionDecisionRow) -> dict[str, Any]:
    """One flare-up decision as the summary lists it."""
    return {
        "date": (d.decided_on or local_day(d.decided_at)).isoformat(),
        "until": d.until.isoformat() if d.until else None,
        "reason": d.reason,
    }


def adherence(
    store: Store,
    catalogue: Catalogue,
    today: dt.date,
    decisions: Sequence[ProgressionDecisionRow] | None = None,
) -> dict[str, Any]:
    """The adherence part of the progress summary over its ``SUMMARY_WEEKS`` weeks (shape
    documented in services.progress). ``decisions``: those of the same weeks, when already
    read."""
    with store.reading():  # one read transaction for its queries
        return _adherence(store, catalogue, today, decisions)


def _adherence(
    store: Store,
    catalogue: Catalogue,
    today: dt.date,
    decisions: Sequence[ProgressionDecisionRow] | None,
) -> dict[str, Any]:
    since = summary_start(today)
    started = store.first_done_start()
    first = local_day(started) if started is not None else None
    sessions = done_sessions(store, since)
    days = load_profile(store).days
    planned = planned_weekdays(days)
    weeks = weekly(sessions, planned, today, first, since)
    return {
        "summary_weeks": SUMMARY_WEEKS,
        "planned_days": list(days),
        "weeks": weeks,
        "total": {
            "planned": sum(w["planned"] for w in weeks),
            "due": due_so_far(sessions, planned, today, first, since),
            "done": sum(w["done"] for w in weeks),
            "minutes": round(sum(s.minutes for s in sessions), 1),
        },
        "streak": streak(sessions, planned, today),
        "extra": sum(1 for s in sessions if s.day.weekday() not in planned),
        "session_days": sorted({s.day.isoformat() for s in sessions}),
        "first_session_day": first.isoformat() if first else None,
        "stopped": stopped_exercises(store, catalogue, since),
        "flare_ups": flare_ups(store, since, decisions),
    }
