"""Compiling a plan into phases: order, cues, and errors a user can cause."""

from __future__ import annotations

import pytest

from backcoach.session import PlanMismatch, SessionDefinition
from backcoach.session.pacer import breath_at
from tests.session.conftest import catalogue, exercise, item, plan


def test_unknown_exercise_names_the_item_and_the_fix() -> None:
    with pytest.raises(PlanMismatch, match=r"plan item 2 names exercise 'ghost'.*load the"):
        SessionDefinition.build(plan(item("bridge"), item("ghost")), catalogue(exercise("bridge")))


def test_item_needs_reps_or_duration() -> None:
    both = item("bridge", reps=3, duration_seconds=30)
    with pytest.raises(PlanMismatch, match=r"plan item 1 \('bridge'\) needs exactly one"):
        SessionDefinition.build(plan(both), catalogue(exercise("bridge")))


def test_steps_after_the_first_are_spoken_one_per_rep_in_turn() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge", reps=5, hold_seconds=2, modification="Keep your feet wide.")),
        catalogue(exercise("bridge", steps=3, tempo="Slowly up, slowly down.")),
    )
    segments = definition.items[0].segments
    assert segments[0].cue == "Get ready: Bridge. bridge cue 0."
    moves = [s.cue for s in segments if s.kind == "move"]
    assert moves == [
        "1 of 5. bridge cue 1.",
        "2 of 5. bridge cue 2.",
        "3 of 5. bridge cue 1.",
        "4 of 5. bridge cue 2.",
        "5 of 5. bridge cue 1.",
    ]
    assert {s.cue for s in segments if s.kind == "hold"} == {"Hold for 2 seconds."}


def test_a_hold_with_no_movement_time_carries_the_rep_cue() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge", reps=2, hold_seconds=30, movement_seconds=0)),
        catalogue(exercise("bridge")),
    )
    kinds = [(s.kind, s.cue) for s in definition.items[0].segments[1:]]
    assert kinds == [
        ("hold", "1 of 2. bridge cue 1. Hold for 30 seconds."),
        ("hold", "2 of 2. bridge cue 2. Hold for 30 seconds."),
    ]


def test_pacer_arithmetic() -> None:
    from backcoach.catalogue.model import BreathPace

    pace = BreathPace(inhale_seconds=4, exhale_seconds=6, hold_seconds=1)
    assert breath_at(pace, 0) == (0, "in", 4)
    assert breath_at(pace, 4.0) == (1, "hold", 1)
    assert breath_at(pace, 5.5) == (2, "out", 6)
    assert breath_at(pace, 11.0) == (3, "in", 4)
    assert breath_at(pace, 22.0 + 10.999) == (8, "out", 6)


def test_exercise_names_are_looked_up_by_id() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge"), item("cat-cow")),
        catalogue(exercise("bridge"), exercise("cat-cow", name="Cat and cow")),
    )
    assert definition.exercise_name("cat-cow") == "Cat and cow"
    assert definition.exercise_name("bridge") == "Bridge"
    assert definition.exercise_name("ghost") is None
    assert definition.exercise_name(None) is None
