"""Scenes of the built-in exercises: in-between frames rest on the floor and do not slide."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest

from backcoach.body import scene
from backcoach.body.animation import animation_svg
from backcoach.body.figure import key_poses_svg
from backcoach.body.landmarks import landmark_track
from backcoach.body.placement import CONTACT_TOLERANCE_M
from backcoach.body.scene import Frame
from backcoach.body.timing import Tempo
from backcoach.catalogue import Catalogue, load_default
from backcoach.catalogue.poses import SUPPORTS, KeyPoses
from tests.body.samples import key_poses

STAY_PUT_M = 0.01
"""A resting part that is at the same place in two key poses stays this close to it."""


@cache
def _builtins() -> Catalogue:
    catalogue, problems = load_default(None)
    assert problems == []
    return catalogue


def _key_poses(exercise_id: str) -> KeyPoses:
    found = _builtins().get(exercise_id).key_poses
    assert found is not None
    return found


@cache
def _runs(exercise_id: str) -> list[list[Frame]]:
    return scene.build_scene(_key_poses(exercise_id)).runs


def _ids() -> list[str]:
    return sorted(ex.id for ex in _builtins())


@pytest.mark.parametrize("exercise_id", _ids())
def test_in_between_frames_rest_on_their_supports(exercise_id: str) -> None:
    # Blended angles are not solved again (a limb is only kept off the floor), so an in-between
    # frame may float a little more than a key pose may; never so much that the figure hovers
    # and then drops into place.
    for i, run in enumerate(_runs(exercise_id)):
        for j, frame in enumerate(run[1:-1], start=1):
            assert frame.placed.worst_gap <= 2 * CONTACT_TOLERANCE_M, (
                f"move {i}, frame {j}: {frame.placed.gaps}"
            )


@pytest.mark.parametrize("exercise_id", _ids())
def test_the_turn_changes_smoothly_between_frames(exercise_id: str) -> None:
    for run in _runs(exercise_id):
        if any(f.supports != run[1].supports for f in run[1:-1]):
            continue  # the weight passes from one set of parts to another: it may tip there
        turns = [f.placed.turn for f in run]
        # Even steps: no frame is stuck while the next one snaps round.
        steps = [abs(b - a) for a, b in itertools.pairwise(turns)]
        total = abs(turns[-1] - turns[0])
        assert max(steps) <= max(2.0 * total / len(steps), 3.0), turns


@pytest.mark.parametrize("exercise_id", _ids())
def test_resting_parts_do_not_slide_during_a_movement(exercise_id: str) -> None:
    for i, run in enumerate(_runs(exercise_id)):
        first, last = run[0], run[-1]
        for support in SUPPORTS:
            for name in first.supports.get(support, []):
                if name not in last.supports.get(support, []):
                    continue
                start = first.placed.part_x(name)
                if abs(last.placed.part_x(name) - start) > STAY_PUT_M:
                    continue  # the key poses themselves put it elsewhere
                worst = max(abs(f.placed.part_x(name) - start) for f in run)
                # A part bearing weight stays put; a back against a wall may slide along it a
                # little as the pelvis tilts, never beyond the contact tolerance.
                limit = CONTACT_TOLERANCE_M if support == "wall" else STAY_PUT_M
                assert worst <= limit, f"move {i}: {name} slides {worst * 100:.1f} cm"


def test_a_scene_is_built_once_for_the_figure_the_animation_and_the_landmarks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[KeyPoses] = []
    real = scene.path_frames

    def counting(key_poses: KeyPoses, *args: Any, **kwargs: Any) -> list[list[Frame]]:
        built.append(key_poses)
        return real(key_poses, *args, **kwargs)

    monkeypatch.setattr(scene, "path_frames", counting)
    # A pose no other test uses, so nothing is kept from before.
    poses = key_poses(
        "side",
        "right",
        {"angles": {"shoulder": 10}, "floor": ["feet"]},
        {"angles": {"shoulder": 70, "lumbar": 15}, "floor": ["feet"]},
    )
    tempo = Tempo(1.0, 1.0, 1.0, 1.0)
    key_poses_svg(poses)
    animation_svg(poses, tempo)
    landmark_track(poses, tempo)
    assert len(built) == 1
    # The same poses read again (as a contact sheet does) are the same scene.
    assert scene.build_scene(poses.model_copy(deep=True)) is scene.build_scene(poses)
    assert len(built) == 1
