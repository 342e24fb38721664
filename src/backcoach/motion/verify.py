"""Is the person doing the named exercise? Checked before anything is counted.

Two things are compared between the video and the exercise's key poses (played through the
body model, measured exactly like the video):

- the **position**: lying on the back or the front, on hands and knees, sitting or standing,
  from the trunk's lean against gravity (the upright picture's vertical: the analysis has
  already levelled the camera and turned a phone on its side), how high the shoulders and
  hips are above the floor and, for an upright trunk, how the thighs and knees bend (3D, from
  world positions: a chair puts the hips at standing height in trunk lengths, a camera looking
  down makes them look higher still). Nothing here depends on where the camera stands: a trunk
  pointing at the camera is level (only a lying or kneeling trunk can point at a camera near
  the floor).
- the **moving parts**: which body parts rise and fall, or bend, in the video against how much
  they move in the key poses. Sit-ups offered as bridges move the shoulders a trunk length up;
  a bridge never lifts them.

A mismatch stops the count and says what was seen, in plain words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from backcoach.motion.features import FORESHORTENED, Frame, angle_at, seen
from backcoach.motion.frames import Mark, Marks

UPRIGHT_DEG = 35.0
"""A trunk within this of vertical is upright (sitting or standing)."""
LEVEL_DEG = 55.0
"""A trunk leaning further than this from vertical is level (lying or on hands and knees).
Between the two the trunk is on its way and no position is claimed."""
LOW = 0.5
"""On hands and knees, the shoulders are at least this far (trunk lengths) above the lower
wrist and the hips above the lower knee: arms and thighs hold the trunk up. Lying, they are
level with them, give or take the body's width seen from above."""
SITTING_MAX = 0.9
STANDING_MIN = 1.3
"""Without world positions (an old landmark file): hip heights (trunk lengths) up to which an
upright trunk sits, and from which it stands; in between (a chair's height, kneeling) no
position is claimed. Heights in the picture also grow when the camera looks up or down."""
SEATED_HIP_DEG = 130.0
STANDING_HIP_DEG = 150.0
STANDING_KNEE_DEG = 140.0
"""With world positions (3D, so the camera's position does not matter): an upright trunk with
the thighs bent forward from it (the 3D angle shoulder-hip-knee at most 130 degrees; about 90
on a chair) and the knees bent as much (or the hips low: sitting on the floor, legs long)
sits; with the thighs in line with it (at least 150) on straight knees (hip-knee-ankle at
least 140) it stands. A hip hinge on soft knees that a camera looking down draws upright,
kneeling up (thighs in line, knees bent) and the ways between are left unclaimed."""
FACE = 0.15
"""How far (trunk lengths) the nose must sit above or below the ears to tell face up from down."""
MIN_FRAMES = 20
"""Frames with a position needed before any verdict: under a second of video says too little."""
OTHER_SHARE = 0.2
"""A position the exercise never takes, seen in this share of the frames, is a mismatch: time
spent briefly in between positions is ignored, a fifth of the set is not."""
PART_FACTOR = 2.0
PART_MARGIN = 0.6
"""A body part moving more than twice its key poses' range plus 0.6 trunk lengths in the video
(10th to 90th percentile) is a part the exercise does not move. Generous: people move more
freely than the key poses, a pelvis tipped by a faulty repetition lifts the feet, and a camera
at an angle or above mixes depth into heights. Only heights are watched: 2D angles change
with the view (knees rolling toward the camera read as a hip bending 140 degrees)."""

POSITION_WORDS = {
    "lying-back": "lying on your back",
    "lying-front": "lying on your front",
    "lying": "lying down",
    "hands-knees": "on your hands and knees",
    "sitting": "sitting up",
    "standing": "standing",
}
PARTS = {"shoulders": "shoulder", "hips": "hip", "knees": "knee", "feet": "ankle"}
"""Generic body parts watched for movement, whatever the exercise's own features are."""
PART_WORDS = {
    "shoulders": "your shoulders rise and fall a long way",
    "hips": "your hips rise and fall a long way",
    "knees": "your knees rise and fall a long way",
    "feet": "your feet rise and fall a long way",
}


def _mid(marks: Marks, base: str) -> Mark | None:
    pts = [m for m in (seen(marks, f"{s}_{base}") for s in ("left", "right")) if m is not None]
    if not pts:
        return None
    n = len(pts)
    return Mark(sum(p.x for p in pts) / n, sum(p.y for p in pts) / n, 1.0)


