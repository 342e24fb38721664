"""Clinicians signing in (with and without TOTP), rate limits and lockouts, sessions and
signing out, on a real PostgreSQL schema."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select, text

from backcoach.clinic import Clinic
from backcoach.clinic.errors import BadCredentials, Locked, TotpRequired, TotpWrong
from backcoach.clinic.signin import BROWSER_IDLE, BROWSER_LIFETIME
from backcoach.records.tables import AccountRow, AuditRow, AuthSessionRow
from tests.clinic.conftest import PASSWORD, Clock

pytestmark = pytest.mark.postgres
ANA = "ana@example.org"
HERE = "192.0.2.10"


@pytest.fixture
def ana(clinic: Clinic) -> int:
    return clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)


def test_sign_in_gives_a_session_whose_token_is_stored_only_as_a_hash(
    clinic: Clinic, ana: int
) -> None:
    done = clinic.sign_in(email=" Ana@Example.ORG", password=PASSWORD, address=HERE)
    assert done.who.person_id == ana and done.who.role == "clinician"
    assert done.who.kind == "browser" and done.who.account_id is not None
    assert clinic.who(done.token) == done.who
    with clinic.factory() as db:
        stored = db.scalars(select(AuthSessionRow.token_hash)).all()
        account = db.scalars(select(AccountRow)).one()
        dump = str(db.execute(text("SELECT * FROM auth_sessions, accounts")).all())
    assert stored and done.token not in stored and done.token not in dump
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in dump


def test_wrong_password_and_unknown_email_are_refused_alike(clinic: Clinic, ana: int) -> None:
    with pytest.raises(BadCredentials) as wrong:
        clinic.sign_in(email=ANA, password=PASSWORD + "x", address=HERE)
    with pytest.raises(BadCredentials) as unknown:
        clinic.sign_in(email="nobody@example.org", password=PASSWORD, address=HERE)
    assert str(wrong.value) == str(unknown.value)
    assert "e-mail or the password" in str(wrong.value)


def test_five_wrong_passwords_lock_the_account_until_the_time_is_up(
    clinic: Clinic, clock: Clock, ana: int
) -> None:
    for _ in range(4):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)
    with pytest.raises(Locked) as fifth:
        clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)
    assert fifth.value.code == "locked" and "15 minutes" in str(fifth.value)
    # Locked: even the right password is refused, from any address, unchecked.
    with pytest.raises(Locked):
        clinic.sign_in(email=ANA, password=PASSWORD, address="198.51.100.7")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(Locked):
        clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    clock.advance(seconds=1)
    assert clinic.sign_in(email=ANA, password=PASSWORD, address=HERE).who.person_id == ana
    with clinic.factory() as db:
        actions = db.scalars(select(AuditRow.action).order_by(AuditRow.id)).all()
    assert actions.count("sign-in-failed") == 5 and actions.count("locked") == 1


def test_an_unknown_email_locks_the_same_way(clinic: Clinic) -> None:
    """A lockout must not tell an attacker which e-mails have accounts."""
    for _ in range(4):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email="ghost@example.org", password=PASSWORD, address=HERE)
    with pytest.raises(Locked):
        clinic.sign_in(email="ghost@example.org", password=PASSWORD, address=HERE)


def test_a_success_clears_the_accounts_failures(clinic: Clinic, ana: int) -> None:
    for _ in range(4):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)
    clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    for _ in range(4):  # four more are allowed again
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)


def test_one_address_guessing_across_accounts_is_locked(clinic: Clinic, clock: Clock) -> None:
    for n in range(49):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=f"user{n}@example.org", password=PASSWORD, address=HERE)
    with pytest.raises(Locked):
        clinic.sign_in(email="user49@example.org", password=PASSWORD, address=HERE)
    clinic.add_clinician(email="bea@example.org", name="Bea", password=PASSWORD)
    with pytest.raises(Locked):  # the address is locked, whatever it names
        clinic.sign_in(email="bea@example.org", password=PASSWORD, address=HERE)
    assert clinic.sign_in(email="bea@example.org", password=PASSWORD, address="198.51.100.7")
    clock.advance(minutes=15)
    assert clinic.sign_in(email="bea@example.org", password=PASSWORD, address=HERE)


def test_failures_older_than_the_window_do_not_add_up(
    clinic: Clinic, clock: Clock, ana: int
) -> None:
    for _ in range(4):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)
    clock.advance(minutes=16)
    for _ in range(4):
        with pytest.raises(BadCredentials):
            clinic.sign_in(email=ANA, password="wrong password 123", address=HERE)


def test_sign_in_with_totp(clinic: Clinic, clock: Clock, ana: int) -> None:
    who = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE).who
    uri = clinic.begin_totp(who, PASSWORD)
    secret = pyotp.parse_uri(uri).secret
    assert not clinic.totp_enabled(who)  # not before a code confirms it
    assert clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    with pytest.raises(TotpWrong):
        clinic.confirm_totp(who, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    clinic.confirm_totp(who, pyotp.TOTP(secret).at(clock.now))
    assert clinic.totp_enabled(who)

    clock.advance(seconds=30)
    with pytest.raises(TotpRequired):
        clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    code = pyotp.TOTP(secret).at(clock.now)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(TotpWrong):
        clinic.sign_in(email=ANA, password=PASSWORD, totp_code=wrong, address=HERE)
    assert clinic.sign_in(email=ANA, password=PASSWORD, totp_code=code, address=HERE)
    with pytest.raises(TotpWrong):  # the same code twice: refused
        clinic.sign_in(email=ANA, password=PASSWORD, totp_code=code, address=HERE)
    with pytest.raises(BadCredentials):  # a right code never rescues a wrong password
        clinic.sign_in(email=ANA, password="wrong password 123", totp_code=code, address=HERE)


def test_wrong_totp_codes_count_towards_the_lockout(clinic: Clinic, clock: Clock, ana: int) -> None:
    who = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE).who
    secret = pyotp.parse_uri(clinic.begin_totp(who, PASSWORD)).secret
    clinic.confirm_totp(who, pyotp.TOTP(secret).at(clock.now))
    clock.advance(seconds=90)
    code = pyotp.TOTP(secret).at(clock.now)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(TotpWrong):
            clinic.sign_in(email=ANA, password=PASSWORD, totp_code=wrong, address=HERE)
    with pytest.raises(Locked):
        clinic.sign_in(email=ANA, password=PASSWORD, totp_code=wrong, address=HERE)


def test_a_browser_session_ends_after_idle_time_and_after_its_lifetime(
    clinic: Clinic, clock: Clock, ana: int
) -> None:
    done = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    clock.advance(seconds=BROWSER_IDLE.total_seconds() - 1)
    assert clinic.who(done.token) is not None  # and this counts as activity
    clock.advance(seconds=BROWSER_IDLE.total_seconds() - 1)
    assert clinic.who(done.token) is not None
    clock.advance(seconds=BROWSER_IDLE.total_seconds())
    assert clinic.who(done.token) is None

    done = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    signed_in_at = clock.now
    for _ in range(100):  # busy all day, never idle for long (bounded: 33 hours)
        if clinic.who(done.token) is None:
            break
        clock.advance(minutes=20)
    assert clock.now - signed_in_at == BROWSER_LIFETIME


def test_sign_out_and_sign_out_everywhere_revoke(clinic: Clinic, ana: int) -> None:
    first = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    second = clinic.sign_in(email=ANA, password=PASSWORD, address="198.51.100.7")
    third = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    clinic.sign_out(first.token)
    assert clinic.who(first.token) is None and clinic.who(second.token) is not None
    assert clinic.sign_out_everywhere(second.who) == 2
    assert clinic.who(second.token) is None and clinic.who(third.token) is None
    assert clinic.who("not-a-token") is None and clinic.who("") is None


def test_a_disabled_account_cannot_sign_in_and_its_sessions_stop(clinic: Clinic, ana: int) -> None:
    done = clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
    with clinic.factory.begin() as db:
        db.scalars(select(AccountRow)).one().disabled_at = clinic.clock()
    assert clinic.who(done.token) is None
    with pytest.raises(BadCredentials):
        clinic.sign_in(email=ANA, password=PASSWORD, address=HERE)
