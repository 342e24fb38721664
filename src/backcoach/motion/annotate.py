"""The annotated video: the skeleton, the count, the latest cue, and why each rep counted.

Written with OpenCV's VideoWriter (mp4v) at the source's size and rate, one frame out for
every frame in, so it lines up with the original. Along the bottom runs a strip chart of the
tracked feature over the last CHART_SECONDS: the signal (drawn so that "out" is always up),
the two thresholds a repetition must cross (ENTER out, EXIT back), a marker with the number
where each repetition was counted, and the frames with nobody measured shaded. When a
repetition is counted its reason ("rep 3: hip down past 131 deg (to 98 deg), then back up
above 144 deg") stays on screen for REASON_SECONDS; the same words are in the result.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from backcoach.motion.analyse import Moment
from backcoach.motion.features import VISIBLE
from backcoach.motion.frames import Marks
from backcoach.motion.pose_model import vision

CUE_SECONDS = 3.0
"""How long a cue stays on screen after the fault it answers."""
REASON_SECONDS = 3.0
"""How long the reason a repetition counted stays on screen."""
CHART_SECONDS = 6.0
"""The strip chart shows this much of the past: two or three repetitions at a usual pace."""
CHART_SHARE = 0.22
"""The strip chart's height as a share of the picture's."""
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
# Colours are BGR.
_GREEN, _WHITE, _AMBER, _BLACK = (80, 200, 80), (255, 255, 255), (0, 190, 255), (0, 0, 0)
_CYAN, _LOST, _UNMEASURED = (230, 200, 60), (40, 40, 140), (90, 90, 90)
_FONT_SCALE = 0.38


class Annotator:
    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        _, self._cv2 = vision()
        fourcc = self._cv2.VideoWriter_fourcc(*"mp4v")
        self._writer = self._cv2.VideoWriter(str(path), fourcc, fps, size)
        if not self._writer.isOpened():
            raise ValueError(f"{path}: cannot write a video there; choose a writable .mp4 path")
        self.size = size
        self.fps = fps
        self._cue: tuple[float, str] | None = None
        self._reason: tuple[float, str] | None = None
        self._signal: deque[tuple[float, float | None, bool]] = deque()
        """(time, tracked feature or None, person seen) over the chart's span."""
        self._marks: deque[tuple[float, int]] = deque()
        self._thresholds: tuple[float, float] | None = None
        self.reasons: list[str] = []
        """Every reason drawn, in order (the same words as the result's)."""
        self.frames = 0

    def write(self, image: Any, marks: Marks | None, moment: Moment) -> None:
        cv2 = self._cv2
        picture = image.copy()
        w, h = self.size
        t = moment.t
        unit = max(1, round(min(w, h) / 240))
        self._remember(moment, marks is not None)
        # The chart first: a person lying on the floor is often at the bottom of the picture,
        # and the skeleton stays visible over the chart.
        top = self._chart(picture, t, unit)
        if marks is not None:
            for a, b in BONES:
                ma, mb = marks.get(a), marks.get(b)
                if ma and mb and min(ma.visibility, mb.visibility) >= VISIBLE:
                    pa, pb = (round(ma.x), round(ma.y)), (round(mb.x), round(mb.y))
                    cv2.line(picture, pa, pb, _GREEN, 2 * unit, cv2.LINE_AA)
            for m in marks.values():
                if m.visibility >= VISIBLE:
                    cv2.circle(picture, (round(m.x), round(m.y)), 2 * unit, _WHITE, -1, cv2.LINE_AA)
        self._text(picture, f"Reps: {moment.reps}", (6 * unit, 18 * unit), 0.55 * unit, _WHITE)
        if self._reason is not None and t - self._reason[0] <= REASON_SECONDS:
            self._lines(picture, self._reason[1], 30 * unit, unit, _GREEN)
        if self._cue is not None and t - self._cue[0] <= CUE_SECONDS:
            scale = _FONT_SCALE * unit
            self._text(picture, self._cue[1], (6 * unit, top - 5 * unit), scale, _AMBER)
        self._writer.write(picture)
        self.frames += 1

    def _remember(self, moment: Moment, seen: bool) -> None:
        """Keep what the chart and the texts need from this moment."""
        t = moment.t
        if moment.new_faults:
            self._cue = (t, moment.new_faults[-1].cue)
        for rep, reason in moment.counted:
            self._marks.append((rep.end, rep.index))
            self._reason = (t, reason)
            self.reasons.append(reason)
        if moment.thresholds is not None:
            self._thresholds = moment.thresholds
        if not self._signal or t > self._signal[-1][0]:
            self._signal.append((t, moment.value, seen))
        while self._signal and self._signal[0][0] < t - CHART_SECONDS:
            self._signal.popleft()
        while self._marks and self._marks[0][0] < t - CHART_SECONDS:
            self._marks.popleft()

    def _chart(self, picture: Any, now: float, unit: int) -> int:
        """Draw the strip chart along the bottom; returns its top row."""
        import numpy as np

        cv2 = self._cv2
        w, h = self.size
        top = h - max(24, round(CHART_SHARE * h))
        strip = picture[top:h]
        strip[:] = strip // 2  # darkened, so the lines read on any picture
        left, right = 2 * unit, w - 2 * unit
        low_y, high_y = h - 3 * unit, top + 3 * unit

        def x_of(t: float) -> int:
            return round(left + (t - (now - CHART_SECONDS)) / CHART_SECONDS * (right - left))

        # Frames with nobody found shaded red; a person found but not measured (the first
        # second, while the analysis decides which way up the picture is) shaded grey.
        step = 1.0 / self.fps if self.fps else 0.04
        for t, value, seen in self._signal:
            if value is None:
                shade = _UNMEASURED if seen else _LOST
                cv2.rectangle(picture, (x_of(t - step), top), (x_of(t), h - 1), shade, -1)
        values = [v for _, v, _ in self._signal if v is not None]
        levels = list(self._thresholds or ())
        if not values:
            self._status(picture, unit)
            return top
        lo, hi = min(values + levels), max(values + levels)
        pad = 0.1 * (hi - lo) or 1.0
        lo, hi = lo - pad, hi + pad
        # "Out" is always up: a feature that falls as the movement goes out is drawn flipped.
        flip = self._thresholds is not None and self._thresholds[0] < self._thresholds[1]

        def y_of(v: float) -> int:
            share = (v - lo) / (hi - lo)
            return round(low_y + (1 - share if flip else share) * (high_y - low_y))

        if self._thresholds is not None:
            enter, leave = self._thresholds
            for level, colour in ((enter, _AMBER), (leave, _CYAN)):
                y = y_of(level)
                for x in range(left, right, 6 * unit):
                    cv2.line(picture, (x, y), (min(x + 3 * unit, right), y), colour, unit)
            # Labels at either end, so close thresholds do not overwrite each other.
            self._small(
                picture, f"out {enter:.3g}", (left + unit, y_of(enter) - unit), unit, _AMBER
            )
            label = f"back {leave:.3g}"
            width = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, 0.3 * unit, 1)[0][0]
            self._small(picture, label, (right - width - unit, y_of(leave) - unit), unit, _CYAN)
        for end, index in self._marks:
            x = x_of(end)
            cv2.line(picture, (x, top + 2 * unit), (x, h - 2 * unit), _GREEN, unit)
            self._small(picture, str(index), (x + 2 * unit, top + 10 * unit), unit, _GREEN)
        run: list[tuple[int, int]] = []
        for t, value, _ in [*self._signal, (now + 1.0, None, False)]:
            if value is not None:
                run.append((x_of(t), y_of(value)))
                continue
            if len(run) > 1:
                cv2.polylines(picture, [np.array(run, np.int32)], False, _WHITE, unit)
            run = []
        self._status(picture, unit)
        return top

    def _status(self, picture: Any, unit: int) -> None:
        """Say so in the chart when this frame's tracked feature was not measured."""
        _, value, seen = self._signal[-1]
        if value is None:
            text = "not measured" if seen else "nobody seen"
            at = (self.size[0] // 2 - 24 * unit, self.size[1] - 4 * unit)
            self._small(picture, text, at, unit, _AMBER)

    def _small(self, picture: Any, text: str, at: tuple[int, int], unit: int, colour: Any) -> None:
        cv2 = self._cv2
        cv2.putText(picture, text, at, cv2.FONT_HERSHEY_SIMPLEX, 0.3 * unit, colour, 1, cv2.LINE_AA)

    def _lines(self, picture: Any, text: str, y: int, unit: int, colour: Any) -> None:
        """A reason on one line when it fits, else broken after its colon and commas."""
        cv2 = self._cv2
        scale = _FONT_SCALE * unit
        width = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0][0]
        if width <= self.size[0] - 12 * unit:
            parts = [text]
        else:
            head, _, rest = text.partition(": ")
            parts = [f"{head}:", *(p.strip() for p in rest.split(", "))]
        for i, part in enumerate(parts):
            self._text(picture, part, (6 * unit, y + i * 13 * unit), scale, colour)

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
