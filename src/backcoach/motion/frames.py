"""What every pose source yields: timed frames of named landmarks in picture coordinates.

A source (video file, webcam, recorded landmark file, synthetic track) turns into the same
stream, so everything after pose estimation is tested without a camera. Coordinates are the
picture's: pixels, x to the right, y DOWN (as images and MediaPipe have them); the analysis
turns them upright itself (:mod:`backcoach.motion.orient`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol


class Mark(NamedTuple):
    """One landmark: picture position and how sure the pose model is that it is visible."""

    x: float
    y: float
    visibility: float


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
