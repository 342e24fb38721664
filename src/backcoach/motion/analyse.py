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

from backcoach.motion.evidence import (
    FAIR_TRACKING,
    GOOD_TRACKING,
    MIN_TRACKED_SHARE,
    RECENT_S,
    gaps,
    share,
)
from backcoach.motion.features import VISIBLE
from backcoach.motion.frames import Marks, PoseFrame
from backcoach.motion.orient import best_turn, upright
from backcoach.motion.phases import SETTLED, Calibration, PhaseTracker, Rep
from backcoach.motion.reference import DEGREES, MIN_TRACK_CHANGE, Reference, frame_of, kind_of
from backcoach.motion.rhythm import period
from backcoach.motion.rules import Fault, RuleWatch
from backcoach.motion.verify import Verdict, Verifier

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
NOISE_SHARE = 0.5
"""The least range that counts is at least half the tracked feature's least change between key
poses (reference.MIN_TRACK_CHANGE): a still body's jitter stays well under it."""


@dataclass(frozen=True)
class Moment:
    """What the analysis knows after one frame: for live display and annotation."""

    t: float
    reps: int
    progress: float | None
    new_rep: Rep | None
    new_faults: tuple[Fault, ...]
    measured: bool = False
    """This frame's tracked feature was measured (live: is the person seen now?)."""
    verdict: Verdict | None = None
    """The check that this is the named exercise, as of now (judged as each repetition ends)."""
    holding: bool = False
    """The movement is out at its far end now (a repetition under way, or its hold)."""
    value: float | None = None
    """This frame's tracked feature, smoothed; None when not measured (annotated video)."""
    thresholds: tuple[float, float] | None = None
    """ENTER and EXIT as the tracked feature's values as of now; None before a movement."""
    counted: tuple[tuple[Rep, str], ...] = ()
    """Repetitions counted with this frame (a replay can count several), each with why."""


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
        kind = kind_of(ref.spec.features[ref.spec.track])
        self.calibration = Calibration(
            ref.track_start, ref.track_end, NOISE_SHARE * MIN_TRACK_CHANGE[kind]
        )
        self.verifier = Verifier(ref.name or ref.exercise_id, ref.path_frames)
        self._verdict = Verdict(False, True)
        self.withheld: list[Fault] = []
        self._log: list[tuple[float, bool]] = []
        self._recent: deque[tuple[float, bool]] = deque()
        self._series: list[tuple[float, float, float | None]] = []
        self._basis: tuple[float, float] | None = None
        self.watches = [
            RuleWatch(i, r, kind_of(ref.spec.features[r.rule.feature]))
            for i, r in enumerate(ref.rules)
        ]
        self.faults: list[Fault] = []
        self.reasons: list[str] = []
        """Why each repetition counted, in words, with the thresholds as they were then."""
        self.skipped: set[int] = set()
        self.tracking = Tracking()
        self._last_t: float | None = None
        self._pending: list[tuple[float, Marks]] | None = []
        self._smooth: dict[tuple[str, str], tuple[float, float]] = {}
        self._scales: deque[float] = deque(maxlen=SCALE_WINDOW)
        self._floors: deque[tuple[float, float]] = deque()
        self._progress: float | None = None
        self._measured = False
        self._world = False
        """Whether any frame's landmarks had world (3D) positions: turns need them."""
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
            self._note(frame.t, False)
            return self._moment(frame.t, None, ())
        tr.with_person += 1
        self._world = self._world or any(m.world is not None for m in frame.marks.values())
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
            self._note(t, False)
            return self._moment(t, None, ())
        self._scales.append(frame.scale)
        self._floors.append((t, frame.floor))
        while self._floors[0][0] < t - FLOOR_WINDOW_S:
            self._floors.popleft()
        lows = sorted(f for _, f in self._floors)
        floor = lows[int(FLOOR_PERCENTILE * (len(lows) - 1))]
        frame = type(frame)(frame.marks, statistics.median(self._scales), floor)
        self.verifier.add(frame)
        sides = {
            name: self._smoothed(name, t, values, self.ref.spec.features[name].side == "either")
            for name, values in self.ref.sides(frame).items()
        }
        values = self.ref.combine(sides)
        track = values[self.ref.spec.track]
        rep = None
        self._note(t, track is not None)
        if track is not None:
            self.tracking.measured += 1
            held = self.ref.hold_value(values)
            self._series.append((t, track, held))
            progress = self.calibration.progress(t, track)
            if progress is not None:
                self._progress = progress
                rep = self._track(t, track, progress, held)
        if rep is not None:
            # Judged when a repetition ends (not every frame: it sorts every value seen).
            self._verdict = self.verifier.verdict()
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
        # Live, a cue needs the last moments seen well enough; the rest wait for the result,
        # which judges each repetition as a whole.
        recent = [m for _, m in self._recent]
        if found and sum(recent) < MIN_TRACKED_SHARE * len(recent):
            self.withheld += found
            found = []
        self.faults += found
        return self._moment(t, rep, tuple(found))

    def _track(
        self, t: float, value: float, progress: float, held: float | None = None
    ) -> Rep | None:
        """Feed the phase tracker; before the first repetition, replay the samples so far
        whenever the video's range has moved (see phases.SETTLED). Live and file run this
        same code, so both give the same count from the same landmarks."""
        cal = self.calibration
        found = cal.range()
        assert found is not None
        basis = self._basis
        span = found[1] - found[0]
        # The hold band: 5% of the smaller of the video's and the key poses' range, so a path
        # that overshoots the last pose (a press-up's chest rises past it) does not widen it.
        band = min(span, cal.key_range)
        if not self.tracker.reps and (
            basis is None
            or abs(found[0] - basis[0]) > SETTLED * span
            or abs(found[1] - basis[1]) > SETTLED * span
        ):
            self._basis = found
            self.tracker = PhaseTracker(armed=cal.opening is None)
            done = None
            for ts, v, h in self._series:
                done = (
                    self.tracker.update(
                        ts, cal.at(v, found), cal.direction * v, band, self._hold(h)
                    )
                    or done
                )
            return done
        return self.tracker.update(t, progress, cal.direction * value, band, self._hold(held))

    def _hold(self, value: float | None) -> tuple[float, float] | None:
        """A separate hold feature's value and range (``coach.hold``), for the tracker."""
        return None if value is None else (value, self.ref.hold_range)

    def _note(self, t: float, measured: bool) -> None:
        """Log whether this frame's tracked feature was measured (for the evidence rules)."""
        self._measured = measured
        self._log.append((t, measured))
        self._recent.append((t, measured))
        while self._recent[0][0] < t - RECENT_S:
            self._recent.popleft()

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
        verdict, measured = self._verdict, self._measured
        last = self._series[-1] if measured and self._series else None
        value = last[1] if last is not None and last[0] == t else None
        thresholds, counted = self._explain()
        if not verdict.matches:
            # Not the named exercise: nothing is counted or cued, live or in the result.
            return Moment(t, 0, self._progress, None, (), measured, verdict, False, value)
        holding = self.tracker.state == "out"
        return Moment(
            t, len(self.tracker.reps), self._progress, rep, faults, measured, verdict, holding,
            value, thresholds, counted,
        )  # fmt: skip

    def _explain(self) -> tuple[tuple[float, float] | None, tuple[tuple[Rep, str], ...]]:
        """The thresholds now, and why each repetition not yet explained counted."""
        thresholds = self.calibration.thresholds()
        new = self.tracker.reps[len(self.reasons) :]
        self.reasons += [_reason(r, thresholds, self.ref) for r in new]
        return thresholds, tuple(zip(new, self.reasons[-len(new) :], strict=True)) if new else ()

    def finish(self) -> None:
        """Call after the last frame: settles orientation for a very short recording."""
        if self._pending:
            self._settle_orientation()
        rep = self.tracker.close()
        if rep is not None:
            self.faults += [f for w in self.watches if (f := w.rep_done(rep)) is not None]
        self._explain()
        self._verdict = self.verifier.verdict()

    # --- output --------------------------------------------------------------------------

    def result(self, source: dict[str, Any] | None = None) -> dict[str, Any]:
        """Everything found, as plain JSON-ready data.

        Honest by construction: nothing is counted when the video does not show the named
        exercise; a cue is kept only when its repetition (or the set, for a cue outside any
        repetition) was tracked in at least MIN_TRACKED_SHARE of its frames; ``form_judged``
        (the only licence for praise) needs every repetition tracked that well, and
        ``not_seen`` says in plain words what could not be seen and why.
        """
        tr = self.tracking
        verdict = self._verdict
        reps = self.tracker.reps if verdict.matches else []
        measured = tr.measured / tr.frames if tr.frames else 0.0
        shares = {r.index: share(self._log, r.start, r.end) for r in reps}
        faults: list[Fault] = []
        withheld = list(self.withheld)
        for fault in self.faults if verdict.matches else []:
            seen = shares.get(fault.rep, measured) if fault.rep is not None else measured
            (faults if seen >= MIN_TRACKED_SHARE else withheld).append(fault)
        thin = [i for i, s in shares.items() if s < MIN_TRACKED_SHARE]
        not_seen = []
        turns = [n for n, f in self.ref.spec.features.items() if kind_of(f) == "turn"]
        if turns and tr.with_person and not self._world:
            several = len(turns) > 1
            names = " and ".join(repr(n) for n in turns)
            not_seen.append(
                f"{names} {'are turns' if several else 'is a turn'}, "
                "measured only on 3D (world) landmarks, and these landmarks have none (a "
                "landmark file saved without them, or a CSV), so "
                f"{'they were' if several else 'it was'} not measured; run the coach on "
                "the video itself, or save its landmarks again with --save-landmarks"
            )
        if not verdict.matches:
            not_seen.append(verdict.message)
        if tr.frames and measured < MIN_TRACKED_SHARE:
            # Also beside a mismatch: landmarks guessed in the dark can look like anything.
            not_seen.append(
                f"the body was measured in only {measured:.0%} of the frames (at least "
                f"{MIN_TRACKED_SHARE:.0%} is needed to judge form), so form was not judged; "
                "try more light and the whole body in the picture"
            )
        elif verdict.matches and not reps and self.calibration.range() is None and tr.measured:
            not_seen.append(
                "no movement large enough to be a repetition was seen, so nothing was counted"
            )
        if thin:
            not_seen.append(
                f"repetition{'s' * (len(thin) > 1)} {', '.join(map(str, thin))} "
                f"{'were' if len(thin) > 1 else 'was'} seen in less than "
                f"{MIN_TRACKED_SHARE:.0%} of {'their' if len(thin) > 1 else 'its'} frames, so "
                "form was not judged there"
            )
        rhythm = period([(t, v) for t, v, _ in self._series])
        for start, end in gaps(self._log) if verdict.matches and tr.measured else []:
            hidden = (
                f"; at your pace of a repetition every {rhythm:.1f} s, about "
                f"{round((end - start) / rhythm)} could have been missed there"
                if rhythm and (end - start) >= rhythm / 2
                else ""
            )
            not_seen.append(
                f"you were not seen from {start:.1f} to {end:.1f} s, so repetitions in that "
                f"time may not be counted{hidden}"
            )
        if self.skipped:
            not_seen.append(
                "some form rules could not be checked: the body is small in the picture"
            )
        quality = (
            "good"
            if measured >= GOOD_TRACKING and not thin
            else "fair"
            if measured >= FAIR_TRACKING
            else "poor"
        )
        form_judged = bool(reps) and not not_seen and quality == "good"
        found_range = self.calibration.range()
        thresholds = self.calibration.thresholds()
        direction = self.calibration.direction
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
                    "reached": round(min(self.ref.progress(direction * r.peak), 9.99), 2),
                    "tracked_fraction": round(shares[r.index], 3),
                    "reason": self.reasons[r.index - 1],
                }
                for r in reps
            ],
            "hold_seconds": [round(r.hold_seconds, 2) for r in reps],
            "faults": [_fault(f) for f in faults],
            "cues_withheld": [_fault(f) for f in withheld],
            "form_judged": form_judged,
            "not_seen": not_seen,
            "verification": {
                "checked": verdict.checked,
                "matches": verdict.matches,
                "message": verdict.message,
                "positions": {p: round(s, 3) for p, s in verdict.positions},
            },
            "counting": {
                "feature": self.ref.spec.track,
                "key_pose_values": [round(self.ref.track_start, 3), round(self.ref.track_end, 3)],
                "video_range": [round(direction * v, 3) for v in found_range]
                if found_range
                else None,
                "enter_exit": [round(v, 3) for v in thresholds] if thresholds else None,
                "rhythm_seconds": round(rhythm, 2) if rhythm else None,
            },
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
                "min_tracked_fraction_for_cues": MIN_TRACKED_SHARE,
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