def position(frame: Frame) -> str | None:
    """The body's position in one upright frame, or None when it cannot be told."""
    marks, scale = frame.marks, frame.scale
    shoulders, hips = _mid(marks, "shoulder"), _mid(marks, "hip")
    if shoulders is None or hips is None or scale <= 0:
        return None
    dx, dy = shoulders.x - hips.x, shoulders.y - hips.y
    trunk = math.hypot(dx, dy)
    from_vertical = 90.0 if trunk < FORESHORTENED * scale else math.degrees(math.atan2(abs(dx), dy))
    hip_h = (hips.y - frame.floor) / scale
    if from_vertical <= UPRIGHT_DEG:
        hip_angle, knee_angle = (
            _bend(marks, ("shoulder", "hip", "knee")),
            _bend(marks, ("hip", "knee", "ankle")),
        )
        if hip_angle is not None and knee_angle is not None:
            if hip_angle <= SEATED_HIP_DEG and (
                knee_angle <= SEATED_HIP_DEG or hip_h <= SITTING_MAX
            ):
                return "sitting"
            if hip_angle >= STANDING_HIP_DEG and knee_angle >= STANDING_KNEE_DEG:
                return "standing"
            return None
        if hip_h <= SITTING_MAX:
            return "sitting"
        return "standing" if hip_h >= STANDING_MIN else None
    if from_vertical < LEVEL_DEG:
        return None
    wrists = [m for m in (seen(marks, f"{s}_wrist") for s in ("left", "right")) if m]
    knees = [m for m in (seen(marks, f"{s}_knee") for s in ("left", "right")) if m]
    if (
        wrists
        and knees
        and (shoulders.y - min(w.y for w in wrists)) / scale >= LOW
        and (hips.y - min(k.y for k in knees)) / scale >= LOW
    ):
        # Held up by arms and thighs (the lower of each pair: bird-dog lifts one of them).
        return "hands-knees"
    nose = seen(marks, "nose")
    ears = _mid(marks, "ear")
    if nose is None or ears is None:
        return "lying"
    face = (nose.y - ears.y) / scale
    return "lying-back" if face >= FACE else "lying-front" if face <= -FACE else "lying"


def _bend(marks: Marks, points: tuple[str, str, str]) -> float | None:
    """A joint's full 3D angle from world positions, the mean of the sides seen; None when no
    side has all three points seen with world positions."""
    values = []
    for side in ("left", "right"):
        found = [seen(marks, f"{side}_{p}") for p in points]
        if all(m is not None and m.world is not None for m in found):
            a, b, c = (m for m in found if m is not None)
            value = angle_at(a, b, c)
            if value is not None:
                values.append(value)
    return sum(values) / len(values) if values else None


def parts(frame: Frame) -> dict[str, float]:
    """The watched parts' heights above the floor line in one upright frame (those seen)."""
    out = {}
    for name, point in PARTS.items():
        mark = _mid(frame.marks, point)
        if mark is not None:
            out[name] = (mark.y - frame.floor) / frame.scale
    return out


def _matches(seen_position: str, allowed: set[str]) -> bool:
    if seen_position in allowed:
        return True
    lying = {"lying", "lying-back", "lying-front"}
    return seen_position in lying and (
        "lying" in allowed or (seen_position == "lying" and bool(allowed & lying))
    )


@dataclass(frozen=True)
class Verdict:
    """Whether the video matches the exercise; ``message`` says what was seen when not."""

    checked: bool
    matches: bool
    message: str = ""
    positions: tuple[tuple[str, float], ...] = ()


class Verifier:
    """Collects positions and part movements frame by frame; :meth:`verdict` at any time."""

    def __init__(self, exercise_name: str, key_frames: Iterable[Frame]) -> None:
        self.name = exercise_name
        frames = list(key_frames)
        self.allowed = {p for p in map(position, frames) if p is not None}
        values: dict[str, list[float]] = {}
        for f in frames:
            for k, v in parts(f).items():
                values.setdefault(k, []).append(v)
        self.key_range = {k: max(v) - min(v) for k, v in values.items()}
        self.positions: Counter[str] = Counter()
        self.values: dict[str, list[float]] = {}

    def add(self, frame: Frame) -> None:
        found = position(frame)
        if found is not None:
            self.positions[found] += 1
        for k, v in parts(frame).items():
            self.values.setdefault(k, []).append(v)

    def verdict(self) -> Verdict:
        total = sum(self.positions.values())
        shares = tuple((p, n / total) for p, n in self.positions.most_common()) if total else ()
        if total < MIN_FRAMES or not self.allowed:
            return Verdict(False, True, positions=shares)
        expected = _expected_words(self.allowed)
        for found, share in shares:
            if share >= OTHER_SHARE and not _matches(found, self.allowed):
                return Verdict(
                    True,
                    False,
                    f"you seem to be {POSITION_WORDS[found]}, not {expected}, so this does not "
                    f"look like {self.name}; nothing was counted",
                    shares,
                )
        for part, key in self.key_range.items():
            values = sorted(self.values.get(part, []))
            if len(values) < MIN_FRAMES:
                continue
            moved = values[int(0.9 * (len(values) - 1))] - values[int(0.1 * (len(values) - 1))]
            if moved > PART_FACTOR * key + PART_MARGIN:
                return Verdict(
                    True,
                    False,
                    f"{PART_WORDS[part]}, which {self.name} does not do, so this does not look "
                    "like it; nothing was counted",
                    shares,
                )
        return Verdict(True, True, positions=shares)


def _expected_words(allowed: set[str]) -> str:
    order = ["lying-back", "lying-front", "lying", "hands-knees", "sitting", "standing"]
    words = [POSITION_WORDS[p] for p in order if p in allowed]
    return " or ".join(words)
