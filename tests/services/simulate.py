"""Weeks of real records for progress tests: real automatic sessions and check-ins, each on its
own pretend day (BACKCOACH_TODAY), saved to a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services import outcomes
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import AutoAnswers, begin, run_auto

ALL_NO = {s.id: "no" for s in SIGNS}
START = dt.date(2026, 11, 2)  # a Monday


def person_on(home: Path, db_url: str | None, day: dt.date) -> PersonContext:
    env = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": day.isoformat()}
    if db_url:
        env["BACKCOACH_DATABASE_URL"] = db_url
    return AppContext(Settings.from_environ(env)).person()


def session(
    person: PersonContext, answers: Mapping[str, Any] | None = None, minutes: int = 5
) -> int:
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=minutes)
    run_auto(live, AutoAnswers.from_data(dict(answers or {})), 0, 0.0)
    return live.session_id


def three_weeks(home: Path, db_url: str | None) -> dict[str, Any]:
    """Mon/Wed/Fri planned over three weeks; Wed of week 2 and Mon+Wed of week 3 missed.

    Worst pain falls 7 -> 3, pain before sessions 5 -> 3, "putting on socks" 2 -> 6 and
    "sitting through a film" 5 -> 5. Week 2's Friday session has a sharp pain in its second
    exercise (a stop rule). Returns the days of sessions and the stopped exercise.
    """
    first = person_on(home, db_url, START)
    take_screen(first.store, first.today(), ALL_NO)
    update_profile(first.store, days=["mon", "wed", "fri"])
    socks = outcomes.add_activity(first.store, first.today(), "putting on socks")
    film = outcomes.add_activity(first.store, first.today(), "sitting through a film")
    plan = todays_plan(first.store, first.catalogue, first.today(), minutes=5)
    stopped = plan.items[1].exercise_id
    days = [START + dt.timedelta(days=n) for n in (0, 2, 4, 7, 11, 18)]
    worst = [7, 7, 6, 5, 4, 3]
    before = [5, 5, 4, 4, 3, 3]
    for i, day in enumerate(days):
        person = person_on(home, db_url, day)
        outcomes.record_pain(person.store, worst_24h=worst[i])
        if i == 0:
            outcomes.rate_activities(person.store, person.today(), {socks.id: 2, film.id: 5})
        if i == 5:
            outcomes.rate_activities(person.store, person.today(), {socks.id: 6, film.id: 5})
        answers: dict[str, Any] = {"pain_before": before[i], "pain_after": before[i] - 1}
        if i == 4:
            answers["exercises"] = {stopped: {"pain": 3, "sharp": True}}
        session(person, answers)
    return {"days": days, "stopped": stopped, "socks": socks.id, "film": film.id}
