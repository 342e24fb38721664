"""``Clinic``: the clinic's use cases over one PostgreSQL database, each in one transaction.

The admin CLI and the web routes (web.auth) both call these; neither holds logic the other
lacks. Time comes from the injected ``clock``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from backcoach.clinic import accounts, audit, passwords, signin, totp
from backcoach.clinic.access import Roster, Who
from backcoach.clinic.errors import BadInput, ClinicError, NeedsPostgres, NotFound, TotpWrong
from backcoach.clinic.settings import ClinicSettings
from backcoach.records.store import utcnow
from backcoach.records.tables import AccountRow, PersonRow


@dataclass(frozen=True)
class AddedPatient:
    patient_id: int
    invite_code: str
    invite_url: str
    expires_at: dt.datetime


class Clinic:
    """The clinic on one database. Refuses SQLite (``NeedsPostgres``): the clinic's sign-in
    counters, row locks and several workers need PostgreSQL."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        settings: ClinicSettings | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        hasher: passwords.Hasher | None = None,
    ) -> None:
        if factory.kw["bind"].dialect.name != "postgresql":
            raise NeedsPostgres()
        self.factory = factory
        self.settings = settings or ClinicSettings()
        self.clock = clock
        self.hasher = hasher or passwords.Hasher()

    # --- the operator's commands (backcoach clinic ...) ---------------------------------

    def add_clinician(self, *, email: str, name: str, password: str, admin: bool = False) -> int:
        """A clinician (or practice admin) who signs in with ``email`` and ``password``;
        returns their person id. ``WeakPassword`` names what is wrong with the password."""
        email = accounts.normalise_email(email)
        name = accounts.clean_name(name)
        passwords.check(password, user_inputs=[email, email.split("@")[0], *name.split()])
        hashed = self.hasher.hash(password)
        with self.factory.begin() as db:
            account = accounts.add_staff(
                db,
                email=email,
                name=name,
                password_hash=hashed,
                role=accounts.ADMIN if admin else accounts.CLINICIAN,
                practice_name=self.settings.practice_name,
                now=self.clock(),
            )
            return account.person_id

    def add_patient(self, *, name: str, birth_year: int, clinician_email: str) -> AddedPatient:
        """A patient in the care of the clinician with that e-mail, with a first invite."""
        name = accounts.clean_name(name)
        now = self.clock()
        accounts.check_birth_year(birth_year, now.date())
        with self.factory.begin() as db:
            account, person = accounts.staff_by_email(db, clinician_email)
            if person.role != accounts.CLINICIAN:
                raise BadInput(
                    f"clinician: {account.email} is a practice admin, not a clinician; name a "
                    "clinician who will look after the patient"
                )
            invite = accounts.add_patient(
                db, name=name, birth_year=birth_year, clinician=account, now=now
            )
        return self._added(invite)

    def reissue_invite(self, patient_id: int) -> AddedPatient:
        """A new invite for the patient (the operator's command); older ones stop working."""
        with self.factory.begin() as db:
            invite = accounts.issue_invite(db, patient_id, issued_by=None, now=self.clock())
        return self._added(invite)

    def added(self, invite: accounts.NewInvite) -> AddedPatient:
        return self._added(invite)

    def _added(self, invite: accounts.NewInvite) -> AddedPatient:
        return AddedPatient(
            patient_id=invite.patient_id,
            invite_code=invite.code,
            invite_url=self.settings.invite_url(invite.code),
            expires_at=invite.expires_at,
        )

    def listing(self) -> tuple[list[accounts.StaffListed], list[accounts.PatientListed]]:
        with self.factory() as db:
            return accounts.listing(db, self.clock())

    # --- signing in and out ----------------------------------------------------------------

    def sign_in(
        self,
        *,
        email: str,
        password: str,
        totp_code: str | None = None,
        address: str,
        user_agent: str | None = None,
    ) -> signin.SignedIn:
        with self.factory.begin() as db:
            outcome = signin.sign_in(
                db,
                self.hasher,
                email=email,
                password=password,
                code=totp_code,
                now=self.clock(),
                address=address,
                user_agent=user_agent,
            )
        if isinstance(outcome, ClinicError):
            raise outcome
        return outcome

    def redeem_invite(
        self, *, code: str, birth_year: int, address: str, user_agent: str | None = None
    ) -> signin.SignedIn:
        with self.factory.begin() as db:
            outcome = signin.redeem_invite(
                db,
                code=code,
                birth_year=birth_year,
                now=self.clock(),
                address=address,
                user_agent=user_agent,
            )
        if isinstance(outcome, ClinicError):
            raise outcome
        return outcome

    def who(self, token: str) -> Who | None:
        """Who a session token signs in, or ``None``."""
        with self.factory.begin() as db:
            return signin.session_who(db, token, self.clock())

    def sign_out(self, token: str, address: str | None = None) -> None:
        now = self.clock()
        with self.factory.begin() as db:
            person = signin.revoke(db, token, now)
            if person is not None:
                audit.write(
                    db, at=now, action="sign-out", what="session", actor_id=person, address=address
                )

    def sign_out_everywhere(self, who: Who, address: str | None = None) -> int:
        """Revoke every session of the person, this one included; how many."""
        now = self.clock()
        with self.factory.begin() as db:
            count = signin.revoke_all(db, who.person_id, now)
            audit.write(
                db,
                at=now,
                action="sign-out-everywhere",
                what="session",
                actor_id=who.person_id,
                actor_role=who.role,
                detail={"sessions": count},
                address=address,
            )
            return count

    # --- TOTP ------------------------------------------------------------------------------

    def begin_totp(self, who: Who, password: str) -> str:
        """Start setting up an authenticator app (the current password proves it is the
        account's owner); returns the ``otpauth://`` URI to show as a QR code. It takes
        effect once ``confirm_totp`` gets a code from it."""
        with self.factory.begin() as db:
            account = self._account(db, who)
            ok, _ = self.hasher.verify(account.password_hash, password)
            if not ok:
                raise BadInput("password: not this account's password; type it again")
            account.totp_pending = totp.new_secret()
            return totp.provisioning_uri(account.totp_pending, account.email)

    def confirm_totp(self, who: Who, code: str) -> None:
        now = self.clock()
        with self.factory.begin() as db:
            account = self._account(db, who)
            secret = account.totp_pending
            if secret is None:
                raise NotFound("totp: no set-up in progress; start it again")
            step = totp.accepted_step(secret, code, now, None)
            if step is None:
                raise TotpWrong()
            account.totp_secret, account.totp_pending = secret, None
            account.totp_last_step = step
            audit.write(
                db,
                at=now,
                action="totp-enabled",
                what="account",
                actor_id=who.person_id,
                actor_role=who.role,
            )

    def _account(self, db: Session, who: Who) -> AccountRow:
        account = None if who.account_id is None else db.get(AccountRow, who.account_id)
        if account is None:
            raise NotFound("account: only clinicians and admins have an account to set up")
        return account

    # --- what a signed-in person may see -----------------------------------------------------

    def roster(self, who: Who, address: str | None = None) -> Roster:
        return Roster(self.factory, who, self.clock, address)

    def person_name(self, person_id: int) -> str | None:
        with self.factory() as db:
            person = db.get(PersonRow, person_id)
            return None if person is None else person.name

    def email_of(self, who: Who) -> str | None:
        with self.factory() as db:
            account = None if who.account_id is None else db.get(AccountRow, who.account_id)
            return None if account is None else account.email

    def totp_enabled(self, who: Who) -> bool:
        with self.factory() as db:
            account = None if who.account_id is None else db.get(AccountRow, who.account_id)
            return account is not None and account.totp_secret is not None
