"""The clinic on a real PostgreSQL schema of its own, with a clock that moves when told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from backcoach.clinic import Clinic
from backcoach.clinic.passwords import Hasher
from backcoach.clinic.settings import ClinicSettings
from backcoach.records.db import open_database
from tests.dbfixtures import pg_schema_url

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"
"""A password the policy accepts (long, four unrelated words)."""
PUBLIC = "https://physio.example.org"


class Clock:
    """Time that moves only when told: lockouts and expiry are tested without sleeping."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


@pytest.fixture
def clock() -> Clock:
    return Clock()


FAST = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
"""Cheaper argon2id parameters for tests that sign in many times (still argon2id); the
default parameters are tested in test_passwords.py."""


@pytest.fixture
def clinic(pg_url: str, clock: Clock) -> Clinic:
    return Clinic(
        open_database(pg_url),
        settings=ClinicSettings(public_url=PUBLIC, practice_name="Riverside Physio"),
        clock=clock,
        hasher=Hasher(FAST),
    )
