"""The repository: every read and write of the person's records goes through here.

Each write commits at once: a finished set is on disk before the next one starts, so a crash
loses at most the set in progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backcoach.records.scoping import PERSON
from backcoach.records.tables import (
    OWNED_BY_TABLE,
    PERSONAL_PERSON_ID,
    Base,
    DirectionCheckRow,
    ExerciseOutcomeRow,
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

    _tx = scoped

    # --- profile ----------------------------------------------------------------------------

    def load_profile(self) -> Any:
        """The saved profile's data as stored (normally a dict), or ``None`` when there is none.
        Not validated here: the caller validates it and refuses what does not fit."""
        with self._tx() as s:
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
        with self._tx() as s:
            return s.scalars(select(ScreenRow).order_by(ScreenRow.id.desc()).limit(1)).first()

    def screens(self) -> list[ScreenRow]:
        with self._tx() as s:
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
        with self._tx() as s:
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
        with self._tx() as s:
            return s.get(PlanRow, plan_id)

    def start_session(self, plan_id: int, mode: str) -> int:
        with self._tx() as s:
            row = SessionRow(plan_id=plan_id, started_at=self._clock(), mode=mode)
            s.add(row)
            s.flush()
            return row.id

    def session(self, session_id: int) -> SessionRow | None:
        with self._tx() as s:
            return s.get(SessionRow, session_id)

    def unfinished_session(self) -> SessionRow | None:
        """The newest session still in progress (the process ended before it finished)."""
        with self._tx() as s:
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
        with self._tx() as s:
            query = select(SessionRow).order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return list(s.scalars(query))

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
        with self._tx() as s:
            query = select(SetLogRow).where(SetLogRow.session_id == session_id)
            return list(s.scalars(query.order_by(SetLogRow.id)))

    def all_sets(self) -> list[SetLogRow]:
        with self._tx() as s:
            return list(s.scalars(select(SetLogRow).order_by(SetLogRow.id)))

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
        with self._tx() as s:
            query = select(ExerciseOutcomeRow)
            if session_id is not None:
                query = query.where(ExerciseOutcomeRow.session_id == session_id)
            return list(s.scalars(query.order_by(ExerciseOutcomeRow.id)))

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
        with self._tx() as s:
            query = select(PainReportRow.id).where(
                PainReportRow.numbness.is_(True), PainReportRow.reported_at > moment
            )
            return s.scalars(query.limit(1)).first() is not None

    def pain_reports(self, session_id: int | None = None) -> list[PainReportRow]:
        with self._tx() as s:
            query = select(PainReportRow)
            if session_id is not None:
                query = query.where(PainReportRow.session_id == session_id)
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
        with self._tx() as s:
            query = select(ProgressionDecisionRow).order_by(ProgressionDecisionRow.id)
            return list(s.scalars(query))

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
