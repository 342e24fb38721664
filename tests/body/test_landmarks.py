"""Keypoints named as MediaPipe's pose landmarks, for the camera coach."""

from __future__ import annotations

import pytest

from backcoach.body.kinematics import forward, resolve
from backcoach.body.landmarks import MEDIAPIPE_LANDMARKS, landmark_track, landmarks
from backcoach.body.placement import place
from backcoach.body.timing import Tempo
from backcoach.catalogue.poses import JointAngles
from tests.body.samples import PRESS_UP


def test_the_33_landmarks_in_mediapipe_order() -> None:
    assert len(MEDIAPIPE_LANDMARKS) == 33
    assert MEDIAPIPE_LANDMARKS[0] == "nose"
    assert MEDIAPIPE_LANDMARKS[11:13] == ("left_shoulder", "right_shoulder")
    assert MEDIAPIPE_LANDMARKS[23:25] == ("left_hip", "right_hip")
    assert MEDIAPIPE_LANDMARKS[-1] == "right_foot_index"


def test_standing_landmarks_stack_from_the_feet_up() -> None:
    placed = place(forward(resolve(JointAngles())), "side", "right", {"floor": ["feet"]})
    marks = landmarks(placed)
    assert list(marks) == list(MEDIAPIPE_LANDMARKS)
    order = ["right_heel", "right_ankle", "right_knee", "right_hip", "right_shoulder", "nose"]
    heights = [marks[n].y for n in order]
    assert heights == sorted(heights)
    assert marks["right_heel"].y == pytest.approx(0.0, abs=0.03)
    assert marks["right_foot_index"].x > marks["right_heel"].x  # facing right
    # Side view of the right side: the left side is further from the viewer.
    assert marks["left_shoulder"].depth < 0 < marks["right_shoulder"].depth


def test_a_synthetic_track_plays_one_repetition() -> None:
    tempo = Tempo(out=2.0, hold=1.0, back=2.0, pause=1.0)
    track = landmark_track(PRESS_UP, tempo, fps=10)
    assert len(track) == 61
    assert [t for t, _ in track[:3]] == pytest.approx([0.0, 0.1, 0.2])
    start, top, end = track[0][1], track[25][1], track[-1][1]
    # The shoulders rise into the hold, the hips stay low, and the cycle returns to the start.
    assert top["right_shoulder"].y > start["right_shoulder"].y + 0.2
    assert max(frame["right_hip"].y for _, frame in track) < 0.2
    assert end["right_shoulder"].y == pytest.approx(start["right_shoulder"].y)
