from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.catalogue import load_default
from backcoach.catalogue.model import Exercise
from backcoach.planning.dose import TRANSITION_SECONDS
from backcoach.planning.plan import PHASE_ORDER, Plan
from backcoach.planning.planner import TIME_TOLERANCE, build_plan, max_mains
from backcoach.planning.profile import Profile
from backcoach.planning.select import MAIN_PHASES
from backcoach.safety.restrictions import assess
from tests.planning.strategies import catalogues, profiles

DAY = dt.date(2026, 11, 21)
BUILTIN = list(load_default(None)[0])


def check_invariants(plan: Plan, exercises: list[Exercise], profile: Profile, minutes: int) -> None:
    by_id = {e.id: e for e in exercises}
    target = minutes * 60
    for item in plan.items:
        verdict = assess(by_id[item.exercise_id], profile.conditions, DAY)
        assert verdict.status != "excluded", (item.exercise_id, verdict)
        if verdict.status == "modified":
            assert item.modification, item.exercise_id
        assert item.reason.startswith(by_id[item.exercise_id].name)
    phases = [PHASE_ORDER.index(i.phase) for i in plan.items]
    assert phases == sorted(phases), "phases out of order"
    assert len({i.exercise_id for i in plan.items}) == len(plan.items), "an exercise twice"
    assert sum(1 for i in plan.items if i.phase in MAIN_PHASES) <= max_mains(target)
    expected = sum(i.estimated_seconds for i in plan.items) + TRANSITION_SECONDS * max(
        0, len(plan.items) - 1
    )
    assert plan.total_seconds == pytest.approx(expected, abs=0.5)
    if plan.total_seconds > target * (1 + TIME_TOLERANCE):
        assert any("more than the" in n for n in plan.notes), "over time, not explained"
    if plan.total_seconds < target * (1 - TIME_TOLERANCE):
        assert any("less than the" in n for n in plan.notes), "short plan not explained"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exercises=catalogues(), profile=profiles())
def test_random_catalogues_and_profiles(exercises: list[Exercise], profile: Profile) -> None:
    plan = build_plan(exercises, profile, DAY)
    check_invariants(plan, exercises, profile, profile.minutes)
    # Deterministic, whatever order the catalogue comes in.
    again = build_plan(list(reversed(exercises)), profile, DAY)
    assert again == plan


@settings(max_examples=80, deadline=None)
@given(profile=profiles(), minutes=st.integers(5, 45))
def test_builtin_catalogue_any_profile(profile: Profile, minutes: int) -> None:
    plan = build_plan(BUILTIN, profile, DAY, minutes=minutes)
    check_invariants(plan, BUILTIN, profile, minutes)
    assert plan == build_plan(BUILTIN, profile, DAY, minutes=minutes)


@pytest.mark.parametrize("minutes", [10, 15, 20, 30])
def test_plain_profile_fits_time_within_ten_percent(minutes: int) -> None:
    profile = Profile(equipment=["mat", "chair", "towel"], goals=["relief", "mobility", "strength"])
    plan = build_plan(BUILTIN, profile, DAY, minutes=minutes)
    assert abs(plan.total_seconds - minutes * 60) <= minutes * 60 * TIME_TOLERANCE
    mains = [i for i in plan.items if i.phase in MAIN_PHASES]
    assert 2 <= len(mains) <= max_mains(minutes * 60)
    assert any(i.phase == "strength" for i in plan.items), "strength goal without a strength item"
    assert plan.items[0].phase == "warm-up"


def test_long_session_fills_or_explains() -> None:
    profile = Profile(minutes=45, equipment=["mat", "chair", "towel"], experience="some")
    plan = build_plan(BUILTIN, profile, DAY)
    if plan.total_seconds < 45 * 60 * (1 - TIME_TOLERANCE):
        assert any("less than the 45 min" in n for n in plan.notes)
    assert sum(1 for i in plan.items if i.phase in MAIN_PHASES) > 4


