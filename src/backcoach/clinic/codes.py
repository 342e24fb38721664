"""Secrets handed out by the clinic: invite codes and session tokens, and their hashes.

Only a SHA-256 of each is stored. A plain fast hash is enough because they are long random
values (an invite code carries 59 bits, a session token 256) that no one chooses; a slow hash
is for passwords, which people choose.
"""

from __future__ import annotations

import hashlib
import secrets

INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Digits and capitals without look-alikes (no 0/O, 1/I/L, U/V): 30 symbols, read aloud or
typed from paper without mistakes."""
INVITE_LENGTH = 12
"""12 symbols of 30: about 59 bits, far beyond guessing at the rate limits allow."""
INVITE_GROUP = 4
TOKEN_BYTES = 32
"""Session tokens: 256 bits from ``secrets.token_urlsafe`` (ASVS 3.2.2 asks for 64 or more)."""


def new_invite_code() -> str:
    """A new code, shown in groups of four: ``7KQM-3XTD-9HRW``."""
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    return "-".join(raw[i : i + INVITE_GROUP] for i in range(0, INVITE_LENGTH, INVITE_GROUP))


def normalise_invite_code(typed: str) -> str | None:
    """The code as stored (capitals, no spaces or dashes), or ``None`` when it cannot be one."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(cleaned) != INVITE_LENGTH or any(ch not in INVITE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    """The stored form of a code, token or throttle key: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
