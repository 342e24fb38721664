"""Keypoints named like MediaPipe's pose landmarks, for the camera coach.

The camera coach compares what a camera sees with what the exercise should look like. Both
sides then speak the same names: MediaPipe Pose's 33 landmarks (``nose``, ``left_shoulder``,
..., ``right_foot_index``). Positions are in metres in the picture plane with the floor at
y = 0; ``depth`` is toward the viewer. A synthetic landmark track plays the key poses at the
exercise's tempo, for testing the coach without video.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.body import skeleton as sk
from backcoach.body.placement import Placed
from backcoach.body.scene import build_scene
from backcoach.body.timing import Tempo, timeline
from backcoach.catalogue.poses import KeyPoses

MEDIAPIPE_LANDMARKS: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
"""MediaPipe Pose landmark names in index order (0 = nose ... 32 = right_foot_index)."""


@dataclass(frozen=True)
class Landmark:
    x: float
    y: float
    """Height above the floor, metres."""
    depth: float
    """Toward the viewer, metres; in a side view the far side's landmarks are negative."""


def landmarks(placed: Placed) -> dict[str, Landmark]:
    """The 33 landmarks of a placed body, in MediaPipe's order."""
    return {
        name: Landmark(placed.points[name][0], placed.points[name][1], placed.depth[name])
        for name in MEDIAPIPE_LANDMARKS
    }


def landmark_track(
    key_poses: KeyPoses, tempo: Tempo, fps: float = 10.0, height: float = sk.DEFAULT_HEIGHT_M
) -> list[tuple[float, dict[str, Landmark]]]:
    """Landmarks sampled at ``fps`` through one repetition played at ``tempo``."""
    forward = build_scene(key_poses, height).forward
    steps = [(landmarks(f.placed), t) for f, t in timeline(forward, tempo)]
    track = []
    count = int(tempo.cycle * fps) + 1
    j = 0
    for k in range(count):
        t = k / fps
        while j < len(steps) - 2 and steps[j + 1][1] < t:
            j += 1
        (a, ta), (b, tb) = steps[j], steps[j + 1]
        u = 0.0 if tb <= ta else min(max((t - ta) / (tb - ta), 0.0), 1.0)
        track.append((t, {n: _mix(a[n], b[n], u) for n in MEDIAPIPE_LANDMARKS}))
    return track


def _mix(a: Landmark, b: Landmark, u: float) -> Landmark:
    return Landmark(a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u, a.depth + (b.depth - a.depth) * u)
