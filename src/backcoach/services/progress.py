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
        "streak": {"days": 4, "forgiven": 1},
        "session_days": ["2026-11-02", ...],
        "stopped": [{"date", "session_id", "exercise_id", "name", "reasons": [...],
                     "not_tolerated": bool}],
        "flare_ups": [{"date", "until", "reason"}]
      },
      "decisions": [{"date", "exercise_id", "name", "action", "reason", "replacement",
                     "until"}],          # oldest first
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
from backcoach.services.library import exercise_name

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.records.tables import ProgressionDecisionRow

SUMMARY_VERSION = 1

TOO_EARLY = (
    "It is early days: after a week or two of check-ins you will see here how your pain and "
    "activities are changing."
)


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
        "decisions": [decision_entry(catalogue, d) for d in decisions],
        "messages": messages or [TOO_EARLY],
        "due": outcome_service.due_today(store, today),
    }


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
        change = pain_change(measure, label, *compared)
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
    mean_change = activity_mean_change(mean(firsts), mean(latests)) if firsts else None
    return {
        "current": current,
        "retired": retired,
        "mean_series": _series([(d, round(mean(v), 2)) for d, v in sorted(by_day.items())]),
        "change": mean_change.as_dict() if mean_change else None,
    }


def decision_entry(catalogue: Catalogue, d: ProgressionDecisionRow) -> dict[str, Any]:
    """One decision as the summary lists it."""
    whole = d.exercise_id == WHOLE_PROGRAMME
    return {
        "date": (d.decided_on or local_day(d.decided_at)).isoformat(),
        "exercise_id": d.exercise_id,
        "name": "whole programme" if whole else exercise_name(catalogue, d.exercise_id),
        "action": d.action,
        "reason": d.reason,
        "replacement": d.replacement,
        "until": d.until.isoformat() if d.until else None,
    }
