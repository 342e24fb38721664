"""Clinicians, practice admins and patients: adding them, their invites, and the operator's
listing. Functions over one database transaction; ``service.Clinic`` opens it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backcoach.clinic import audit, codes
from backcoach.clinic.errors import AlreadyExists, BadInput, NotFound
from backcoach.clinic.throttle import as_utc
from backcoach.records.tables import (
    AccountRow,
    AuthSessionRow,
    CareRow,
    InviteRow,
    PatientRow,
    PersonRow,
    PracticeRow,
)

CLINICIAN = "clinician"
ADMIN = "admin"
"""A practice admin: sees every patient of the practice."""
PATIENT = "patient"
STAFF_ROLES = (CLINICIAN, ADMIN)

INVITE_DAYS = 14
"""An invite not redeemed within this long stops working; the clinician reissues it."""
EARLIEST_BIRTH_YEAR = 1900
MAX_EMAIL = 254
"""RFC 5321's limit on a forward path, the longest e-mail address that can be delivered."""
MAX_NAME = 200


def normalise_email(raw: str) -> str:
    """The form an e-mail is stored and looked up in: trimmed, NFKC, lower case."""
    email = unicodedata.normalize("NFKC", raw).strip().lower()
    local, at, domain = email.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or len(email) > MAX_EMAIL
        or len(local) > 64
        or any(ch.isspace() or not ch.isprintable() for ch in email)
    ):
        raise BadInput(f"email: {raw!r} is not an e-mail address; write it as name@example.org")
    return email


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise BadInput(
            f"name: {raw[:40]!r} is not a usable name; give 1 to {MAX_NAME} printable characters"
        )
    return name


def check_birth_year(year: int, today: dt.date) -> int:
    if not EARLIEST_BIRTH_YEAR <= year <= today.year:
        raise BadInput(
            f"birth year: {year} is not a birth year; give the year as four digits between "
            f"{EARLIEST_BIRTH_YEAR} and {today.year}"
        )
    return year


def practice(db: Session, name: str, now: dt.datetime) -> PracticeRow:
    """The server's practice (the first one), made on first use."""
    row = db.scalars(select(PracticeRow).order_by(PracticeRow.id).limit(1)).first()
    if row is None:
        row = PracticeRow(name=name, created_at=now)
        db.add(row)
        db.flush()
    return row


def add_staff(
    db: Session,
    *,
    email: str,
    name: str,
    password_hash: str,
    role: str,
    practice_name: str,
    now: dt.datetime,
) -> AccountRow:
    """A clinician or practice admin with a sign-in (the password already checked and hashed)."""
    if role not in STAFF_ROLES:
        raise BadInput(f"role: {role!r} is not a staff role; one of {', '.join(STAFF_ROLES)}")
    if db.scalar(select(AccountRow.id).where(AccountRow.email == email)) is not None:
        raise AlreadyExists(f"email: an account for {email} exists already; use another e-mail")
    person = PersonRow(name=name, role=role, created_at=now)
    db.add(person)
    db.flush()
    account = AccountRow(
        person_id=person.id,
        practice_id=practice(db, practice_name, now).id,
        email=email,
        password_hash=password_hash,
        password_changed_at=now,
        created_at=now,
    )
    db.add(account)
    db.flush()
    return account


def staff_by_email(db: Session, email: str) -> tuple[AccountRow, PersonRow]:
    found = db.execute(
        select(AccountRow, PersonRow)
        .join(PersonRow, PersonRow.id == AccountRow.person_id)
        .where(AccountRow.email == normalise_email(email))
    ).first()
    if found is None:
        raise NotFound(
            f"clinician: no account for {email}; see `backcoach clinic list`, or add it with "
            "`backcoach clinic add-clinician`"
        )
    return found[0], found[1]


@dataclass(frozen=True)
class NewInvite:
    patient_id: int
    code: str
    """Shown once: only its hash is stored."""
    expires_at: dt.datetime


def add_patient(
    db: Session, *, name: str, birth_year: int, clinician: AccountRow, now: dt.datetime
) -> NewInvite:
    """A patient in the clinician's care, with a first invite."""
    person = PersonRow(name=name, role=PATIENT, created_at=now)
    db.add(person)
    db.flush()
    db.add(
        PatientRow(
            person_id=person.id,
            practice_id=clinician.practice_id,
            birth_year=birth_year,
            created_at=now,
        )
    )
    db.add(CareRow(clinician_id=clinician.person_id, patient_id=person.id, created_at=now))
    db.flush()
    return issue_invite(db, person.id, issued_by=clinician.person_id, now=now)


