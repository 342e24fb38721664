"""Outcome scoring at its boundaries, and the check-in records on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backcoach.errors import BackcoachError
from backcoach.records.outcomes import (
    ACTIVITY_MEAN_MEANINGFUL_POINTS,
    ACTIVITY_SINGLE_MEANINGFUL_POINTS,
    PAIN_MEANINGFUL_PERCENT,
    PAIN_MEANINGFUL_POINTS,
    activity_change,
    activity_mean_change,
    first_and_latest_week,
    pain_change,
)
from backcoach.records.outcomes_store import OutcomeStore
from backcoach.services import outcomes
from tests.services.simulate import START, person_on


def test_thresholds_are_the_published_ones() -> None:
    assert PAIN_MEANINGFUL_POINTS == 2 and PAIN_MEANINGFUL_PERCENT == 30.0
    assert ACTIVITY_MEAN_MEANINGFUL_POINTS == 2.0 and ACTIVITY_SINGLE_MEANINGFUL_POINTS == 3


@pytest.mark.parametrize(
    ("start", "latest", "direction", "meaningful"),
    [
        (8, 7, "better", False),  # 1 point, 12.5%
        (8, 6, "better", True),  # 2 points
        (7, 8, "worse", False),  # 1 point up, 14%
        (6, 8, "worse", True),  # 2 points up
        (5, 3.55, "better", False),  # 1.45 points, 29%
        (5, 3.5, "better", True),  # 1.5 points, 30%
        (3, 2.1, "better", True),  # 0.9 points, 30%: low pain, a meaningful improvement
        (3, 2.2, "better", False),  # 0.8 points, 26.7%
        (5, 6.5, "worse", False),  # 30% up but 1.5 points: a rise is judged on points alone
        (2, 3, "worse", False),  # 50% up, 1 point: not sent to a clinician for that
        (5, 7, "worse", True),  # 2 points up
        (4, 4, "same", False),
        (0, 1, "worse", False),  # no percentage from a start of 0
    ],
)
def test_pain_change_boundaries(
    start: float, latest: float, direction: str, meaningful: bool
) -> None:
    change = pain_change("pain_worst", "worst pain", start, latest)
    assert (change.direction, change.meaningful) == (direction, meaningful)
    assert change.message.startswith("Your worst pain is ")
    if meaningful and direction == "better":
        assert "a meaningful improvement" in change.message
    elif meaningful:
        assert "meaningful change for the worse" in change.message
        assert "clinician" in change.message  # refers onward, never diagnoses
    else:
        assert "meaningful" not in change.message


def test_pain_message_in_plain_words() -> None:
    change = pain_change("pain_worst", "worst pain", 7, 4)
    assert change.message == (
        "Your worst pain is down 3 points since you started (from 7 to 4) — a meaningful "
        "improvement."
    )
    by_percent = pain_change("pain_now", "pain now", 5, 3.5)
    assert "down 1.5 points (30%)" in by_percent.message
    assert "about the same" in pain_change("pain_now", "pain now", 4, 4).message
    assert "1 point since" in pain_change("pain_now", "pain now", 4, 3).message


@pytest.mark.parametrize(
    ("start", "latest", "direction", "meaningful"),
    [
        (3, 4.9, "better", False),
        (3, 5.0, "better", True),
        (5, 3.1, "worse", False),
        (5, 3.0, "worse", True),
    ],
)
def test_activity_mean_boundaries(
    start: float, latest: float, direction: str, meaningful: bool
) -> None:
    change = activity_mean_change(start, latest)
    assert (change.direction, change.meaningful) == (direction, meaningful)
    assert change.message.startswith("Your activity score is ")


@pytest.mark.parametrize(
    ("start", "latest", "direction", "meaningful"),
    [
        (2, 4, "better", False),
        (2, 5, "better", True),
        (6, 4, "worse", False),
        (6, 3, "worse", True),
    ],
)
def test_single_activity_boundaries(
    start: int, latest: int, direction: str, meaningful: bool
) -> None:
    change = activity_change(1, "putting on socks", start, latest)
    assert (change.direction, change.meaningful) == (direction, meaningful)
    assert change.message.startswith("“putting on socks” is ")
    assert change.measure == "activity:1"


def test_first_and_latest_week() -> None:
    day = START
    assert first_and_latest_week([]) is None
    within = [(day + dt.timedelta(days=n), 5.0) for n in range(7)]
    assert first_and_latest_week(within) is None  # still the first week: too early
    series = [(day, 6.0), (day + dt.timedelta(days=3), 4.0), (day + dt.timedelta(days=7), 3.0)]
    assert first_and_latest_week(series) == (5.0, 3.0)
    later = [*series, (day + dt.timedelta(days=20), 1.0)]
    assert first_and_latest_week(later) == (5.0, 1.0)  # day 7 is outside the latest week


def test_activities_add_retire_rate_and_history(tmp_path: Path, db_url: str) -> None:
    person = person_on(tmp_path, db_url, START)
    socks = outcomes.add_activity(person.store, person.today(), "  putting   on socks ")
    assert socks.name == "putting on socks" and socks.added_on == START
    with pytest.raises(BackcoachError, match="already on your list"):
        outcomes.add_activity(person.store, person.today(), "Putting on socks")
    for name in ("sitting through a film", "lifting a child", "walking the dog", "driving"):
        outcomes.add_activity(person.store, person.today(), name)
    with pytest.raises(BackcoachError, match="retire one first"):
        outcomes.add_activity(person.store, person.today(), "gardening")
    outcomes.rate_activities(person.store, person.today(), {socks.id: 2, "driving": 4})
    outcomes.rate_activities(
        person.store, person.today(), {"putting on socks": 3}
    )  # same day: replaces
    later = person_on(tmp_path, db_url, START + dt.timedelta(days=7))
    outcomes.rate_activities(later.store, later.today(), {str(socks.id): 7})
    outcomes.retire_activity(later.store, later.today(), "driving")
    store = OutcomeStore(later.store)
    ratings = [(r.activity_id, r.rated_on, r.score) for r in store.activity_ratings()]
    driving = next(a for a in store.activities() if a.name == "driving")
    assert ratings == [
        (socks.id, START, 3),
        (driving.id, START, 4),
        (socks.id, START + dt.timedelta(days=7), 7),
    ]
    assert driving.retired_on == START + dt.timedelta(days=7)
    assert [a.name for a in outcomes.activities(later.store)] == [
        "putting on socks",
        "sitting through a film",
        "lifting a child",
        "walking the dog",
    ]
    outcomes.add_activity(later.store, later.today(), "gardening")  # room again after retiring one
    with pytest.raises(BackcoachError, match="no current activity called 'driving'"):
        outcomes.rate_activities(later.store, later.today(), {"driving": 5})


def test_bad_scores_save_nothing(tmp_path: Path, db_url: str) -> None:
    person = person_on(tmp_path, db_url, START)
    socks = outcomes.add_activity(person.store, person.today(), "putting on socks")
    with pytest.raises(BackcoachError, match=r"worst pain \(24 h\): must be a whole number .* 11"):
        outcomes.record_pain(person.store, now=3, worst_24h=11)
    with pytest.raises(BackcoachError, match="must be a whole number"):
        outcomes.rate_activities(
            person.store, person.today(), {socks.id: 4, "putting on socks": -1}
        )
    with pytest.raises(BackcoachError, match="give pain now"):
        outcomes.record_pain(person.store)
    assert OutcomeStore(person.store).pain_readings(("daily", "worst-24h")) == []
    assert OutcomeStore(person.store).activity_ratings() == []


def test_what_is_due_once_a_day_and_weekly(tmp_path: Path, db_url: str) -> None:
    person = person_on(tmp_path, db_url, START)
    due = outcomes.due_today(person.store, person.today())
    assert due["worst_pain"] and due["weekly_checkin"] and not due["activities"]
    assert due["activities_missing"] == 3
    socks = outcomes.add_activity(person.store, person.today(), "putting on socks")
    assert outcomes.due_today(person.store, person.today())["activity_ids"] == [
        socks.id
    ]  # never rated yet
    outcomes.record_pain(person.store, now=4, worst_24h=6)
    outcomes.rate_activities(person.store, person.today(), {socks.id: 3})
    due = outcomes.due_today(person.store, person.today())
    assert not due["worst_pain"] and not due["activities"] and not due["weekly_checkin"]
    six_days = person_on(tmp_path, db_url, START + dt.timedelta(days=6))
    due = outcomes.due_today(six_days.store, six_days.today())
    assert due["worst_pain"] and not due["activities"] and not due["weekly_checkin"]
    week = person_on(tmp_path, db_url, START + dt.timedelta(days=7))
    due = outcomes.due_today(week.store, week.today())
    assert due["activities"] and due["weekly_checkin"]
    assert outcomes.worst_pain_series(week.store) == [(START, 6)]
    assert outcomes.pain_now_series(week.store) == [(START, 4)]
