"""Which lesson to offer today: a pure function of the person's recent records.

At most one lesson a day, chosen for what just happened, in this order:

1. after a flare-up report, the flare-up lesson;
2. after a stop rule ended an exercise, "hurt is not harm";
3. when planned sessions were missed, "keeping going";
4. at the very start (no session done before yesterday), "why moving helps";
5. a lesson a clinician assigned, oldest first;
6. otherwise the next unread lesson in ``ORDER`` (the person's own lessons after it).

A lesson once read is never offered again (the person may still open it whenever they like);
one skipped rests for ``SKIP_REST_DAYS``. Whatever was read or skipped today is today's lesson:
never a second one the same day. The lesson goes beside the session, never instead of it (the
pages and the command put it after the session's start), and is always skippable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

FLARE_UP = "staying-active-in-a-flare-up"
HURT_AND_HARM = "hurt-and-harm"
KEEPING_GOING = "keeping-going"
WHY_MOVEMENT = "why-movement-helps"

ORDER: tuple[str, ...] = (
    WHY_MOVEMENT,
    HURT_AND_HARM,
    "when-to-seek-help",
    "how-your-programme-adapts",
    "pacing",
    FLARE_UP,
    "fear-of-movement",
    "sitting-and-work",
    "bending-and-lifting",
    "directional-preference",
    "stress-and-pain",
    "sleep",
    "scans",
    "weight-and-smoking",
    KEEPING_GOING,
)
"""The built-in lessons in the order they are offered when nothing calls for one: why to move
and what pain means first, the warning signs early, then how the plan works, then daily life."""

FLARE_UP_RECENT_DAYS = 7
"""A flare-up decided within this many days calls for the flare-up lesson: flare-up mode lasts
a few days (planning.flare), and the lesson helps while it lasts or just after."""

STOP_RECENT_DAYS = 3
"""A stop rule within this many days calls for "hurt is not harm": while the scare is fresh,
not weeks later."""

MISSED_WINDOW_DAYS = 7
MISSED_PLANNED_DAYS = 2
"""Two planned days without a session in the last week call for "keeping going": the number
of missed planned days that ends a streak (services.adherence.MISSED_DAYS_THAT_BREAK_A_STREAK,
a product choice: one missed day is life, two is a slide worth a kind word)."""

SKIP_REST_DAYS = 7
"""A skipped lesson is not offered again for a week: skipping says "not now", not "never"."""

Why = Literal["flare-up", "stop-rule", "missed", "first", "assigned", "next", "read", "skipped"]

WHY_WORDS: dict[str, str] = {
    "flare-up": "Your back flared up recently. This lesson is about getting through it.",
    "stop-rule": "An exercise was stopped because of pain. This lesson explains what that pain "
    "means.",
    "missed": "A few planned sessions were missed lately. That happens; this lesson has ideas "
    "to get going again.",
    "first": "You are just starting. This lesson explains why moving helps.",
    "assigned": "Your clinician picked this lesson for you.",
    "next": "Today's short read.",
    "read": "You read this today. One lesson a day is plenty.",
    "skipped": "You skipped today's lesson. Another one comes tomorrow.",
}
"""Why today's lesson is offered, in words the pages and the command show."""


@dataclass(frozen=True)
class Mark:
    """What the person did with one lesson (records: ``lesson_marks``)."""

    lesson_id: str
    read_on: dt.date | None = None
    skipped_on: dt.date | None = None
    assigned_on: dt.date | None = None


@dataclass(frozen=True)
class Situation:
    """The recent records the choice needs, as plain days (the service reads them)."""

    today: dt.date
    done_days: frozenset[dt.date] = frozenset()
    """Days with a session done, from ``MISSED_WINDOW_DAYS`` before today on."""
    first_done: dt.date | None = None
    """The day of the first session ever done (None: none yet)."""
    planned_weekdays: frozenset[int] = frozenset()
    flare_up_days: frozenset[dt.date] = frozenset()
    stop_days: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Choice:
    lesson_id: str
    why: Why

    @property
    def words(self) -> str:
        return WHY_WORDS[self.why]

    @property
    def done_today(self) -> bool:
        """Read or skipped today: shown as such, and nothing else is offered."""
        return self.why in ("read", "skipped")


def _recent(days: Collection[dt.date], today: dt.date, within: int) -> bool:
    return any(today - dt.timedelta(days=within) <= day <= today for day in days)


def missed_planned_days(situation: Situation) -> int:
    """Planned days in the last ``MISSED_WINDOW_DAYS`` (today not yet missed) without a
    session; days before the first session do not count (nothing was missed yet)."""
    if situation.first_done is None or not situation.planned_weekdays:
        return 0
    missed = 0
    for back in range(1, MISSED_WINDOW_DAYS + 1):
        day = situation.today - dt.timedelta(days=back)
        if day < situation.first_done:
            break
        if day.weekday() in situation.planned_weekdays and day not in situation.done_days:
            missed += 1
    return missed


def in_order(lesson_ids: Collection[str]) -> list[str]:
    """The lessons in the order they are offered: ``ORDER``, then the person's own by id."""
    rank = {lesson_id: n for n, lesson_id in enumerate(ORDER)}
    return sorted(lesson_ids, key=lambda i: (rank.get(i, len(ORDER)), i))


def choose(
    situation: Situation, lesson_ids: Sequence[str], marks: Mapping[str, Mark]
) -> Choice | None:
    """Today's lesson, or None when every lesson has been read (or rests after a skip).
    ``lesson_ids``: the lessons there are (built-in and the person's own)."""
    today = situation.today
    done_today = [
        (m.read_on == today, m.lesson_id)
        for m in marks.values()
        if m.lesson_id in lesson_ids and today in (m.read_on, m.skipped_on)
    ]
    if done_today:
        was_read, lesson_id = max(done_today)  # read beats skipped
        return Choice(lesson_id, "read" if was_read else "skipped")

    def open_(lesson_id: str) -> bool:
        mark = marks.get(lesson_id)
        if lesson_id not in lesson_ids:
            return False
        if mark is None:
            return True
        if mark.read_on is not None:
            return False
        rested = mark.skipped_on is None or (today - mark.skipped_on).days >= SKIP_REST_DAYS
        return rested

    if _recent(situation.flare_up_days, today, FLARE_UP_RECENT_DAYS) and open_(FLARE_UP):
        return Choice(FLARE_UP, "flare-up")
    if _recent(situation.stop_days, today, STOP_RECENT_DAYS) and open_(HURT_AND_HARM):
        return Choice(HURT_AND_HARM, "stop-rule")
    if missed_planned_days(situation) >= MISSED_PLANNED_DAYS and open_(KEEPING_GOING):
        return Choice(KEEPING_GOING, "missed")
    starting = situation.first_done is None or situation.first_done >= today - dt.timedelta(1)
    if starting and open_(WHY_MOVEMENT):
        return Choice(WHY_MOVEMENT, "first")
    assigned = sorted(
        (m.assigned_on, m.lesson_id)
        for m in marks.values()
        if m.assigned_on is not None and open_(m.lesson_id)
    )
    if assigned:
        return Choice(assigned[0][1], "assigned")
    for lesson_id in in_order(lesson_ids):
        if open_(lesson_id):
            return Choice(lesson_id, "next")
    return None
