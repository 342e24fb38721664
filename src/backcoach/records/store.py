"""The repository: every read and write of the person's records goes through here.

Each write commits at once: a finished set is on disk before the next one starts, so a crash
loses at most the set in progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import and_, delete, exists, func, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only, sessionmaker

from backcoach.records import revision as _revision  # noqa: F401  (registers the events)
from backcoach.records.db import READ_ONLY
from backcoach.records.scoping import PERSON
from backcoach.records.tables import (
    OWNED_BY_TABLE,
    PERSONAL_PERSON_ID,
    Base,
    DirectionCheckRow,
    ExerciseOutcomeRow,
    LessonMarkRow,
    PainReportRow,
    PersonRow,
    PlanRow,
    ProfileRow,
    ProgressionDecisionRow,
    ScreenRow,
    SessionRow,
    SetLogRow,
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def local_day(moment: dt.datetime) -> dt.date:
    """The day a stored moment fell on where the person is: "today" is a local date, so an
    8 pm session in New York (01:00 UTC the next day) belongs to the day it was done on."""
    return as_utc(moment).astimezone().date()


def day_starts(day: dt.date) -> dt.datetime:
    """The moment (UTC) the local ``day`` begins: ``local_day(m) >= day`` exactly when
    ``m >= day_starts(day)``, so a window of local days is a range of stored moments."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


_READING: ContextVar[tuple[sessionmaker[Session], int, Session] | None] = ContextVar(
    "backcoach_reading", default=None
)
"""The read transaction open in this context (``Store.reading``), shared by the reads in it."""

_WRITING: ContextVar[tuple[sessionmaker[Session], int, Session] | None] = ContextVar(
    "backcoach_writing", default=None
)
"""The write transaction open in this context (``Store.writing``): every write and read of the
same database and person inside it joins it."""


