"""Weeks of real records for progress tests: real automatic sessions and check-ins, each on its
own pretend day (BACKCOACH_TODAY), saved to a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backcoach.coach import Coach
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services import outcomes
from backcoach.services.sessions import AutoAnswers, begin, run_auto

ALL_NO = {s.id: "no" for s in SIGNS}
START = dt.date(2026, 11, 2)  # a Monday


def coach_on(home: Path, db_url: str | None, day: dt.date) -> Coach:
    env = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": day.isoformat()}
    if db_url:
        env["BACKCOACH_DATABASE_URL"] = db_url
    return Coach(Settings.from_environ(env))


def session(coach: Coach, answers: Mapping[str, Any] | None = None, minutes: int = 5) -> int:
    live = begin(coach, "auto", 0.0, minutes=minutes)
    run_auto(live, AutoAnswers.from_data(dict(answers or {})), 0, 0.0)
    return live.session_id


def three_weeks(home: Path, db_url: str | None) -> dict[str, Any]:
    """Mon/Wed/Fri planned over three weeks; Wed of week 2 and Mon+Wed of week 3 missed.

    Worst pain falls 7 -> 3, pain before sessions 5 -> 3, "putting on socks" 2 -> 6 and
    "sitting through a film" 5 -> 5. Week 2's Friday session has a sharp pain in its second
    exercise (a stop rule). Returns the days of sessions and the stopped exercise.
    """
    first = coach_on(home, db_url, START)
    first.take_screen(ALL_NO)
    first.update_profile(days=["mon", "wed", "fri"])
    socks = outcomes.add_activity(first, "putting on socks")
    film = outcomes.add_activity(first, "sitting through a film")
    plan = first.plan(minutes=5)
    stopped = plan.items[1].exercise_id
    days = [START + dt.timedelta(days=n) for n in (0, 2, 4, 7, 11, 18)]
    worst = [7, 7, 6, 5, 4, 3]
    before = [5, 5, 4, 4, 3, 3]
    for i, day in enumerate(days):
        coach = coach_on(home, db_url, day)
        outcomes.record_pain(coach, worst_24h=worst[i])
        if i == 0:
            outcomes.rate_activities(coach, {socks.id: 2, film.id: 5})
        if i == 5:
            outcomes.rate_activities(coach, {socks.id: 6, film.id: 5})
        answers: dict[str, Any] = {"pain_before": before[i], "pain_after": before[i] - 1}
        if i == 4:
            answers["exercises"] = {stopped: {"pain": 3, "sharp": True}}
        session(coach, answers)
    return {"days": days, "stopped": stopped, "socks": socks.id, "film": film.id}
