"""A clinician's patients at a glance, read for all of them at once.

The patients list must stay fast with hundreds of patients, each with years of records, so it
reads with a fixed number of queries for the whole page (one per kind of fact, grouped by
patient), never one per patient. Those queries span several people's records, which a
person-scoped ``Store`` cannot do: they run in a session scoped to exactly ``patient_ids``
(``records.scoping.PEOPLE``: every statement gets ``person_id IN (ids)``, and nothing personal
is written in it), which callers take from ``access.Roster.patients()`` (the one place that
answers who may see whom). The queries name the patients too. Only counts, dates and averages
leave here.

A patient's facts depend on their records and on the day only (the trend's fortnights and the
week are whole days), so they are kept per process under the patient's revision tag
(``records.revision``: every committed write of their records replaces it, in any process) and
the day. A look at the list reads the tags of its patients (one query) and the open flags (one),
and works out again only the patients whose records changed since: their sessions (two
queries: the last one by index, one per patient, and this week's), profiles and pain reports.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Integer, any_, case, func, literal, select, true
from sqlalchemy.orm import Session, sessionmaker

from backcoach.records.scoping import PEOPLE
from backcoach.records.store import as_utc
from backcoach.records.tables import (
    ClinicFlagRow,
    PainReportRow,
    PersonRow,
    ProfileRow,
    SessionRow,
)

DONE = ("finished", "stopped")
"""Session statuses that count as a session done (a stopped one was still exercised)."""

TREND_DAYS = 14
"""Pain trend: the mean of the last 14 days (today and the 13 before, UTC) against the mean of
the 14 before them."""

KEPT = 20_000
"""Patients' facts kept per process (a few hundred bytes each)."""

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


class _Kept:
    """Facts by (patient, revision tag, day), least recently used out; thread-safe."""

    def __init__(self) -> None:
        self.facts: OrderedDict[tuple[int, str, dt.date], Facts] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, keys: list[tuple[int, str, dt.date]]) -> dict[int, Facts]:
        """The facts kept under these keys, by patient (one lock for the whole list)."""
        found = {}
        with self.lock:
            for key in keys:
                kept = self.facts.get(key)
                if kept is not None:
                    self.facts.move_to_end(key)
                    found[key[0]] = kept
        return found

    def put(self, key: tuple[int, str, dt.date], value: Facts) -> None:
        with self.lock:
            self.facts[key] = value
            self.facts.move_to_end(key)
            while len(self.facts) > KEPT:
                self.facts.popitem(last=False)


_KEPT: weakref.WeakKeyDictionary[sessionmaker[Session], _Kept] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _kept(factory: sessionmaker[Session]) -> _Kept:
    """The facts kept for this database (one per app's session factory)."""
    with _KEPT_LOCK:
        found = _KEPT.get(factory)
        if found is None:
            found = _KEPT[factory] = _Kept()
        return found


def facts(
    factory: sessionmaker[Session], patient_ids: Collection[int], now: dt.datetime
) -> dict[int, Facts]:
    """The list's facts for each patient: one query (revision tags and open flags), and four
    more for the patients whose records changed since their facts were kept, whatever their
    number."""
    ids = list(patient_ids)
    if not ids:
        return {}
    today = now.date()
    kept = _kept(factory)
    with across(factory, ids) as db:
        # The tags first: rows read after them are at least as new, so what is kept under a
        # tag is never older than it says (records.revision). The open flags come with them.
        among = _among(db, ids)
        open_flags = (
            select(ClinicFlagRow.patient_id, func.count().label("open"))
            .where(among(ClinicFlagRow.patient_id), ClinicFlagRow.acknowledged_at.is_(None))
            .group_by(ClinicFlagRow.patient_id)
            .subquery()
        )
        tags: dict[int, str] = {}
        flags: dict[int, int] = {}
        for pid, tag, count in db.execute(
            select(PersonRow.id, PersonRow.revision, open_flags.c.open)
            .outerjoin(open_flags, open_flags.c.patient_id == PersonRow.id)
            .where(among(PersonRow.id))
        ):
            tags[pid], flags[pid] = tag, int(count or 0)
        found = kept.get([(pid, tag, today) for pid, tag in tags.items() if tag])
        changed = [pid for pid in ids if pid not in found]
        if changed:
            for pid, fresh in _work_out(db, changed, now).items():
                found[pid] = fresh
                tag = tags.get(pid)
                if tag:
                    kept.put((pid, tag, today), fresh)
    return {pid: _with_flags(found[pid], flags.get(pid, 0)) for pid in ids}


def _with_flags(kept: Facts, count: int) -> Facts:
    return Facts(kept.last_session, kept.sessions_this_week, kept.days_per_week, kept.trend, count)


def _among(db: Session, ids: list[int]) -> Any:
    """``column IN ids`` as one array parameter on PostgreSQL (``= ANY(...)``): hundreds of
    ids as hundreds of parameters cost more to send and parse than the query to run."""
    if db.get_bind().dialect.name != "postgresql":
        return lambda column: column.in_(ids)
    array = literal(ids, ARRAY(Integer))
    return lambda column: column == any_(array)


def _work_out(db: Session, ids: list[int], now: dt.datetime) -> dict[int, Facts]:
    """The facts read from the records (open flags left at 0): four queries. Each reads an
    index range or one index entry per patient, never a patient's whole history."""
    today = now.date()
    week_start = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(), dt.UTC)
    split = dt.datetime.combine(today - dt.timedelta(days=TREND_DAYS - 1), dt.time(), dt.UTC)
    since = split - dt.timedelta(days=TREND_DAYS)
    people = select(PersonRow.id.label("pid")).where(PersonRow.id.in_(ids)).subquery()
    newest = (
        select(SessionRow.started_at)
        .where(SessionRow.person_id == people.c.pid, SessionRow.status.in_(DONE))
        .order_by(SessionRow.started_at.desc())
        .limit(1)
        .lateral()
    )
    last: dict[int, dt.datetime] = {
        pid: started
        for pid, started in db.execute(
            select(people.c.pid, newest.c.started_at).join(newest, true())
        )
    }
    week: dict[int, int] = {
        pid: int(count)
        for pid, count in db.execute(
            select(SessionRow.person_id, func.count())
            .where(
                SessionRow.person_id.in_(ids),
                SessionRow.status.in_(DONE),
                SessionRow.started_at >= week_start,
            )
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
    found = {}
    for pid in ids:
        recent, before = pains.get(pid, (None, None))
        started = last.get(pid)
        found[pid] = Facts(
            last_session=None if started is None else as_utc(started),
            sessions_this_week=week.get(pid, 0),
            days_per_week=days_per_week(profiles.get(pid)),
            trend=trend(recent, before),
            open_flags=0,
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
