"""The annotated video: a strip chart of the tracked feature along the bottom, its thresholds,
a marker where each repetition was counted with the reason in words, and frames with nobody
measured shaded. Run on synthetic leg raises drawn onto plain pictures, read back with OpenCV.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from backcoach.body.timing import Tempo
from backcoach.motion.annotate import CHART_SHARE
from backcoach.motion.frames import PoseFrame
from backcoach.motion.reference import reference
from backcoach.motion.run import coach_run
from backcoach.motion.synthetic import Camera, RepPlan, play
from tests.motion.scenarios import coached_exercises

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")

FPS = 20.0
SIZE = (320, 240)
REPS = 4
LOST = (10.9, 12.4)
"""Seconds with nobody in the picture, between the second and third repetitions."""
GREY = 90
"""The plain picture's grey: the chart darkens it to 45, its lines are brighter than both."""


class PictureSource:
    """Synthetic landmarks with a plain grey picture for each frame (the annotator needs one)."""

    def __init__(self, frames: list[PoseFrame]) -> None:
        self._frames = frames
        self.fps = FPS
        self.size = SIZE

    def frames(self) -> Iterator[PoseFrame]:
        for frame in self._frames:
            image = np.full((SIZE[1], SIZE[0], 3), GREY, np.uint8)
            yield PoseFrame(frame.t, frame.marks, image)

    def describe(self) -> dict[str, Any]:
        return {"source": "synthetic pictures"}


def _frames() -> list[PoseFrame]:
    exercise = coached_exercises()["leg-raise"]
    assert exercise.key_poses is not None
    tempo = Tempo(1.2, 0.8, 1.2, 2.5)
    camera = Camera(size=SIZE, pixels_per_m=110.0)
    frames, truths = play(exercise.key_poses, [RepPlan(tempo)] * REPS, FPS, camera, seed=3)
    assert truths[1].end < LOST[0] and LOST[1] < truths[2].start
    return [replace(f, marks=None) if LOST[0] <= f.t < LOST[1] else f for f in frames]


@pytest.fixture(scope="module")
def coached(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[Any]]:
    out = tmp_path_factory.mktemp("annotate") / "coached.mp4"
    exercise = coached_exercises()["leg-raise"]
    result = coach_run(PictureSource(_frames()), reference(exercise), annotate=out)
    capture = cv2.VideoCapture(str(out))
    assert capture.isOpened()
    assert int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)) == SIZE[0]
    assert int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) == SIZE[1]
    pictures = []
    while True:
        ok, picture = capture.read()
        if not ok:
            break
        pictures.append(picture)
    capture.release()
    return result, pictures


def test_every_frame_written_at_the_source_size(
    coached: tuple[dict[str, Any], list[Any]],
) -> None:
    result, pictures = coached
    assert len(pictures) == len(_frames()) == result["annotated_frames"]
    assert result["tracking"]["frames"] == len(pictures)
    assert all(p.shape == (SIZE[1], SIZE[0], 3) for p in pictures)


def _strip(picture: Any) -> Any:
    return picture[SIZE[1] - round(CHART_SHARE * SIZE[1]) :]


def test_the_chart_is_drawn_along_the_bottom(coached: tuple[dict[str, Any], list[Any]]) -> None:
    _, pictures = coached
    first = _strip(pictures[0]).astype(int)
    # Darkened from the picture's grey: the strip is there from the first frame.
    assert abs(first.mean() - GREY // 2) < 12
    above = pictures[0][: SIZE[1] // 2].astype(int)
    assert abs(above[:, SIZE[0] // 2 :].mean() - GREY) < 3  # the picture above is left alone
    # Mid-set: the signal (white) and the two thresholds (amber and cyan) cross the strip.
    middle = _strip(pictures[int(5.0 * FPS)]).astype(int)
    white = (middle.min(axis=2) > 200).sum()
    # (mp4 blurs the colour of one-pixel lines: loose bounds)
    amber = ((middle[..., 2] > 150) & (middle[..., 1] > 100) & (middle[..., 0] < 100)).sum()
    cyan = ((middle[..., 0] > 150) & (middle[..., 1] > 120) & (middle[..., 2] < 110)).sum()
    assert white > 60 and amber > 60 and cyan > 60, (white, amber, cyan)


def test_lost_tracking_is_shaded(coached: tuple[dict[str, Any], list[Any]]) -> None:
    _, pictures = coached

    # Just after the gap the chart's right part shows it shaded red; before it, none.
    def red(picture: Any) -> int:
        strip = _strip(picture).astype(int)
        return int(((strip[..., 2] > 110) & (strip[..., 0] < 70) & (strip[..., 1] < 70)).sum())

    before, after = pictures[int((LOST[0] - 0.5) * FPS)], pictures[int((LOST[1] + 0.5) * FPS)]
    assert red(before) < 20
    assert red(after) > 1000


def test_each_rep_has_a_reason_and_a_marker(coached: tuple[dict[str, Any], list[Any]]) -> None:
    result, pictures = coached
    reps = result["rep_times"]
    assert len(reps) == REPS
    low, high = sorted(result["counting"]["enter_exit"])
    for rep in reps:
        reason = rep["reason"]
        # "rep 3: hip down past 131 deg (to 98 deg), then back up above 144 deg"
        found = re.fullmatch(
            rf"rep {rep['rep']}: hip down past (\d+) deg \(to (\d+) deg\), "
            r"then back up above (\d+) deg",
            reason,
        )
        assert found, reason
        enter, peak, leave = map(int, found.groups())
        assert peak < enter < leave
        assert abs(enter - low) < 10 and abs(leave - high) < 10

    # The reason is drawn (green text under the count) from the frame the rep is counted on,
    # and not before the first one.
    def green(picture: Any) -> int:
        band = picture[22:80, :70].astype(int)  # left of the body, whose limbs are green
        return int(((band[..., 1] > 150) & (band[..., 0] < 120) & (band[..., 2] < 120)).sum())

    first_end = reps[0]["end"]
    assert green(pictures[int((first_end - 0.5) * FPS)]) == 0
    assert green(pictures[int((first_end + 0.5) * FPS)]) > 50