class Store:
    """One person's records. Every statement a session from here runs is limited to that
    person's rows and every row it adds is stamped with them (records.scoping): there is no
    path from here to anyone else's records."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        clock: Callable[[], dt.datetime] = utcnow,
        person_id: int = PERSONAL_PERSON_ID,
    ) -> None:
        """``clock`` stamps new rows; the service layer passes one that honours a pretend
        today (BACKCOACH_TODAY) so replayed weeks get their own dates. ``person_id`` is whose
        records these are (personal mode: its one implicit person)."""
        self._factory = factory
        self._clock = clock
        self.person_id = person_id

    @property
    def factory(self) -> sessionmaker[Session]:
        """The raw session factory (no person): for work that is not personal records."""
        return self._factory

    @contextmanager
    def scoped(self) -> Iterator[Session]:
        """A database session limited to this person's rows, in one transaction (export,
        import and forget work through it)."""
        with self._factory.begin() as session:
            session.info[PERSON] = self.person_id
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction for a unit of work: every write and read this store (or another
        on the same database and person) makes inside the block joins it, so they commit
        together or not at all (a live session's event: ``services.live``). On SQLite it begins
        IMMEDIATE, so units of work on one database run one after another."""
        current = self._joined()
        if current is not None:
            yield current
            return
        with self.scoped() as session:
            token = _WRITING.set((self._factory, self.person_id, session))
            try:
                yield session
            finally:
                _WRITING.reset(token)

    def _joined(self) -> Session | None:
        current = _WRITING.get()
        if current is not None and current[0] is self._factory and current[1] == self.person_id:
            return current[2]
        return None

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """A write in its own transaction, or a savepoint of the open ``writing()`` one (so a
        write that fails, such as ``save_set``'s duplicate, leaves the rest standing)."""
        current = self._joined()
        if current is None:
            with self.scoped() as session:
                yield session
            return
        with current.begin_nested():
            yield current

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A database session limited to this person's rows, in a transaction that only reads.

        On SQLite it begins deferred (plain ``BEGIN``, see ``records.db``), so a page view never
        takes the write lock. Reads inside an open ``reading()`` block (of the same database and
        person) share its transaction: one snapshot, one BEGIN. Writes never go through here;
        one made inside such a block runs in its own transaction, unseen by the block's later
        reads, so services that write read afresh after writing."""
        writing = self._joined()
        if writing is not None:  # inside writing(): read what it wrote
            yield writing
            return
        current = self._reading()
        if current is not None:
            yield current
            return
        with self._factory() as session:
            session.info[PERSON] = self.person_id
            session.connection(execution_options={READ_ONLY: True})
            token = _READING.set((self._factory, self.person_id, session))
            try:
                yield session
                session.commit()
            finally:
                _READING.reset(token)

    def revision(self) -> str | None:
        """This person's revision tag (``records.revision``; None if they have no row): it
        changes with every committed write of their records, in any process. Read it before the
        records a result is built from (first in a ``reading()`` block, or just before one);
        then the result may be kept under it. Outside a block it is one small read on its own
        connection, no ORM session: a page kept under it is answered after just this."""
        query = select(PersonRow.revision).where(PersonRow.id == self.person_id)
        current = self._joined() or self._reading()
        if current is not None:
            tag = current.execute(query).scalar_one_or_none()
        else:
            engine = self._factory.kw["bind"]
            with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
                tag = connection.execute(query).scalar_one_or_none()
                connection.commit()
        return tag if isinstance(tag, str) and tag else None

    def _reading(self) -> Session | None:
        current = _READING.get()
        if current is not None and current[0] is self._factory and current[1] == self.person_id:
            return current[2]
        return None

    # --- profile ----------------------------------------------------------------------------

    def load_profile(self) -> Any:
        """The saved profile's data as stored (normally a dict), or ``None`` when there is none.
        Not validated here: the caller validates it and refuses what does not fit."""
        with self.reading() as s:
            row = s.scalars(select(ProfileRow)).first()
            if row is None:
                return None
            return dict(row.data) if isinstance(row.data, dict) else row.data

    def save_profile(self, data: dict[str, Any]) -> None:
        with self._tx() as s:
            row = s.scalars(select(ProfileRow)).first()
            if row is None:
                s.add(ProfileRow(data=data, updated_at=self._clock()))
            else:
                row.data = data
                row.updated_at = self._clock()

    # --- screens ----------------------------------------------------------------------------

    def add_screen(
        self,
        *,
        taken_on: dt.date,
        tier: str,
        flags: list[str],
        unanswered: list[str],
        answers: dict[str, Any],
        advice: str,
    ) -> int:
        with self._tx() as s:
            row = ScreenRow(
                taken_at=self._clock(),
                taken_on=taken_on,
                tier=tier,
                flags=flags,
                unanswered=unanswered,
                answers=answers,
                advice=advice,
            )
            s.add(row)
            s.flush()
            return row.id

    def current_screen(self) -> ScreenRow | None:
        with self.reading() as s:
            return s.scalars(select(ScreenRow).order_by(ScreenRow.id.desc()).limit(1)).first()

    def screens(self) -> list[ScreenRow]:
        with self.reading() as s:
            return list(s.scalars(select(ScreenRow).order_by(ScreenRow.id)))

    def record_clearance(self, screen_id: int, cleared_on: dt.date, cleared_by: str | None) -> None:
        with self._tx() as s:
            row = s.get(ScreenRow, screen_id)
            if row is None:
                raise LookupError(f"no screen with id {screen_id}")
            row.cleared_on = cleared_on
            row.cleared_by = cleared_by

    # --- direction checks -------------------------------------------------------------------

    def add_direction_check(self, taken_on: dt.date, result: str, details: dict[str, Any]) -> int:
        with self._tx() as s:
            row = DirectionCheckRow(
                taken_at=self._clock(), taken_on=taken_on, result=result, details=details
            )
            s.add(row)
            s.flush()
            return row.id

    def latest_direction_check(self) -> DirectionCheckRow | None:
        with self.reading() as s:
            query = select(DirectionCheckRow).order_by(DirectionCheckRow.id.desc()).limit(1)
            return s.scalars(query).first()

    # --- plans and sessions -----------------------------------------------------------------

    def save_plan(self, for_date: dt.date, data: dict[str, Any], flare_up: bool) -> int:
        with self._tx() as s:
            row = PlanRow(for_date=for_date, created_at=self._clock(), flare_up=flare_up, data=data)
            s.add(row)
            s.flush()
            return row.id

    def plan(self, plan_id: int) -> PlanRow | None:
        with self.reading() as s:
            return s.get(PlanRow, plan_id)

    def start_session(self, plan_id: int, mode: str) -> int:
        with self._tx() as s:
            row = SessionRow(plan_id=plan_id, started_at=self._clock(), mode=mode)
            s.add(row)
            s.flush()
            return row.id

    def session(self, session_id: int) -> SessionRow | None:
        with self.reading() as s:
            return s.get(SessionRow, session_id)

    def unfinished_session(self) -> SessionRow | None:
        """The newest session still in progress (the process ended before it finished)."""
        with self.reading() as s:
            query = (
                select(SessionRow)
                .where(SessionRow.status == "in-progress")
                .order_by(SessionRow.id.desc())
                .limit(1)
            )
            return s.scalars(query).first()

    def set_pain_before(self, session_id: int, score: int) -> None:
        with self._tx() as s:
            row = s.get(SessionRow, session_id)
            if row is not None:
                row.pain_before = score

    def finish_session(self, session_id: int, status: str, pain_after: int | None) -> None:
        with self._tx() as s:
            row = s.get(SessionRow, session_id)
            if row is None:
                raise LookupError(f"no session with id {session_id}")
            row.status = status
            row.ended_at = self._clock()
            if pain_after is not None:
                row.pain_after = pain_after

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        with self.reading() as s:
            query = select(SessionRow).order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return list(s.scalars(query))

    def sessions_since(self, moment: dt.datetime, also: Collection[int] = ()) -> list[SessionRow]:
        """Sessions started at or after ``moment`` (UTC), and those whose id is in ``also``;
        oldest first. One query however long the history."""
        mine = SessionRow.person_id == self.person_id
        ids = union_all(
            select(SessionRow.id).where(mine, SessionRow.started_at >= moment),
            select(SessionRow.id).where(mine, SessionRow.id.in_(sorted(also))),
        )
        with self.reading() as s:
            rows = s.scalars(select(SessionRow).where(SessionRow.id.in_(ids)))
            return sorted(rows, key=lambda row: (row.started_at, row.id))

    def plans_for(self, plan_ids: Collection[int]) -> dict[int, PlanRow]:
        """The plans with these ids, by id (one query)."""
        with self.reading() as s:
            query = select(PlanRow).where(PlanRow.id.in_(sorted(set(plan_ids))))
            return {row.id: row for row in s.scalars(query)}

    def _done(self) -> Any:
        """A session that counts as done: ended, with at least one complete set."""
        complete = exists().where(
            SetLogRow.session_id == SessionRow.id,
            SetLogRow.complete.is_(True),
            SetLogRow.person_id == self.person_id,
        )
        return and_(SessionRow.status != "in-progress", complete)

    def first_done_start(self) -> dt.datetime | None:
        """When the first session that counts as done (ended, a complete set) started."""
        with self.reading() as s:
            query = (
                select(SessionRow.started_at)
                .where(self._done())
                .order_by(SessionRow.started_at)
                .limit(1)
            )
            return s.scalar(query)

    def done_sessions_since(self, moment: dt.datetime | None) -> list[SessionRow]:
        """Ended sessions with a complete set, started at or after ``moment`` (all when None);
        oldest first."""
        with self.reading() as s:
            query = select(SessionRow).where(self._done())
            if moment is not None:
                query = query.where(SessionRow.started_at >= moment)
            return list(s.scalars(query.order_by(SessionRow.started_at, SessionRow.id)))

    # --- set logs, outcomes, pain -----------------------------------------------------------

    def save_set(self, session_id: int, **fields: Any) -> bool:
        """Commit one finished set now.

        The same (item, set, side) saved again replaces the earlier row: a set redone after
        Back, or a part-done set completed after a resume. Returns True when a new row was
        written, False when an existing one was replaced. Never duplicates.
        """
        fields.setdefault("side", "both")
        fields.setdefault("finished_at", self._clock())
        fields.setdefault("complete", True)
        try:
            with self._tx() as s:
                s.add(SetLogRow(session_id=session_id, **fields))
            return True
        except IntegrityError:
            pass
        with self._tx() as s:
            row = s.scalars(
                select(SetLogRow).where(
                    SetLogRow.session_id == session_id,
                    SetLogRow.item_index == fields["item_index"],
                    SetLogRow.set_number == fields["set_number"],
                    SetLogRow.side == fields["side"],
                )
            ).one()
            for key, value in fields.items():
                setattr(row, key, value)
        return False

    def forget_item(self, session_id: int, item_index: int) -> None:
        """Remove one exercise's sets and outcome from a session (it is being done again)."""
        with self._tx() as s:
            for table in (SetLogRow, ExerciseOutcomeRow):
                s.execute(
                    delete(table).where(
                        table.session_id == session_id, table.item_index == item_index
                    )
                )

    def sets(self, session_id: int) -> list[SetLogRow]:
        with self.reading() as s:
            query = select(SetLogRow).where(SetLogRow.session_id == session_id)
            return list(s.scalars(query.order_by(SetLogRow.id)))

    def all_sets(self) -> list[SetLogRow]:
        with self.reading() as s:
            return list(s.scalars(select(SetLogRow).order_by(SetLogRow.id)))

    def sets_for(self, session_ids: Collection[int]) -> list[SetLogRow]:
        """Every set of these sessions, in the order saved (one query)."""
        with self.reading() as s:
            # Sorted here, not in SQL: ORDER BY id would steer SQLite to the person's whole
            # history in id order instead of the (person, session) index.
            query = select(SetLogRow).where(SetLogRow.session_id.in_(sorted(set(session_ids))))
            return sorted(s.scalars(query), key=lambda row: row.id)

    def complete_set_counts(self, session_ids: Collection[int]) -> dict[tuple[int, int], int]:
        """(session id, item index) -> complete sets saved, for these sessions (one query)."""
        with self.reading() as s:
            query = (
                select(SetLogRow.session_id, SetLogRow.item_index, func.count(SetLogRow.id))
                .where(
                    SetLogRow.session_id.in_(sorted(set(session_ids))),
                    SetLogRow.complete.is_(True),
                )
                .group_by(SetLogRow.session_id, SetLogRow.item_index)
            )
            return {(sid, index): count for sid, index, count in s.execute(query)}

    def save_outcome(
        self,
        session_id: int,
        item_index: int,
        exercise_id: str,
        outcome: str,
        details: dict[str, Any] | None = None,
        rating: str | None = None,
    ) -> None:
        """Record how an exercise ended (and its rating); a later call for the same item
        updates it, a stop or skip outranking a plain finish recorded a moment earlier."""
        with self._tx() as s:
            query = select(ExerciseOutcomeRow).where(
                ExerciseOutcomeRow.session_id == session_id,
                ExerciseOutcomeRow.item_index == item_index,
            )
            row = s.scalars(query).first()
            if row is None:
                row = ExerciseOutcomeRow(
                    session_id=session_id,
                    item_index=item_index,
                    exercise_id=exercise_id,
                    outcome=outcome,
                    details={},
                    recorded_at=self._clock(),
                )
                s.add(row)
            elif row.outcome == "finished" or outcome != "finished":
                row.outcome = outcome
            row.details = {**(row.details or {}), **(details or {})}
            if rating is not None:
                row.rating = rating

    def save_rating(self, session_id: int, item_index: int, exercise_id: str, rating: str) -> None:
        self.save_outcome(session_id, item_index, exercise_id, "finished", rating=rating)

    def outcomes(self, session_id: int | None = None) -> list[ExerciseOutcomeRow]:
        with self.reading() as s:
            query = select(ExerciseOutcomeRow)
            if session_id is not None:
                query = query.where(ExerciseOutcomeRow.session_id == session_id)
            return list(s.scalars(query.order_by(ExerciseOutcomeRow.id)))

    def outcomes_for(self, session_ids: Collection[int]) -> list[ExerciseOutcomeRow]:
        """Every exercise outcome of these sessions, in the order saved (one query)."""
        with self.reading() as s:
            query = select(ExerciseOutcomeRow).where(
                ExerciseOutcomeRow.session_id.in_(sorted(set(session_ids)))
            )
            return sorted(s.scalars(query), key=lambda row: row.id)  # see sets_for

    def newest_outcomes(
        self, exercise_ids: Collection[str], newest: int
    ) -> list[tuple[str, int, dt.datetime]]:
        """What progression needs beyond its weeks: for each of these exercises, the
        ``newest`` ended sessions in which it was done (finished or stopped), newest first, and
        every session in which it was stopped. (exercise id, session id, session start) rows,
        in one query that walks the sessions back from the newest only until it has found
        them, and looks up the stops (few: a second pain stop drops an exercise)."""
        o, sess = ExerciseOutcomeRow, SessionRow
        picked = []
        for exercise_id in sorted(set(exercise_ids)):
            done_in_it = exists().where(
                o.person_id == self.person_id,
                o.session_id == sess.id,
                o.exercise_id == exercise_id,
                o.outcome.in_(("finished", "stopped")),
            )
            done = (
                select(literal(exercise_id).label("exercise_id"), sess.id, sess.started_at)
                .where(sess.person_id == self.person_id, sess.status != "in-progress", done_in_it)
                .order_by(sess.started_at.desc(), sess.id.desc())
                .limit(newest)
                .subquery()
            )
            stopped = (
                select(o.exercise_id, o.session_id, sess.started_at)
                .join(sess, sess.id == o.session_id)
                .where(
                    o.person_id == self.person_id,
                    o.exercise_id == exercise_id,
                    o.outcome == "stopped",
                    sess.status != "in-progress",
                )
                .subquery()
            )
            picked += [select(done), select(stopped)]
        if not picked:
            return []
        with self.reading() as s:
            rows = s.execute(union_all(*picked))
            return [(e, sid, started) for e, sid, started in rows]

    def stopped_outcomes_since(
        self, moment: dt.datetime | None
    ) -> list[tuple[ExerciseOutcomeRow, dt.datetime]]:
        """Exercises a stop rule ended in sessions started at or after ``moment`` (all when
        None), with the session's start, in the order saved (one query)."""
        with self.reading() as s:
            query = (
                select(ExerciseOutcomeRow, SessionRow.started_at)
                .join(SessionRow, SessionRow.id == ExerciseOutcomeRow.session_id)
                .where(
                    ExerciseOutcomeRow.outcome == "stopped",
                    ExerciseOutcomeRow.person_id == self.person_id,
                )
            )
            if moment is not None:
                query = query.where(SessionRow.started_at >= moment)
            rows = [(row, started) for row, started in s.execute(query)]
            return sorted(rows, key=lambda pair: pair[0].id)  # see sets_for

    def newest_stops(self, limit: int) -> tuple[list[tuple[ExerciseOutcomeRow, dt.datetime]], int]:
        """The ``limit`` newest exercises a stop rule ended, newest first, with their session's
        start; and how many there are in all (two queries)."""
        o = ExerciseOutcomeRow
        with self.reading() as s:
            query = (
                select(o, SessionRow.started_at)
                .join(SessionRow, SessionRow.id == o.session_id)
                .where(o.outcome == "stopped")
                .order_by(o.id.desc())
                .limit(limit)
            )
            rows = [(row, started) for row, started in s.execute(query)]
            total = s.scalar(select(func.count(o.id)).where(o.outcome == "stopped")) or 0
            return rows, total

    def save_pain(
        self,
        *,
        moment: str,
        score: int,
        session_id: int | None = None,
        item_index: int | None = None,
        exercise_id: str | None = None,
        sharp: bool = False,
        spreading: bool = False,
        numbness: bool = False,
        decision: dict[str, Any] | None = None,
        reported_at: dt.datetime | None = None,
    ) -> int:
        with self._tx() as s:
            row = PainReportRow(
                session_id=session_id,
                item_index=item_index,
                exercise_id=exercise_id,
                moment=moment,
                score=score,
                sharp=sharp,
                spreading=spreading,
                numbness=numbness,
                decision=decision or {},
                reported_at=reported_at or self._clock(),
            )
            s.add(row)
            s.flush()
            return row.id

    def numbness_reported_since(self, moment: dt.datetime) -> bool:
        """Was new numbness, tingling or weakness reported after ``moment``?"""
        with self.reading() as s:
            query = select(PainReportRow.id).where(
                PainReportRow.numbness.is_(True), PainReportRow.reported_at > moment
            )
            return s.scalars(query.limit(1)).first() is not None

    def pain_reports(self, session_id: int | None = None) -> list[PainReportRow]:
        with self.reading() as s:
            query = select(PainReportRow)
            if session_id is not None:
                query = query.where(PainReportRow.session_id == session_id)
            return list(s.scalars(query.order_by(PainReportRow.reported_at, PainReportRow.id)))

    def pain_reports_for(self, session_ids: Collection[int]) -> list[PainReportRow]:
        """Every pain report of these sessions, oldest first (one query)."""
        with self.reading() as s:
            query = select(PainReportRow).where(
                PainReportRow.session_id.in_(sorted(set(session_ids)))
            )
            # see sets_for
            return sorted(s.scalars(query), key=lambda row: (as_utc(row.reported_at), row.id))

    def pain_reports_since(
        self, moment: dt.datetime, moments: Collection[str] | None = None
    ) -> list[PainReportRow]:
        """Pain reports made at or after ``moment`` (UTC), of these ``moments`` (all when
        None), oldest first."""
        with self.reading() as s:
            query = select(PainReportRow).where(PainReportRow.reported_at >= moment)
            if moments is not None:
                query = query.where(PainReportRow.moment.in_(sorted(moments)))
            return list(s.scalars(query.order_by(PainReportRow.reported_at, PainReportRow.id)))

    # --- progression ------------------------------------------------------------------------

    def save_decision(
        self,
        exercise_id: str,
        action: str,
        dose: dict[str, Any],
        reason: str,
        session_id: int | None = None,
        decided_on: dt.date | None = None,
        replacement: str | None = None,
        until: dt.date | None = None,
    ) -> None:
        with self._tx() as s:
            s.add(
                ProgressionDecisionRow(
                    decided_at=self._clock(),
                    session_id=session_id,
                    exercise_id=exercise_id,
                    action=action,
                    dose=dose,
                    reason=reason,
                    decided_on=decided_on,
                    replacement=replacement,
                    until=until,
                )
            )

    def decisions(self) -> list[ProgressionDecisionRow]:
        with self.reading() as s:
            query = select(ProgressionDecisionRow).order_by(ProgressionDecisionRow.id)
            return list(s.scalars(query))

    def save_decisions(self, decisions: list[dict[str, Any]]) -> None:
        """Save several decisions (``save_decision``'s arguments each) in one transaction."""
        if not decisions:
            return
        with self._tx() as s:
            s.add_all(
                ProgressionDecisionRow(
                    decided_at=self._clock(),
                    session_id=d.get("session_id"),
                    exercise_id=d["exercise_id"],
                    action=d["action"],
                    dose=d["dose"],
                    reason=d["reason"],
                    decided_on=d.get("decided_on"),
                    replacement=d.get("replacement"),
                    until=d.get("until"),
                )
                for d in decisions
            )

    def deciding_decisions(
        self,
        today: dt.date,
        day_ends: dt.datetime,
        state_actions: Collection[str],
        dose_actions: Collection[str],
        lower_after_days: int,
    ) -> list[ProgressionDecisionRow]:
        """The decisions the programme's state as of ``today`` is folded from, oldest first:
        a few dozen rows however many were ever made, in one query on indexes led by the
        person.

        Applied decisions are those dated ``today`` or earlier (an undated one: made before
        ``day_ends``, the moment after today). The rows kept are: of the dated ones, the newest
        of each of the ``state_actions`` for each exercise (a later decision wins, so a fold
        ends on these); every move to a harder or easier exercise (few); every decision of the
        latest day; and, within ``lower_after_days`` of the latest flare-up's end, the first
        decision with one of the ``dose_actions`` for each exercise pair since it ended.
        Undated decisions (only from records older than migration 0002, or imported from them:
        they do not grow) are all kept; the fold itself leaves out those after today.
        ``planning.program_state`` gives the same state from these as from every decision ever
        made (tests/services/test_history_cost.py checks it against the whole history)."""
        d = ProgressionDecisionRow
        mine = d.person_id == self.person_id
        dated = d.decided_on <= today
        undated = and_(d.decided_on.is_(None), d.decided_at < day_ends)
        applied = or_(dated, undated)
        moves = ("progress-to", "regress-to")
        # max(id + 0), not max(id): SQLite would otherwise walk every decision in id order.
        last_flare = (
            select(func.max(d.id + 0))
            .where(mine, d.action == "flare-up", applied)
            .scalar_subquery()
        )
        flare_until = select(d.until).where(mine, d.id == last_flare).scalar_subquery()
        latest_day = select(func.max(d.decided_on)).where(mine, dated).scalar_subquery()
        ids = union_all(
            # dated ones only: read from the (person, action, exercise, day, id) index alone
            select(func.max(d.id))
            .where(mine, d.action.in_(sorted(state_actions)), dated)
            .group_by(d.action, d.exercise_id),
            # every move (rare: each one changes the exercise; a day condition here would
            # steer SQLite onto the day index and through every decision)
            select(d.id).where(mine, d.action.in_(moves)),
            select(d.id).where(mine, d.decided_on == latest_day),
            # every undated one (a time condition here would steer SQLite off the index)
            select(d.id).where(mine, d.decided_on.is_(None)),
            select(func.min(d.id))
            .where(
                mine,
                d.decided_on > flare_until,
                dated,
                flare_until >= today - dt.timedelta(days=lower_after_days),
                d.action.in_(sorted(dose_actions)),
            )
            .group_by(d.exercise_id, d.replacement),
        )
        with self.reading() as s:
            return sorted(s.scalars(select(d).where(d.id.in_(ids))), key=lambda row: row.id)

    def newest_decisions(
        self, leaving_out: Collection[str], limit: int
    ) -> list[ProgressionDecisionRow]:
        """The ``limit`` newest decisions whose action is not one of ``leaving_out``, newest
        first."""
        d = ProgressionDecisionRow
        with self.reading() as s:
            query = (
                select(d)
                .where(d.action.not_in(sorted(leaving_out)))
                .order_by(d.id.desc())
                .limit(limit)
            )
            return list(s.scalars(query))

    def decision_counts(self) -> dict[str, int]:
        """action -> how many decisions with it were made (one query, on an index)."""
        d = ProgressionDecisionRow
        with self.reading() as s:
            rows = s.execute(select(d.action, func.count(d.id)).group_by(d.action))
            return {action: count for action, count in rows}

    def flare_ups(self) -> list[ProgressionDecisionRow]:
        """Every flare-up decision, in the order made (few: a flare-up lasts days)."""
        d = ProgressionDecisionRow
        with self.reading() as s:
            rows = s.scalars(select(d).where(d.action == "flare-up"))
            return sorted(rows, key=lambda row: row.id)  # see sets_for

    def flare_up_until(self, today: dt.date, day_ends: dt.datetime) -> dt.date | None:
        """The end of the latest flare-up decided by ``today`` (an undated one: made before
        ``day_ends``), as the programme's state has it; None without one. Index look-ups."""
        d = ProgressionDecisionRow
        mine = d.person_id == self.person_id
        applied = or_(d.decided_on <= today, and_(d.decided_on.is_(None), d.decided_at < day_ends))
        last = select(func.max(d.id + 0)).where(mine, d.action == "flare-up", applied)
        with self.reading() as s:
            return s.scalar(select(d.until).where(mine, d.id == last.scalar_subquery()))

    def decisions_since(self, day: dt.date, moment: dt.datetime) -> list[ProgressionDecisionRow]:
        """Decisions dated ``day`` or later (an undated one: made at or after ``moment``), in
        the order made, as a summary lists them: without their dose (not loaded)."""
        d = ProgressionDecisionRow
        mine = d.person_id == self.person_id
        ids = union_all(
            select(d.id).where(mine, d.decided_on >= day),
            select(d.id).where(mine, d.decided_on.is_(None)),  # few: see deciding_decisions
        )
        listed = load_only(
            d.decided_at, d.decided_on, d.exercise_id, d.action, d.reason, d.replacement, d.until
        )
        with self.reading() as s:
            rows = s.scalars(select(d).where(d.id.in_(ids)).options(listed))
            return sorted(
                (r for r in rows if r.decided_on is not None or as_utc(r.decided_at) >= moment),
                key=lambda row: row.id,
            )

    # --- lessons (backcoach.lessons) ---------------------------------------------------------

    def lesson_marks(self) -> list[LessonMarkRow]:
        """What the person did with each lesson (one row per lesson touched; a few dozen at
        most, as there are a few dozen lessons), by lesson id."""
        with self.reading() as s:
            rows = s.scalars(select(LessonMarkRow))
            return sorted(rows, key=lambda row: row.lesson_id)

    def mark_lesson(
        self,
        lesson_id: str,
        *,
        read_on: dt.date | None = None,
        skipped_on: dt.date | None = None,
        assigned_by: int | None = None,
        assigned_by_name: str | None = None,
    ) -> None:
        """Note that a lesson was read on ``read_on`` (the first reading is kept: a lesson
        read again on request stays read since that day), skipped on ``skipped_on``, or
        assigned by a clinician (``assigned_by``, their person id; assigning again renews it).
        One row per lesson: a second writer racing for the same new row retries once."""
        for attempt in (1, 2):
            try:
                with self._tx() as s:
                    query = select(LessonMarkRow).where(LessonMarkRow.lesson_id == lesson_id)
                    row = s.scalars(query).first()
                    if row is None:
                        row = LessonMarkRow(lesson_id=lesson_id)
                        s.add(row)
                    if read_on is not None and row.read_on is None:
                        row.read_on, row.read_at = read_on, self._clock()
                    if skipped_on is not None:
                        row.skipped_on = skipped_on
                    if assigned_by is not None:
                        row.assigned_at = self._clock()
                        row.assigned_by, row.assigned_by_name = assigned_by, assigned_by_name
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    # --- everything -------------------------------------------------------------------------

    def forget_everything(self) -> None:
        """Delete every record of this person (children first, so foreign keys hold on every
        database); other people's records and the person's own entry stay."""
        with self._tx() as s:
            for table in reversed(Base.metadata.sorted_tables):
                entity = OWNED_BY_TABLE.get(table.name)
                if entity is not None:
                    s.execute(delete(entity).where(entity.person_id == self.person_id))
            person = s.get(PersonRow, self.person_id)
            if person is not None:
                person.name = None
