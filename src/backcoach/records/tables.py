"""Database tables. The schema changes only through Alembic migrations (records/migrations).

Logs keep what was planned next to what was done (target_reps / reps, target_hold_seconds /
hold_seconds), as wger's workout log does, so progression and reports can compare them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Still importable from here, as the records code does.
from backcoach.types import PERSONAL_PERSON_ID as PERSONAL_PERSON_ID


class Base(DeclarativeBase):
    """Every JSON column names its type explicitly with ``mapped_column(JSON)``."""


PERSON_ROLES = ("person", "patient", "clinician", "admin")
"""Who a person is to backcoach: someone using it for themselves (personal mode), a clinic's
patient, a clinician, or a practice admin."""


class PersonRow(Base):
    """A person whose records these are. Every personal table names its row's person."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    role: Mapped[str] = mapped_column(String(16), default="person")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    """A random tag replaced by every transaction that writes one of this person's rows
    (``records.revision``): what is built from their records is kept under it."""


class Owned:
    """A personal row: ``person_id`` names its owner. The scoped store (records.store) adds it
    to every query and every new row; there is no other path to these tables. A table queried
    by time, day, session or exercise also has an index led by ``person_id`` and that column
    (migration 0005): with ``person_id`` alone, SQLite scans the person's whole history."""

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


class ProfileRow(Owned, Base):
    """A person's profile, one row per person, stored as the validated Profile model's JSON."""

    __tablename__ = "profile"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ScreenRow(Owned, Base):
    """A warning-sign screen, with the clinician's clearance when one was recorded."""

    __tablename__ = "screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    tier: Mapped[str] = mapped_column(String(16))
    flags: Mapped[list[Any]] = mapped_column(JSON)
    unanswered: Mapped[list[Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    advice: Mapped[str] = mapped_column(Text)
    cleared_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    cleared_by: Mapped[str | None] = mapped_column(String(200), default=None)


class DirectionCheckRow(Owned, Base):
    """A directional-preference check (McKenzie-style) and its outcome."""

    __tablename__ = "direction_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanRow(Owned, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    for_date: Mapped[dt.date] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    flare_up: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class SessionRow(Owned, Base):
    """One guided session. ``status``: in-progress, finished, stopped (ended early)."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_person_started", "person_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    status: Mapped[str] = mapped_column(String(16), default="in-progress", index=True)
    mode: Mapped[str] = mapped_column(String(16), default="terminal")
    pain_before: Mapped[int | None] = mapped_column(Integer, default=None)
    pain_after: Mapped[int | None] = mapped_column(Integer, default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    """The person's short plain-text note after the session, for their clinician."""
    commented_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    plan: Mapped[PlanRow] = relationship()
    sets: Mapped[list[SetLogRow]] = relationship(
        back_populates="session", order_by="SetLogRow.id", cascade="all, delete-orphan"
    )


class SetLogRow(Owned, Base):
    """One finished set, planned next to done. Unique per session/item/set/side so a resumed
    session can never log the same set twice."""

    __tablename__ = "set_logs"
    __table_args__ = (
        UniqueConstraint("session_id", "item_index", "set_number", "side"),
        Index("ix_set_logs_person_session", "person_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    item_index: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(60), index=True)
    set_number: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8), default="both")
    target_reps: Mapped[int | None] = mapped_column(Integer, default=None)
    reps: Mapped[int | None] = mapped_column(Integer, default=None)
    target_hold_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    hold_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    target_duration_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    duration_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16), default="timer")
    faults: Mapped[list[Any]] = mapped_column(JSON, default=list)
    complete: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """False for a set cut short (skip, stop rule, quit): a resumed session does it again."""

    session: Mapped[SessionRow] = relationship(back_populates="sets")


