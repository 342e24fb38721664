"""Screen freshness and the plan gate."""

from __future__ import annotations

import datetime as dt

import pytest

from backcoach.safety.gate import (
    SCREEN_VALID_DAYS,
    is_stale,
    needs_rescreen,
    plan_gate,
)

DAY = dt.timedelta(days=1)
TAKEN = dt.date(2024, 3, 1)


def test_valid_days_is_four_weeks() -> None:
    assert SCREEN_VALID_DAYS == 28


@pytest.mark.parametrize(
    ("age", "stale"), [(0, False), (1, False), (27, False), (28, False), (29, True), (400, True)]
)
def test_a_screen_goes_stale_after_28_days(age: int, stale: bool) -> None:
    assert is_stale(TAKEN, TAKEN + age * DAY) is stale
    reason = needs_rescreen(TAKEN, TAKEN + age * DAY, new_symptom_reported=False)
    assert (reason is not None) is stale
    if reason:
        assert f"{age} days ago" in reason


def test_a_new_symptom_asks_again_even_on_the_same_day() -> None:
    reason = needs_rescreen(TAKEN, TAKEN, new_symptom_reported=True)
    assert reason is not None and "new symptom" in reason


def test_no_screen_asks_for_one() -> None:
    assert needs_rescreen(None, TAKEN, False) is not None


def test_a_screen_dated_in_the_future_asks_again() -> None:
    reason = needs_rescreen(TAKEN + DAY, TAKEN, False)
    assert reason is not None and "after today" in reason


@pytest.mark.parametrize("tier", ["emergency", "urgent"])
@pytest.mark.parametrize("cleared", [None, TAKEN, TAKEN + DAY])
def test_emergency_and_urgent_never_get_a_plan(tier: str, cleared: dt.date | None) -> None:
    gate = plan_gate(tier, TAKEN, cleared, TAKEN + 2 * DAY)  # type: ignore[arg-type]
    assert not gate.allowed
    assert gate.code == tier
    assert "no exercise plan" in gate.reason


def test_no_screen_gets_no_plan() -> None:
    gate = plan_gate(None, None, None, TAKEN)
    assert not gate.allowed and gate.code == "no-screen"


def test_half_a_screen_gets_no_plan() -> None:
    """A tier without its date, or a date without its tier, is a damaged record: no plan."""
    for tier, taken in [("clear", None), (None, TAKEN)]:
        gate = plan_gate(tier, taken, None, TAKEN)
        assert not gate.allowed and gate.code == "invalid-screen"


def test_clear_and_fresh_gets_a_plan() -> None:
    gate = plan_gate("clear", TAKEN, None, TAKEN + SCREEN_VALID_DAYS * DAY)
    assert gate.allowed and gate.code == "ok"
    assert "No warning signs were reported" in gate.reason


@pytest.mark.parametrize("tier", ["clear", "soon"])
def test_a_stale_screen_gets_no_plan(tier: str) -> None:
    gate = plan_gate(tier, TAKEN, TAKEN, TAKEN + (SCREEN_VALID_DAYS + 1) * DAY)  # type: ignore[arg-type]
    assert not gate.allowed and gate.code == "stale"
    assert "answer the questions again" in gate.reason


def test_a_screen_from_the_future_gets_no_plan() -> None:
    gate = plan_gate("clear", TAKEN + DAY, None, TAKEN)
    assert not gate.allowed and gate.code == "future-screen"


def test_soon_without_clearance_gets_no_plan() -> None:
    gate = plan_gate("soon", TAKEN, None, TAKEN + DAY)
    assert not gate.allowed and gate.code == "needs-clearance"
    assert "record their clearance with the date" in gate.reason


@pytest.mark.parametrize(
    ("cleared", "today", "allowed"),
    [
        (TAKEN - DAY, TAKEN + DAY, False),  # cleared before this screen: does not count
        (TAKEN, TAKEN, True),  # cleared the same day as the screen
        (TAKEN + DAY, TAKEN + DAY, True),
        (TAKEN + 5 * DAY, TAKEN + 2 * DAY, False),  # clearance dated after today
        (TAKEN + 10 * DAY, TAKEN + (SCREEN_VALID_DAYS + 1) * DAY, False),  # screen now stale
    ],
)
def test_soon_needs_a_clearance_on_or_after_the_screen(
    cleared: dt.date, today: dt.date, allowed: bool
) -> None:
    gate = plan_gate("soon", TAKEN, cleared, today)
    assert gate.allowed is allowed
    if allowed:
        assert str(cleared) in gate.reason
    elif cleared < TAKEN:
        assert "older than your check" in gate.reason
    elif cleared > today and gate.code == "needs-clearance":
        assert "after today" in gate.reason
