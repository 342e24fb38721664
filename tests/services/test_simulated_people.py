"""Issue 15's simulated people: four weeks of real automatic sessions on pretend dates, saved to
a real database (SQLite and PostgreSQL), with progression deciding after each one.

- pain falling, every exercise "about right": doses rise on the graded schedule (CLINICAL.md
  section 3), though nobody ever said "too easy";
- pain with the exercises building week on week: doses fall.
And pain that was there before an exercise is not blamed on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from backcoach.app import PersonContext
from backcoach.planning.progression import GRADED_STEP_DAYS
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.progression import next_day_questions, record_next_day_answer
from backcoach.services.screening import take_screen
from tests.services.simulate import ALL_NO, START, person_on, session

MINUTES = 7
"""Short sessions (a walk and three exercises) keep four weeks of them quick to run."""

MON_WED_FRI = [START + dt.timedelta(weeks=w, days=d) for w in range(4) for d in (0, 2, 4)]


def _start(home: Path, db_url: str) -> None:
    first = person_on(home, db_url, START)
    take_screen(first.store, first.today(), ALL_NO)
    update_profile(first.store, days=["mon", "wed", "fri"], minutes=MINUTES)


def _answer_next_day(person: PersonContext) -> None:
    """What `backcoach start` asks first: had yesterday's pain settled? (yes)."""
    for session_id, index, exercise_id, _ in next_day_questions(person.store, person.today()):
        record_next_day_answer(
            person.store, person.catalogue, person.today(), session_id, index, exercise_id, True
        )


def _doses(person: PersonContext) -> dict[str, tuple[Any, ...]]:
    plan = todays_plan(person.store, person.catalogue, person.today(), minutes=MINUTES)
    return {
        i.exercise_id: (i.sets, i.reps or 0, i.hold_seconds, i.duration_seconds or 0)
        for i in plan.items
    }


def _work(dose: tuple[Any, ...]) -> int:
    sets, reps, hold, duration = dose
    return int(sets * (reps * max(hold, 1) + duration))


def _four_weeks(
    home: Path, db_url: str, before: list[int], pain: list[int], hurts: tuple[str, ...] = ()
) -> tuple[list[dict[str, tuple[Any, ...]]], list[Any]]:
    """Sessions on each planned day, every exercise "about right"; after each exercise the
    pain is ``pain``, or with ``hurts`` only after those exercises (``before`` after the
    others). Returns each day's doses and every decision."""
    _start(home, db_url)
    doses = []
    for n, day in enumerate(MON_WED_FRI):
        person = person_on(home, db_url, day)
        _answer_next_day(person)
        doses.append(_doses(person))
        answers: dict[str, Any] = {
            "pain_before": before[n],
            "pain_after": before[n],
            "default": {"pain": before[n] if hurts else pain[n], "rating": "about-right"},
            "exercises": {e: {"pain": pain[n], "rating": "about-right"} for e in hurts},
        }
        session(person, answers, minutes=MINUTES)
    last = person_on(home, db_url, MON_WED_FRI[-1] + dt.timedelta(days=3))
    doses.append(_doses(last))
    return doses, last.store.decisions()


def test_pain_falling_and_about_right_raise_doses_on_schedule(home: Path, db_url: str) -> None:
    before = [5, 5, 4, 4, 4, 3, 3, 2, 2, 2, 1, 1]
    pain = before  # never above the pain before: the exercises do not add to it
    doses, decisions = _four_weeks(home, db_url, before, pain)
    assert not [d for d in decisions if "hurt" in d.reason]  # pain already there is not blamed
    raised = [d for d in decisions if d.action == "more"]
    assert raised, [d.reason for d in decisions]
    first_day = min(d.decided_on for d in raised)
    assert (first_day - START).days >= GRADED_STEP_DAYS  # on the schedule, not before
    assert all("as planned, it goes up one small step" in d.reason for d in raised)
    assert not [d for d in decisions if d.action in ("less", "drop", "regress-to")]
    start, end = doses[0], doses[-1]
    both = [e for e in start if e in end]
    assert any(_work(end[e]) > _work(start[e]) for e in both)
    assert all(_work(end[e]) >= _work(start[e]) for e in both)


def test_pain_building_week_on_week_lowers_doses(home: Path, db_url: str) -> None:
    """Two exercises each add a point of pain that settles by the next morning, building week
    on week (3, 4, 5/10): their doses fall and never rise. The pain already there before the
    other exercises is not theirs: they rise on the schedule."""
    before = [2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4]
    pain = [b + 1 for b in before]
    _start(home, db_url)
    counted = [e for e, dose in _doses(person_on(home, db_url, START)).items() if dose[1]]
    hurts = (counted[0], counted[2])  # not one after the other: the pain eases between them
    doses, decisions = _four_weeks(home, db_url, before, pain, hurts)
    for main in hurts:
        mine = [d for d in decisions if d.exercise_id == main]
        assert not [d for d in mine if d.action in ("more", "progress-to")]
        fell = [d for d in mine if d.action in ("less", "regress-to")]
        assert fell and all("week on week" in d.reason for d in fell)
        assert min(d.decided_on for d in fell) >= START + dt.timedelta(weeks=2)
        assert _work(doses[-1][main]) < _work(doses[0][main])
    others = [d for d in decisions if d.exercise_id not in hurts]
    assert not [d for d in others if "hurt" in d.reason]
    assert [d for d in others if d.action == "more"]