class ExerciseOutcomeRow(Owned, Base):
    """How an exercise in a session ended: finished, skipped, or stopped by a stop rule."""

    __tablename__ = "exercise_outcomes"
    __table_args__ = (
        UniqueConstraint("session_id", "item_index"),
        Index("ix_exercise_outcomes_person_session", "person_id", "session_id"),
        Index("ix_exercise_outcomes_person_exercise", "person_id", "exercise_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    item_index: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(60), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    rating: Mapped[str | None] = mapped_column(String(16), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PainReportRow(Owned, Base):
    """A pain check-in: before or after a session, after an exercise, next day, or any time."""

    __tablename__ = "pain_reports"
    __table_args__ = (
        Index("ix_pain_reports_person_session", "person_id", "session_id"),
        Index("ix_pain_reports_person_reported", "person_id", "reported_at"),
        Index("ix_pain_reports_person_moment", "person_id", "moment", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), default=None
    )
    item_index: Mapped[int | None] = mapped_column(Integer, default=None)
    exercise_id: Mapped[str | None] = mapped_column(String(60), default=None)
    moment: Mapped[str] = mapped_column(String(24))
    score: Mapped[int] = mapped_column(Integer)
    sharp: Mapped[bool] = mapped_column(Boolean, default=False)
    spreading: Mapped[bool] = mapped_column(Boolean, default=False)
    numbness: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ProgressionDecisionRow(Owned, Base):
    """A dose decision for one exercise, with its reason, shown to the person next time."""

    __tablename__ = "progression_decisions"
    __table_args__ = (
        Index(
            "ix_progression_decisions_person_action",
            "person_id",
            "action",
            "exercise_id",
            "decided_on",
            "id",
        ),
        Index("ix_progression_decisions_person_day", "person_id", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), default=None
    )
    exercise_id: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(24))
    dose: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    replacement: Mapped[str | None] = mapped_column(String(60), default=None)
    until: Mapped[dt.date | None] = mapped_column(Date, default=None)


class ActivityRow(Owned, Base):
    """An activity the person finds hard because of their back, for the activity scale
    (CLINICAL.md section 6). Retired activities keep their row and ratings: history is kept."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    added_on: Mapped[dt.date] = mapped_column(Date)
    retired_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActivityRatingRow(Owned, Base):
    """How well the person can do one activity on one day: 0 (cannot) to 10 (as before).
    One rating per activity per day; rating again the same day replaces it."""

    __tablename__ = "activity_ratings"
    __table_args__ = (
        UniqueConstraint("activity_id", "rated_on"),
        Index("ix_activity_ratings_person_rated", "person_id", "rated_on"),
        Index("ix_activity_ratings_person_activity", "person_id", "activity_id", "rated_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    rated_on: Mapped[dt.date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LiveSessionRow(Owned, Base):
    """A running (or just finished) session's engine state, saved with a version after every
    accepted event so any process can serve the next one (services.live). ``player`` is the
    token of the page or terminal driving it; the session clock is ``clock_origin`` plus the
    wall seconds since ``wall_origin`` times ``clock_speed``. Working state: starting a
    session deletes the rows of older ones."""

    __tablename__ = "live_sessions"
    __table_args__ = (UniqueConstraint("session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    board: Mapped[dict[str, Any]] = mapped_column(JSON)
    player: Mapped[str] = mapped_column(String(64))
    player_kind: Mapped[str] = mapped_column(String(16))
    clock_speed: Mapped[float] = mapped_column(Float)
    clock_origin: Mapped[float] = mapped_column(Float)
    wall_origin: Mapped[float] = mapped_column(Float)
    last_contact: Mapped[float | None] = mapped_column(Float, default=None)
    """Wall time the driving player was last heard: a silent page pauses the exercise."""
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LiveEventRow(Owned, Base):
    """A client event applied to a live session, with the answer it got: a resend of the same
    id gets that answer and changes nothing. Kept as long as its session's live row."""

    __tablename__ = "live_events"
    __table_args__ = (
        UniqueConstraint("session_id", "event_id"),
        Index("ix_live_events_person_session", "person_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    """The live row's version this event made."""
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentRow(Owned, Base):
    """A document made by a job (backcoach.jobs): the report or the handout as a PDF, with
    the job's state: ``queued``, ``running``, ``done`` (``content`` holds the file) or
    ``failed`` (``error`` says why, ``error_code`` names it). A retried job writes over its own
    row, never a second one. Derived data: remade from the other tables at any time, so it is
    not exported (``DERIVED_TABLES``); forget deletes it with the rest."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_person_kind", "person_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[str | None] = mapped_column(String(80), default=None)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    size: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class ProgrammeVersionRow(Owned, Base):
    """One saved version of the programme a clinician assigned (clinic.programmes): ``data``
    is the validated ``Programme`` model's JSON, ``changes`` what differs from the version
    before, in words. Every save is a new row; the patient gets the highest ``version``.
    ``created_by`` is a plain person id (the trail outlives the clinician's account)."""

    __tablename__ = "programme_versions"
    __table_args__ = (
        UniqueConstraint("person_id", "version", name="uq_programme_versions_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(Integer, default=None)
    created_by_name: Mapped[str | None] = mapped_column(String(200), default=None)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class LessonMarkRow(Owned, Base):
    """What a person did with one lesson (backcoach.lessons), one row per lesson: the day they
    read it (never offered again unless they ask), the day they last skipped it, and whether a
    clinician assigned it to them (``assigned_by`` is a plain person id, as in
    ``programme_versions``: the note outlives the clinician's account). The lessons themselves
    are files, not rows; ``lesson_id`` names one."""

    __tablename__ = "lesson_marks"
    __table_args__ = (UniqueConstraint("person_id", "lesson_id", name="uq_lesson_marks_lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    read_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    skipped_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    assigned_by: Mapped[int | None] = mapped_column(Integer, default=None)
    assigned_by_name: Mapped[str | None] = mapped_column(String(200), default=None)


# --- the clinic (backcoach.clinic): accounts, care, invites, sign-in sessions, audit ---------
# Not personal records: none inherits ``Owned``, so none is scoped, exported or forgotten with a
# person's records. Sign-in has to find a row before it knows whose it is (an e-mail, a code,
# a session token), and the audit trail must outlive what it tells about. The clinic reaches
# these through backcoach.clinic alone (docs/clinic.md).


class PracticeRow(Base):
    """A practice: its clinicians, admins and patients. One server usually holds one."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AccountRow(Base):
    """A clinician's or practice admin's sign-in: a normalised e-mail, an argon2id hash (never
    the password), and an optional TOTP secret (``totp_last_step``: the newest time step a
    code was accepted for, so each code works once)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_pending: Mapped[str | None] = mapped_column(String(64), default=None)
    """A secret being set up: it replaces ``totp_secret`` once a code from it is confirmed."""
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class PatientRow(Base):
    """A person who is a practice's patient: the birth year their invite is checked against."""

    __tablename__ = "patients"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    birth_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class CareRow(Base):
    """A clinician looks after a patient: the only thing that lets a clinician see a record."""

    __tablename__ = "care"
    __table_args__ = (UniqueConstraint("clinician_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class InviteRow(Base):
    """A patient's single-use invite. Only the code's SHA-256 is stored; the code is shown
    once. Spent by ``used_at``, withdrawn by ``revoked_at`` (a reissue, or too many wrong birth
    years), dead after ``expires_at``."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    wrong_birth_years: Mapped[int] = mapped_column(Integer, default=0)


class AuthSessionRow(Base):
    """A signed-in browser (a clinician's) or device (a patient's): only the token's SHA-256
    is stored. Valid while not revoked, before ``expires_at`` and within its kind's idle time
    of ``last_seen_at``."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_person", "person_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(200), default=None)


class AuthThrottleRow(Base):
    """Failed sign-in or invite attempts for one account or client address (``key`` is the
    SHA-256 of the e-mail or address), counted in the database so every worker process shares
    them; ``locked_until`` set once the count reaches the limit."""

    __tablename__ = "auth_throttles"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    """When the row no longer matters (window and lock both over): pruned after that."""


class AuditRow(Base):
    """Who viewed or changed which patient's record, when and what; sign-in events too
    (``patient_id`` empty). Append-only. The ids are plain numbers, not foreign keys, so the
    trail outlives the people it names."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_patient_at", "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    actor_role: Mapped[str | None] = mapped_column(String(16), default=None)
    patient_id: Mapped[int | None] = mapped_column(Integer, default=None)
    action: Mapped[str] = mapped_column(String(32))
    what: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64), default=None)


class ClinicFlagRow(Base):
    """An event in a patient's records that needs their clinician's look (clinic.flags): one
    row per event, unique on (patient, kind, event_key), so raising it again changes nothing.
    Open until a clinician acknowledges it."""

    __tablename__ = "clinic_flags"
    __table_args__ = (
        UniqueConstraint("patient_id", "kind", "event_key", name="uq_clinic_flags_event"),
        Index("ix_clinic_flags_patient_open", "patient_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    event_key: Mapped[str] = mapped_column(String(80))
    happened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    summary: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None
    )


class ProgrammeTemplateRow(Base):
    """A clinician's programme template (clinic.programmes): a programme without a patient to
    start from. The clinician's, not a patient's record."""

    __tablename__ = "programme_templates"
    __table_args__ = (Index("ix_programme_templates_owner", "owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


CLINIC_TABLES = frozenset(
    {
        "practices",
        "accounts",
        "patients",
        "care",
        "invites",
        "auth_sessions",
        "auth_throttles",
        "audit",
        "clinic_flags",
        "programme_templates",
    }
)
"""The clinic's own tables (backcoach.clinic): not a person's records, so not ``Owned``."""


DERIVED_TABLES = frozenset({"documents", "live_sessions", "live_events"})
"""Personal tables remade from the others (documents made by jobs) or holding only working
state (a running session's engine state and applied events, whose results are in the
records): scoped and forgotten like every personal table, but left out of export and import,
which carry the records themselves."""


OWNED_BY_TABLE: dict[str, type[Owned]] = {
    mapper.persist_selectable.name: mapper.class_  # type: ignore[attr-defined]
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Owned)
}
"""Every personal table's mapped class, by table name."""
