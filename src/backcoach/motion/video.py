"""Pose sources that read pictures: a video file and a webcam, through OpenCV and MediaPipe.

A person lying on the floor is harder for MediaPipe than one standing up. When tracking is
poor over a short window (no person, or the body's landmarks barely visible), the next frames
are also tried turned a quarter turn each way and the turn that tracks best is kept; the
landmarks always come back in the original picture's pixels. When tracking is good, each
frame goes through MediaPipe exactly once.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backcoach.motion.frames import Marks, PoseFrame
from backcoach.motion.pose_model import PoseModel, vision

WINDOW = 12
"""Frames over which tracking is judged (half a second at 24 fps)."""
POOR_TRACKING = 0.5
"""Mean of (person found ? mean visibility of the body's landmarks : 0) below which the
turns are tried; MediaPipe's visibility runs 0-1 and 0.5 is its own drawing threshold."""
TRIAL_FRAMES = 12
"""Frames each turn is tried on before one is kept."""
COOLDOWN_FRAMES = 120
"""Frames after a trial before another (about five seconds), so a person who leaves the
picture does not set off trial after trial."""
TURNS = (0, 1, 3)
_BODY = tuple(
    f"{s}_{p}" for s in ("left", "right") for p in ("shoulder", "hip", "knee", "ankle", "elbow")
)


def frame_quality(marks: Marks | None) -> float:
    if marks is None:
        return 0.0
    return statistics.fmean(marks[n].visibility for n in _BODY)


class Detector:
    """MediaPipe on a stream of pictures, turning them when that tracks better."""

    def __init__(self) -> None:
        self.models = {0: PoseModel(0)}
        self.turn = 0
        self.trials = 0
        self._recent: deque[float] = deque(maxlen=WINDOW)
        self._trial: dict[int, list[float]] | None = None
        self._cooldown = 0

    def detect(self, image: Any) -> Marks | None:
        if self._trial is not None:
            return self._try(image)
        marks = self.models[self.turn].detect(image)
        self._recent.append(frame_quality(marks))
        self._cooldown = max(0, self._cooldown - 1)
        full = len(self._recent) == WINDOW
        if full and not self._cooldown and statistics.fmean(self._recent) < POOR_TRACKING:
            self._trial = {t: [] for t in TURNS}
            self.trials += 1
        return marks

    def _try(self, image: Any) -> Marks | None:
        assert self._trial is not None
        found: dict[int, Marks | None] = {}
        for turn in TURNS:
            model = self.models.setdefault(turn, PoseModel(turn))
            found[turn] = model.detect(image)
            self._trial[turn].append(frame_quality(found[turn]))
        if len(self._trial[0]) >= TRIAL_FRAMES:
            scores = {t: statistics.fmean(q) for t, q in self._trial.items()}
            # The current turn keeps its place on a tie: only a better one replaces it.
            self.turn = max(scores, key=lambda t: (scores[t], t == self.turn))
            self._trial, self._cooldown = None, COOLDOWN_FRAMES
            self._recent.clear()
            for turn in [t for t in self.models if t != self.turn]:
                self.models.pop(turn).close()
        return found[self.turn] if self._trial is None else max(found.values(), key=frame_quality)

    def close(self) -> None:
        for model in self.models.values():
            model.close()


class VideoSource:
    """A video file, frame by frame; times come from the frame number and the file's rate."""

    def __init__(self, path: Path) -> None:
        _, cv2 = vision()
        self.path = path
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise ValueError(
                f"{path}: cannot be read as a video; give a video file such as .mp4 or .avi"
            )
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if fps > 0 else 30.0
        self.size = (
            int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        self.detector: Detector | None = None

    def frames(self) -> Iterator[PoseFrame]:
        self.detector = Detector()
        index = 0
        try:
            while True:
                ok, image = self._capture.read()
                if not ok:
                    break
                yield PoseFrame(index / self.fps, self.detector.detect(image), image)
                index += 1
        finally:
            self.detector.close()
            self._capture.release()

    def describe(self) -> dict[str, Any]:
        d = self.detector
        return {
            "source": "video",
            "rotation_degrees": (d.turn * 90) if d else 0,
            "rotation_trials": d.trials if d else 0,
        }


class CameraSource(VideoSource):
    """A webcam, live; times come from the monotonic clock. Stops after ``seconds``."""

    def __init__(self, index: int, seconds: float | None = None) -> None:
        _, cv2 = vision()
        self._capture = cv2.VideoCapture(index)
        if not self._capture.isOpened():
            raise ValueError(
                f"camera {index} cannot be opened; check it is connected and not in use, or "
                "try another number (0 is usually the built-in camera)"
            )
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if fps > 0 else 30.0
        self.size = (
            int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        self.seconds = seconds
        self.detector = None
        self.path = Path(f"camera {index}")

    def frames(self) -> Iterator[PoseFrame]:
        self.detector = Detector()
        start = time.monotonic()
        try:
            while self.seconds is None or time.monotonic() - start < self.seconds:
                ok, image = self._capture.read()
                if not ok:
                    break
                yield PoseFrame(time.monotonic() - start, self.detector.detect(image), image)
        finally:
            self.detector.close()
            self._capture.release()

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "source": "camera"}
