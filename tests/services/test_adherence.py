"""Adherence over simulated weeks of real sessions, with missed days, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from backcoach.services.adherence import (
    DoneSession,
    adherence,
    done_sessions,
    due_so_far,
    planned_weekdays,
    streak,
    weekly,
)
from backcoach.services.progression import start_flare_up_if_due
from tests.services.simulate import START, person_on, three_weeks

MON_WED_FRI = planned_weekdays(["mon", "wed", "fri"])


def test_weeks_minutes_streak_and_stops_from_real_sessions(tmp_path: Path, db_url: str) -> None:
    sim = three_weeks(tmp_path, db_url)
    friday = START + dt.timedelta(days=18)
    person = person_on(tmp_path, db_url, friday)
    a = adherence(person.store, person.catalogue, person.today())
    assert [(w["week_start"], w["planned"], w["done"]) for w in a["weeks"]] == [
        ("2026-11-02", 3, 3),
        ("2026-11-09", 3, 2),
        ("2026-11-16", 3, 1),
    ]
    assert a["weeks"][-1]["current"] and not a["weeks"][0]["current"]
    assert a["total"]["planned"] == 9 and a["total"]["done"] == 6
    assert a["total"]["due"] == 9  # Friday 20th's session is done: the whole plan is due
    # Minutes come from the plans' timing of the sets done: each 5-minute plan gives about 5.
    assert all(3 <= w["minutes"] / w["done"] <= 6 for w in a["weeks"])
    assert a["total"]["minutes"] == round(sum(w["minutes"] for w in a["weeks"]), 1)
    # Mon 16 and Wed 18 both missed: the run starts again with Friday's session.
    assert a["streak"] == {"days": 1, "forgiven": 0}
    assert a["session_days"] == [d.isoformat() for d in sim["days"]]
    [stop] = a["stopped"]
    assert stop["exercise_id"] == sim["stopped"] and stop["date"] == "2026-11-13"
    assert stop["not_tolerated"] and any("sharp" in r.lower() for r in stop["reasons"])
    assert a["flare_ups"] == []
    # On Wednesday 18th (before its session) one missed day (Mon 16) is forgiven, and so is
    # Wed 11 between two sessions: the run counts back to the first session.
    sessions = done_sessions(person.store)
    assert streak(sessions, MON_WED_FRI, START + dt.timedelta(days=16)) == {
        "days": 5,
        "forgiven": 2,
    }


def test_a_flare_up_is_listed_with_its_dates(tmp_path: Path, db_url: str) -> None:
    person = person_on(tmp_path, db_url, START)
    decision = start_flare_up_if_due(person.store, person.today(), said_flare_up=True)
    assert decision is not None
    [flare] = adherence(person.store, person.catalogue, person.today())["flare_ups"]
    assert flare["date"] == "2026-11-02" and flare["until"] == decision.until.isoformat()
    assert flare["reason"] == decision.reason


def _done(*days: int) -> list[DoneSession]:
    return [
        DoneSession(i, START + dt.timedelta(days=d), "finished", 5.0) for i, d in enumerate(days)
    ]


def test_streak_forgives_one_missed_planned_day_not_two_in_a_row() -> None:
    # Mon Wed Fri: Mon 2, Wed 4 done, Fri 6 missed, Mon 9 done; today Tue 10.
    tue = START + dt.timedelta(days=8)
    assert streak(_done(0, 2, 7), MON_WED_FRI, tue) == {"days": 3, "forgiven": 1}
    # Fri 6 and Mon 9 missed in a row: only what came after counts (nothing yet).
    assert streak(_done(0, 2), MON_WED_FRI, tue) == {"days": 0, "forgiven": 0}
    # Today planned and not done yet is not a miss.
    assert streak(_done(0, 2, 4), MON_WED_FRI, START + dt.timedelta(days=7)) == {
        "days": 3,
        "forgiven": 0,
    }
    # The run counts planned days done (issue 15): an extra session on an unplanned day (Tue
    # 3) is welcome but does not lengthen it, nor end it.
    assert streak(_done(0, 1, 2), MON_WED_FRI, START + dt.timedelta(days=3)) == {
        "days": 2,
        "forgiven": 0,
    }
    # Two weeks of Mon/Wed/Fri and sessions every day besides: 6 planned days, not 14 days.
    every_day = _done(*range(14))
    assert streak(every_day, MON_WED_FRI, START + dt.timedelta(days=13))["days"] == 6
    assert streak([], MON_WED_FRI, tue) == {"days": 0, "forgiven": 0}


def test_no_sessions_means_no_weeks(tmp_path: Path) -> None:
    person = person_on(tmp_path, None, START)
    a = adherence(person.store, person.catalogue, person.today())
    assert a["weeks"] == [] and a["total"] == {"planned": 0, "due": 0, "done": 0, "minutes": 0}
    assert a["streak"] == {"days": 0, "forgiven": 0}


def test_a_whole_missed_week_a_midweek_start_and_what_is_due_so_far() -> None:
    # First session Wed 4; the week of Mon 9 entirely missed; back on Mon 16; today Tue 17.
    sessions = _done(2, 14)
    tue = START + dt.timedelta(days=15)
    weeks = weekly(sessions, MON_WED_FRI, tue)
    assert [(w["week_start"], w["planned"], w["done"], w["current"]) for w in weeks] == [
        ("2026-11-02", 2, 1, False),  # planned days count from the first session (Wed, Fri)
        ("2026-11-09", 3, 0, False),  # a week with no session is still listed
        ("2026-11-16", 3, 1, True),  # this week's whole plan, "so far"
    ]
    # Due so far: Wed 4, Fri 6, Mon 9, Wed 11, Fri 13, Mon 16 (not Wed 18, Fri 20).
    assert due_so_far(sessions, MON_WED_FRI, tue) == 6
    # On Monday 16th itself: not due until its session is done (today is not yet missed).
    monday = START + dt.timedelta(days=14)
    assert due_so_far(_done(2), MON_WED_FRI, monday) == 5
    assert due_so_far(sessions, MON_WED_FRI, monday) == 6
    assert due_so_far([], MON_WED_FRI, monday) == 0
    # The run restarted on Mon 16 after two planned days missed in a row: only Monday counts.
    assert streak(sessions, MON_WED_FRI, tue) == {"days": 1, "forgiven": 0}
