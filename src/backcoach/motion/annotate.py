"""The annotated video: the skeleton, the repetition count and the latest cue on each frame.

Written with OpenCV's VideoWriter (mp4v) at the source's size and rate, one frame out for
every frame in, so it lines up with the original.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backcoach.motion.features import VISIBLE
from backcoach.motion.frames import Marks
from backcoach.motion.pose_model import vision

CUE_SECONDS = 3.0
"""How long a cue stays on screen after the fault it answers."""
BONES = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    *(
        (f"{s}_{a}", f"{s}_{b}")
        for s in ("left", "right")
        for a, b in (
            ("shoulder", "elbow"),
            ("elbow", "wrist"),
            ("shoulder", "hip"),
            ("hip", "knee"),
            ("knee", "ankle"),
            ("ankle", "heel"),
            ("heel", "foot_index"),
            ("ankle", "foot_index"),
            ("ear", "shoulder"),
        )
    ),
)
_GREEN, _WHITE, _AMBER, _BLACK = (80, 200, 80), (255, 255, 255), (0, 190, 255), (0, 0, 0)


class Annotator:
    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        _, self._cv2 = vision()
        fourcc = self._cv2.VideoWriter_fourcc(*"mp4v")
        self._writer = self._cv2.VideoWriter(str(path), fourcc, fps, size)
        if not self._writer.isOpened():
            raise ValueError(f"{path}: cannot write a video there; choose a writable .mp4 path")
        self.size = size
        self._cue: tuple[float, str] | None = None
        self.frames = 0

    def write(self, image: Any, marks: Marks | None, t: float, reps: int, cues: list[str]) -> None:
        cv2 = self._cv2
        picture = image.copy()
        w, h = self.size
        unit = max(1, round(min(w, h) / 240))
        if cues:
            self._cue = (t, cues[-1])
        if marks is not None:
            for a, b in BONES:
                ma, mb = marks.get(a), marks.get(b)
                if ma and mb and min(ma.visibility, mb.visibility) >= VISIBLE:
                    pa, pb = (round(ma.x), round(ma.y)), (round(mb.x), round(mb.y))
                    cv2.line(picture, pa, pb, _GREEN, 2 * unit, cv2.LINE_AA)
            for m in marks.values():
                if m.visibility >= VISIBLE:
                    cv2.circle(picture, (round(m.x), round(m.y)), 2 * unit, _WHITE, -1, cv2.LINE_AA)
        self._text(picture, f"Reps: {reps}", (6 * unit, 18 * unit), 0.55 * unit, _WHITE)
        if self._cue is not None and t - self._cue[0] <= CUE_SECONDS:
            self._text(picture, self._cue[1], (6 * unit, h - 8 * unit), 0.38 * unit, _AMBER)
        self._writer.write(picture)
        self.frames += 1

    def _text(
        self, picture: Any, text: str, at: tuple[int, int], scale: float, colour: Any
    ) -> None:
        cv2 = self._cv2
        w = self.size[0]
        # Long cues are shrunk to fit the picture's width rather than cut off.
        width = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0][0]
        if width > w - 2 * at[0]:
            scale *= (w - 2 * at[0]) / width
        thick = max(1, round(scale * 2))
        cv2.putText(
            picture, text, at, cv2.FONT_HERSHEY_SIMPLEX, scale, _BLACK, thick + 2, cv2.LINE_AA
        )
        cv2.putText(picture, text, at, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)

    def close(self) -> None:
        self._writer.release()