def issue_invite(
    db: Session, patient_id: int, *, issued_by: int | None, now: dt.datetime
) -> NewInvite:
    """A new invite for the patient; every older one not yet used stops working."""
    if db.get(PatientRow, patient_id) is None:
        raise NotFound(f"patient: no patient {patient_id}; see `backcoach clinic list`")
    db.execute(
        update(InviteRow)
        .where(
            InviteRow.patient_id == patient_id,
            InviteRow.used_at.is_(None),
            InviteRow.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    code = codes.new_invite_code()
    expires = now + dt.timedelta(days=INVITE_DAYS)
    db.add(
        InviteRow(
            patient_id=patient_id,
            code_hash=codes.digest(codes.normalise_invite_code(code) or ""),
            issued_by=issued_by,
            created_at=now,
            expires_at=expires,
            wrong_birth_years=0,
        )
    )
    audit.write(
        db,
        at=now,
        action="invite-issued",
        what="invite",
        actor_id=issued_by,
        actor_role=None if issued_by is None else CLINICIAN,
        patient_id=patient_id,
        detail={"expires_at": expires.isoformat()},
    )
    return NewInvite(patient_id=patient_id, code=code, expires_at=expires)


@dataclass(frozen=True)
class StaffListed:
    person_id: int
    name: str | None
    email: str
    role: str
    totp: bool
    patients: int


@dataclass(frozen=True)
class PatientListed:
    person_id: int
    name: str | None
    birth_year: int
    clinicians: list[str]
    invite: str
    """``open`` (until ``invite_expires``), ``used``, ``expired`` or ``none``."""
    invite_expires: dt.datetime | None
    devices: int
    """Signed-in devices (sessions not revoked or expired)."""


def listing(db: Session, now: dt.datetime) -> tuple[list[StaffListed], list[PatientListed]]:
    """Everyone on the server, for its operator (the admin CLI). A fixed number of queries."""
    cared: dict[int, int] = dict(
        db.execute(select(CareRow.clinician_id, func.count()).group_by(CareRow.clinician_id))
        .tuples()
        .all()
    )
    staff = [
        StaffListed(
            person_id=person.id,
            name=person.name,
            email=account.email,
            role=person.role,
            totp=account.totp_secret is not None,
            patients=int(cared.get(person.id, 0)),
        )
        for account, person in db.execute(
            select(AccountRow, PersonRow)
            .join(PersonRow, PersonRow.id == AccountRow.person_id)
            .order_by(PersonRow.id)
        ).all()
    ]
    emails: dict[int, list[str]] = {}
    for patient_id, email in db.execute(
        select(CareRow.patient_id, AccountRow.email)
        .join(AccountRow, AccountRow.person_id == CareRow.clinician_id)
        .order_by(AccountRow.email)
    ).all():
        emails.setdefault(patient_id, []).append(email)
    latest: dict[int, InviteRow] = {}
    newest = select(func.max(InviteRow.id)).group_by(InviteRow.patient_id)
    for invite in db.scalars(select(InviteRow).where(InviteRow.id.in_(newest))):
        latest[invite.patient_id] = invite
    devices: dict[int, int] = dict(
        db.execute(
            select(AuthSessionRow.person_id, func.count())
            .where(AuthSessionRow.revoked_at.is_(None), AuthSessionRow.expires_at > now)
            .group_by(AuthSessionRow.person_id)
        )
        .tuples()
        .all()
    )
    patients = []
    for patient, person in db.execute(
        select(PatientRow, PersonRow)
        .join(PersonRow, PersonRow.id == PatientRow.person_id)
        .order_by(PersonRow.id)
    ).all():
        state, expires = invite_state(latest.get(person.id), now)
        patients.append(
            PatientListed(
                person_id=person.id,
                name=person.name,
                birth_year=patient.birth_year,
                clinicians=emails.get(person.id, []),
                invite=state,
                invite_expires=expires,
                devices=int(devices.get(person.id, 0)),
            )
        )
    return staff, patients


def invite_state(invite: InviteRow | None, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    if invite is None:
        return "none", None
    if invite.used_at is not None:
        return "used", None
    if invite.revoked_at is not None:
        return "withdrawn", None
    expires = as_utc(invite.expires_at)
    return ("open", expires) if expires > now else ("expired", expires)
