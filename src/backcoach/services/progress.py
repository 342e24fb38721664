"""One summary of progress, shared by `backcoach progress`, the PDF report and the web page.

``progress_summary(store, catalogue, today)`` returns plain JSON-ready data (dates as
``YYYY-MM-DD`` strings)::

    {
      "version": 1,
      "today": "2026-11-30",
      "pain": {
        "now":       {"series": [{"date": "2026-11-02", "score": 5}, ...], "change": CHANGE|null},
        "worst_24h": {"series": [...], "change": CHANGE|null}
      },
      "activities": {
        "current": [{"id": 1, "name": "putting on socks", "added_on": "...", "retired_on": null,
                     "ratings": [{"date": "...", "score": 3}, ...], "change": CHANGE|null}],
        "retired": [... same shape, "retired_on" set ...],
        "mean_series": [{"date": "...", "score": 4.33}, ...],
        "change": CHANGE|null
      },
      "adherence": {
        "planned_days": ["mon", "wed", "fri"],
        "weeks": [{"week_start": "2026-11-02", "planned": 3, "done": 2, "minutes": 24.5,
                   "current": false}, ...],
        "total": {"planned": 9, "due": 8, "done": 7, "minutes": 80.1},
                                  # due: planned days up to today (today once it is done)
        "streak": {"days": 4, "forgiven": 1},   # planned days done in a row
        "session_days": ["2026-11-02", ...],
        "stopped": [{"date", "session_id", "exercise_id", "name", "reasons": [...],
                     "not_tolerated": bool}],
        "flare_ups": [{"date", "until", "reason"}]
      },
      "decisions": [{"date", "exercise_id", "name", "action", "action_text", "reason",
                     "replacement", "replacement_name", "until"}],
                                  # oldest first, a decision repeated word for word listed once
      "sessions": [{"date", "status", "sets_done", "sets_planned", "percent_done",
                    "active_seconds", "active_text", "pain_before", "pain_after"}],
                                  # the newest RECENT_SESSIONS, oldest first
      "messages": ["Your worst pain is down 3 points since you started ...", ...],
      "due": {"worst_pain": bool, "activities": bool, "activity_ids": [1, 2],
              "weekly_checkin": bool, "activities_missing": 0}
    }

CHANGE is ``{"measure", "label", "start", "latest", "points", "percent", "direction":
"better"|"worse"|"same", "meaningful": bool, "message"}`` (records.outcomes.Change). Pain is
compared first week against latest week; activities first rating against latest.

The summary covers the last ``SUMMARY_WEEKS`` calendar weeks (services.adherence), so a
progress page costs the same after years of sessions (a fixed number of queries, in one read
transaction): the pain series, ``mean_series``, adherence (its weeks, totals, streak, session
days, stops and flare-ups) and ``decisions`` are those of these weeks. The changes are not cut
short: pain compares the very first week of readings with the latest, each activity its first
rating with its latest, and an activity's ``ratings`` hold its first and latest rating with
those of the summary's weeks. ``adherence.first_session_day`` is the first session ever.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcoach.planning.flare import WHOLE_PROGRAMME
from backcoach.records.outcomes import (
    COMPARE_WINDOW_DAYS,
    Change,
    activity_change,
    activity_mean_change,
    first_and_latest_week,
    mean,
    pain_change,
)
from backcoach.records.outcomes_store import PAIN_BEFORE, PAIN_NOW, WORST_24H
from backcoach.records.store import local_day
from backcoach.services import outcomes as outcome_service
from backcoach.services.adherence import adherence, decisions_since, summary_start
from backcoach.services.history import past_sessions
from backcoach.services.library import exercise_name
from backcoach.wording import label

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.records.tables import ProgressionDecisionRow

SUMMARY_VERSION = 1

TOO_EARLY = (
    "It is early days: after a week or two of check-ins you will see here how your pain and "
    "activities are changing."
)


PEOPLE_DECIMALS = 1
"""Means of 0-10 scores are given to one decimal, as a person would say them ("7.7", not
"7.67"): the scales themselves are whole numbers, and a second decimal is false precision."""


def for_people(value: float) -> float:
    """A mean score rounded as a person would say it: 7.666 -> 7.7, 3.0 -> 3.0."""
    return round(value, PEOPLE_DECIMALS)


def progress_summary(store: Store, catalogue: Catalogue, today: dt.date) -> dict[str, Any]:
    with store.reading():  # one snapshot, one read transaction for every query below
        return _summary(store, catalogue, today)


def _summary(store: Store, catalogue: Catalogue, today: dt.date) -> dict[str, Any]:
    since = summary_start(today)
    spans = outcome_service.outcomes(store).pain_span((PAIN_BEFORE, PAIN_NOW, WORST_24H))
    pain = {
        "now": _pain_block(
            store, spans, outcome_service.PAIN_NOW_MOMENTS, since, "pain_now", "pain now"
        ),
        "worst_24h": _pain_block(
            store, spans, outcome_service.WORST_MOMENTS, since, "pain_worst", "worst pain"
        ),
    }
    acts = _activities(store, since)
    changes: list[dict[str, Any] | None] = [
        pain["worst_24h"]["change"],
        pain["now"]["change"],
        acts["change"],
    ]
    changes += [a["change"] for a in acts["current"] if a["change"] and a["change"]["meaningful"]]
    messages = [c["message"] for c in changes if c is not None]
    decisions = decisions_since(store, since)
    return {
        "version": SUMMARY_VERSION,
        "today": today.isoformat(),
        "pain": pain,
        "activities": acts,
        "adherence": adherence(store, catalogue, today, decisions),
        "decisions": once_each([decision_entry(catalogue, d) for d in decisions]),
        "sessions": recent_sessions(store),
        "messages": messages or [TOO_EARLY],
        "due": outcome_service.due_today(store, today),
    }


RECENT_SESSIONS = 12
"""Sessions listed with their figures and pain (``sessions``): four weeks of three a week, what
a report's reader looks at session by session; older ones are in the export."""


