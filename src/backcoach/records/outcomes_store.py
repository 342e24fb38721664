"""Reads and writes for the outcome measures: the activity scale and the pain check-ins.

Kept beside ``Store`` rather than inside it so the repository stays one concept per module; it
uses the Store's own transactions and clock, so a pretend today (BACKCOACH_TODAY) stamps these
rows too, and each write commits at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backcoach.records.store import Store
from backcoach.records.tables import ActivityRatingRow, ActivityRow, PainReportRow

PAIN_NOW = "daily"
"""Pain-report moment for "pain now" given at a check-in outside a session. The same moment
flare-up detection already reads (services.progression.daily_pain)."""

PAIN_BEFORE = "before"
"""Pain-report moment of the engine's check before a session: also "pain now"."""

WORST_24H = "worst-24h"
"""Pain-report moment for "worst pain in the last 24 hours"."""


class OutcomeStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- activities -------------------------------------------------------------------------

    def add_activity(self, name: str, added_on: dt.date) -> ActivityRow:
        with self._store._tx() as s:
            row = ActivityRow(name=name, added_on=added_on, created_at=self._store._clock())
            s.add(row)
            s.flush()
            return row

    def retire_activity(self, activity_id: int, retired_on: dt.date) -> None:
        with self._store._tx() as s:
            row = s.get(ActivityRow, activity_id)
            if row is None:
                raise LookupError(f"no activity with id {activity_id}")
            row.retired_on = retired_on

    def activities(self, include_retired: bool = True) -> list[ActivityRow]:
        with self._store._tx() as s:
            query = select(ActivityRow).order_by(ActivityRow.id)
            if not include_retired:
                query = query.where(ActivityRow.retired_on.is_(None))
            return list(s.scalars(query))

    def rate_activity(self, activity_id: int, rated_on: dt.date, score: int) -> None:
        """Save one rating; a second rating of the same activity on the same day replaces
        the first (the unique constraint guarantees one per day)."""
        with self._store._tx() as s:
            query = select(ActivityRatingRow).where(
                ActivityRatingRow.activity_id == activity_id,
                ActivityRatingRow.rated_on == rated_on,
            )
            row = s.scalars(query).first()
            if row is None:
                s.add(
                    ActivityRatingRow(
                        activity_id=activity_id,
                        rated_on=rated_on,
                        score=score,
                        rated_at=self._store._clock(),
                    )
                )
            else:
                row.score = score
                row.rated_at = self._store._clock()

    def activity_ratings(self) -> list[ActivityRatingRow]:
        with self._store._tx() as s:
            query = select(ActivityRatingRow).order_by(
                ActivityRatingRow.rated_on, ActivityRatingRow.id
            )
            return list(s.scalars(query))

    # --- pain check-ins ---------------------------------------------------------------------

    def save_pain_now(self, score: int) -> int:
        return self._store.save_pain(moment=PAIN_NOW, score=score)

    def save_worst_pain(self, score: int) -> int:
        return self._store.save_pain(moment=WORST_24H, score=score)

    def pain_readings(self, moments: tuple[str, ...]) -> list[PainReportRow]:
        """Pain reports with these moments, oldest first."""
        with self._store._tx() as s:
            query = (
                select(PainReportRow)
                .where(PainReportRow.moment.in_(moments))
                .order_by(PainReportRow.reported_at, PainReportRow.id)
            )
            return list(s.scalars(query))
