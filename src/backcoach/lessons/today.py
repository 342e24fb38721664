"""The lesson use cases the command and the pages share: today's lesson from the person's
records, marking one read or skipped, and a clinician's assignments.

This reads the person's records through their scoped Store (records.store), a few small
queries over the last days only, so the cost does not grow with their history. The choice
itself is ``lessons.choose``, a pure function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.lessons.choose import (
    FLARE_UP_RECENT_DAYS,
    MISSED_WINDOW_DAYS,
    STOP_RECENT_DAYS,
    Choice,
    Mark,
    Situation,
    choose,
)
from backcoach.lessons.loader import Library, library_for
from backcoach.lessons.model import Lesson
from backcoach.records.store import as_utc, day_starts, local_day

if TYPE_CHECKING:
    from backcoach.records.store import Store


class UnknownLesson(LookupError):
    """A lesson id that is not in the library; the message names the ids there are."""


def own_lessons_dir(home: Path) -> Path:
    """Where a person's own lesson files live: ``$BACKCOACH_HOME/lessons``."""
    return home / "lessons"


def library(home: Path, exercise_ids: Any = None) -> Library:
    return library_for(own_lessons_dir(home), exercise_ids)


def in_order(lessons: Library) -> list[Lesson]:
    """Every lesson in the order they are offered (``choose.ORDER``, then the person's own)."""
    from backcoach.lessons.choose import in_order as ordered_ids

    return [lessons.lessons[i] for i in ordered_ids(list(lessons.lessons))]


def find(lessons: Library, lesson_id: str) -> Lesson:
    found = lessons.get(lesson_id)
    if found is None:
        import difflib

        close = difflib.get_close_matches(lesson_id, list(lessons.lessons), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownLesson(f"there is no lesson '{lesson_id}'{hint}")
    return found


def marks(store: Store) -> dict[str, Mark]:
    return {
        row.lesson_id: Mark(
            row.lesson_id,
            read_on=row.read_on,
            skipped_on=row.skipped_on,
            assigned_on=None if row.assigned_at is None else local_day(row.assigned_at),
        )
        for row in store.lesson_marks()
    }


def situation(store: Store, today: dt.date) -> Situation:
    """The recent records the choice needs: sessions done in the last week and the first one
    ever, the planned weekdays, flare-ups and stop rules of the last days."""
    from backcoach.services.adherence import planned_weekdays
    from backcoach.services.profiles import load_profile

    window = max(MISSED_WINDOW_DAYS, FLARE_UP_RECENT_DAYS, STOP_RECENT_DAYS)
    since = day_starts(today - dt.timedelta(days=window))
    with store.reading():
        first = store.first_done_start()
        done = {local_day(row.started_at) for row in store.done_sessions_since(since)}
        stops = {local_day(started) for _, started in store.stopped_outcomes_since(since)}
        flares = {
            row.decided_on or local_day(as_utc(row.decided_at))
            for row in store.flare_ups()[-5:]  # the newest few: a flare-up lasts days
        }
        profile = load_profile(store)
    return Situation(
        today=today,
        done_days=frozenset(done),
        first_done=None if first is None else local_day(first),
        planned_weekdays=frozenset(planned_weekdays(profile.days)),
        flare_up_days=frozenset(flares),
        stop_days=frozenset(stops),
    )


@dataclass(frozen=True)
class Today:
    """Today's lesson and why, or nothing (``choice`` None: every lesson read)."""

    choice: Choice | None
    lesson: Lesson | None


def todays_lesson(store: Store, lessons: Library, today: dt.date) -> Today:
    with store.reading():
        seen = marks(store)
        now = situation(store, today)
    choice = choose(now, list(lessons.lessons), seen)
    return Today(choice, None if choice is None else lessons.get(choice.lesson_id))


def mark_read(store: Store, lessons: Library, lesson_id: str, today: dt.date) -> Lesson:
    lesson = find(lessons, lesson_id)
    store.mark_lesson(lesson.id, read_on=today)
    return lesson


def skip(store: Store, lessons: Library, lesson_id: str, today: dt.date) -> Lesson:
    lesson = find(lessons, lesson_id)
    store.mark_lesson(lesson.id, skipped_on=today)
    return lesson


def assign(store: Store, lessons: Library, lesson_id: str, by: int, by_name: str | None) -> Lesson:
    """A clinician assigns a lesson to the patient whose store this is."""
    lesson = find(lessons, lesson_id)
    store.mark_lesson(lesson.id, assigned_by=by, assigned_by_name=by_name)
    return lesson


def status(store: Store, lessons: Library) -> list[dict[str, Any]]:
    """Every lesson with what the person did with it (the clinician's view)."""
    rows = {row.lesson_id: row for row in store.lesson_marks()}
    out = []
    for lesson in in_order(lessons):
        row = rows.get(lesson.id)
        out.append(
            {
                "id": lesson.id,
                "title": lesson.title,
                "read_on": None if row is None or row.read_on is None else str(row.read_on),
                "assigned": row is not None and row.assigned_at is not None,
                "assigned_by": None if row is None else row.assigned_by_name,
            }
        )
    return out


def as_json(lesson: Lesson) -> dict[str, Any]:
    """The shape of ``backcoach learn list --json``."""
    return {
        "id": lesson.id,
        "title": lesson.title,
        "topics": list(lesson.header.topics),
        "minutes": lesson.header.minutes,
        "sources": [s.cite for s in lesson.header.sources],
        "text": lesson.markdown(),
    }


def to_html(lesson: Lesson) -> str:
    """The lesson as HTML for the pages. Raw HTML in a lesson file is shown as text, never
    run (markdown-it's commonmark preset with html off; markdown-it-py comes with Rich)."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": False}).render(lesson.markdown()))
