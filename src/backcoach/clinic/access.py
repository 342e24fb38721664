"""Who is signed in, and what they may see.

``Who`` is a signed-in person as a request knows them. ``Roster`` is the one place the clinic
asks about patients for someone: each query carries the viewer's scope (a patient: only
themselves; a clinician: only patients in their care; a practice admin: the practice's
patients), there is no unscoped list of everyone, and a patient's own records are reached only
through ``records.store.Store`` made for that patient, after the check and with an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, sessionmaker

from backcoach.clinic import audit
from backcoach.clinic.accounts import ADMIN, CLINICIAN, PATIENT, NewInvite, issue_invite
from backcoach.clinic.errors import NotYours
from backcoach.records.store import Store
from backcoach.records.tables import AuthSessionRow, CareRow, PatientRow, PersonRow


@dataclass(frozen=True)
class Who:
    """A signed-in person: who, in what role, through which account and session."""

    person_id: int
    role: str
    name: str | None
    practice_id: int
    account_id: int | None
    """A clinician's or admin's account; ``None`` for a patient (they have a device)."""
    session_id: int
    kind: str
    """``browser`` (a clinician's sign-in) or ``device`` (a patient's redeemed invite)."""
    expires_at: dt.datetime


@dataclass(frozen=True)
class PatientSummary:
    person_id: int
    name: str | None
    birth_year: int
    archived: bool


def _visible(who: Who) -> Any:
    """The SQL condition on ``PatientRow`` for the patients ``who`` may see."""
    if who.role == PATIENT:
        return PatientRow.person_id == who.person_id
    if who.role == CLINICIAN:
        return and_(
            PatientRow.practice_id == who.practice_id,
            exists().where(
                CareRow.clinician_id == who.person_id,
                CareRow.patient_id == PatientRow.person_id,
            ),
        )
    if who.role == ADMIN:
        return PatientRow.practice_id == who.practice_id
    return PatientRow.person_id.is_(None)  # anyone else: no one


class Roster:
    """The patients one signed-in person may see, and the way to their records."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        who: Who,
        clock: Callable[[], dt.datetime],
        address: str | None = None,
    ) -> None:
        self._factory = factory
        self.who = who
        self._clock = clock
        self._address = address

    def may_see(self, patient_id: int) -> bool:
        with self._factory() as db:
            return self._may_see(db, patient_id)

    def _may_see(self, db: Session, patient_id: int) -> bool:
        found = db.scalar(
            select(PatientRow.person_id).where(
                PatientRow.person_id == patient_id, _visible(self.who)
            )
        )
        return found is not None

    def _check(self, db: Session, patient_id: int) -> None:
        if not self._may_see(db, patient_id):
            raise NotYours(patient_id)

    def patients(self) -> list[PatientSummary]:
        with self._factory() as db:
            rows = db.execute(
                select(PatientRow, PersonRow.name)
                .join(PersonRow, PersonRow.id == PatientRow.person_id)
                .where(_visible(self.who))
                .order_by(PersonRow.name, PatientRow.person_id)
            ).all()
            return [
                PatientSummary(
                    person_id=p.person_id,
                    name=name,
                    birth_year=p.birth_year,
                    archived=p.archived_at is not None,
                )
                for p, name in rows
            ]

    def store_for(self, patient_id: int, what: str = "record") -> Store:
        """The patient's records, for someone who may see them (``NotYours`` otherwise); the
        view is written to the audit log."""
        self.viewed(patient_id, what)
        return Store(self._factory, self._clock, person_id=patient_id)

    def viewed(self, patient_id: int, what: str, detail: dict[str, Any] | None = None) -> None:
        """Check, and log that ``what`` of the patient's record was viewed."""
        self._log("view", patient_id, what, detail)

    def changed(self, patient_id: int, what: str, detail: dict[str, Any] | None = None) -> None:
        """Check, and log that ``what`` of the patient's record was changed."""
        self._log("change", patient_id, what, detail)

    def _log(self, action: str, patient_id: int, what: str, detail: dict[str, Any] | None) -> None:
        with self._factory.begin() as db:
            self._check(db, patient_id)
            self._audit(db, action, patient_id, what, detail)

    def _audit(
        self, db: Session, action: str, patient_id: int, what: str, detail: dict[str, Any] | None
    ) -> None:
        audit.write(
            db,
            at=self._clock(),
            action=action,
            what=what,
            actor_id=self.who.person_id,
            actor_role=self.who.role,
            patient_id=patient_id,
            detail=detail,
            address=self._address,
        )

    def audit_log(self, patient_id: int) -> list[audit.AuditEntry]:
        """Who viewed or changed the patient's record, newest first (itself a logged view)."""
        with self._factory.begin() as db:
            self._check(db, patient_id)
            entries = audit.for_patient(db, patient_id)
            self._audit(db, "view", patient_id, "audit log", None)
            return entries

    def reissue_invite(self, patient_id: int) -> NewInvite:
        """A new invite for a patient in the viewer's care (staff only); older ones stop."""
        with self._factory.begin() as db:
            if self.who.role not in (CLINICIAN, ADMIN):
                raise NotYours(patient_id)
            self._check(db, patient_id)
            return issue_invite(db, patient_id, issued_by=self.who.person_id, now=self._clock())

    def sign_out_patient(self, patient_id: int) -> int:
        """Revoke every session of a patient in the viewer's care (a lost phone); how many."""
        from sqlalchemy import update

        with self._factory.begin() as db:
            if self.who.role not in (CLINICIAN, ADMIN):
                raise NotYours(patient_id)
            self._check(db, patient_id)
            now = self._clock()
            result = db.execute(
                update(AuthSessionRow)
                .where(AuthSessionRow.person_id == patient_id, AuthSessionRow.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            self._audit(db, "change", patient_id, "devices signed out", None)
            return int(getattr(result, "rowcount", 0) or 0)