def recent_sessions(store: Store, limit: int = RECENT_SESSIONS) -> list[dict[str, Any]]:
    """The newest ``limit`` sessions, oldest first, each with its figures from
    ``services.session_summary`` and the pain before and after (four queries)."""
    rows = past_sessions(store, limit)
    return [
        {
            "date": row["started_at"][:10],
            "status": row["status"],
            "sets_done": row["sets_done"],
            "sets_planned": row["sets_planned"],
            "percent_done": row["percent_done"],
            "active_seconds": row["active_seconds"],
            "active_text": row["summary"]["active_text"],
            "pain_before": row["pain_before"],
            "pain_after": row["pain_after"],
        }
        for row in reversed(rows)
    ]


def once_each(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The decisions without repeats: a decision that says again, word for word, what the one
    before it for the same exercise said (the same dose kept for the same reason, or the same
    step decided again on a later day, as a next-day answer does) is listed once, on the day it
    was first made."""
    last: dict[str, tuple[str, str]] = {}
    out = []
    for entry in entries:
        key = (entry["action"], entry["reason"])
        if last.get(entry["exercise_id"]) == key:
            continue
        last[entry["exercise_id"]] = key
        out.append(entry)
    return out


def _series(points: Sequence[tuple[dt.date, float]]) -> list[dict[str, Any]]:
    return [{"date": day.isoformat(), "score": score} for day, score in points]


def _pain_block(
    store: Store,
    spans: Any,
    moments: tuple[str, ...],
    since: dt.date,
    measure: str,
    label: str,
) -> dict[str, Any]:
    """The series of the summary's weeks, and the change from the first week of readings ever
    to the latest (read in one query: those weeks and days only)."""
    read = outcome_service.compared_series(store, spans, moments, since, COMPARE_WINDOW_DAYS)
    compared = first_and_latest_week([(d, float(s)) for d, s in read])
    change: Change | None = None
    if compared is not None:
        change = pain_change(measure, label, *(for_people(v) for v in compared))
    series = [(day, score) for day, score in read if day >= since]
    return {"series": _series(series), "change": change.as_dict() if change else None}


def _activities(store: Store, since: dt.date) -> dict[str, Any]:
    scores = outcome_service.outcomes(store)
    ratings: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for r in scores.ratings_for_summary(since, scores.rating_edges()):
        ratings[r.activity_id].append((r.rated_on, r.score))
        if r.rated_on >= since:
            by_day[r.rated_on].append(r.score)
    current: list[dict[str, Any]] = []
    retired: list[dict[str, Any]] = []
    firsts: list[int] = []
    latests: list[int] = []
    for row in scores.activities(include_retired=True):
        rated = ratings.get(row.id, [])
        change = None
        if len(rated) >= 2:
            change = activity_change(row.id, row.name, rated[0][1], rated[-1][1])
            if row.retired_on is None:
                firsts.append(rated[0][1])
                latests.append(rated[-1][1])
        entry = {
            **outcome_service.activity_dict(row),
            "ratings": _series(rated),
            "change": change.as_dict() if change else None,
        }
        (current if row.retired_on is None else retired).append(entry)
    mean_change = (
        activity_mean_change(for_people(mean(firsts)), for_people(mean(latests)))
        if firsts
        else None
    )
    return {
        "current": current,
        "retired": retired,
        "mean_series": _series([(d, for_people(mean(v))) for d, v in sorted(by_day.items())]),
        "change": mean_change.as_dict() if mean_change else None,
    }


def decision_entry(catalogue: Catalogue, d: ProgressionDecisionRow) -> dict[str, Any]:
    """One decision as the summary lists it, with the action and replacement in words
    (``action_text``, ``replacement_name``) for the pages and the report."""
    whole = d.exercise_id == WHOLE_PROGRAMME
    return {
        "date": (d.decided_on or local_day(d.decided_at)).isoformat(),
        "exercise_id": d.exercise_id,
        "name": "whole programme" if whole else exercise_name(catalogue, d.exercise_id),
        "action": d.action,
        "action_text": label(d.action, "action"),
        "reason": d.reason,
        "replacement": d.replacement,
        "replacement_name": exercise_name(catalogue, d.replacement) if d.replacement else None,
        "until": d.until.isoformat() if d.until else None,
    }
