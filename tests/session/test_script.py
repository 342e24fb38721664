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


def test_every_rep_says_its_phases_own_words_and_get_ready_says_the_version() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge", reps=5, hold_seconds=2, modification="Keep your feet wide.")),
        catalogue(exercise("bridge", steps=3, tempo="slowly up, slowly down")),
    )
    segments = definition.items[0].segments
    # One cue: a player shows the latest, so a tempo said apart would hide the set-up.
    assert segments[0].cue == "Get ready: Bridge. Bridge cue 0. Your version: Keep your feet wide."
    moves = [s.cue for s in segments if s.kind == "move"]
    # How to move is said once, with the first movement.
    assert moves == [
        "1 of 5. Bridge cue 1. Bridge cue 2. Slowly up, slowly down.",
        *(f"{n} of 5. Bridge cue 1. Bridge cue 2." for n in range(2, 6)),
    ]
    assert {s.cue for s in segments if s.kind == "hold"} == {"Hold for 2 seconds."}
    assert {s.cue for s in segments if s.kind == "release"} == {"Back to the start."}
    assert [s.kind for s in segments[1:4]] == ["move", "hold", "release"]


def test_a_tempo_about_the_order_of_sides_is_not_a_cue() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge", reps=2, per_side=True)),
        catalogue(exercise("bridge", tempo="alternate sides")),
    )
    said = " ".join(s.cue for s in definition.items[0].segments)
    assert "alternate" not in said


def test_a_hold_with_no_movement_time_carries_the_rep_cue() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge", reps=2, hold_seconds=30, movement_seconds=0)),
        catalogue(exercise("bridge")),
    )
    kinds = [(s.kind, s.cue) for s in definition.items[0].segments[1:]]
    assert kinds == [
        ("hold", "1 of 2. Bridge cue 1. Bridge cue 2. Hold for 30 seconds."),
        ("hold", "2 of 2. Bridge cue 1. Bridge cue 2. Hold for 30 seconds."),
    ]


def test_pacer_arithmetic() -> None:
    cycle = (("in", 4.0), ("hold", 1.0), ("out", 6.0))
    assert breath_at(cycle, 0) == (0, "in", 4)
    assert breath_at(cycle, 4.0) == (1, "hold", 1)
    assert breath_at(cycle, 5.5) == (2, "out", 6)
    assert breath_at(cycle, 11.0) == (3, "in", 4)
    assert breath_at(cycle, 22.0 + 10.999) == (8, "out", 6)


def test_exercise_names_are_looked_up_by_id() -> None:
    definition = SessionDefinition.build(
        plan(item("bridge"), item("cat-cow")),
        catalogue(exercise("bridge"), exercise("cat-cow", name="Cat and cow")),
    )
    assert definition.exercise_name("cat-cow") == "Cat and cow"
    assert definition.exercise_name("bridge") == "Bridge"
    assert definition.exercise_name("ghost") is None
    assert definition.exercise_name(None) is None
