"""A clinician's patients at a glance, read for all of them at once.

The patients list must stay fast with hundreds of patients, so it reads with a fixed number
of queries for the whole page (one per kind of fact, grouped by patient), never one per
patient. Those queries span several people's records, which a person-scoped ``Store`` cannot
do: they run in a session scoped to exactly ``patient_ids`` (``records.scoping.PEOPLE``: every
statement gets ``person_id IN (ids)``, and nothing personal is written in it), which callers
take from ``access.Roster.patients()`` (the one place that answers who may see whom). The
queries name the patients too. Only counts, dates and averages leave here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from backcoach.records.scoping import PEOPLE
from backcoach.records.store import as_utc
from backcoach.records.tables import ClinicFlagRow, PainReportRow, ProfileRow, SessionRow

DONE = ("finished", "stopped")
"""Session statuses that count as a session done (a stopped one was still exercised)."""

TREND_DAYS = 14
"""Pain trend: the mean of the last 14 days against the mean of the 14 before."""

TREND_CHANGE = 1.0
"""A change of the mean pain by 1 point or more (0-10) is called better or worse; less is
"about the same". Below the 2-point minimal important change for a single rating (CLINICAL.md),
because a two-week mean is steadier than one rating."""


@dataclass(frozen=True)
class Trend:
    words: str
    """better, worse, about the same, or not enough reports"""
    arrow: str
    recent: float | None
    before: float | None


@dataclass(frozen=True)
class Facts:
    last_session: dt.datetime | None
    sessions_this_week: int
    days_per_week: int | None
    trend: Trend
    open_flags: int


@contextmanager
def across(factory: sessionmaker[Session], patient_ids: Collection[int]) -> Iterator[Session]:
    """A session over exactly these patients' rows (``records.scoping.PEOPLE``): it reads
    them, and writes no personal row."""
    with factory() as db:
        db.info[PEOPLE] = frozenset(patient_ids)
        yield db


def trend(recent: float | None, before: float | None) -> Trend:
    if recent is None or before is None:
        return Trend("not enough reports", "·", recent, before)
    change = recent - before
    if change <= -TREND_CHANGE:
        return Trend("better", "↓", recent, before)
    if change >= TREND_CHANGE:
        return Trend("worse", "↑", recent, before)
    return Trend("about the same", "→", recent, before)


def facts(
    factory: sessionmaker[Session], patient_ids: Collection[int], now: dt.datetime
) -> dict[int, Facts]:
    """The list's facts for each patient, in four queries whatever their number."""
    ids = list(patient_ids)
    if not ids:
        return {}
    today = now.date()
    week_start = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(), dt.UTC)
    split = now - dt.timedelta(days=TREND_DAYS)
    since = now - dt.timedelta(days=2 * TREND_DAYS)
    with across(factory, ids) as db:
        sessions = {
            pid: (last, int(week or 0))
            for pid, last, week in db.execute(
                select(
                    SessionRow.person_id,
                    func.max(SessionRow.started_at),
                    func.sum(case((SessionRow.started_at >= week_start, 1), else_=0)),
                )
                .where(SessionRow.person_id.in_(ids), SessionRow.status.in_(DONE))
                .group_by(SessionRow.person_id)
            )
        }
        profiles: dict[int, Any] = {
            pid: data
            for pid, data in db.execute(
                select(ProfileRow.person_id, ProfileRow.data).where(ProfileRow.person_id.in_(ids))
            )
        }
        recent_side = PainReportRow.reported_at >= split
        pains: dict[int, tuple[float | None, float | None]] = {
            pid: (_mean(recent), _mean(before))
            for pid, recent, before in db.execute(
                select(
                    PainReportRow.person_id,
                    func.avg(case((recent_side, PainReportRow.score))),
                    func.avg(case((~recent_side, PainReportRow.score))),
                )
                .where(PainReportRow.person_id.in_(ids), PainReportRow.reported_at >= since)
                .group_by(PainReportRow.person_id)
            )
        }
        flags: dict[int, int] = {
            pid: int(count)
            for pid, count in db.execute(
                select(ClinicFlagRow.patient_id, func.count())
                .where(ClinicFlagRow.patient_id.in_(ids), ClinicFlagRow.acknowledged_at.is_(None))
                .group_by(ClinicFlagRow.patient_id)
            )
        }
    found = {}
    for pid in ids:
        last, week = sessions.get(pid, (None, 0))
        recent, before = pains.get(pid, (None, None))
        found[pid] = Facts(
            last_session=None if last is None else as_utc(last),
            sessions_this_week=week,
            days_per_week=days_per_week(profiles.get(pid)),
            trend=trend(recent, before),
            open_flags=int(flags.get(pid, 0)),
        )
    return found


def days_per_week(profile: Any) -> int | None:
    """The plan's days per week from a stored profile (its ``days``), None without one."""
    if not isinstance(profile, dict):
        return None
    days = profile.get("days")
    return len(days) if isinstance(days, list) and days else None


def _mean(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)
