"""Placing a posed body on the floor: resting parts touch, nothing goes below the floor."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.defaults import NEUTRAL
from backcoach.body.kinematics import forward, resolve
from backcoach.body.placement import (
    CONTACT_TOLERANCE_M,
    SEAT_HEIGHT,
    place,
    shifted,
)
from backcoach.body.scene import pose_frame
from backcoach.catalogue.poses import JointAngles, KeyPoses
from tests.body.samples import PRESS_UP
from tests.body.test_kinematics import postures

H = sk.DEFAULT_HEIGHT_M


@pytest.mark.parametrize("position", sorted(NEUTRAL))
def test_every_resting_part_of_each_starting_position_touches(position: str) -> None:
    view, pose = NEUTRAL[position]  # type: ignore[index]
    frame = pose_frame(
        pose,
        KeyPoses(view=view, side="right", poses=[pose, pose.model_copy(update={"role": "end"})]),
    )
    placed = frame.placed
    assert placed.gaps, "a resting pose lists what it rests on"
    for part, gap in placed.gaps.items():
        assert abs(gap) <= CONTACT_TOLERANCE_M, f"{position}: {part} is {gap * 100:.1f} cm off"
    assert placed.lowest == pytest.approx(0.0, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(postures, st.sampled_from([["feet"], ["pelvis"], ["hands", "knees"], ["head"]]))
def test_nothing_goes_below_the_floor_whatever_the_pose(
    posture: dict[str, float], parts: list[str]
) -> None:
    placed = place(forward(posture), "side", "right", {"floor": parts})
    # The lowest point of the body is exactly on the floor: resting, not floating or sunk.
    assert placed.lowest == pytest.approx(0.0, abs=1e-9)
    for cap in placed.capsules.values():
        assert cap.bottom >= -1e-9


@settings(max_examples=25, deadline=None)
@given(postures)
def test_placement_moves_the_body_rigidly(posture: dict[str, float]) -> None:
    body = forward(posture)
    placed = place(body, "side", "right", {"floor": ["feet"]})
    # Distances within the picture plane are those of the body seen from the side.
    a3, b3 = body.points["right_hip"], body.points["right_knee"]
    a2, b2 = placed.points["right_hip"], placed.points["right_knee"]
    assert math.dist(a2, b2) == pytest.approx(math.dist(a3[:2], b3[:2]), abs=1e-9)


def test_lying_on_the_back_faces_up_and_on_the_front_faces_down() -> None:
    for position, up in (("supine", True), ("prone", False)):
        view, pose = NEUTRAL[position]  # type: ignore[index]
        placed = place(forward(resolve(pose.angles)), view, "right", {"floor": list(pose.floor)})
        nose = placed.points["nose"][1]
        centre = placed.points["head_centre"][1]
        assert (nose > centre) is up, position


def test_standing_upright_on_flat_feet() -> None:
    placed = place(forward(resolve(JointAngles())), "side", "right", {"floor": ["feet"]})
    assert placed.turn == pytest.approx(0.0, abs=0.1)
    assert placed.points["right_heel"][1] == pytest.approx(placed.points["right_foot_index"][1])
    assert placed.points["head_centre"][1] == pytest.approx((1.0 - sk.HEAD_RADIUS) * H, rel=0.01)


def test_sitting_puts_the_pelvis_on_the_seat_and_the_feet_on_the_floor() -> None:
    view, pose = NEUTRAL["seated"]
    placed = place(
        forward(resolve(pose.angles)), view, "right", {"chair": ["pelvis"], "floor": ["feet"]}
    )
    pelvis = placed.capsules["pelvis"]
    assert pelvis.bottom == pytest.approx(SEAT_HEIGHT * H, abs=CONTACT_TOLERANCE_M)
    assert placed.chair_x is not None
    assert placed.capsules["right_foot"].bottom == pytest.approx(0.0, abs=CONTACT_TOLERANCE_M)


def test_a_wall_stands_at_the_resting_part_and_beyond_the_whole_body() -> None:
    body = forward(resolve(JointAngles()))
    placed = place(body, "side", "right", {"floor": ["feet"], "wall": ["upper_trunk"]})
    assert placed.wall_x is not None
    assert abs(placed.gaps["wall:upper_trunk"]) < 1e-6
    behind = placed.wall_x < 0
    for cap in placed.capsules.values():
        x0, _, x1, _ = cap.extent()
        assert (x0 >= placed.wall_x - 1e-9) if behind else (x1 <= placed.wall_x + 1e-9)


def test_a_part_that_cannot_reach_the_floor_is_reported_by_its_gap() -> None:
    # Standing straight the hands hang 70 cm up: no turn of the body gets hands and feet down.
    placed = place(forward(resolve(JointAngles())), "side", "right", {"floor": ["feet", "hands"]})
    assert placed.worst_gap > 0.15


def test_key_frames_line_up_on_a_part_resting_throughout() -> None:
    from backcoach.body.scene import key_frames

    frames = key_frames(PRESS_UP)
    start, end = frames[0], frames[-1]
    # The press-up keeps its pelvis down: it does not slide between the two pictures.
    assert start.placed.points["hip_centre"][0] == pytest.approx(
        end.placed.points["hip_centre"][0], abs=0.06
    )
    moved = shifted(start.placed, 0.5)
    assert moved.points["nose"][0] == pytest.approx(start.placed.points["nose"][0] + 0.5)
    assert moved.gaps == start.placed.gaps
    # Every point and every capsule end moves 0.5 m along the floor and keeps its height.
    for name, (x, y) in start.placed.points.items():
        assert moved.points[name] == pytest.approx((x + 0.5, y)), name
    for name, cap in start.placed.capsules.items():
        shifted_cap = moved.capsules[name]
        assert shifted_cap.a == pytest.approx((cap.a[0] + 0.5, cap.a[1])), name
        assert shifted_cap.b == pytest.approx((cap.b[0] + 0.5, cap.b[1])), name
        assert shifted_cap.bottom == pytest.approx(cap.bottom), name
    assert moved.lowest == pytest.approx(start.placed.lowest)
    assert moved.part_x("hands") == pytest.approx(start.placed.part_x("hands") + 0.5)


def test_props_move_with_the_body() -> None:
    view, pose = NEUTRAL["seated"]
    body = forward(resolve(pose.angles))
    placed = place(body, view, "right", {"chair": ["pelvis"], "floor": ["feet"]})
    at_wall = place(
        forward(resolve(JointAngles())),
        "side",
        "right",
        {"floor": ["feet"], "wall": ["upper_trunk"]},
    )
    assert placed.chair_x is not None and at_wall.wall_x is not None
    assert shifted(placed, -0.3).chair_x == pytest.approx(placed.chair_x - 0.3)
    assert shifted(at_wall, 0.2).wall_x == pytest.approx(at_wall.wall_x + 0.2)


def test_resting_part_names() -> None:
    assert [s.name for s in contact_specs("knees")] == ["left_knee", "right_knee"]
    assert contact_specs("hands")[0].mode == "all"  # flat
    assert contact_specs("right_knee")[0].mode == "any"
    with pytest.raises(ValueError, match="unknown resting part"):
        contact_specs("elbow")
