"""Invite codes, session tokens and TOTP codes."""

from __future__ import annotations

import datetime as dt

import pyotp

from backcoach.clinic import codes, totp
from tests.clinic.conftest import START


def test_invite_codes_are_long_random_and_free_of_look_alikes() -> None:
    made = {codes.new_invite_code() for _ in range(500)}
    assert len(made) == 500
    for code in made:
        raw = code.replace("-", "")
        assert len(raw) == codes.INVITE_LENGTH >= 10
        assert not set(raw) & set("0O1IlLU")
        assert set(raw) <= set(codes.INVITE_ALPHABET)


def test_a_typed_code_is_read_forgivingly_but_never_guessed_at() -> None:
    assert codes.normalise_invite_code("7kqm 3xtd-9hrw") == "7KQM3XTD9HRW"
    assert codes.normalise_invite_code("7KQM-3XTD-9HR") is None  # too short
    assert codes.normalise_invite_code("7KQM-3XTD-9HR0") is None  # 0 is not in the alphabet


def test_tokens_are_256_bits_and_stored_as_sha256() -> None:
    token = codes.new_token()
    assert len(token) >= 43 and codes.digest(token) != token and len(codes.digest(token)) == 64


def test_a_totp_code_works_once_per_time_step_within_one_step_of_drift() -> None:
    secret = totp.new_secret()
    now = START
    code = pyotp.TOTP(secret).at(now)
    step = totp.accepted_step(secret, code, now, None)
    assert step == pyotp.TOTP(secret).timecode(now)
    assert totp.accepted_step(secret, code, now, step) is None  # replayed
    later = now + dt.timedelta(seconds=30)
    assert totp.accepted_step(secret, code, later, None) == step  # a step of drift is fine
    far = now + dt.timedelta(seconds=120)
    assert totp.accepted_step(secret, code, far, None) is None
    assert totp.accepted_step(secret, "12345", now, None) is None
    assert totp.accepted_step(secret, "abcdef", now, None) is None


def test_the_provisioning_uri_names_the_account_and_issuer() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ana@example.org")
    assert uri.startswith(
        "otpauth://totp/backcoach:ana%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    assert "issuer=backcoach" in uri
