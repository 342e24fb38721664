"""Adherence from the records: sessions done against the days planned, minutes, a forgiving
streak, exercises stopped by stop rules, and flare-ups.

Reminders and feedback help people keep exercising (Lambert 2017, J Physiother 63:161), so
this is shown kindly: a streak survives one missed day, and nothing here is a score to fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backcoach.planning.profile import WEEKDAYS
from backcoach.records.store import local_day
from backcoach.services.saved import saved_plan

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.records.tables import SessionRow

MISSED_DAYS_THAT_BREAK_A_STREAK = 2
"""A streak forgives one missed planned day; two planned days missed in a row end it. Life gets
in the way; one missed day should not undo weeks of effort (a product choice)."""


@dataclass(frozen=True)
class DoneSession:
    """A session that counts as done: ended (finished or stopped early) with at least one
    complete set."""

    session_id: int
    day: dt.date
    status: str
    minutes: float


def done_sessions(coach: Coach) -> list[DoneSession]:
    """Every session that counts as done, oldest first."""
    store = coach.store
    out = []
    for row in sorted(store.sessions(), key=lambda r: (r.started_at, r.id)):
        if row.status == "in-progress":
            continue
        minutes = _minutes(coach, row)
        if minutes is None:
            continue
        out.append(DoneSession(row.id, local_day(row.started_at), row.status, minutes))
    return out


def _minutes(coach: Coach, row: SessionRow) -> float | None:
    """Minutes of exercise: each exercise's planned time, scaled by the share of its sets
    finished. Taken from the plan rather than the wall clock, so a session paused for a phone
    call, or run on a sped-up clock, counts the exercise it held. None when no set was done."""
    store = coach.store
    plan_row = store.plan(row.plan_id)
    complete = [s for s in store.sets(row.id) if s.complete]
    if plan_row is None or not complete:
        return None
    plan = saved_plan(plan_row)
    seconds = 0.0
    for index, item in enumerate(plan.items):
        planned_sets = item.sets * (2 if item.per_side else 1)
        done = sum(1 for s in complete if s.item_index == index)
        seconds += item.estimated_seconds * min(1.0, done / planned_sets)
    return round(seconds / 60, 1)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def planned_weekdays(days: Collection[str]) -> set[int]:
    """Profile weekdays ("mon", ...) as Python weekday numbers (Monday 0)."""
    return {WEEKDAYS.index(d) for d in days}


def weekly(sessions: list[DoneSession], planned: set[int], today: dt.date) -> list[dict[str, Any]]:
    """One entry per week (Monday first) from the first session's week to this week.

    Planned days count from the first session on; the current week counts its whole plan and is
    marked ``current``, so "1 of 3" reads as "so far this week".
    """
    if not sessions:
        return []
    start = sessions[0].day
    weeks = []
    monday = week_start(start)
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


def due_so_far(sessions: list[DoneSession], planned: set[int], today: dt.date) -> int:
    """Planned days from the first session up to today: the days already over, and today
    once its session is done (today is not missed until it is over, as for the streak).

    The honest "of N" for a total: the rest of this week's plan is not yet due, so counting
    it would make Thursday's "11 of 15" read like a missed session that is really Friday's.
    """
    if not sessions:
        return 0
    days = (today - sessions[0].day).days
    over = sum(
        1 for n in range(days) if (sessions[0].day + dt.timedelta(days=n)).weekday() in planned
    )
    done_today = any(s.day == today for s in sessions)
    return over + (1 if today.weekday() in planned and done_today else 0)


def streak(sessions: list[DoneSession], planned: set[int], today: dt.date) -> dict[str, int]:
    """Days with a session in the current run, counting back from today.

    A planned day without a session is forgiven once; two in a row end the run. Today is not
    yet missed (the day is not over). Extra sessions on unplanned days count too.
    """
    if not sessions:
        return {"days": 0, "forgiven": 0}
    session_days = {s.day for s in sessions}
    start = sessions[0].day
    count = forgiven = missed_in_row = 0
    day = today
    while day >= start:
        if day in session_days:
            count += 1
            missed_in_row = 0
        elif day.weekday() in planned and day != today:
            missed_in_row += 1
            if missed_in_row >= MISSED_DAYS_THAT_BREAK_A_STREAK:
                forgiven -= missed_in_row - 1  # the earlier miss was outside the run after all
                break
            forgiven += 1
        day -= dt.timedelta(days=1)
    if count == 0:
        forgiven = 0
    return {"days": count, "forgiven": forgiven}


def stopped_exercises(coach: Coach) -> list[dict[str, Any]]:
    """Exercises a stop rule ended, with the reasons, oldest first."""
    store = coach.store
    days = {s.id: local_day(s.started_at) for s in store.sessions()}
    out = []
    for o in store.outcomes():
        if o.outcome != "stopped":
            continue
        out.append(
            {
                "date": days.get(o.session_id, local_day(o.recorded_at)).isoformat(),
                "session_id": o.session_id,
                "exercise_id": o.exercise_id,
                "name": exercise_name(coach, o.exercise_id),
                "reasons": list(o.details.get("reasons", [])),
                "not_tolerated": bool(o.details.get("not_tolerated")),
            }
        )
    return out


def flare_ups(coach: Coach) -> list[dict[str, Any]]:
    """Flare-up periods started (by the person or by their pain), oldest first."""
    return [
        {
            "date": (d.decided_on or local_day(d.decided_at)).isoformat(),
            "until": d.until.isoformat() if d.until else None,
            "reason": d.reason,
        }
        for d in coach.store.decisions()
        if d.action == "flare-up"
    ]


def exercise_name(coach: Coach, exercise_id: str) -> str:
    """The exercise's name, or its id when it is no longer in the catalogue."""
    from backcoach.catalogue import UnknownExercise

    try:
        return coach.exercise(exercise_id).name
    except UnknownExercise:
        return exercise_id


def adherence(coach: Coach) -> dict[str, Any]:
    """The adherence part of the progress summary (shape documented in services.progress)."""
    sessions = done_sessions(coach)
    today = coach.today()
    planned = planned_weekdays(coach.profile().days)
    weeks = weekly(sessions, planned, today)
    return {
        "planned_days": list(coach.profile().days),
        "weeks": weeks,
        "total": {
            "planned": sum(w["planned"] for w in weeks),
            "due": due_so_far(sessions, planned, today),
            "done": sum(w["done"] for w in weeks),
            "minutes": round(sum(s.minutes for s in sessions), 1),
        },
        "streak": streak(sessions, planned, today),
        "session_days": sorted({s.day.isoformat() for s in sessions}),
        "stopped": stopped_exercises(coach),
        "flare_ups": flare_ups(coach),
    }
