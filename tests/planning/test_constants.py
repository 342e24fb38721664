"""Named thresholds pinned to their sourced values: a change must be deliberate."""

from __future__ import annotations

from backcoach.planning import dose, flare
from backcoach.safety import conditions, stoprules


def test_dose_steps() -> None:
    assert (dose.REPS_STEP, dose.HOLD_STEP_SECONDS, dose.SETS_STEP) == (2, 5, 1)
    assert dose.DURATION_STEP_SECONDS == 30


def test_pain_thresholds() -> None:
    assert (stoprules.SAFE_PAIN_MAX, stoprules.ACCEPTABLE_PAIN_MAX) == (2, 5)  # Silbernagel 2007
    assert stoprules.MEANINGFUL_PAIN_CHANGE == 2  # Ostelo 2008
    assert stoprules.RISE_OVER_BASELINE_STOP == 2  # issue 3
    assert flare.FLARE_RISE == 2 and flare.FLARE_DAYS == 2


def test_pregnancy_week() -> None:
    assert conditions.FIRST_TRIMESTER_END_WEEK == 13  # ACOG 804: after the first trimester
