"""The analysis: pose frames in, repetitions, holds, faults and tracking quality out.

It runs frame by frame (a webcam feeds it live; a file just feeds it faster) and keeps no
pictures: each frame's landmarks are turned upright, gated on visibility, measured, smoothed,
then fed to the phase tracker and the form rules.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from backcoach.motion.features import VISIBLE
from backcoach.motion.frames import Marks, PoseFrame
from backcoach.motion.orient import best_turn, upright
from backcoach.motion.phases import PhaseTracker, Rep
from backcoach.motion.reference import Reference, frame_of, kind_of
from backcoach.motion.rules import Fault, RuleWatch

SMOOTH_S = 0.1
"""Time constant of the smoothing of each feature: it takes the pose model's frame-to-frame
jitter off while lagging a movement of a second or more by a tenth of a second."""
MAX_GAP_S = 1.0
"""After this long without the person seen, smoothing starts afresh."""
ORIENT_FRAMES = 24
"""Frames with a person seen before deciding which way up the picture is (about a second)."""
SCALE_WINDOW = 90
"""Frames over which the body's size is taken as a running median: the trunk's length in the
picture barely changes, a single frame's estimate does."""
BODY_LANDMARKS = tuple(
    f"{s}_{p}"
    for s in ("left", "right")
    for p in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
)
FLOOR_WINDOW_S = 6.0
"""The floor line is the lowest landmark over this long (a low percentile, against outliers):
the floor does not move, while the lowest landmark of a single frame jumps between heel, hand
and hip as the body moves."""
FLOOR_PERCENTILE = 0.1
MIN_TRUNK_PX = 48.0
"""Below this trunk length in the picture (pixels), heights and left-right differences are not
judged: MediaPipe's jitter of a few pixels would then be a large part of a trunk length and
every repetition would draw a cue. Angles do not depend on size and are still judged."""
GOOD_TRACKING = 0.8
FAIR_TRACKING = 0.5
"""Fractions of frames with the tracked feature measured for 'good' and 'fair' quality."""


@dataclass(frozen=True)
class Moment:
    """What the analysis knows after one frame: for live display and annotation."""

    t: float
    reps: int
    progress: float | None
    new_rep: Rep | None
    new_faults: tuple[Fault, ...]


@dataclass
class Tracking:
    frames: int = 0
    with_person: int = 0
    measured: int = 0
    visibility: list[float] = field(default_factory=list)
    out_of_order: int = 0
    dropped: int = 0
    quarter: int = 0
    level: float = 0.0


