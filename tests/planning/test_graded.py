"""Issue 15: graded progression (CLINICAL.md section 3: Lindström 1992, Macedo 2010) and pain
attributed to an exercise only when it rose during it."""

from __future__ import annotations

import datetime as dt

import pytest

from backcoach.planning.progression import (
    GRADED_MIN_SESSIONS,
    GRADED_STEP_DAYS,
    DoseValues,
)
from tests.planning.test_progression import BASE, DAY, Sim, counted, log, run, week_days


def test_three_weeks_about_right_with_pain_falling_raise_the_dose_on_schedule() -> None:
    """Pain 5 -> 1 over three weeks, every session "about right", settled overnight: the dose
    rises one step once it has been done for two weeks, not only when it is "too easy"."""
    sim = Sim(counted())
    sessions = week_days(4)
    pains = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1]
    actions, doses = [], []
    for day, pain in zip(sessions, pains, strict=True):
        doses.append(sim.planned("reach", day))
        d = sim.session(day, "reach", rating="about-right", pain_during=pain, next_day_settled=True)
        actions.append(d.action)
    first_step = actions.index("more")
    assert (sessions[first_step] - sessions[0]).days == GRADED_STEP_DAYS  # Monday of week 3
    assert actions[:first_step] == ["same"] * first_step
    assert doses[first_step + 1] == DoseValues(1, 10, 5)  # one step: reps 8 -> 10
    d = sim.decisions[first_step]
    assert "as planned, it goes up one small step" in d.reason
    assert "10 reps instead of 8" in d.reason
    # The schedule starts again at the new dose: no second step within the next two weeks.
    assert actions[first_step + 1 :] == ["same"] * (len(actions) - first_step - 1)
    # Before the step, "about right" says when it is due.
    assert f"from about {sessions[0] + dt.timedelta(days=GRADED_STEP_DAYS):%d %B}" in (
        sim.decisions[1].reason
    )


def test_pain_building_week_on_week_lowers_the_dose_and_pauses_the_schedule() -> None:
    sim = Sim(counted())
    sessions = week_days(3)
    pains = [3, 3, 3, 4, 4, 4, 5, 5, 5]
    actions = [
        sim.session(day, "reach", rating="about-right", pain_during=p, next_day_settled=True).action
        for day, p in zip(sessions, pains, strict=True)
    ]
    assert "more" not in actions
    assert actions[6] == "less" and "week on week" in sim.decisions[6].reason
    assert sim.planned("reach", sessions[-1] + dt.timedelta(days=3)).reps == 6


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"pain_during": 6}, "pain above the band"),
        ({"next_day_settled": False, "pain_during": 4}, "not settled by the next morning"),
        ({"rating": "too-hard"}, "too hard"),
    ],
)
def test_a_session_outside_the_band_does_not_get_a_graded_step(
    change: dict[str, object], why: str
) -> None:
    history = [
        log(DAY + dt.timedelta(days=n), BASE, rating="about-right", pain_during=2)
        for n in (0, 4, 9)
    ]
    fields: dict[str, object] = {"rating": "about-right", "pain_during": 2, **change}
    history.append(log(DAY + dt.timedelta(days=GRADED_STEP_DAYS), BASE, **fields))  # type: ignore[arg-type]
    assert run(history).action == "less", why


def test_too_few_sessions_or_a_long_break_restart_the_schedule() -> None:
    few = [
        log(DAY + dt.timedelta(days=n), BASE, rating="about-right") for n in (0, GRADED_STEP_DAYS)
    ]
    assert len(few) < GRADED_MIN_SESSIONS and run(few).action == "same"
    gap = [
        log(DAY + dt.timedelta(days=n), BASE, rating="about-right")
        for n in (0, 2, 4, 12, GRADED_STEP_DAYS + 2)
    ]
    assert run(gap).action == "same"  # 8 days off between day 4 and day 12
    steady = [
        log(DAY + dt.timedelta(days=n), BASE, rating="about-right") for n in (0, 2, 4, 7, 9, 14)
    ]
    assert run(steady).action == "more"


def test_no_graded_step_during_a_flare_up() -> None:
    steady = [
        log(DAY + dt.timedelta(days=n), BASE, rating="about-right") for n in (0, 2, 4, 7, 9, 14)
    ]
    d = run(steady, in_flare_up=True)
    assert d.action == "same" and "flare-up" in d.reason


def test_a_graded_step_never_jumps_to_a_harder_exercise() -> None:
    ex = counted(progression="hard-reach")
    top = DoseValues(2, 10, 10)
    steady = [
        log(DAY + dt.timedelta(days=n), top, rating="about-right") for n in (0, 2, 4, 7, 9, 14)
    ]
    d = run(steady, ex, exercises={ex.id: ex, "hard-reach": counted("hard-reach")})
    assert d.action == "same" and "top dose" in d.reason and d.replacement is None


def test_pain_already_there_is_not_blamed_on_the_exercise() -> None:
    """Pain 3 before the exercise and 3 after: the exercise did not hurt."""
    d = run([log(DAY, BASE, rating="about-right", pain_before=3, pain_after=3)])
    assert "hurt" not in d.reason and "about right" in d.reason
    assert log(DAY, BASE, pain_before=3, pain_after=3).pain is None
    rose = run([log(DAY, BASE, rating="about-right", pain_before=3, pain_after=4)])
    assert "hurt 4/10" in rose.reason
    assert log(DAY, BASE, pain_before=5, pain_during=4, pain_after=5).pain is None
