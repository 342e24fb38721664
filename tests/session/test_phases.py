"""How every built-in exercise's steps fall into the phases of a repetition (session.phases)."""

from __future__ import annotations

import pytest

from backcoach.session.phases import breath_led, pace_cycle, phases_of
from tests.session.test_now import builtin

IDS = sorted(ex.id for ex in builtin())


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_phase_has_words_and_none_announces_the_other_side(exercise_id: str) -> None:
    ex = builtin().get(exercise_id)
    p = phases_of(ex)
    assert p.setup.text and p.setup.cue and p.move.text and p.move.cue and p.whole.cue
    # Sides done one after the other are the session's to announce (a roller moved to the
    # other side halfway through is part of the movement).
    for words in (p.move, p.back, p.whole, *([p.hold] if p.hold else [])) * ex.dose.per_side:
        assert "other side" not in words.cue.lower() and "other leg" not in words.cue.lower()
        assert "other side" not in words.text.lower().replace("toward the other side", "")
    if ex.dose.hold_seconds is not None:
        assert p.hold is not None, "a counted exercise with a hold has a hold step"
        assert p.back.cue, "and a way back"
    if p.tempo is not None:
        assert "side" not in p.tempo and p.tempo[0].isupper() and p.tempo.endswith(".")


@pytest.mark.parametrize(
    ("exercise_id", "move", "hold", "back"),
    [
        ("knee-rolls", "Roll your knees to one side.", "Hold for a breath.", "Back to the middle."),
        ("prone-press-up", "Push up slowly, hips stay down.", "Hold and breathe.", "Lower slowly."),
        ("side-lying-clam", "Lift your top knee.", "Pause.", "Lower slowly."),
        ("standing-back-extension", "Lean back gently.", "Pause for a moment.",
         "And back up tall."),
        ("bird-dog", "Reach out long, back stays level.", "Hold and breathe.", "Back down."),
        ("thread-the-needle", "Slide your arm underneath. Let your upper back turn.",
         "Hold and breathe.", "Come back."),
    ],
)  # fmt: skip
def test_known_exercises_split_as_a_person_would_say_them(
    exercise_id: str, move: str, hold: str, back: str
) -> None:
    p = phases_of(builtin().get(exercise_id))
    assert p.hold is not None
    assert (p.move.cue, p.hold.cue, p.back.cue) == (move, hold, back)


def test_set_up_takes_the_preparing_steps_and_the_movement_keeps_the_moving_ones() -> None:
    press_up = phases_of(builtin().get("prone-press-up"))
    assert "relax completely" in press_up.setup.text
    assert "relax completely" not in press_up.move.text
    childs = phases_of(builtin().get("childs-pose"))
    assert childs.move.cue == "Sit back toward your heels. Arms forward, forehead down."
    hinge = phases_of(builtin().get("hip-hinge"))
    assert "light weight" not in hinge.whole.text  # a note for later, not each repetition


def test_breath_led_exercises_get_a_pacer() -> None:
    led = {ex.id for ex in builtin() if breath_led(ex)}
    assert led == {"cat-cow", "diaphragmatic-breathing"}
    cat_cow = builtin().get("cat-cow")
    assert pace_cycle(cat_cow, 8) == (("out", 4.0), ("in", 4.0))
    assert pace_cycle(builtin().get("bridge"), 4) is None
