"""Alerts without spam: flags a clinician sees on the patients list and the patient's page.

A flag is raised for an event in a patient's records: a warning-sign answer (a screen whose
tier is not clear), a stop rule, pain of 7 or more, a session rated too hard after another one
rated too hard, no session for 7 days, or a comment after a session. Each event has a key (the
row it comes from), and ``clinic_flags`` is unique on (patient, kind, key), so raising it again
never makes a second flag. A flag stays open until a clinician acknowledges it; acknowledging
is written to the audit log.

Flags are raised when the events are saved, never when someone looks (the patients list, a
patient's page and the digest page only read ``clinic_flags``):
- in the patient's own request, in the same transaction as the event: a session's pain of 7
  or more, a stop rule and, when the session ends, too hard twice running
  (``after_effect``, the session recorder's hook in services.sessions); a screen with warning
  signs (``after_screen``); a comment (``after_comment``);
- by the daily digest job for each clinician (``raise_flags`` over their patients, jobs.daily):
  no session for 7 days, which no event announces, and every other rule again over the last
  ``WINDOW_DAYS``, so an event saved by a path without a hook (a pain report outside a session)
  is flagged within a day. The keys are the same on both paths, so nothing is raised twice.

Only patients get flags (a person with a ``patients`` row); personal mode writes none.
``raise_flags`` reads only a window of recent records and runs a fixed number of queries for
any number of patients (see clinic.caseload on why they span patients).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from backcoach.clinic.caseload import DONE, across
from backcoach.records.store import Store, as_utc
from backcoach.records.tables import (
    ClinicFlagRow,
    ExerciseOutcomeRow,
    PainReportRow,
    PatientRow,
    ScreenRow,
    SessionRow,
)
from backcoach.session import ExerciseStopped, PainJudged, SessionFinished

log = logging.getLogger(__name__)

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
"""How far back the daily job's sweep reads. It runs daily, so an event is seen well within it
(a worker down for two weeks is a bigger problem than a late flag)."""


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
    """The daily sweep: raise a flag for every event of the patients' recent records not
    flagged before; how many were new. Five reads and one insert, whatever the number of
    patients."""
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
    for event in events:
        del event["stamp"]
        event["raised_at"] = now
    with factory.begin() as db:
        return _insert(db, events)


def _insert(db: Session, events: list[dict[str, Any]]) -> int:
    """Insert the flags not raised before (one statement); how many were new."""
    if not events:
        return 0
    for event in events:
        event["summary"] = event["summary"][:200]
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(ClinicFlagRow)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(ClinicFlagRow)
    statement = statement.on_conflict_do_nothing(
        index_elements=["patient_id", "kind", "event_key"]
    ).returning(ClinicFlagRow.id)
    # executemany with RETURNING: SQLAlchemy batches the rows into a few multi-row INSERTs
    # ("insertmanyvalues"); the rows a conflict skipped return nothing.
    return len(db.execute(statement, events).all())


# --- raised as the events are saved ---------------------------------------------------------


def after_effect(store: Store, session_id: int, effect: object) -> int:
    """The session recorder's hook (services.sessions.SessionRecorder), called after each
    effect is written, inside the event's transaction: pain of 7 or more, a stop rule, and at
    the session's end too hard twice running, for a patient. Most effects cost nothing; these
    cost a primary-key read (is this a patient?) and one or two reads of this session's rows.
    How many flags were new."""
    if isinstance(effect, PainJudged):
        if effect.check.score < HIGH_PAIN_SCORE and effect.decision.action != "stop-exercise":
            return 0
    elif not isinstance(effect, (ExerciseStopped, SessionFinished)):
        return 0
    ended = isinstance(effect, SessionFinished)
    return _raise_in(store, lambda db: _session_events(db, store.person_id, session_id, ended))


def after_screen(store: Store) -> int:
    """After a screen is saved (services.screening.take_screen): its warning signs, if any."""

    def events(db: Session) -> list[dict[str, Any]]:
        row = db.scalars(select(ScreenRow).order_by(ScreenRow.id.desc()).limit(1)).first()
        if row is None or row.tier == "clear":
            return []
        return [_screen_event(store.person_id, row.id, row.tier, row.taken_at)]

    return _raise_in(store, events)


def after_comment(store: Store, session_id: int) -> int:
    """After the patient's comment on a session is saved (web.api_clinician)."""

    def events(db: Session) -> list[dict[str, Any]]:
        row = db.get(SessionRow, session_id)
        if row is None or not row.comment:
            return []
        return [
            _comment_event(store.person_id, row.id, row.comment, row.commented_at, row.started_at)
        ]

    return _raise_in(store, events)


def _raise_in(store: Store, find: Any) -> int:
    """Raise the events ``find(db)`` gives, in the store's open write transaction (or one of
    its own), for a patient only. A database error here (a lock timeout, say) rolls back the
    flags alone, never the patient's own records: it is logged, and the daily sweep raises
    the flag instead."""
    with store.writing() as db:
        if db.get(PatientRow, store.person_id) is None:
            return 0  # not a clinic patient (personal mode): no flags
        try:
            with db.begin_nested():
                events = find(db)
                for event in events:
                    event["raised_at"] = event.pop("stamp")
                return _insert(db, events)
        except SQLAlchemyError:
            log.exception(
                "flags for person %s not raised now; the daily sweep will", store.person_id
            )
            return 0


