"""Rate limits with lockout for sign-in and invites, counted in the database.

Every worker process shares the counts (``auth_throttles``), so adding workers adds no
attempts. A failure is counted in one atomic upsert and a row lock; reaching a rule's limit
within its window locks that key for the rule's lockout, and a locked key is refused before
any password is checked (so a lockout costs the server nothing).

OWASP ASVS 4.0.3 2.2.1 asks for at most 100 failed attempts an hour per account; 5 per 15
minutes, then 15 minutes locked, allows at most 20 an hour. Keys are SHA-256 digests, so the
table holds neither e-mails nor addresses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backcoach.clinic.codes import digest
from backcoach.records.tables import AuthThrottleRow


@dataclass(frozen=True)
class Rule:
    scope: str
    limit: int
    window: dt.timedelta
    lockout: dt.timedelta


ACCOUNT = Rule("account", 5, dt.timedelta(minutes=15), dt.timedelta(minutes=15))
"""Wrong passwords or codes for one e-mail (an e-mail with no account is counted alike, so a
lockout says nothing about whether the account exists)."""
ADDRESS = Rule("address", 50, dt.timedelta(minutes=15), dt.timedelta(minutes=15))
"""Wrong sign-ins and invite codes from one client address, whatever they name: stops one
machine guessing across many accounts, yet leaves room for a practice behind one address."""


def as_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def locked_until(db: Session, rule: Rule, key: str, now: dt.datetime) -> dt.datetime | None:
    """When the key's lockout ends, if it is locked now."""
    row = db.get(AuthThrottleRow, (rule.scope, digest(key)))
    if row is None or row.locked_until is None:
        return None
    until = as_utc(row.locked_until)
    return until if until > now else None


def fail(db: Session, rule: Rule, key: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failure; return when the lockout ends if this one reached the limit."""
    hashed = digest(key)
    values = {
        "scope": rule.scope,
        "key": hashed,
        "failures": 0,
        "window_started_at": now,
        "expires_at": now + rule.window,
    }
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.execute(insert(AuthThrottleRow).values(**values).on_conflict_do_nothing())
    row = db.scalars(
        select(AuthThrottleRow)
        .where(AuthThrottleRow.scope == rule.scope, AuthThrottleRow.key == hashed)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if as_utc(row.window_started_at) + rule.window <= now:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    row.expires_at = max(as_utc(row.expires_at), as_utc(row.window_started_at) + rule.window)
    if row.failures < rule.limit:
        return None
    until = now + rule.lockout
    row.locked_until = until
    row.failures, row.window_started_at = 0, now
    row.expires_at = until + rule.window
    return until


def clear(db: Session, rule: Rule, key: str) -> None:
    """Forget a key's failures (an account after a successful sign-in)."""
    db.execute(
        delete(AuthThrottleRow).where(
            AuthThrottleRow.scope == rule.scope, AuthThrottleRow.key == digest(key)
        )
    )


def prune(db: Session, now: dt.datetime) -> int:
    """Delete the rows whose window and lockout are both over; returns how many."""
    result = db.execute(delete(AuthThrottleRow).where(AuthThrottleRow.expires_at < now))
    return int(getattr(result, "rowcount", 0) or 0)
