"""Reads and writes for the outcome measures: the activity scale and the pain check-ins.

Kept beside ``Store`` rather than inside it so the repository stays one concept per module; it
uses the Store's own transactions and clock, so a pretend today (BACKCOACH_TODAY) stamps these
rows too, and each write commits at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import and_, func, select, union

from backcoach.records.store import Store, as_utc
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
        with self._store.reading() as s:
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
        with self._store.reading() as s:
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
        with self._store.reading() as s:
            query = (
                select(PainReportRow)
                .where(PainReportRow.moment.in_(moments))
                .order_by(PainReportRow.reported_at, PainReportRow.id)
            )
            return list(s.scalars(query))

    def pain_span(self, moments: Collection[str]) -> dict[str, tuple[dt.datetime, dt.datetime]]:
        """moment -> (first, last) time a pain report with it was made, for these moments
        (one query of index look-ups, however many reports there are)."""
        p = PainReportRow
        ordered = sorted(moments)
        columns = []
        for moment in ordered:
            this = and_(p.person_id == self._store.person_id, p.moment == moment)
            columns += [
                select(func.min(p.reported_at)).where(this).scalar_subquery(),
                select(func.max(p.reported_at)).where(this).scalar_subquery(),
            ]
        with self._store.reading() as s:
            row = s.execute(select(*columns)).one()
        spans = {}
        for n, moment in enumerate(ordered):
            first, last = row[2 * n], row[2 * n + 1]
            if first is not None and last is not None:
                spans[moment] = (first, last)
        return spans

    def pain_readings_in(
        self, moments: Collection[str], spans: Collection[tuple[dt.datetime, dt.datetime | None]]
    ) -> list[PainReportRow]:
        """Pain reports with these moments made within any of ``spans`` (start inclusive, end
        exclusive, ``None``: no end), oldest first (one query)."""
        p = PainReportRow
        mine = and_(p.person_id == self._store.person_id, p.moment.in_(sorted(moments)))
        at = p.reported_at
        ids = union(
            *(
                select(p.id).where(mine, at >= a if b is None else and_(at >= a, at < b))
                for a, b in spans
            )
        )
        with self._store.reading() as s:
            rows = s.scalars(select(p).where(p.id.in_(ids)))
            return sorted(rows, key=lambda row: (as_utc(row.reported_at), row.id))

    def rating_edges(self) -> dict[int, tuple[dt.date, dt.date]]:
        """activity id -> (first, latest) day it was rated, for every activity rated (one
        query of index look-ups, however many ratings there are)."""
        r, a = ActivityRatingRow, ActivityRow
        first = select(func.min(r.rated_on)).where(r.activity_id == a.id).scalar_subquery()
        last = select(func.max(r.rated_on)).where(r.activity_id == a.id).scalar_subquery()
        with self._store.reading() as s:
            rows = s.execute(select(a.id, first, last).where(a.person_id == self._store.person_id))
            return {i: (f, la) for i, f, la in rows if f is not None and la is not None}

    def ratings_for_summary(
        self, since: dt.date, edges: dict[int, tuple[dt.date, dt.date]]
    ) -> list[ActivityRatingRow]:
        """Activity ratings from ``since`` on, and each activity's first and latest (its
        ``edges``, from ``rating_edges``) however old; oldest first (one query)."""
        r = ActivityRatingRow
        mine = r.person_id == self._store.person_id
        ids = union(
            select(r.id).where(mine, r.rated_on >= since),
            *(
                select(r.id).where(mine, r.activity_id == activity, r.rated_on.in_(days))
                for activity, days in sorted(edges.items())
            ),
        )
        with self._store.reading() as s:
            rows = s.scalars(select(r).where(r.id.in_(ids)))
            return sorted(rows, key=lambda row: (row.rated_on, row.id))

    def latest_ratings(self) -> dict[int, dt.date]:
        """activity id -> the day it was last rated (one query; activities never rated are
        left out)."""
        return {activity: last for activity, (_, last) in self.rating_edges().items()}
