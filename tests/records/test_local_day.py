"""Days are the person's local days: a record's day and "today" must agree in any time zone."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.records.store import local_day


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    time.tzset()


def set_zone(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("TZ", name)
    time.tzset()


def test_an_evening_in_new_york_is_that_day_not_the_next(
    monkeypatch: pytest.MonkeyPatch, zone: None
) -> None:
    set_zone(monkeypatch, "America/New_York")
    moment = dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)  # 8 pm on 2 November in New York
    assert local_day(moment) == dt.date(2026, 11, 2)
    assert local_day(moment.replace(tzinfo=None)) == dt.date(2026, 11, 2)  # SQLite: naive UTC


@pytest.mark.parametrize("name", ["Pacific/Kiritimati", "America/Adak", "UTC", "Asia/Kolkata"])
def test_a_pretend_today_comes_back_as_the_day_of_what_is_saved(
    name: str, home: Path, monkeypatch: pytest.MonkeyPatch, zone: None
) -> None:
    set_zone(monkeypatch, name)
    today = dt.date(2026, 11, 2)
    person = AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": "2026-11-02"})
    ).person()
    person.store.save_pain(moment="daily", score=3)
    (row,) = person.store.pain_reports()
    assert local_day(row.reported_at) == today