def _reason(rep: Rep, thresholds: tuple[float, float] | None, ref: Reference) -> str:
    """Why a repetition counted, e.g. "rep 3: hip down past 131 deg (to 98 deg), then back up
    above 144 deg": the tracked feature crossed ENTER, went on to its furthest point and came
    back over EXIT (the thresholds as they stood when it was counted)."""
    name = ref.spec.track
    if thresholds is None:  # Not reached: a repetition needs a range, and so thresholds.
        return f"rep {rep.index}: {name} went out and back"
    enter, leave = thresholds
    sign = 1.0 if enter >= leave else -1.0
    degrees = kind_of(ref.spec.features[name]) in DEGREES

    def show(v: float) -> str:
        return f"{v:.0f} deg" if degrees else f"{v:.2f}"

    out, back = ("up", "down") if sign > 0 else ("down", "up")
    return (
        f"rep {rep.index}: {name} {out} past {show(enter)} (to {show(sign * rep.peak)}), "
        f"then back {back} {'below' if sign > 0 else 'above'} {show(leave)}"
    )


def _fault(f: Fault) -> dict[str, Any]:
    return {
        "time": round(f.time, 2),
        "rep": f.rep,
        "rule": f.rule,
        "feature": f.feature,
        "check": f.check,
        "cue": f.cue,
    }
