"""In-between frames keep the parts resting in both neighbouring key poses on the floor.

Blending every joint at one pace does not keep a chain between two contacts the same length:
the press-up's pelvis rose some 3 cm off the floor halfway up, thread-the-needle's hand and
knees floated 3 cm. Each body part may now move a little ahead of or behind the others, as a
person's do.
"""

from __future__ import annotations

import pytest

from backcoach.body.placement import CONTACT_TOLERANCE_M
from backcoach.body.scene import build_scene, resting_in_both
from backcoach.catalogue import load_default
from backcoach.catalogue.model import Exercise


def _builtins() -> list[Exercise]:
    catalogue, problems = load_default(None)
    assert problems == []
    return sorted((ex for ex in catalogue if ex.key_poses is not None), key=lambda ex: ex.id)


@pytest.mark.parametrize("exercise", _builtins(), ids=lambda ex: ex.id)
def test_every_in_between_frame_rests_on_what_both_key_poses_rest_on(exercise: Exercise) -> None:
    assert exercise.key_poses is not None
    scene = build_scene(exercise.key_poses)
    for r, run in enumerate(scene.runs):
        kept = resting_in_both(run[0], run[-1])
        for i, frame in enumerate(run[1:-1], start=1):
            for part, gap in frame.placed.gaps.items():
                if part not in kept:
                    continue  # a walking step's heel may clear the floor mid-swing
                assert abs(gap) <= CONTACT_TOLERANCE_M + 1e-9, (
                    f"{exercise.id}: movement {r + 1}, frame {i}: {part} is "
                    f"{gap * 100:.1f} cm off its support"
                )


def test_the_press_up_keeps_the_pelvis_down_all_the_way_up() -> None:
    exercise = next(ex for ex in _builtins() if ex.id == "prone-press-up")
    assert exercise.key_poses is not None
    scene = build_scene(exercise.key_poses)
    for frame in scene.forward:
        assert "pelvis" in frame.supports["floor"]
        assert abs(frame.placed.gaps["floor:pelvis"]) <= CONTACT_TOLERANCE_M
