"""Stop rules: pain bands, rises over baseline, and the three warning flags, at their edges."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.safety.stoprules import (
    ACCEPTABLE_PAIN_MAX,
    RISE_OVER_BASELINE_STOP,
    SAFE_PAIN_MAX,
    PainCheck,
    band_of,
    judge,
)


def test_thresholds_are_those_of_the_pain_monitoring_model() -> None:
    assert (SAFE_PAIN_MAX, ACCEPTABLE_PAIN_MAX, RISE_OVER_BASELINE_STOP) == (2, 5, 2)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "fine"), (2, "fine"), (3, "acceptable"), (5, "acceptable"), (6, "too-much"),
     (10, "too-much")],
)  # fmt: skip
def test_bands_at_their_edges(score: int, band: str) -> None:
    assert band_of(score) == band


@pytest.mark.parametrize("score", range(11))
def test_every_score_without_flags_or_baseline(score: int) -> None:
    decision = judge(PainCheck(score))
    if score <= 2:
        assert (decision.action, decision.band, decision.check_next_day) == (
            "continue",
            "fine",
            False,
        )
        assert decision.reasons == ()
    elif score <= 5:
        assert (decision.action, decision.band, decision.check_next_day) == (
            "continue",
            "acceptable",
            True,
        )
        assert decision.reasons == (f"pain {score}/10",)
        assert "expected and safe" in decision.advice
    else:
        assert (decision.action, decision.band) == ("stop-exercise", "too-much")
        assert decision.lower_dose_next_time
        assert decision.reasons == (f"pain {score}/10 is above 5",)
    assert not decision.not_tolerated
    assert not decision.rescreen


@pytest.mark.parametrize(
    ("baseline", "score", "stops"),
    [
        (0, 1, False),  # +1: carry on
        (0, 2, True),  # +2: stop, even inside the "fine" band
        (3, 4, False),
        (3, 5, True),  # +2 inside the "acceptable" band
        (4, 5, False),
        (5, 5, False),
        (6, 5, False),  # pain fell
        (5, 6, True),  # too much anyway
        (8, 6, True),  # above 5 stops even when lower than before
    ],
)
def test_rise_over_baseline(baseline: int, score: int, stops: bool) -> None:
    decision = judge(PainCheck(score), baseline=baseline)
    assert (decision.action == "stop-exercise") is stops
    assert decision.lower_dose_next_time is stops
    rise_reason = f"pain rose {score - baseline} points from {baseline}/10 before the session"
    assert (rise_reason in decision.reasons) is (score - baseline >= 2)
    assert not decision.not_tolerated


def test_rise_and_too_much_give_both_reasons() -> None:
    decision = judge(PainCheck(7), baseline=3)
    assert decision.reasons == (
        "pain 7/10 is above 5",
        "pain rose 4 points from 3/10 before the session",
    )


FLAG_REASONS = {
    "sharp": "sharp or shooting pain",
    "spreading": "symptoms spreading down the leg",
    "numbness": "new numbness, tingling or weakness",
}


@pytest.mark.parametrize(
    "flags",
    [combo for n in (1, 2, 3) for combo in itertools.combinations(FLAG_REASONS, n)],
    ids=lambda c: "+".join(c),
)
@pytest.mark.parametrize("score", [0, 3, 6])
def test_any_flag_stops_at_once_whatever_the_score(flags: tuple[str, ...], score: int) -> None:
    decision = judge(PainCheck(score, **dict.fromkeys(flags, True)), baseline=score)
    assert decision.action == "stop-exercise"
    assert decision.not_tolerated
    assert decision.lower_dose_next_time
    assert not decision.check_next_day
    assert decision.reasons == tuple(FLAG_REASONS[f] for f in FLAG_REASONS if f in flags)
    assert decision.rescreen is ("numbness" in flags)
    assert ("warning-sign questions again" in decision.advice) is ("numbness" in flags)
    assert ("moving down the leg" in decision.advice) is ("spreading" in flags)
    assert decision.band == band_of(score)


@pytest.mark.parametrize("score", [-1, 11])
def test_pain_outside_0_to_10_is_refused(score: int) -> None:
    with pytest.raises(ValueError, match=r"from 0 to 10 \(got"):
        PainCheck(score)


@pytest.mark.parametrize("baseline", [-1, 11])
def test_baseline_outside_0_to_10_is_refused(baseline: int) -> None:
    with pytest.raises(ValueError, match="before the session must be a whole number from 0 to 10"):
        judge(PainCheck(3), baseline=baseline)


checks = st.builds(
    PainCheck, st.integers(0, 10), st.booleans(), st.booleans(), st.booleans()
)  # fmt: skip


@given(checks, st.one_of(st.none(), st.integers(0, 10)))
def test_more_pain_never_turns_a_stop_into_continue(check: PainCheck, baseline: int | None) -> None:
    if check.score < 10:
        worse = PainCheck(check.score + 1, check.sharp, check.spreading, check.numbness)
        if judge(check, baseline).action == "stop-exercise":
            assert judge(worse, baseline).action == "stop-exercise"


@given(checks, st.one_of(st.none(), st.integers(0, 10)))
def test_decisions_are_consistent(check: PainCheck, baseline: int | None) -> None:
    decision = judge(check, baseline)
    assert decision.band == band_of(check.score)
    if decision.action == "continue":
        assert not decision.lower_dose_next_time and not decision.not_tolerated
    assert decision.not_tolerated is check.any_flag
    assert decision.rescreen is check.numbness
    assert decision.advice
