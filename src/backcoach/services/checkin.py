"""The check-in as one step for the CLI (`backcoach checkin`, the questions with a session) and
the web check-in page: pain now, worst pain in 24 hours and activity ratings, every value
checked before any is saved, so a bad one loses nothing and records nothing half-way.

Also what the web page needs to say about an activity name before the record is written, in
plain words and without terminal commands (``activity_name_problem``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from backcoach.errors import BackcoachError
from backcoach.services import outcomes

if TYPE_CHECKING:
    from backcoach.records.store import Store


def save_checkin(
    store: Store,
    today: dt.date,
    pain_now: int | None = None,
    worst_24h: int | None = None,
    ratings: Mapping[str | int, Any] | None = None,
) -> None:
    """Record pain now, worst pain in the last 24 hours and activity ratings (by number or
    name), each optional but not all missing.

    Every score and every activity is checked first (BackcoachError naming the first fault);
    only then is anything written. Pain readings feed flare-up detection, so a half-saved
    check-in could change the plan: it never happens."""
    given = dict(ratings or {})
    if pain_now is None and worst_24h is None and not given:
        raise BackcoachError("give pain now, worst pain in the last 24 hours, or a rating")
    if pain_now is not None:
        outcomes.check_score(pain_now, "pain now")
    if worst_24h is not None:
        outcomes.check_score(worst_24h, "worst pain (24 h)")
    for key, score in given.items():
        outcomes.find_activity(store, key)
        outcomes.check_score(score, f"activity {key!r}")
    if pain_now is not None or worst_24h is not None:
        outcomes.record_pain(store, pain_now, worst_24h)
    if given:
        outcomes.rate_activities(store, today, given)


def activity_name_problem(store: Store, name: str) -> str | None:
    """Why ``name`` cannot be added as an activity, in plain words for a form, or None.

    The same rules as ``outcomes.add_activity`` (which still checks them when saving), said
    without the terminal commands its messages name."""
    tidy = " ".join(name.split())
    if not tidy:
        return "this is empty; write what your back makes hard, e.g. putting on socks."
    if len(tidy) > outcomes.MAX_NAME:
        return (
            f"this is {len(tidy)} characters long; please keep it under {outcomes.MAX_NAME}, "
            "e.g. putting on socks."
        )
    current = outcomes.activities(store)
    if any(a.name.casefold() == tidy.casefold() for a in current):
        return f"“{tidy}” is already on your list."
    if len(current) >= outcomes.MAX_ACTIVITIES:
        return (
            f"you already follow {outcomes.MAX_ACTIVITIES} activities, the most the weekly "
            "check-in asks about; stop following one below first."
        )
    return None
