"""A camera per exercise or key pose: a raised three-quarter view where the plain view hides
the movement, drawn from the placed world that the checks still judge.

Knee rolls were drawn from the feet, level: the knees hid the head and trunk (two blobs).
"""

from __future__ import annotations

import math
import re

import pytest
from pydantic import ValidationError

from backcoach.body.animation import exercise_animation_svg
from backcoach.body.camera import Lens, look
from backcoach.body.figure import exercise_svg
from backcoach.body.scene import build_scene, key_frames
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import Camera, KeyPoses
from backcoach.catalogue.schema import exercise_schema


def _exercise(exercise_id: str) -> Exercise:
    exercise, problems = load_file(builtin_dir() / f"{exercise_id}.yaml")
    assert exercise is not None and exercise.key_poses is not None and not problems
    return exercise


def _key_poses(exercise_id: str) -> KeyPoses:
    found = _exercise(exercise_id).key_poses
    assert found is not None
    return found


def _lying(**extra: object) -> dict[str, object]:
    pose = {"floor": ["head", "upper_trunk", "pelvis", "feet"], "angles": {"hip": 45, "knee": 90}}
    return {
        "view": "side",
        "side": "right",
        "poses": [{"role": "start", **pose}, {"role": "end", **pose}],
        **extra,
    }


def test_a_camera_out_of_bounds_is_refused_naming_the_field_value_and_fix() -> None:
    with pytest.raises(ValidationError) as err:
        KeyPoses.model_validate(_lying(camera={"turn": 20, "raise": 95}))
    text = str(err.value)
    assert "camera.raise" in text and "95" in text and "between 0 and 80" in text
    with pytest.raises(ValidationError, match="camera turn of -120"):
        KeyPoses.model_validate(_lying(camera={"turn": -120}))
    with pytest.raises(ValidationError, match="view: top"):
        KeyPoses.model_validate({**_lying(camera={"raise": 30}), "view": "top"})
    with pytest.raises(ValidationError, match="ceiling"):
        KeyPoses.model_validate(_lying(camera={"tilt": 3, "ceiling": 1}))


def test_the_schema_documents_the_camera_with_its_bounds() -> None:
    schema = exercise_schema()
    camera = schema["$defs"]["Camera"]["properties"]
    assert camera["raise"]["minimum"] == 0 and camera["raise"]["maximum"] == 80
    assert camera["turn"]["minimum"] == -90 and camera["turn"]["maximum"] == 90
    assert "camera" in schema["$defs"]["KeyPoses"]["properties"]
    assert "camera" in schema["$defs"]["KeyPose"]["properties"]


def test_a_pose_of_its_own_camera_wins_over_the_exercises() -> None:
    data = _lying(camera={"turn": 30, "raise": 20})
    poses = data["poses"]
    assert isinstance(poses, list)
    poses[1] = {**poses[1], "camera": {"raise": 60}}
    key_poses = KeyPoses.model_validate(data)
    assert key_poses.camera_of(0) == Camera(turn=30, raise_=20)
    assert key_poses.camera_of(1) == Camera(raise_=60)


def test_the_lens_brings_the_right_and_the_top_nearer_and_shows_the_near_side_lower() -> None:
    turned = Lens.of(Camera(turn=30))
    # Walking round to the picture's right: a point on the right comes nearer.
    assert turned.see(1.0, 0.0, 0.0)[1] > 0 > turned.see(-1.0, 0.0, 0.0)[1]
    raised = Lens.of(Camera(raise_=40))
    (_, near_y), _ = raised.see(0.0, 0.0, 0.5)
    (_, far_y), _ = raised.see(0.0, 0.0, -0.5)
    assert near_y < far_y  # the floor near the viewer shows lower down the picture
    assert raised.see(0.0, 1.0, 0.0)[1] > raised.see(0.0, 0.0, 0.0)[1]  # higher is nearer
    # Orthographic: a length across the picture keeps its scale whatever the raise.
    assert raised.see(1.0, 0.0, 0.0)[0][0] == pytest.approx(1.0)


def test_knee_rolls_show_the_head_and_trunk_beyond_the_rolling_knees() -> None:
    key_poses = _key_poses("knee-rolls")
    assert key_poses.camera is not None and key_poses.camera.raise_ >= 25
    frames = key_frames(key_poses)
    drawn = [look(f.placed, key_poses.camera_of(i)) for i, f in enumerate(frames)]
    for placed in drawn:
        head, pelvis = placed.points["head_centre"], placed.points["hip_centre"]
        knees = placed.points["left_knee"], placed.points["right_knee"]
        # Level from the feet the head hid behind the knees (both within 25 cm of each
        # other up the picture); raised, the head and trunk show well clear of them.
        assert math.dist(head, pelvis) > 0.4
        assert all(math.dist(head, k) > 0.5 for k in knees)
    for side in ("left", "right"):
        moved = math.dist(drawn[0].points[f"{side}_knee"], drawn[1].points[f"{side}_knee"])
        assert moved > 0.10  # the knees visibly roll to one side


def test_the_checks_keep_the_world_and_the_drawing_gets_the_camera_copy() -> None:
    key_poses = _key_poses("knee-rolls")
    plain = key_poses.model_copy(update={"camera": None})
    world, without = key_frames(key_poses), key_frames(plain)
    for a, b in zip(world, without, strict=True):
        assert a.placed == b.placed and a.placed.camera is None
    seen = look(world[0].placed, key_poses.camera)
    assert seen.camera == key_poses.camera
    assert seen.points != world[0].placed.points
    for name, cap in seen.capsules.items():
        assert cap.ends_depth is not None
        # Drawing order comes from the camera: each capsule's depth is its ends' mean.
        assert cap.depth == pytest.approx(sum(cap.ends_depth) / 2), name


def test_a_raised_camera_draws_the_floor_as_a_plane_not_a_line() -> None:
    exercise = _exercise("knee-rolls")
    still = exercise_svg(exercise, captions=False)
    floors = re.findall(r'<polygon class="floor" points="([^"]+)"', still)
    assert len(floors) == 2  # one per panel
    corners = [tuple(map(float, p.split(","))) for p in floors[0].split()]
    assert len(corners) == 4
    ys = [y for _, y in corners]
    assert max(ys) - min(ys) > 60  # seen from above: a plane with depth, not a line
    assert '<polygon class="mat"' in still
    anim = exercise_animation_svg(exercise)
    assert anim is not None and '<polygon class="floor"' in anim


def test_the_seated_twist_shows_the_chair_from_above_at_an_angle() -> None:
    exercise = _exercise("seated-rotation")
    assert exercise.key_poses is not None and exercise.key_poses.camera is not None
    still = exercise_svg(exercise, captions=False)
    assert '<polygon class="seat"' in still and '<polygon class="back"' in still


@pytest.mark.parametrize("exercise_id", ["seated-rotation", "thread-the-needle"])
def test_turning_movements_are_drawn_raised_and_three_quarter(exercise_id: str) -> None:
    camera = _key_poses(exercise_id).camera
    assert camera is not None and camera.raise_ >= 15 and 20 <= abs(camera.turn) <= 70


def test_side_bends_stay_seen_from_the_front() -> None:
    key_poses = _key_poses("standing-side-bend")
    assert key_poses.view == "front" and key_poses.camera is None


def test_without_a_camera_the_picture_is_the_placed_body_itself() -> None:
    scene = build_scene(_key_poses("bridge"))
    placed = scene.frames[0].placed
    assert look(placed, None) is placed
    assert look(placed, Camera()) is placed
