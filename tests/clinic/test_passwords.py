"""The password policy (length, common list, guessability) and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from backcoach.clinic import passwords
from backcoach.clinic.errors import WeakPassword
from tests.clinic.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-one!", "10 characters long; use at least 12"),
        ("x" * 129, "129 characters long; use at most 128"),
        ("password1234", "list of common passwords"),
        ("PASSWORD1234", "list of common passwords"),  # case does not hide it
        ("asdfghjkl;123", "too easy to guess"),  # a keyboard walk
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("ana.fisio@example.org", "too easy to guess"),  # the person's own e-mail
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword, match=reason):
        passwords.check(password, user_inputs=["ana.fisio@example.org", "ana.fisio"])


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "Mountain-Kettle-Orbit-47", "ein Bär trinkt grünen Tee", "z" * 3 + "Qx9!mLp2#vR7"],
)
def test_long_uncommon_passwords_pass(password: str) -> None:
    passwords.check(password)


def test_the_common_list_ships_offline() -> None:
    common = passwords._common()
    assert len(common) >= 30_000 and "123456" in common and "iloveyou" in common


def test_hashes_are_argon2id_and_verify() -> None:
    hasher = passwords.Hasher()
    stored = hasher.hash(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert hasher.verify(stored, PASSWORD) == (True, None)
    assert hasher.verify(stored, PASSWORD + "!") == (False, None)
    assert hasher.verify("not a hash", PASSWORD) == (False, None)


def test_a_hash_made_with_older_parameters_is_remade_on_verify() -> None:
    old = passwords.Hasher(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    stored = old.hash(PASSWORD)
    ok, rehashed = passwords.Hasher().verify(stored, PASSWORD)
    assert ok and rehashed is not None and rehashed != stored
    assert "m=65536,t=3,p=4" in rehashed  # the current default parameters
    assert passwords.Hasher().verify(rehashed, PASSWORD) == (True, None)


def test_the_same_password_typed_composed_or_decomposed_matches() -> None:
    hasher = passwords.Hasher(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    composed = "ein Bär trinkt grünen Tee"
    decomposed = composed.replace("ä", "a\u0308").replace("ü", "u\u0308")
    assert composed != decomposed
    assert hasher.verify(hasher.hash(composed), decomposed)[0]
