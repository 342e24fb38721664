"""The outcome measures against the records: pain check-ins and the activity scale.

Pain now and worst pain in the last 24 hours (0-10) are asked at most once a day; the activity
scale (3-5 activities the person finds hard because of their back, each 0 = cannot to 10 = as
before) weekly (CLINICAL.md section 6). Little burden: nothing is asked twice in a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from backcoach.errors import BackcoachError
from backcoach.records.outcomes_store import PAIN_BEFORE, PAIN_NOW, WORST_24H, OutcomeStore
from backcoach.records.store import day_starts, local_day

if TYPE_CHECKING:
    from backcoach.records.store import Store
    from backcoach.records.tables import ActivityRow

MAX_ACTIVITIES = 5
"""The activity scale uses 3-5 of the person's own activities (Stratford 1995): more would
make the weekly check-in a chore."""

SUGGESTED_ACTIVITIES = 3
"""Fewer than this and the check-in suggests naming another."""

ACTIVITY_CHECK_DAYS = 7
"""Activities are rated weekly (issue 7): due again this many days after the last rating."""

WEEKLY_CHECKIN_DAYS = 7
"""Without sessions, pain is still asked weekly: a check-in is due after this many days."""

MAX_NAME = 120


def outcomes(store: Store) -> OutcomeStore:
    return OutcomeStore(store)


def check_score(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise BackcoachError(f"{field}: must be a whole number from 0 to 10 (got {value!r})")
    return value


# --- pain -------------------------------------------------------------------------------------


def record_pain(store: Store, now: int | None = None, worst_24h: int | None = None) -> None:
    """Save pain now and/or worst pain in the last 24 hours; both are checked before either
    is saved, so a bad value saves nothing."""
    if now is None and worst_24h is None:
        raise BackcoachError("give pain now, worst pain in the last 24 hours, or both")
    now = None if now is None else check_score(now, "pain now")
    worst_24h = None if worst_24h is None else check_score(worst_24h, "worst pain (24 h)")
    scores = outcomes(store)
    if now is not None:
        scores.save_pain_now(now)
    if worst_24h is not None:
        scores.save_worst_pain(worst_24h)


def daily_series(store: Store, moments: tuple[str, ...]) -> list[tuple[dt.date, int]]:
    """One reading a day, oldest first: the day's highest (the cautious reading, as flare-up
    detection uses)."""
    by_day: dict[dt.date, int] = {}
    for row in outcomes(store).pain_readings(moments):
        day = local_day(row.reported_at)
        by_day[day] = max(by_day.get(day, 0), row.score)
    return sorted(by_day.items())


def pain_now_series(store: Store) -> list[tuple[dt.date, int]]:
    return daily_series(store, (PAIN_BEFORE, PAIN_NOW))


def worst_pain_series(store: Store) -> list[tuple[dt.date, int]]:
    return daily_series(store, (WORST_24H,))


PAIN_NOW_MOMENTS = (PAIN_BEFORE, PAIN_NOW)
WORST_MOMENTS = (WORST_24H,)


def compared_series(
    store: Store,
    spans: Mapping[str, tuple[dt.datetime, dt.datetime]],
    moments: tuple[str, ...],
    since: dt.date,
    compare_days: int,
) -> list[tuple[dt.date, int]]:
    """``daily_series`` for the days a summary reads, in one query: the first ``compare_days``
    days of readings, the latest ``compare_days`` and every day from ``since`` on.

    ``spans``: when each moment's readings began and ended (``OutcomeStore.pain_span``).
    Each day is whole (bounded by local midnights), so its reading is the day's own highest.
    """
    known = [spans[m] for m in moments if m in spans]
    if not known:
        return []
    first_day = local_day(min(first for first, _ in known))
    last_day = local_day(max(last for _, last in known))
    window = dt.timedelta(days=compare_days)
    ranges = [
        (day_starts(first_day), day_starts(first_day + window)),
        (day_starts(last_day - window + dt.timedelta(days=1)), None),
        (day_starts(since), None),
    ]
    by_day: dict[dt.date, int] = {}
    for row in outcomes(store).pain_readings_in(moments, ranges):
        day = local_day(row.reported_at)
        by_day[day] = max(by_day.get(day, 0), row.score)
    return sorted(by_day.items())


# --- activities -------------------------------------------------------------------------------


def activity_dict(row: ActivityRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "added_on": row.added_on.isoformat(),
        "retired_on": row.retired_on.isoformat() if row.retired_on else None,
    }


def activities(store: Store, include_retired: bool = False) -> list[ActivityRow]:
    return outcomes(store).activities(include_retired)


def add_activity(store: Store, today: dt.date, name: str) -> ActivityRow:
    name = " ".join(name.split())
    if not name:
        raise BackcoachError('activity: give a name, e.g. "putting on socks"')
    if len(name) > MAX_NAME:
        raise BackcoachError(
            f"activity: the name is {len(name)} characters long; keep it under {MAX_NAME}"
        )
    current = activities(store)
    if any(a.name.casefold() == name.casefold() for a in current):
        raise BackcoachError(f'activity: "{name}" is already on your list')
    if len(current) >= MAX_ACTIVITIES:
        raise BackcoachError(
            f"activity: you already have {MAX_ACTIVITIES} activities; retire one first "
            "(`backcoach activities retire NAME`) so the weekly check-in stays short"
        )
    return outcomes(store).add_activity(name, today)


def find_activity(store: Store, key: str | int) -> ActivityRow:
    """A current activity by its number or (case-insensitive) name."""
    current = activities(store)
    text = str(key).strip()
    for row in current:
        if str(row.id) == text or row.name.casefold() == text.casefold():
            return row
    names = ", ".join(f"{a.id} ({a.name})" for a in current) or "none yet"
    raise BackcoachError(
        f"activity: no current activity called {text!r}; yours are: {names}. "
        "Use the number or the exact name (`backcoach activities list`)"
    )


def retire_activity(store: Store, today: dt.date, key: str | int) -> ActivityRow:
    """Stop asking about an activity; its ratings stay in the history."""
    row = find_activity(store, key)
    outcomes(store).retire_activity(row.id, today)
    row.retired_on = today
    return row


def rate_activities(store: Store, today: dt.date, ratings: Mapping[str | int, Any]) -> None:
    """Rate current activities (by number or name) for today; all are checked first."""
    checked = [
        (find_activity(store, key).id, check_score(score, f"activity {key!r}"))
        for key, score in ratings.items()
    ]
    scores = outcomes(store)
    for activity_id, score in checked:
        scores.rate_activity(activity_id, today, score)


# --- what is due ------------------------------------------------------------------------------


def due_today(store: Store, today: dt.date) -> dict[str, Any]:
    """What the check-in should ask today.

    ``worst_pain``: not yet given today. ``activities``: some current activity has no rating
    in the last week. ``weekly_checkin``: no pain given at all in the last week (for the status
    line: without sessions, pain is asked weekly). ``activities_missing``: fewer activities than
    the scale needs, to suggest adding one. Three queries: when pain was last given, the
    current activities, and when each was last rated.
    """
    scores = outcomes(store)
    spans = scores.pain_span((PAIN_BEFORE, PAIN_NOW, WORST_24H))
    worst = spans.get(WORST_24H)
    current = scores.activities(include_retired=False)
    last_rated = scores.latest_ratings()
    week = dt.timedelta(days=ACTIVITY_CHECK_DAYS)
    activities_due = [
        a.id for a in current if a.id not in last_rated or today - last_rated[a.id] >= week
    ]
    recent_pain = [
        last
        for _, last in spans.values()
        if today - local_day(last) < dt.timedelta(WEEKLY_CHECKIN_DAYS)
    ]
    return {
        "worst_pain": worst is None or local_day(worst[1]) != today,
        "activities": bool(activities_due),
        "activity_ids": activities_due,
        "weekly_checkin": not recent_pain or bool(activities_due),
        "activities_missing": max(0, SUGGESTED_ACTIVITIES - len(current)),
    }