def _session_events(db: Session, pid: int, sid: int, ended: bool) -> list[dict[str, Any]]:
    """This session's pain of 7 or more and stop rules; when it has ended, too hard twice
    running (this session and the done one before it). Keys as the sweep's."""
    pains = db.execute(
        select(
            PainReportRow.id, PainReportRow.score, PainReportRow.moment, PainReportRow.reported_at
        ).where(
            PainReportRow.person_id == pid,
            PainReportRow.session_id == sid,
            PainReportRow.score >= HIGH_PAIN_SCORE,
        )
    )
    events = [_pain_event(pid, rid, score, moment, at) for rid, score, moment, at in pains]
    stops = db.execute(
        select(
            ExerciseOutcomeRow.item_index,
            ExerciseOutcomeRow.exercise_id,
            ExerciseOutcomeRow.recorded_at,
        ).where(
            ExerciseOutcomeRow.person_id == pid,
            ExerciseOutcomeRow.session_id == sid,
            ExerciseOutcomeRow.outcome == "stopped",
        )
    )
    events += [_stop_event(pid, sid, item, exercise, at) for item, exercise, at in stops]
    if ended:
        events += _too_hard_now(db, pid, sid)
    return events


def _too_hard_now(db: Session, pid: int, sid: int) -> list[dict[str, Any]]:
    """Too hard twice running, as this session ends: it and the done session before it (the
    two newest up to it, by index, then their ratings), whatever the length of the history."""
    this = db.get(SessionRow, sid)
    if this is None or this.status not in DONE:
        return []
    two = (
        select(SessionRow.id)
        .where(
            SessionRow.person_id == pid,
            SessionRow.status.in_(DONE),
            or_(
                SessionRow.started_at < this.started_at,
                and_(SessionRow.started_at == this.started_at, SessionRow.id <= sid),
            ),
        )
        .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
        .limit(2)
        .subquery()
    )
    too_hard = func.max(case((ExerciseOutcomeRow.rating == "too-hard", 1), else_=0))
    rated: dict[int, int] = {
        row_id: hard
        for row_id, hard in db.execute(
            select(two.c.id, too_hard)
            .outerjoin(ExerciseOutcomeRow, ExerciseOutcomeRow.session_id == two.c.id)
            .group_by(two.c.id)
        )
    }
    if len(rated) < 2 or sid not in rated or not all(rated.values()):
        return []
    event = _too_hard_event(pid, sid, this.started_at)
    event["stamp"] = this.ended_at or this.started_at
    return [event]


# --- the events, keyed alike on both paths ------------------------------------------------


def _event(pid: int, kind: str, key: str, at: dt.datetime, summary: str) -> dict[str, Any]:
    """A flag's row; ``stamp`` is when the event was saved (its raised_at when raised then)."""
    return {
        "patient_id": pid,
        "kind": kind,
        "event_key": key,
        "happened_at": as_utc(at),
        "summary": summary,
        "stamp": as_utc(at),
    }


def _screen_event(pid: int, screen_id: int, tier: str, at: dt.datetime) -> dict[str, Any]:
    return _event(
        pid, WARNING_SIGN, f"screen:{screen_id}", at, f"Screen found warning signs ({tier})"
    )


def _stop_event(pid: int, sid: int, item: int, exercise: str, at: dt.datetime) -> dict[str, Any]:
    return _event(pid, STOP_RULE, f"stop:{sid}:{item}", at, f"A stop rule ended {exercise}")


def _pain_event(pid: int, rid: int, score: int, moment: str, at: dt.datetime) -> dict[str, Any]:
    return _event(pid, HIGH_PAIN, f"pain:{rid}", at, f"Pain {score}/10 ({moment})")


def _too_hard_event(pid: int, sid: int, started: dt.datetime) -> dict[str, Any]:
    return _event(pid, TOO_HARD, f"too-hard:{sid}", started, "Two sessions running rated too hard")


def _comment_event(
    pid: int, sid: int, comment: str, commented: dt.datetime | None, started: dt.datetime
) -> dict[str, Any]:
    at = commented or started
    first_line = comment.strip().splitlines()[0] if comment.strip() else ""
    return _event(
        pid, COMMENT, f"comment:{sid}:{int(as_utc(at).timestamp())}", at, f"“{first_line}”"
    )


# --- the daily sweep's reads ----------------------------------------------------------------


def _warning_signs(db: Session, ids: list[int], since: dt.datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        select(ScreenRow.person_id, ScreenRow.id, ScreenRow.tier, ScreenRow.taken_at).where(
            ScreenRow.person_id.in_(ids), ScreenRow.tier != "clear", ScreenRow.taken_at >= since
        )
    )
    return [_screen_event(pid, sid, tier, at) for pid, sid, tier, at in rows]


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
    return [_stop_event(pid, sid, item, exercise, at) for pid, sid, item, exercise, at in rows]


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
    return [_pain_event(pid, rid, score, moment, at) for pid, rid, score, moment, at in rows]


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
            events.append(_comment_event(pid, sid, comment, commented, started))
        if hard and previous.get(pid):
            events.append(_too_hard_event(pid, sid, started))
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