def test_five_minutes_says_what_was_left_out() -> None:
    profile = Profile(minutes=5, equipment=["mat", "chair", "towel"])
    plan = build_plan(BUILTIN, profile, DAY)
    assert plan.total_seconds <= 300 * (1 + TIME_TOLERANCE)
    fitted = [lo for lo in plan.left_out if lo.kind == "time"]
    assert fitted and all("left out to fit 5 minutes" in lo.reason for lo in fitted)


def test_extension_preference_picks_the_press_up_family() -> None:
    profile = Profile(directional_preference="extension", experience="some")
    plan = build_plan(BUILTIN, profile, DAY)
    ids = [i.exercise_id for i in plan.items]
    assert {"prone-press-up", "prone-on-elbows"} & set(ids)
    assert not [i for i in ids if next(e for e in BUILTIN if e.id == i).direction == "flexion"]
    reason = next(
        i.reason for i in plan.items if i.exercise_id in ("prone-press-up", "prone-on-elbows")
    )
    assert "preferred direction (extension)" in reason


def test_stenosis_leans_on_flexion_and_excludes_press_ups() -> None:
    profile = Profile(conditions=[{"id": "spinal-stenosis"}], equipment=["mat", "chair"])
    plan = build_plan(BUILTIN, profile, DAY)
    ids = {i.exercise_id for i in plan.items}
    assert not ids & {"prone-press-up", "prone-on-elbows", "standing-back-extension"}
    by_id = {e.id: e for e in BUILTIN}
    assert any(by_id[i].direction == "flexion" for i in ids)


def test_new_person_starts_at_the_easiest_family_member() -> None:
    from backcoach.planning.select import families

    by_id = {e.id: e for e in BUILTIN}
    family = next(f for f in families(BUILTIN) if "prone-press-up" in f)
    easiest = min(family, key=lambda i: (by_id[i].difficulty, i))
    new = build_plan(BUILTIN, Profile(directional_preference="extension"), DAY)
    chosen = [i for i in new.items if i.exercise_id in family]
    assert [i.exercise_id for i in chosen] == [easiest]
    assert "because you are new to it" in chosen[0].reason
    regular = build_plan(
        BUILTIN, Profile(directional_preference="extension", experience="regular"), DAY
    )
    harder = [i.exercise_id for i in regular.items if i.exercise_id in family]
    assert harder and by_id[harder[0]].difficulty > by_id[easiest].difficulty


def test_flare_up_plan_stays_at_the_lightest_dose_however_long_the_session() -> None:
    from backcoach.planning.flare import flare_up_exercise_ids
    from backcoach.planning.state import ProgramState

    state = ProgramState(flare_up_until=DAY)
    by_id = {e.id: e for e in BUILTIN}
    plan = build_plan(
        BUILTIN,
        Profile(minutes=45),
        DAY,
        state,
        gentle_ids=lambda pool, who: flare_up_exercise_ids(pool, who.directional_preference),
    )
    assert plan.flare_up and plan.items
    for item in plan.items:
        dose = by_id[item.exercise_id].dose
        assert item.sets == dose.sets.min, item.exercise_id
        if dose.reps is not None:
            assert item.reps == dose.reps.min, item.exercise_id


def test_time_filling_never_raises_a_dose_progression_set() -> None:
    from backcoach.planning.state import DoseOverride, ProgramState

    base = build_plan(BUILTIN, Profile(minutes=45), DAY)
    counted = [i for i in base.items if i.reps is not None and i.phase != "warm-up"]
    chosen = {i.exercise_id: DoseOverride(sets=1, reps=i.reps) for i in counted}
    plan = build_plan(BUILTIN, Profile(minutes=45), DAY, ProgramState(doses=chosen))
    for item in plan.items:
        if item.exercise_id in chosen:
            assert (item.sets, item.reps) == (1, chosen[item.exercise_id].reps), item.exercise_id
