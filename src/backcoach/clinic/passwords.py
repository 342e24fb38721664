"""Passwords: a policy checked offline, and argon2id hashes.

The policy follows OWASP ASVS 4.0.3 section 2.1 and NIST SP 800-63B 5.1.1.2: at least 12
characters, at most 128, any characters, no composition rules, and refused when it is on a list
of common or breached passwords or easily guessed. The list is zxcvbn's (30,000 passwords
most common in public breach corpora, shipped inside the package; nothing is sent anywhere),
and zxcvbn's estimate catches the rest (keyboard walks, repeats, dates, the person's own name
or e-mail).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from backcoach.clinic.errors import WeakPassword

MIN_LENGTH = 12
"""ASVS 2.1.1: at least 12 characters."""
MAX_LENGTH = 128
"""ASVS 2.1.2 allows at least 64 and no more than 128: long passphrases, bounded hashing."""
MIN_SCORE = 3
"""zxcvbn's score (0-4) a password must reach: 3 is "safely unguessable" (about 10^8 guesses
or more) in zxcvbn's own terms, the level its authors recommend for accounts like these."""


def normalise(password: str) -> str:
    """NFC, so the same password typed on two keyboards hashes the same (ASVS 2.1.x allows any
    Unicode; NIST 800-63B asks for normalisation)."""
    return unicodedata.normalize("NFC", password)


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check(password: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password that does not meet the policy, with the reason and what to do."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"the password is {len(password)} characters long; use at least {MIN_LENGTH} "
            "(a few unrelated words make a long password that is easy to remember)"
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            f"the password is {len(password)} characters long; use at most {MAX_LENGTH}"
        )
    if password.strip() == "" or password != password.strip("\r\n"):
        raise WeakPassword("the password is blank or has a line break; choose another")
    if password.lower() in _common():
        raise WeakPassword(
            "the password is on a list of common passwords that attackers try first; choose another"
        )
    import zxcvbn

    verdict = zxcvbn.zxcvbn(password, user_inputs=list(user_inputs), max_length=MAX_LENGTH)
    if verdict["score"] < MIN_SCORE:
        warning = verdict["feedback"].get("warning") or "it would be guessed quickly"
        raise WeakPassword(
            f"the password is too easy to guess ({warning.rstrip('.')}); choose a longer one, "
            "e.g. a few unrelated words"
        )


class Hasher:
    """argon2id hashes with argon2-cffi's defaults (RFC 9106's second recommended profile:
    3 passes over 64 MiB, 4 lanes) unless given other parameters; a hash made with older
    parameters is remade at the next sign-in (``verify``'s second value)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalise(password))

    def verify(self, stored: str, password: str) -> tuple[bool, str | None]:
        """Whether ``password`` matches ``stored``, and a new hash to store when it matches
        but was made with other parameters (else ``None``)."""
        try:
            self._hasher.verify(stored, normalise(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, None
        if self._hasher.check_needs_rehash(stored):
            return True, self.hash(password)
        return True, None

    def waste_time(self, password: str) -> None:
        """Verify against a hash of nothing, so an unknown e-mail takes as long to refuse as
        a wrong password (no account enumeration by timing)."""
        if self._dummy is None:
            import secrets

            self._dummy = self.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)
