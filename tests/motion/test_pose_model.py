"""MediaPipe on turned pictures: landmarks come back in the original picture's pixels, and
poor tracking sets off a trial of the turns."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

import pytest

from tests.motion.test_real_video import VIDEO, needs_video

pytestmark = needs_video


def _frames(count: int, start: int = 0) -> list[Any]:
    import cv2

    capture = cv2.VideoCapture(str(VIDEO))
    frames = []
    for i in range(start + count):
        ok, image = capture.read()
        assert ok
        if i >= start:
            frames.append(image)
    capture.release()
    return frames


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_landmarks_of_a_turned_picture_map_back(quarter: int) -> None:
    from backcoach.motion.pose_model import PoseModel

    # Frames with the legs up (about frame 70): every joint clearly apart from the others.
    frames = _frames(8, start=64)
    upright, turned = PoseModel(0), PoseModel(quarter)
    for image in frames:
        a, b = upright.detect(image), turned.detect(image)
    upright.close()
    turned.close()
    assert a is not None and b is not None
    joints = [f"{s}_{j}" for s in ("left", "right") for j in ("shoulder", "hip", "knee")]
    gaps = [math.dist(a[n][:2], b[n][:2]) for n in joints]
    # 224-pixel picture, trunk about 26 pixels: the two trackers agree within a few pixels,
    # where a wrong mapping would put joints 50-200 pixels apart.
    assert statistics.median(gaps) < 6, gaps


def test_poor_tracking_tries_the_turns_and_keeps_tracking(tmp_path: Path) -> None:
    import numpy as np

    from backcoach.motion.video import TRIAL_FRAMES, TURNS, WINDOW, Detector

    dark = [np.zeros((224, 224, 3), dtype=np.uint8)] * WINDOW
    detector = Detector()
    found = [detector.detect(image) for image in dark + _frames(TRIAL_FRAMES + 24)]
    detector.close()
    assert detector.trials == 1
    assert detector.turn in TURNS and list(detector.models) == [detector.turn]
    assert all(m is None for m in found[:WINDOW])
    after = [m for m in found[WINDOW:] if m is not None]
    assert len(after) >= TRIAL_FRAMES + 20
    # Whatever turn was kept, the landmarks are in the original picture: the body lies along
    # the floor, so it is much wider than tall there.
    last = after[-1]
    xs = [last[n].x for n in ("left_shoulder", "left_ankle")]
    ys = [last[n].y for n in ("left_shoulder", "left_hip")]
    assert all(0 <= v <= 224 for v in xs + ys)
    assert abs(xs[0] - xs[1]) > 2 * abs(ys[0] - ys[1])


@pytest.mark.parametrize("quarter", [0, 1, 3])
def test_world_positions_come_with_the_landmarks(quarter: int) -> None:
    """Every landmark has MediaPipe's world position (metres, hips-centred), turned back with
    the picture: the legs-up pose's hip angle reads the same from any turn, and the thighs
    point up (y down in the picture, so negative) from the hips."""
    from backcoach.motion.features import angle_at
    from backcoach.motion.pose_model import PoseModel

    frames = _frames(8, start=64)
    model = PoseModel(quarter)
    for image in frames:
        marks = model.detect(image)
    model.close()
    assert marks is not None
    assert all(m.world is not None for m in marks.values())
    hip = marks["left_hip"].world
    knee = marks["left_knee"].world
    assert hip is not None and knee is not None
    assert abs(hip[0]) < 0.2 and abs(hip[1]) < 0.2  # near the origin midway between the hips
    assert knee[1] < hip[1] - 0.15  # thighs raised: the knee well above the hip
    angle = angle_at(marks["left_shoulder"], marks["left_hip"], marks["left_knee"])
    assert angle is not None and 60 < angle < 140