class Analyser:
    """Feed it frames in time order with :meth:`feed`; read the result with :meth:`result`."""

    def __init__(self, ref: Reference, fps: float | None = None) -> None:
        self.ref = ref
        self.fps = fps
        self.tracker = PhaseTracker()
        self.watches = [
            RuleWatch(i, r, kind_of(ref.spec.features[r.rule.feature]))
            for i, r in enumerate(ref.rules)
        ]
        self.faults: list[Fault] = []
        self.skipped: set[int] = set()
        self.tracking = Tracking()
        self._last_t: float | None = None
        self._pending: list[tuple[float, Marks]] | None = []
        self._smooth: dict[tuple[str, str], tuple[float, float]] = {}
        self._scales: deque[float] = deque(maxlen=SCALE_WINDOW)
        self._floors: deque[tuple[float, float]] = deque()
        self._progress: float | None = None
        self._end = 0.0

    # --- input ---------------------------------------------------------------------------

    def feed(self, frame: PoseFrame) -> Moment:
        tr = self.tracking
        if self._last_t is not None and frame.t <= self._last_t:
            # Timestamps must increase: a repeated or earlier time is a glitch, not a frame.
            tr.out_of_order += 1
            return self._moment(frame.t, None, ())
        if self._last_t is not None and self.fps:
            step = 1.0 / self.fps
            tr.dropped += max(0, round((frame.t - self._last_t) / step) - 1)
        self._last_t = self._end = frame.t
        tr.frames += 1
        if frame.marks is None:
            return self._moment(frame.t, None, ())
        tr.with_person += 1
        tr.visibility.append(
            statistics.fmean(
                frame.marks[n].visibility if n in frame.marks else 0.0 for n in BODY_LANDMARKS
            )
        )
        if self._pending is not None:
            self._pending.append((frame.t, frame.marks))
            if len(self._pending) < ORIENT_FRAMES:
                return self._moment(frame.t, None, ())
            return self._settle_orientation()
        return self._measure(frame.t, frame.marks)

    def _settle_orientation(self) -> Moment:
        pending, self._pending = self._pending or [], None
        tr = self.tracking
        tr.quarter, tr.level = best_turn([m for _, m in pending], self.ref.start_marks)
        rep, faults = None, list[Fault]()
        for t, marks in pending:
            moment = self._measure(t, marks)
            rep = moment.new_rep or rep
            faults += moment.new_faults
        return self._moment(pending[-1][0], rep, tuple(faults))

    def _measure(self, t: float, picture: Marks) -> Moment:
        marks = upright(picture, self.tracking.quarter, self.tracking.level)
        frame = frame_of(marks)
        if frame is None:
            return self._moment(t, None, ())
        self._scales.append(frame.scale)
        self._floors.append((t, frame.floor))
        while self._floors[0][0] < t - FLOOR_WINDOW_S:
            self._floors.popleft()
        lows = sorted(f for _, f in self._floors)
        floor = lows[int(FLOOR_PERCENTILE * (len(lows) - 1))]
        frame = type(frame)(frame.marks, statistics.median(self._scales), floor)
        sides = {
            name: self._smoothed(name, t, values, self.ref.spec.features[name].side == "either")
            for name, values in self.ref.sides(frame).items()
        }
        values = self.ref.combine(sides)
        track = values[self.ref.spec.track]
        rep = None
        if track is not None:
            self.tracking.measured += 1
            self._progress = self.ref.progress(track)
            rep = self.tracker.update(t, self._progress)
        current = len(self.tracker.reps) + (0 if rep else 1)
        found = []
        small = statistics.median(self._scales) < MIN_TRUNK_PX
        for watch in self.watches:
            if small and watch.kind in ("height", "difference"):
                self.skipped.add(watch.index)
                continue
            fault = watch.frame(t, values[watch.ref.rule.feature], current)
            if fault is not None:
                found.append(fault)
            if rep is not None and (fault := watch.rep_done(rep)) is not None:
                found.append(fault)
        self.faults += found
        return self._moment(t, rep, tuple(found))

    def _smoothed(
        self, name: str, t: float, values: dict[str, float], carry: bool
    ) -> dict[str, float]:
        """Each side smoothed on its own. With ``carry`` (a feature following either side) a
        side not seen this frame keeps its last value for up to MAX_GAP_S, so one hidden
        landmark cannot swap the side measured."""
        out = {}
        for side in {*values, *(k[1] for k in self._smooth if k[0] == name)}:
            key = (name, side)
            last, value = self._smooth.get(key), values.get(side)
            if last is not None and t - last[0] > MAX_GAP_S:
                del self._smooth[key]
                last = None
            if value is None:
                if last is not None and carry:
                    out[side] = last[1]
                continue
            if last is None:
                smooth = value
            else:
                alpha = 1.0 - math.exp(-(t - last[0]) / SMOOTH_S)
                smooth = last[1] + alpha * (value - last[1])
            self._smooth[key] = (t, smooth)
            out[side] = smooth
        return out

    def _moment(self, t: float, rep: Rep | None, faults: tuple[Fault, ...]) -> Moment:
        return Moment(t, len(self.tracker.reps), self._progress, rep, faults)

    def finish(self) -> None:
        """Call after the last frame: settles orientation for a very short recording."""
        if self._pending:
            self._settle_orientation()
        rep = self.tracker.close()
        if rep is not None:
            self.faults += [f for w in self.watches if (f := w.rep_done(rep)) is not None]

    # --- output --------------------------------------------------------------------------

    def result(self, source: dict[str, Any] | None = None) -> dict[str, Any]:
        """Everything found, as plain JSON-ready data."""
        tr = self.tracking
        reps = self.tracker.reps
        measured = tr.measured / tr.frames if tr.frames else 0.0
        quality = (
            "good" if measured >= GOOD_TRACKING else "fair" if measured >= FAIR_TRACKING else "poor"
        )
        return {
            "exercise": self.ref.exercise_id,
            "duration_seconds": round(self._end, 2),
            "reps": len(reps),
            "rep_times": [
                {
                    "rep": r.index,
                    "start": round(r.start, 2),
                    "end": round(r.end, 2),
                    "hold_seconds": round(r.hold_seconds, 2),
                    "reached": round(min(r.peak, 9.99), 2),
                }
                for r in reps
            ],
            "hold_seconds": [round(r.hold_seconds, 2) for r in reps],
            "faults": [
                {
                    "time": round(f.time, 2),
                    "rep": f.rep,
                    "rule": f.rule,
                    "feature": f.feature,
                    "check": f.check,
                    "cue": f.cue,
                }
                for f in self.faults
            ],
            "rules_not_checked": [
                {
                    "rule": i,
                    "feature": self.ref.rules[i].rule.feature,
                    "reason": "the body is small in the picture, so heights cannot be judged "
                    "reliably; move the camera closer or use a higher resolution",
                }
                for i in sorted(self.skipped)
            ],
            "tracking": {
                "quality": quality,
                "frames": tr.frames,
                "frames_with_person": tr.with_person,
                "measured_fraction": round(measured, 3),
                "mean_visibility": round(statistics.fmean(tr.visibility), 3)
                if tr.visibility
                else 0.0,
                "visibility_threshold": VISIBLE,
                "dropped_frames": tr.dropped,
                "out_of_order_frames": tr.out_of_order,
                "picture_turned_degrees": tr.quarter * 90,
                "levelled_degrees": round(tr.level, 1),
                "trunk_pixels": round(statistics.median(self._scales), 1) if self._scales else 0.0,
                **(source or {}),
            },
        }
