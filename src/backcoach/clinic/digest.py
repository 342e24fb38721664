"""A clinician's daily digest: what happened among their patients, in one page.

No e-mail or push is sent (issue 14: off by default). Every day the job worker prepares a
digest for each clinician (``jobs.daily``: the ``daily-digests`` periodic task defers one
``prepare-digest`` job per clinician): ``prepare`` raises the flags no event announces (no
session for 7 days) and sweeps the other rules over the recent records, so the digest page and
the patients list only read flags. The page shows the flags raised in the last day and every
flag still open, grouped by patient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backcoach.clinic import flags
from backcoach.clinic.access import PatientSummary, Roster, Who
from backcoach.clinic.accounts import CLINICIAN
from backcoach.records.tables import AccountRow, PersonRow

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class PatientDigest:
    patient: PatientSummary
    new: list[flags.Flag] = field(default_factory=list)
    """Raised in the last day."""
    older: list[flags.Flag] = field(default_factory=list)
    """Still open from before."""


@dataclass(frozen=True)
class Digest:
    clinician: str | None
    at: dt.datetime
    patients: list[PatientDigest]
    quiet: int
    """Patients in care with no open flag."""

    @property
    def new_count(self) -> int:
        return sum(len(p.new) for p in self.patients)


def build(factory: sessionmaker[Session], roster: Roster, now: dt.datetime) -> Digest:
    """The digest for the roster's viewer: their patients' open flags, grouped (it only
    reads). A fixed number of queries whatever the number of patients."""
    active = [p for p in roster.patients() if not p.archived]
    ids = [p.person_id for p in active]
    by_patient: dict[int, PatientDigest] = {}
    names = {p.person_id: p for p in active}
    for flag in flags.open_flags(factory, ids):
        entry = by_patient.setdefault(flag.patient_id, PatientDigest(names[flag.patient_id]))
        (entry.new if now - flag.raised_at < DAY else entry.older).append(flag)
    ordered = sorted(by_patient.values(), key=lambda d: (-len(d.new), d.patient.name or ""))
    return Digest(roster.who.name, now, ordered, quiet=len(ids) - len(by_patient))


def job_viewer(factory: sessionmaker[Session], clinician_id: int) -> Who | None:
    """The clinician as the digest job acts for them (no sign-in session: the job is the
    server's own work, and sees exactly what the clinician would). None: no such clinician."""
    with factory() as db:
        found = db.execute(
            select(AccountRow, PersonRow)
            .join(PersonRow, PersonRow.id == AccountRow.person_id)
            .where(AccountRow.person_id == clinician_id, AccountRow.disabled_at.is_(None))
        ).first()
    if found is None or found[1].role != CLINICIAN:
        return None
    account, person = found
    return Who(
        person_id=person.id,
        role=CLINICIAN,
        name=person.name,
        practice_id=account.practice_id,
        account_id=account.id,
        session_id=0,
        kind="job",
        expires_at=dt.datetime.max.replace(tzinfo=dt.UTC),
    )


def prepare(factory: sessionmaker[Session], clinician_id: int, now: dt.datetime) -> int:
    """The digest job's work for one clinician: raise their patients' flags that are due (no
    session for 7 days) and any an event's own hook missed (idempotent: a retry raises none
    twice). How many flags were new; 0 for an unknown or disabled clinician."""
    who = job_viewer(factory, clinician_id)
    if who is None:
        return 0
    roster = Roster(factory, who, lambda: now)
    ids = [p.person_id for p in roster.patients() if not p.archived]
    return flags.raise_flags(factory, ids, now)


def clinicians(factory: sessionmaker[Session]) -> list[int]:
    """Every clinician with an account in use: whom the daily digest is prepared for."""
    with factory() as db:
        return list(
            db.scalars(
                select(AccountRow.person_id)
                .join(PersonRow, PersonRow.id == AccountRow.person_id)
                .where(PersonRow.role == CLINICIAN, AccountRow.disabled_at.is_(None))
                .order_by(AccountRow.person_id)
            )
        )
