"""The choice rules over simulated weeks, on a real database: the right lesson on the right
day (after a flare-up, a stop rule, missed sessions, at the start, a clinician's pick), never
two in a day, and none offered again once read (it still opens when asked)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach.lessons import today as lessons_today
from backcoach.lessons.choose import (
    FLARE_UP,
    HURT_AND_HARM,
    KEEPING_GOING,
    ORDER,
    WHY_MOVEMENT,
    Mark,
    Situation,
    choose,
)
from backcoach.lessons.loader import Library, library_for
from backcoach.records.db import open_database
from backcoach.records.store import Store

START = dt.date(2026, 11, 2)  # a Monday; the default profile exercises Mon, Wed, Fri


class Days:
    """A clock that says 10:00 local time on the day the test is on."""

    def __init__(self) -> None:
        self.day = START

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(10)).astimezone().astimezone(dt.UTC)


@pytest.fixture
def week(db_url: str) -> Iterator[tuple[Store, Days, Library]]:
    clock = Days()
    factory = open_database(db_url)
    yield Store(factory, clock=clock), clock, library_for(Path("/nonexistent"))
    factory.kw["bind"].dispose()


def session(store: Store, stopped: bool = False) -> None:
    """A session done today: one complete set; a stop rule ended the exercise if ``stopped``."""
    plan = store.save_plan(store._clock().date(), {"items": []}, flare_up=False)
    sid = store.start_session(plan, "timer")
    store.save_set(sid, item_index=0, exercise_id="bridge", set_number=1, reps=8)
    if stopped:
        store.save_outcome(sid, 0, "bridge", "stopped", {"rule": "sharp"})
    store.finish_session(sid, "stopped" if stopped else "finished", None)


def flare_up(store: Store, day: dt.date) -> None:
    store.save_decision("*", "flare-up", {}, "flare-up reported", decided_on=day, until=day)


def offered(store: Store, lessons: Library, day: dt.date) -> tuple[str, str] | None:
    found = lessons_today.todays_lesson(store, lessons, day)
    return None if found.choice is None else (found.choice.lesson_id, found.choice.why)


def test_simulated_weeks(week: tuple[Store, Days, Library]) -> None:
    store, clock, lessons = week
    log: dict[dt.date, set[str]] = {}

    def on(day_number: int) -> dt.date:
        clock.day = START + dt.timedelta(days=day_number)
        return clock.day

    def check(expected: tuple[str, str] | None) -> None:
        got = offered(store, lessons, clock.day)
        assert got == expected, f"{clock.day}: {got} != {expected}"
        if got is not None:
            log.setdefault(clock.day, set()).add(got[0])

    def read(lesson_id: str) -> None:
        lessons_today.mark_read(store, lessons, lesson_id, clock.day)
        check((lesson_id, "read"))  # and nothing else today

    # Mon: nothing done yet: why moving helps; the session comes first, the lesson after
    on(0)
    check((WHY_MOVEMENT, "first"))
    session(store)
    check((WHY_MOVEMENT, "first"))
    read(WHY_MOVEMENT)
    # Tue: a stop rule in an extra session: hurt and harm, not read today
    on(1)
    session(store, stopped=True)
    check((HURT_AND_HARM, "stop-rule"))
    # Wed: still fresh; read it now
    on(2)
    session(store)
    check((HURT_AND_HARM, "stop-rule"))
    read(HURT_AND_HARM)
    # Thu: nothing special: the next in order, skipped today; nothing else offered today
    on(3)
    check((ORDER[2], "next"))
    lessons_today.skip(store, lessons, ORDER[2], clock.day)
    check((ORDER[2], "skipped"))
    # Fri: a flare-up reported: the flare-up lesson, read
    on(4)
    flare_up(store, clock.day)
    session(store)
    check((FLARE_UP, "flare-up"))
    read(FLARE_UP)
    # Sat: the flare-up is recent, but its lesson was read: never again; the skipped one
    # rests, so the next unread in order
    on(5)
    check((ORDER[3], "next"))
    read(ORDER[3])
    # Mon 9 and Wed 11 missed (planned days); Thu 12: keeping going
    on(8)
    check((ORDER[4], "next"))  # Tue 10: one planned day missed: not yet
    on(10)
    check((KEEPING_GOING, "missed"))
    read(KEEPING_GOING)
    # Fri 13: over a week after the skip, the skipped lesson comes back
    on(11)
    check((ORDER[2], "next"))
    # a lesson read is never offered again, whatever happens: another flare-up, a stop rule
    # and more missed days (Mon 16)
    on(14)
    flare_up(store, clock.day)
    session(store, stopped=True)
    check((ORDER[2], "next"))
    # but it opens whenever asked
    assert lessons_today.find(lessons, FLARE_UP).id == FLARE_UP
    assert all(len(ids) == 1 for ids in log.values()), log


def test_a_clinicians_pick_comes_before_the_usual_order(
    week: tuple[Store, Days, Library],
) -> None:
    store, clock, lessons = week
    session(store)
    lessons_today.mark_read(store, lessons, WHY_MOVEMENT, clock.day)
    clock.day += dt.timedelta(days=2)
    lessons_today.assign(store, lessons, "scans", by=7, by_name="Ana Silva")
    assert offered(store, lessons, clock.day) == ("scans", "assigned")
    status = {row["id"]: row for row in lessons_today.status(store, lessons)}
    assert status["scans"]["assigned"] and status["scans"]["assigned_by"] == "Ana Silva"
    assert status["scans"]["read_on"] is None
    lessons_today.mark_read(store, lessons, "scans", clock.day)
    status = {row["id"]: row for row in lessons_today.status(store, lessons)}
    assert status["scans"]["read_on"] == str(clock.day)
    clock.day += dt.timedelta(days=1)
    assert offered(store, lessons, clock.day) == (HURT_AND_HARM, "next")


def test_marks_belong_to_one_person(week: tuple[Store, Days, Library], db_url: str) -> None:
    store, clock, lessons = week
    from backcoach.records.tables import PersonRow

    with store.factory.begin() as s:
        s.add(PersonRow(id=2, role="person", created_at=clock()))
    other = Store(store.factory, clock=clock, person_id=2)
    lessons_today.mark_read(store, lessons, WHY_MOVEMENT, clock.day)
    assert [m.lesson_id for m in store.lesson_marks()] == [WHY_MOVEMENT]
    assert other.lesson_marks() == []
    assert offered(other, lessons, clock.day) == (WHY_MOVEMENT, "first")


@pytest.mark.parametrize("seed", range(20))
def test_random_weeks_never_two_a_day_and_never_again_once_read(seed: int) -> None:
    """The pure rule over 10 random weeks: events and reads at random."""
    rng = random.Random(seed)
    ids = [*ORDER, "my-own-lesson"]
    marks: dict[str, Mark] = {}
    done: set[dt.date] = set()
    flares: set[dt.date] = set()
    stops: set[dt.date] = set()
    read_before: set[str] = set()
    first: dt.date | None = None
    for n in range(70):
        today = START + dt.timedelta(days=n)
        if rng.random() < 0.4:
            done.add(today)
            first = first or today
        if rng.random() < 0.05:
            flares.add(today)
        if rng.random() < 0.05:
            stops.add(today)
        situation = Situation(
            today, frozenset(done), first, frozenset({0, 2, 4}), frozenset(flares), frozenset(stops)
        )
        seen_today = set()
        for _ in range(3):
            choice = choose(situation, ids, marks)
            if choice is None:
                assert set(read_before) | {
                    i for i, m in marks.items() if m.skipped_on is not None
                } >= set(ids)
                break
            seen_today.add(choice.lesson_id)
            if choice.why != "read":
                assert choice.lesson_id not in read_before
            action = rng.random()
            if not choice.done_today and action < 0.5:
                marks[choice.lesson_id] = Mark(choice.lesson_id, read_on=today)
                read_before.add(choice.lesson_id)
            elif not choice.done_today and action < 0.6:
                old = marks.get(choice.lesson_id, Mark(choice.lesson_id))
                marks[choice.lesson_id] = Mark(choice.lesson_id, old.read_on, skipped_on=today)
        assert len(seen_today) <= 1, (today, seen_today)
