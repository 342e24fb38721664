"""Time-based one-time codes (RFC 6238) with pyotp: 6 digits, 30-second steps.

A code is accepted for the current step or one either side (clock drift between the phone and
the server), and only for a step later than the last one accepted for the account, so a code
seen over someone's shoulder cannot be used again (ASVS 2.8.4).
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp

ISSUER = "backcoach"
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (usually from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, when it is right for ``now`` and newer than
    ``last_step``; otherwise ``None``."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = current + offset
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
