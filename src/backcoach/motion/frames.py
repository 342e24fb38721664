"""What every pose source yields: timed frames of named landmarks in picture coordinates.

A source (video file, webcam, recorded landmark file, synthetic track) turns into the same
stream, so everything after pose estimation is tested without a camera. Coordinates are the
picture's: pixels, x to the right, y DOWN (as images and MediaPipe have them); the analysis
turns them upright itself (:mod:`backcoach.motion.orient`).

A landmark may also carry MediaPipe's world position (``pose_world_landmarks``): metres,
origin midway between the hips, x to the right, y down and z away from the camera, turned with
the camera. Angles between world segments do not change with where the camera stands, so the
analysis measures angles on them when every landmark of the angle has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

World = tuple[float, float, float]
"""A landmark's world position in metres (see above)."""


class Mark(NamedTuple):
    """One landmark: picture position, how sure the pose model is that it is visible and,
    when the source has it, its world position."""

    x: float
    y: float
    visibility: float
    world: World | None = None


Marks = dict[str, Mark]
"""Landmarks by MediaPipe name (``left_shoulder``, ``right_foot_index``...)."""


@dataclass(frozen=True)
class PoseFrame:
    """One moment: its time in seconds from the start, the landmarks (None when no person was
    found) and, for sources that have one, the picture itself (a BGR numpy array)."""

    t: float
    marks: Marks | None
    image: Any = None


class PoseSource(Protocol):
    """Anything that yields pose frames in time order."""

    fps: float
    """Frames per second the source was recorded at (or runs at), for timing and writing."""
    size: tuple[int, int]
    """Picture width and height in pixels."""

    def frames(self) -> Iterator[PoseFrame]: ...

    def describe(self) -> dict[str, Any]:
        """Facts about the source for the tracking-quality report (rotation used...)."""
        ...
