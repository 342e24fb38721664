"""Synthetic pose frames played from key poses through the body model, for testing the coach.

Each repetition plays the key poses at a tempo (optionally a faulty copy of them), seen by a
camera that may be turned away from the pure side view, tilted, or on its side, with noise
and dropped landmarks: what a real pose model gives, with the truth known. Each landmark also
has its world position, as MediaPipe's ``pose_world_landmarks`` (see
:mod:`backcoach.motion.frames`), from the body model's 3D body.
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
    world: bool = True,
) -> tuple[list[PoseFrame], list[Truth]]:
    """Frames of the repetitions one after another, after ``lead_s`` at the start pose.

    ``noise`` is the landmark jitter's standard deviation in metres; ``dropout`` the chance
    that a frame has no person, and (separately) that any one landmark is hidden. Without
    ``world`` the landmarks have no world positions (an old landmark file, a CSV).
    """
    rng, world_rng = random.Random(seed), random.Random(f"world-{seed}")
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
        marks = _picture(body, camera, noise, dropout, rng, world_rng)
        if not world:
            marks = {n: m._replace(world=None) for n, m in marks.items()}
        frames.append(PoseFrame(t, marks))
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


DEPTH_NOISE = 2.0
"""World positions' depth is jittered this many times more than the rest: MediaPipe's z is
its least sure coordinate (its documentation says so)."""


def _view(x: float, y: float, depth: float, cam: Camera) -> tuple[float, float, float]:
    """A point (x right, y up, depth toward the viewer) as the camera sees it: turned, looking
    down, mirrored and tilted, in the same axes."""
    yaw, pitch, roll = (math.radians(a) for a in (cam.yaw_deg, cam.pitch_deg, cam.roll_deg))
    x, depth = x * math.cos(yaw) + depth * math.sin(yaw), -x * math.sin(yaw) + depth * math.cos(yaw)
    y, depth = (
        y * math.cos(pitch) - depth * math.sin(pitch),
        depth * math.cos(pitch) + y * math.sin(pitch),
    )
    if cam.mirror:
        x = -x
    x, y = x * math.cos(roll) - y * math.sin(roll), x * math.sin(roll) + y * math.cos(roll)
    return x, y, depth


def _picture(
    body: dict[str, Landmark],
    cam: Camera,
    noise: float,
    dropout: float,
    rng: random.Random,
    world_rng: random.Random,
) -> Marks:
    """The body as MediaPipe would give it: picture pixels (y down), visibility, and world
    positions (metres from mid-hips, x right, y down, z away from the camera, turned with the
    camera as MediaPipe's are), each with its own noise (the world's from ``world_rng``, so the
    picture's landmarks are the same with or without world positions)."""
    left, right = body["left_hip"], body["right_hip"]
    hips = ((left.x + right.x) / 2, (left.y + right.y) / 2, (left.depth + right.depth) / 2)
    out = {}
    for name, p in body.items():
        x, y, depth = _view(p.x, p.y, p.depth, cam)
        wx, wy, wz = _view(p.x - hips[0], p.y - hips[1], p.depth - hips[2], cam)
        x, y = x + rng.gauss(0, noise), y + rng.gauss(0, noise)
        wx, wy = wx + world_rng.gauss(0, noise), wy + world_rng.gauss(0, noise)
        wz += world_rng.gauss(0, DEPTH_NOISE * noise)
        for _ in range(cam.quarter % 4):
            x, y = y, -x
            wx, wy = wy, -wx
        # The far side of the body is seen less surely, as with a real pose model.
        visibility = 0.95 if depth > -0.05 else 0.75
        if rng.random() < dropout:
            visibility = 0.1
        w, h = cam.size
        out[name] = Mark(
            w / 2 + x * cam.pixels_per_m,
            h / 2 - y * cam.pixels_per_m,
            visibility,
            (wx, -wy, -wz),
        )
    return out
