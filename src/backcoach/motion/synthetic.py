"""Synthetic pose frames played from key poses through the body model, for testing the coach.

Each repetition plays the key poses at a tempo (optionally a faulty copy of them), seen by a
camera that may be turned away from the pure side view, tilted, or on its side, with noise
and dropped landmarks: what a real pose model gives, with the truth known.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from backcoach.body.landmarks import Landmark, landmark_track
from backcoach.body.timing import Tempo
from backcoach.catalogue.poses import KeyPoses
from backcoach.motion.frames import Mark, Marks, PoseFrame


@dataclass(frozen=True)
class Camera:
    yaw_deg: float = 0.0
    """Turned about the vertical away from the key poses' view (0 = exactly that view)."""
    roll_deg: float = 0.0
    """Tilted in the picture plane (a camera not quite level)."""
    pitch_deg: float = 0.0
    """Looking down from above by this much (0 = at the body's height, level)."""
    mirror: bool = False
    """The picture flipped left to right (a front camera's selfie view)."""
    quarter: int = 0
    """The picture turned a quarter turn clockwise this many times (a phone on its side)."""
    pixels_per_m: float = 150.0
    size: tuple[int, int] = (640, 480)


@dataclass(frozen=True)
class RepPlan:
    """One repetition: its tempo and, for an injected fault, the faulty key poses."""

    tempo: Tempo
    poses: KeyPoses | None = None
    faults: frozenset[int] = field(default_factory=frozenset)
    """Rules (by position in ``coach.rules``) the faulty poses break."""


@dataclass(frozen=True)
class Truth:
    start: float
    end: float
    hold_seconds: float
    faults: frozenset[int]


def play(
    key_poses: KeyPoses,
    reps: list[RepPlan],
    fps: float = 25.0,
    camera: Camera = Camera(),
    noise: float = 0.0,
    dropout: float = 0.0,
    lead_s: float = 1.5,
    seed: int = 0,
) -> tuple[list[PoseFrame], list[Truth]]:
    """Frames of the repetitions one after another, after ``lead_s`` at the start pose.

    ``noise`` is the landmark jitter's standard deviation in metres; ``dropout`` the chance
    that a frame has no person, and (separately) that any one landmark is hidden.
    """
    rng = random.Random(seed)
    timeline: list[tuple[float, dict[str, Landmark]]] = []
    truths = []
    first = _track(key_poses, reps[0].tempo, fps)[0][1]
    timeline += [(k / fps, first) for k in range(int(lead_s * fps))]
    t0 = len(timeline) / fps
    for plan in reps:
        track = _track(plan.poses or key_poses, plan.tempo, fps)
        timeline += [(t0 + t, lm) for t, lm in track[:-1]]
        tempo = plan.tempo
        truths.append(Truth(t0, t0 + tempo.out + tempo.hold + tempo.back, tempo.hold, plan.faults))
        t0 += (len(track) - 1) / fps
    timeline += [(t0 + k / fps, first) for k in range(int(lead_s * fps))]
    frames = []
    for k, (_, body) in enumerate(timeline):
        t = k / fps
        if rng.random() < dropout:
            frames.append(PoseFrame(t, None))
            continue
        frames.append(PoseFrame(t, _picture(body, camera, noise, dropout, rng)))
    return frames, truths


_TRACKS: dict[tuple[str, Tempo, float], list[tuple[float, dict[str, Landmark]]]] = {}


def _track(
    key_poses: KeyPoses, tempo: Tempo, fps: float
) -> list[tuple[float, dict[str, Landmark]]]:
    """The body model's track, kept: the robustness matrix plays the same repetitions through
    many cameras, and placing each pose on the floor is the slow part of a synthetic run."""
    key = (key_poses.model_dump_json(), tempo, fps)
    if key not in _TRACKS:
        if len(_TRACKS) > 256:
            _TRACKS.clear()
        _TRACKS[key] = landmark_track(key_poses, tempo, fps)
    return _TRACKS[key]


def _picture(
    body: dict[str, Landmark], cam: Camera, noise: float, dropout: float, rng: random.Random
) -> Marks:
    yaw, roll = math.radians(cam.yaw_deg), math.radians(cam.roll_deg)
    out = {}
    for name, p in body.items():
        x = p.x * math.cos(yaw) + p.depth * math.sin(yaw)
        depth = -p.x * math.sin(yaw) + p.depth * math.cos(yaw)
        pitch = math.radians(cam.pitch_deg)
        y = p.y * math.cos(pitch) - depth * math.sin(pitch)
        depth = depth * math.cos(pitch) + p.y * math.sin(pitch)
        if cam.mirror:
            x = -x
        x, y = x * math.cos(roll) - y * math.sin(roll), x * math.sin(roll) + y * math.cos(roll)
        x, y = x + rng.gauss(0, noise), y + rng.gauss(0, noise)
        for _ in range(cam.quarter % 4):
            x, y = y, -x
        # The far side of the body is seen less surely, as with a real pose model.
        visibility = 0.95 if depth > -0.05 else 0.75
        if rng.random() < dropout:
            visibility = 0.1
        w, h = cam.size
        out[name] = Mark(w / 2 + x * cam.pixels_per_m, h / 2 - y * cam.pixels_per_m, visibility)
    return out
