"""The clinic's errors: each has a ``code`` programs match on and a message a person can act
on. The edges turn them into exit code 2 (the CLI) or an HTTP status (web.auth)."""

from __future__ import annotations

import datetime as dt

from backcoach.errors import BackcoachError


class ClinicError(BackcoachError):
    """A clinic request refused; ``code`` names why (``bad-credentials``, ``locked``, ...)."""

    code = "clinic-error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class NeedsPostgres(ClinicError):
    code = "needs-postgresql"

    def __init__(self) -> None:
        super().__init__(
            "the clinic needs PostgreSQL, and this backcoach uses SQLite (personal mode); set "
            "BACKCOACH_DATABASE_URL=postgresql://USER@HOST/DATABASE and run the command again"
        )


class WeakPassword(ClinicError):
    """The password is refused; the message says why (too short, too common, ...)."""

    code = "weak-password"


class BadInput(ClinicError):
    """A field given to the clinic is not in the right form; the message names it."""

    code = "invalid-input"


class AlreadyExists(ClinicError):
    code = "already-exists"


class NotFound(ClinicError):
    code = "not-found"


class BadCredentials(ClinicError):
    """Sign-in refused. Never says whether the e-mail or the password was wrong."""

    code = "bad-credentials"

    def __init__(self) -> None:
        super().__init__(
            "the e-mail or the password is not right; check both and try again (after a few "
            "wrong tries, signing in is locked for a while)"
        )


class TotpRequired(ClinicError):
    code = "totp-required"

    def __init__(self) -> None:
        super().__init__(
            "this account signs in with a code from an authenticator app too; send it as "
            "'totp' with the e-mail and password"
        )


class TotpWrong(ClinicError):
    code = "totp-wrong"

    def __init__(self) -> None:
        super().__init__(
            "the authenticator code is not right (or was used already); wait for the next "
            "code and try again"
        )


class Locked(ClinicError):
    """Too many wrong attempts: refused, whatever was sent, until ``retry_at``."""

    code = "locked"

    def __init__(self, retry_at: dt.datetime, now: dt.datetime, what: str) -> None:
        self.retry_at = retry_at
        self.wait_seconds = max(1, int((retry_at - now).total_seconds() + 0.999))
        minutes = max(1, -(-self.wait_seconds // 60))
        super().__init__(
            f"too many wrong {what}: locked for safety; try again after "
            f"{retry_at.astimezone(dt.UTC):%H:%M} UTC (in {minutes} minute"
            f"{'s' if minutes != 1 else ''})"
        )


class InviteProblem(ClinicError):
    """An invite refused: ``invite-wrong``, ``invite-used``, ``invite-expired`` or
    ``invite-revoked``."""


class NotSignedIn(ClinicError):
    code = "signed-out"

    def __init__(self) -> None:
        super().__init__("you are not signed in (or your sign-in has ended); sign in again")


class NotYours(ClinicError):
    """The signed-in person may not see this patient's record. Said the same way whether the
    patient exists or not."""

    code = "not-found"

    def __init__(self, patient_id: int) -> None:
        super().__init__(f"no patient {patient_id} among the records you may see")
