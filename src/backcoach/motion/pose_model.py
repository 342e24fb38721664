"""MediaPipe Pose, wrapped: landmarks in picture pixels (with their world positions), and
detection on a turned picture.

Only the full model is ever used: ``pose_landmark_full.tflite`` ships inside the
``mediapipe==0.10.21`` wheel, so it runs offline. Model complexity 0 (lite) and 2 (heavy) make
MediaPipe download their model at run time, which backcoach never allows.
mediapipe, cv2 and numpy are imported here only, when a picture is first analysed.
"""

from __future__ import annotations

import os
from typing import Any

from backcoach.body.landmarks import MEDIAPIPE_LANDMARKS
from backcoach.motion.frames import Mark, Marks

MODEL_COMPLEXITY = 1
"""The full pose landmark model, bundled in the wheel (0 and 2 are downloaded: never)."""
MIN_DETECTION = 0.5
MIN_TRACKING = 0.5
"""MediaPipe's own defaults for finding a person and for keeping track of them."""

INSTALL_HINT = "pip install 'backcoach[vision]'"


class VisionMissing(RuntimeError):
    """The optional vision extra (MediaPipe, OpenCV) is not installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"the camera coach needs the optional vision extra ({missing} is not installed); "
            f"install it with: {INSTALL_HINT}"
        )


def vision() -> tuple[Any, Any]:
    """(mediapipe, cv2), or VisionMissing with how to install them."""
    # MediaPipe's native logging would fill the terminal with start-up notes; warnings stay.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import cv2
        import mediapipe
    except ImportError as exc:
        raise VisionMissing(exc.name or "mediapipe") from None
    return mediapipe, cv2


class PoseModel:
    """One MediaPipe Pose tracker for a stream of pictures all turned the same way."""

    def __init__(self, quarter: int = 0) -> None:
        mp, self._cv2 = vision()
        self.quarter = quarter % 4
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=True,
            min_detection_confidence=MIN_DETECTION,
            min_tracking_confidence=MIN_TRACKING,
        )

    def detect(self, image: Any) -> Marks | None:
        """Landmarks of the person in a BGR picture, in its own pixels (y down), each with its
        world position (metres, hips-centred; see :mod:`backcoach.motion.frames`); the picture
        is turned ``quarter`` quarter turns clockwise for MediaPipe and the landmarks (and the
        world positions' x and y) turned back."""
        cv2 = self._cv2
        h, w = image.shape[:2]
        turned = image
        if self.quarter:
            code = {
                1: cv2.ROTATE_90_CLOCKWISE,
                2: cv2.ROTATE_180,
                3: cv2.ROTATE_90_COUNTERCLOCKWISE,
            }
            turned = cv2.rotate(image, code[self.quarter])
        result = self._pose.process(cv2.cvtColor(turned, cv2.COLOR_BGR2RGB))
        if result.pose_landmarks is None:
            return None
        th, tw = turned.shape[:2]
        world = result.pose_world_landmarks
        places = world.landmark if world is not None else [None] * len(MEDIAPIPE_LANDMARKS)
        marks = {}
        for name, lm, wl in zip(
            MEDIAPIPE_LANDMARKS, result.pose_landmarks.landmark, places, strict=True
        ):
            u, v = lm.x * tw, lm.y * th
            x, y = _back(u, v, self.quarter, w, h)
            at = None
            if wl is not None:
                wx, wy = _back(wl.x, wl.y, self.quarter, 0, 0)
                at = (wx, wy, float(wl.z))
            marks[name] = Mark(x, y, float(lm.visibility), at)
        return marks

    def close(self) -> None:
        self._pose.close()


def _back(u: float, v: float, quarter: int, w: int, h: int) -> tuple[float, float]:
    """A point of the turned picture in the original picture's pixels (with ``w = h = 0``, a
    direction: a world position's x and y)."""
    if quarter == 1:  # turned clockwise: original (x, y) went to (h - y, x)
        return v, h - u
    if quarter == 2:
        return w - u, h - v
    if quarter == 3:  # turned counter-clockwise: original (x, y) went to (y, w - x)
        return w - v, u
    return u, v
