"""Alerts without spam: flags a clinician sees on the patients list and the patient's page.

A flag is raised for an event in a patient's records: a warning-sign answer (a screen whose
tier is not clear), a stop rule, pain of 7 or more, a session rated too hard after another one
rated too hard, no session for 7 days, or a comment after a session. Flags are derived from
the records whenever the list, a patient's page or the digest job looks (``raise_flags``):
each event has a key (the row it comes from), and ``clinic_flags`` is unique on (patient,
kind, key), so looking again never raises it twice. A flag stays open until a clinician
acknowledges it; acknowledging is written to the audit log.

``raise_flags`` reads only a window of recent records (``WINDOW_DAYS``) and runs a fixed number
of queries for any number of patients (see clinic.caseload on why they span patients).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from backcoach.clinic.caseload import DONE, across
from backcoach.records.store import as_utc
from backcoach.records.tables import (
    ClinicFlagRow,
    ExerciseOutcomeRow,
    PainReportRow,
    PatientRow,
    ScreenRow,
    SessionRow,
)

WARNING_SIGN = "warning-sign"
STOP_RULE = "stop-rule"
HIGH_PAIN = "high-pain"
TOO_HARD = "too-hard"
NO_SESSION = "no-session"
COMMENT = "comment"
KINDS = (WARNING_SIGN, STOP_RULE, HIGH_PAIN, TOO_HARD, NO_SESSION, COMMENT)

KIND_TEXT = {
    WARNING_SIGN: "Warning sign",
    STOP_RULE: "Stop rule",
    HIGH_PAIN: "Pain 7 or more",
    TOO_HARD: "Too hard twice",
    NO_SESSION: "No session for 7 days",
    COMMENT: "Comment",
}

HIGH_PAIN_SCORE = 7
"""Pain of 7 or more (0-10) is flagged, as Okta Health alerts the therapist (issue 14)."""

QUIET_DAYS = 7
"""No session for 7 days is flagged (Physitrack alerts on a patient who stops logging)."""

WINDOW_DAYS = 14
"""How far back each look reads. Lists and the daily digest look at least daily, so an event
is seen well within it; an older event was seen by an earlier look (or is old news)."""


@dataclass(frozen=True)
class Flag:
    id: int
    patient_id: int
    kind: str
    title: str
    summary: str
    happened_at: dt.datetime
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: int | None


def raise_flags(
    factory: sessionmaker[Session], patient_ids: Collection[int], now: dt.datetime
) -> int:
    """Raise a flag for every event of the patients' recent records not flagged before; how
    many were new. Six reads and one insert, whatever the number of patients."""
    ids = list(patient_ids)
    if not ids:
        return 0
    since = now - dt.timedelta(days=WINDOW_DAYS)
    events: list[dict[str, Any]] = []
    with across(factory, ids) as db:
        events += _warning_signs(db, ids, since)
        events += _stop_rules(db, ids, since)
        events += _high_pain(db, ids, since)
        events += _sessions(db, ids, since)
        events += _quiet(db, ids, now)
    if not events:
        return 0
    for event in events:
        event["raised_at"] = now
        event["summary"] = event["summary"][:200]
    with factory.begin() as db:
        dialect = db.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement: Any = pg_insert(ClinicFlagRow)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            statement = sqlite_insert(ClinicFlagRow)
        statement = statement.on_conflict_do_nothing(
            index_elements=["patient_id", "kind", "event_key"]
        ).returning(ClinicFlagRow.id)
        # executemany with RETURNING: SQLAlchemy batches the rows into a few multi-row
        # INSERTs ("insertmanyvalues"); the rows a conflict skipped return nothing.
        return len(db.execute(statement, events).all())


def _event(pid: int, kind: str, key: str, at: dt.datetime, summary: str) -> dict[str, Any]:
    return {
        "patient_id": pid,
        "kind": kind,
        "event_key": key,
        "happened_at": as_utc(at),
        "summary": summary,
    }


def _warning_signs(db: Session, ids: list[int], since: dt.datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        select(ScreenRow.person_id, ScreenRow.id, ScreenRow.tier, ScreenRow.taken_at).where(
            ScreenRow.person_id.in_(ids), ScreenRow.tier != "clear", ScreenRow.taken_at >= since
        )
    )
    return [
        _event(pid, WARNING_SIGN, f"screen:{sid}", at, f"Screen found warning signs ({tier})")
        for pid, sid, tier, at in rows
    ]


def _stop_rules(db: Session, ids: list[int], since: dt.datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        select(
            ExerciseOutcomeRow.person_id,
            ExerciseOutcomeRow.session_id,
            ExerciseOutcomeRow.item_index,
            ExerciseOutcomeRow.exercise_id,
            ExerciseOutcomeRow.recorded_at,
        ).where(
            ExerciseOutcomeRow.person_id.in_(ids),
            ExerciseOutcomeRow.outcome == "stopped",
            ExerciseOutcomeRow.recorded_at >= since,
        )
    )
    return [
        _event(pid, STOP_RULE, f"stop:{sid}:{item}", at, f"A stop rule ended {exercise}")
        for pid, sid, item, exercise, at in rows
    ]


def _high_pain(db: Session, ids: list[int], since: dt.datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        select(
            PainReportRow.person_id,
            PainReportRow.id,
            PainReportRow.score,
            PainReportRow.moment,
            PainReportRow.reported_at,
        ).where(
            PainReportRow.person_id.in_(ids),
            PainReportRow.score >= HIGH_PAIN_SCORE,
            PainReportRow.reported_at >= since,
        )
    )
    return [
        _event(pid, HIGH_PAIN, f"pain:{rid}", at, f"Pain {score}/10 ({moment})")
        for pid, rid, score, moment, at in rows
    ]


def _sessions(db: Session, ids: list[int], since: dt.datetime) -> list[dict[str, Any]]:
    """Comments, and a session rated too hard right after one rated too hard."""
    too_hard = func.max(case((ExerciseOutcomeRow.rating == "too-hard", 1), else_=0))
    rows = db.execute(
        select(
            SessionRow.person_id,
            SessionRow.id,
            SessionRow.started_at,
            SessionRow.comment,
            SessionRow.commented_at,
            too_hard,
        )
        .outerjoin(ExerciseOutcomeRow, ExerciseOutcomeRow.session_id == SessionRow.id)
        .where(
            SessionRow.person_id.in_(ids),
            SessionRow.status.in_(DONE),
            or_(SessionRow.started_at >= since, SessionRow.commented_at >= since),
        )
        .group_by(SessionRow.id)
        .order_by(SessionRow.person_id, SessionRow.started_at, SessionRow.id)
    ).all()
    events = []
    previous: dict[int, bool] = {}
    for pid, sid, started, comment, commented, hard in rows:
        if comment:
            first_line = comment.strip().splitlines()[0] if comment.strip() else ""
            events.append(
                _event(
                    pid,
                    COMMENT,
                    f"comment:{sid}:{int(as_utc(commented or started).timestamp())}",
                    commented or started,
                    f"“{first_line}”",
                )
            )
        if hard and previous.get(pid):
            events.append(
                _event(
                    pid, TOO_HARD, f"too-hard:{sid}", started, "Two sessions running rated too hard"
                )
            )
        previous[pid] = bool(hard)
    return events


def _quiet(db: Session, ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    """No session for QUIET_DAYS: one flag per gap, keyed by the last session before it (or
    by the patient's start, when they never did one)."""
    last = (
        select(SessionRow.person_id, func.max(SessionRow.id).label("sid"))
        .where(SessionRow.person_id.in_(ids), SessionRow.status.in_(DONE))
        .group_by(SessionRow.person_id)
        .subquery()
    )
    rows = db.execute(
        select(PatientRow.person_id, PatientRow.created_at, last.c.sid, SessionRow.started_at)
        .outerjoin(last, last.c.person_id == PatientRow.person_id)
        .outerjoin(SessionRow, SessionRow.id == last.c.sid)
        .where(PatientRow.person_id.in_(ids), PatientRow.archived_at.is_(None))
    )
    events = []
    quiet = dt.timedelta(days=QUIET_DAYS)
    for pid, created, sid, started in rows:
        since = as_utc(started if started is not None else created)
        if now - since < quiet:
            continue
        key = f"quiet:after-session:{sid}" if sid is not None else "quiet:never"
        words = "since" if sid is not None else "since joining on"
        events.append(
            _event(pid, NO_SESSION, key, since + quiet, f"No session {words} {since:%d %b %Y}")
        )
    return events


def for_patient(factory: sessionmaker[Session], patient_id: int, limit: int = 50) -> list[Flag]:
    """The patient's flags, open ones first, newest first. Callers check who may see them
    (access.Roster)."""
    with factory() as db:
        rows = db.scalars(
            select(ClinicFlagRow)
            .where(ClinicFlagRow.patient_id == patient_id)
            .order_by(
                ClinicFlagRow.acknowledged_at.is_not(None),
                ClinicFlagRow.happened_at.desc(),
                ClinicFlagRow.id.desc(),
            )
            .limit(limit)
        ).all()
        return [_flag(row) for row in rows]


def open_flags(
    factory: sessionmaker[Session], patient_ids: Collection[int], limit: int = 500
) -> list[Flag]:
    """The open flags of these patients, newest first (the digest), in one query."""
    ids = list(patient_ids)
    if not ids:
        return []
    with factory() as db:
        rows = db.scalars(
            select(ClinicFlagRow)
            .where(ClinicFlagRow.patient_id.in_(ids), ClinicFlagRow.acknowledged_at.is_(None))
            .order_by(ClinicFlagRow.happened_at.desc(), ClinicFlagRow.id.desc())
            .limit(limit)
        ).all()
        return [_flag(row) for row in rows]


def patient_of(factory: sessionmaker[Session], flag_id: int) -> int | None:
    """Whose flag this is (None: no such flag); the caller then asks Roster."""
    with factory() as db:
        return db.scalar(select(ClinicFlagRow.patient_id).where(ClinicFlagRow.id == flag_id))


def acknowledge(
    factory: sessionmaker[Session], flag_id: int, by: int, now: dt.datetime
) -> Flag | None:
    """Mark the flag seen by clinician ``by`` (an acknowledged one keeps its first mark)."""
    with factory.begin() as db:
        db.execute(
            update(ClinicFlagRow)
            .where(ClinicFlagRow.id == flag_id, ClinicFlagRow.acknowledged_at.is_(None))
            .values(acknowledged_at=now, acknowledged_by=by)
        )
        row = db.get(ClinicFlagRow, flag_id)
        return None if row is None else _flag(row)


def _flag(row: ClinicFlagRow) -> Flag:
    return Flag(
        id=row.id,
        patient_id=row.patient_id,
        kind=row.kind,
        title=KIND_TEXT.get(row.kind, row.kind),
        summary=row.summary,
        happened_at=as_utc(row.happened_at),
        raised_at=as_utc(row.raised_at),
        acknowledged_at=None if row.acknowledged_at is None else as_utc(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
    )
