"""The reminders file: a valid calendar that repeats on the profile's days at its time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.errors import BackcoachError
from backcoach.planning.profile import WEEKDAYS
from backcoach.reports.calendar import UID
from backcoach.safety.signs import SIGNS
from backcoach.services import sharing
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen

TODAY = dt.date(2026, 11, 4)  # a Wednesday
ALL_NO = {s.id: False for s in SIGNS}


def make_person(home: Path, today: dt.date = TODAY) -> PersonContext:
    return AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": today.isoformat()})
    ).person()


def parse(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1, "the routine is ONE repeating event"
    return calendar, events[0]


def ics(person: PersonContext, **options: Any) -> bytes:
    """The person's reminders as `backcoach remind` and the web app make them."""
    return sharing.reminders_ics(person.store, person.catalogue, person.today(), **options)


def occurrences(event: object, weeks: int = 3) -> list[dt.datetime]:
    start = event.decoded("DTSTART")  # type: ignore[attr-defined]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)  # type: ignore[index]
    end = start + dt.timedelta(weeks=weeks) - dt.timedelta(seconds=1)  # exactly `weeks` weeks
    return list(rule.between(start, end, inc=True))


@pytest.mark.parametrize(
    ("days", "time"),
    [(["mon", "wed", "fri"], "18:00"), (["tue", "thu", "sun"], "07:45"), (["sat"], "23:59")],
)
def test_repeats_on_the_profile_days_at_its_time(home: Path, days: list[str], time: str) -> None:
    person = make_person(home)
    update_profile(person.store, days=days, reminder_time=time, minutes=20)
    calendar, event = parse(ics(person))

    assert calendar["VERSION"] == "2.0"
    assert "backcoach" in str(calendar["PRODID"])
    assert str(event["UID"]) == UID  # type: ignore[index]
    # RFC 5545 section 3.6.1: DTSTAMP is required, in UTC.
    assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)  # type: ignore[attr-defined]
    assert event.decoded("DURATION") == dt.timedelta(minutes=20)  # type: ignore[attr-defined]
    start = event.decoded("DTSTART")  # type: ignore[attr-defined]
    assert start.tzinfo is None, "floating local time: no TZID, no UTC"
    assert TODAY <= start.date() < TODAY + dt.timedelta(days=7)

    hits = occurrences(event, weeks=3)
    hour, minute = map(int, time.split(":"))
    expected_days = {WEEKDAYS.index(d) for d in days}  # type: ignore[arg-type]
    assert len(hits) == 3 * len(days)
    assert {h.weekday() for h in hits} == expected_days
    assert all((h.hour, h.minute) == (hour, minute) for h in hits)
    # Every planned day from the first occurrence on is there, in order, none missing.
    day = start.date()
    wanted = []
    while len(wanted) < len(hits):
        if day.weekday() in expected_days:
            wanted.append(dt.datetime.combine(day, dt.time(hour, minute)))
        day += dt.timedelta(days=1)
    assert hits == wanted


def test_first_occurrence_is_today_when_today_is_a_planned_day(home: Path) -> None:
    person = make_person(home)
    update_profile(person.store, days=["wed"], reminder_time="06:00")
    _, event = parse(ics(person))
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 4, 6, 0)  # type: ignore[attr-defined]


def test_description_lists_todays_exercises(home: Path) -> None:
    person = make_person(home)
    take_screen(person.store, person.today(), ALL_NO)
    plan = todays_plan(person.store, person.catalogue, person.today())
    _, event = parse(ics(person))
    text = str(event["DESCRIPTION"])  # type: ignore[index]
    for item in plan.items:
        assert person.catalogue.get(item.exercise_id).name in text
    assert "set" in text and "choose Today" in text


def test_description_says_what_to_do_when_no_plan_may_be_offered(home: Path) -> None:
    person = make_person(home)  # no screen yet
    _, event = parse(ics(person))
    text = str(event["DESCRIPTION"])  # type: ignore[index]
    assert "cannot offer a plan" in text and "warning-sign questions" in text


def test_links_nothing_outside_and_at_most_one_quiet_alert(home: Path) -> None:
    person = make_person(home)
    take_screen(person.store, person.today(), ALL_NO)
    data = ics(person)
    assert b"http" not in data.lower() and b"://" not in data
    _, event = parse(data)
    for name in ("URL", "ATTACH", "ORGANIZER", "ATTENDEE", "CONFERENCE"):
        assert name not in event  # type: ignore[operator]
    alarms = event.walk("VALARM")  # type: ignore[attr-defined]
    assert len(alarms) == 1
    assert alarms[0].decoded("TRIGGER") == dt.timedelta(0)
    assert "REPEAT" not in alarms[0]
    _, quiet = parse(ics(person, alert=False))
    assert quiet.walk("VALARM") == []  # type: ignore[attr-defined]


def test_newer_file_replaces_the_older_one(home: Path) -> None:
    person = make_person(home)
    early = dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.UTC)
    _, first = parse(ics(person, now=early))
    _, second = parse(ics(person, now=early + dt.timedelta(minutes=5)))
    assert str(first["UID"]) == str(second["UID"])  # type: ignore[index]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])  # type: ignore[index]


def test_no_exercise_days_is_a_clear_error(home: Path) -> None:
    person = make_person(home)
    update_profile(person.store, days=[])
    with pytest.raises(BackcoachError, match="no exercise days"):
        ics(person)
