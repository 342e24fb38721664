"""Signing in: clinicians with e-mail, password and (optionally) TOTP; patients by redeeming
an invite; server-side sessions for both.

Each function works in the caller's transaction and *returns* a refusal instead of raising
it, so the failure it counted is committed before the caller raises (``service.Clinic``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backcoach.clinic import audit, codes, throttle, totp
from backcoach.clinic.access import Who
from backcoach.clinic.accounts import PATIENT, normalise_email
from backcoach.clinic.errors import (
    BadCredentials,
    BadInput,
    ClinicError,
    InviteProblem,
    Locked,
    TotpRequired,
    TotpWrong,
)
from backcoach.clinic.passwords import MAX_LENGTH, Hasher
from backcoach.clinic.throttle import as_utc
from backcoach.records.tables import (
    AccountRow,
    AuthSessionRow,
    InviteRow,
    PatientRow,
    PersonRow,
)

BROWSER = "browser"
DEVICE = "device"
BROWSER_IDLE = dt.timedelta(minutes=30)
BROWSER_LIFETIME = dt.timedelta(hours=12)
"""ASVS 4.0.3 3.3.2 (level 2): sign in again after 12 hours, or 30 idle minutes."""
DEVICE_IDLE = dt.timedelta(days=90)
DEVICE_LIFETIME = dt.timedelta(days=365)
"""A patient's phone stays signed in (the issue's "long-lived, revocable device session"):
a year at most, and 90 days unused ends it; the patient or clinician can revoke it any time."""
TOUCH_EVERY = dt.timedelta(minutes=1)
"""``last_seen_at`` is written at most this often, not on every request."""
MAX_WRONG_BIRTH_YEARS = 5
"""Wrong birth years one invite takes before it is withdrawn (the clinician reissues it)."""


@dataclass(frozen=True)
class SignedIn:
    token: str
    """The session token for the cookie; only its SHA-256 is stored."""
    who: Who


def _idle(kind: str) -> dt.timedelta:
    return DEVICE_IDLE if kind == DEVICE else BROWSER_IDLE


def start_session(
    db: Session,
    *,
    person: PersonRow,
    practice_id: int,
    account_id: int | None,
    kind: str,
    now: dt.datetime,
    address: str | None,
    user_agent: str | None,
) -> SignedIn:
    token = codes.new_token()
    expires = now + (DEVICE_LIFETIME if kind == DEVICE else BROWSER_LIFETIME)
    row = AuthSessionRow(
        token_hash=codes.digest(token),
        person_id=person.id,
        account_id=account_id,
        kind=kind,
        created_at=now,
        last_seen_at=now,
        expires_at=expires,
        address=(address or None) and address[:64],
        user_agent=(user_agent or None) and user_agent[:200],
    )
    db.add(row)
    db.flush()
    who = Who(
        person_id=person.id,
        role=person.role,
        name=person.name,
        practice_id=practice_id,
        account_id=account_id,
        session_id=row.id,
        kind=kind,
        expires_at=min(expires, now + _idle(kind)),
    )
    return SignedIn(token=token, who=who)


def session_who(db: Session, token: str, now: dt.datetime) -> Who | None:
    """The person a session token signs in, or ``None`` (unknown, revoked, expired, idle too
    long, or its account disabled). Refreshes ``last_seen_at`` now and then."""
    if not token or len(token) > 128:
        return None
    found = db.execute(
        select(AuthSessionRow, PersonRow)
        .join(PersonRow, PersonRow.id == AuthSessionRow.person_id)
        .where(AuthSessionRow.token_hash == codes.digest(token))
    ).first()
    if found is None:
        return None
    row, person = found
    seen = as_utc(row.last_seen_at)
    expires = as_utc(row.expires_at)
    if row.revoked_at is not None or expires <= now or seen + _idle(row.kind) <= now:
        return None
    if row.account_id is not None:
        account = db.get(AccountRow, row.account_id)
        if account is None or account.disabled_at is not None:
            return None
        practice_id = account.practice_id
    else:
        patient = db.get(PatientRow, row.person_id)
        if patient is None or patient.archived_at is not None:
            return None
        practice_id = patient.practice_id
    if now - seen >= TOUCH_EVERY:
        row.last_seen_at = now
        seen = now
    return Who(
        person_id=person.id,
        role=person.role,
        name=person.name,
        practice_id=practice_id,
        account_id=row.account_id,
        session_id=row.id,
        kind=row.kind,
        expires_at=min(expires, seen + _idle(row.kind)),
    )


def revoke(db: Session, token: str, now: dt.datetime) -> int | None:
    """Revoke one session; the person it belonged to, if it was live."""
    row = db.scalars(
        select(AuthSessionRow).where(AuthSessionRow.token_hash == codes.digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    row.revoked_at = now
    return row.person_id


def revoke_all(db: Session, person_id: int, now: dt.datetime) -> int:
    """Revoke every session of the person ("sign out everywhere"); how many were live."""
    result = db.execute(
        update(AuthSessionRow)
        .where(AuthSessionRow.person_id == person_id, AuthSessionRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


Key = tuple[throttle.Rule, str]


def _locked(db: Session, now: dt.datetime, what: str, *keys: Key) -> Locked | None:
    """Refused unread while any of the keys is locked (not counted, not logged again)."""
    ends = [u for rule, key in keys if (u := throttle.locked_until(db, rule, key, now)) is not None]
    return Locked(max(ends), now, what) if ends else None


def _count_failure(
    db: Session, now: dt.datetime, what: str, address: str, *keys: Key
) -> Locked | None:
    """Count a failure against every key; a lockout it starts goes to the audit log."""
    locked = [(rule, u) for rule, key in keys if (u := throttle.fail(db, rule, key, now))]
    if not locked:
        return None
    audit.write(
        db,
        at=now,
        action="locked",
        what=what,
        detail={"scopes": [rule.scope for rule, _ in locked]},
        address=address,
    )
    return Locked(max(u for _, u in locked), now, what)


def sign_in(
    db: Session,
    hasher: Hasher,
    *,
    email: str,
    password: str,
    code: str | None,
    now: dt.datetime,
    address: str,
    user_agent: str | None,
) -> SignedIn | ClinicError:
    """A clinician's or admin's sign-in, or why not (``BadCredentials``, ``Locked``, ...)."""
    try:
        email = normalise_email(email)
    except BadInput:
        email = email.strip().lower()[:254]
    keys = ((throttle.ACCOUNT, email), (throttle.ADDRESS, address))
    what = "sign-in attempts"
    locked = _locked(db, now, what, *keys)
    if locked is not None:
        return locked
    found = db.execute(
        select(AccountRow, PersonRow)
        .join(PersonRow, PersonRow.id == AccountRow.person_id)
        .where(AccountRow.email == email)
        .with_for_update(of=AccountRow)
    ).first()
    if found is None or found[0].disabled_at is not None or len(password) > MAX_LENGTH:
        hasher.waste_time(password[:MAX_LENGTH])
        audit.write(db, at=now, action="sign-in-failed", what="sign-in", address=address)
        return _count_failure(db, now, what, address, *keys) or BadCredentials()
    account, person = found
    ok, rehashed = hasher.verify(account.password_hash, password)

    def refused(error: ClinicError, reason: str) -> ClinicError:
        audit.write(
            db,
            at=now,
            action="sign-in-failed",
            what="sign-in",
            actor_id=person.id,
            actor_role=person.role,
            detail={"reason": reason},
            address=address,
        )
        return _count_failure(db, now, what, address, *keys) or error

    if not ok:
        return refused(BadCredentials(), "password")
    if account.totp_secret is not None:
        if not code:
            return TotpRequired()
        step = totp.accepted_step(account.totp_secret, code, now, account.totp_last_step)
        if step is None:
            return refused(TotpWrong(), "totp")
        account.totp_last_step = step
    if rehashed is not None:
        account.password_hash = rehashed
    throttle.clear(db, throttle.ACCOUNT, email)
    audit.write(
        db,
        at=now,
        action="sign-in",
        what="sign-in",
        actor_id=person.id,
        actor_role=person.role,
        address=address,
    )
    return start_session(
        db,
        person=person,
        practice_id=account.practice_id,
        account_id=account.id,
        kind=BROWSER,
        now=now,
        address=address,
        user_agent=user_agent,
    )


INVITE_WRONG = (
    "this invite code and birth year do not match an invite; check the code on your sheet "
    "(12 letters and digits) and your year of birth, or ask your clinician for a new invite"
)


def redeem_invite(
    db: Session,
    *,
    code: str,
    birth_year: int,
    now: dt.datetime,
    address: str,
    user_agent: str | None,
) -> SignedIn | ClinicError:
    """A patient's phone signed in by their invite, or why not (``invite-wrong``,
    ``invite-used``, ``invite-expired``, ``invite-revoked``, ``locked``)."""
    what = "invite attempts"
    locked = _locked(db, now, what, (throttle.ADDRESS, address))
    if locked is not None:
        return locked

    def refused(error_code: str, message: str, patient_id: int | None = None) -> ClinicError:
        audit.write(
            db,
            at=now,
            action="invite-refused",
            what="invite",
            patient_id=patient_id,
            detail={"reason": error_code},
            address=address,
        )
        problem = InviteProblem(message, error_code)
        return _count_failure(db, now, what, address, (throttle.ADDRESS, address)) or problem

    normalised = codes.normalise_invite_code(code)
    invite = (
        None
        if normalised is None
        else db.scalars(
            select(InviteRow)
            .where(InviteRow.code_hash == codes.digest(normalised))
            .with_for_update()
        ).first()
    )
    if invite is None:
        return refused("invite-wrong", INVITE_WRONG)
    pid = invite.patient_id
    if invite.used_at is not None:
        return refused(
            "invite-used",
            "this invite has been used already (each works once, on one phone); ask your "
            "clinician for a new one if this phone is not signed in",
            pid,
        )
    if invite.revoked_at is not None:
        return refused(
            "invite-revoked",
            "this invite was replaced by a newer one or withdrawn; use the newest invite "
            "sheet, or ask your clinician for a new one",
            pid,
        )
    if as_utc(invite.expires_at) <= now:
        return refused(
            "invite-expired",
            f"this invite expired on {as_utc(invite.expires_at):%Y-%m-%d} (invites last "
            "14 days); ask your clinician for a new one",
            pid,
        )
    patient = db.get(PatientRow, pid)
    if patient is None or patient.birth_year != birth_year:
        invite.wrong_birth_years += 1
        if invite.wrong_birth_years >= MAX_WRONG_BIRTH_YEARS:
            invite.revoked_at = now
            return refused(
                "invite-wrong",
                "the birth year does not match this invite, too many times: the invite is "
                "withdrawn for safety; ask your clinician for a new one",
                pid,
            )
        return refused("invite-wrong", INVITE_WRONG, pid)
    person = db.get(PersonRow, pid)
    if person is None or person.role != PATIENT or patient.archived_at is not None:
        return refused("invite-revoked", "this invite no longer works; ask your clinician", pid)
    invite.used_at = now
    audit.write(
        db,
        at=now,
        action="invite-redeemed",
        what="invite",
        actor_id=pid,
        actor_role=PATIENT,
        patient_id=pid,
        address=address,
    )
    return start_session(
        db,
        person=person,
        practice_id=patient.practice_id,
        account_id=None,
        kind=DEVICE,
        now=now,
        address=address,
        user_agent=user_agent,
    )
