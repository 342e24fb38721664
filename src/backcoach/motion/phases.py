"""Repetitions and holds from the tracked feature, with hysteresis and a minimum phase time.

The tracked feature is read as progress: 0 where this video's person rests, 1 where they get
to (see :class:`Calibration`: the range is taken from the video itself, the key poses give only
the direction and a sanity check). A repetition goes out past ENTER and back below EXIT; the
gap between the two thresholds and the time a phase must last mean jitter around either
threshold never counts a repetition.
"""

from __future__ import annotations

import bisect
import statistics
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

ENTER = 0.6
"""Progress that starts the outward phase: a little past halfway from the start pose to the
last, so a movement must clearly head for the last pose."""
EXIT = 0.4
"""Progress that ends it. ENTER - EXIT is the hysteresis band: 20% of the movement's range,
several times the few degrees of jitter a pose model shows on a still body."""
MIN_PHASE_S = 0.1
"""A phase must last this long to count. Brisk repetitions spend as little as 0.15 s past a
threshold at their turning points (a 0.25 s minimum merged the leg-raise video's repetitions
at 1.6x speed); a flicker of the pose model lasts a frame or two (under 0.1 s at 24 fps and
above). The hysteresis band, a fifth of the range this video's movement covers, does the rest
of the work against jitter."""
LOW_PERCENTILE = 0.1
HIGH_PERCENTILE = 0.9
"""The rest and the furthest point of the movement, read from the video: robust percentiles of
the smoothed tracked feature, so a glitch of the pose model moves neither. Each end needs a
tenth of the frames; a brief turning point above the high percentile just reads as progress
over 1."""
START_SIDE = 0.5
"""The start pose's value may sit at most halfway up the video's range (cat-cow starts halfway
between the cat and the cow)."""
OPENING_S = 0.5
STILL = 0.1
"""A video whose first half second moves less than a tenth of the key poses' range starts at
rest: its first repetition must then start from below EXIT (see PhaseTracker.armed). One that
starts moving may start mid-repetition, and that repetition counts."""
SETTLED = 0.1
"""Until the first repetition is counted, a range that moves by more than this share of itself
replays the samples so far against the new range: a recording that starts mid-repetition (or
whose person is found only as the first lift begins) still counts that first repetition."""
CALIBRATION_WINDOW_S = 60.0
"""The range is taken over the last minute: long enough to hold several repetitions and their
rests, short enough to follow a person who moves closer to the camera."""
MIN_RANGE_SHARE = 0.3
"""The video's range must be at least this share of the range between the key poses, or the
movement is taken as too small to count (fidgeting, a still body, a random shuffle): a camera
at an angle shortens a movement, but not to less than a third."""
HOLD_BAND = 0.05
"""The hold runs from the first to the last moment the movement is within 5% of its range of
the repetition's furthest steady point (its 90th percentile). Taking the span, not the sum of
the moments, keeps a noisy dip in the middle of a hold from shortening it, so the band can be
narrow and little of the movement in and out of the pose is counted as holding."""


@dataclass(frozen=True)
class Rep:
    """One repetition: when it went out and came back, its furthest point and its hold."""

    index: int
    start: float
    end: float
    peak_time: float
    peak: float
    hold_seconds: float


@dataclass
class PhaseTracker:
    state: Literal["rest", "out"] = "rest"
    reps: list[Rep] = field(default_factory=list)
    _rise: float | None = None
    _since: float | None = None
    _start: float = 0.0
    _samples: list[tuple[float, float]] = field(default_factory=list)
    _holds: list[tuple[float, float]] = field(default_factory=list)
    """(time, value) of a separate hold feature over the repetition, when there is one."""
    _hold_span: float = 0.0
    _span: float = 1.0
    armed: bool = True
    """False until the movement has been at rest (below EXIT) once: a video that starts still
    away from the range's rest end (cat-cow's neutral, above its cat) must not count the way
    down to the first rest as a repetition."""

    def update(
        self,
        t: float,
        progress: float,
        value: float | None = None,
        span: float = 1.0,
        hold: tuple[float, float] | None = None,
    ) -> Rep | None:
        """Feed one sample; returns the repetition that this sample completed, if any.

        ``value`` (default: the progress) is what the repetition's peak and hold are read
        from, and ``span`` its range: with a range that grows while the first repetition is
        made, progress values of early and late samples are not comparable, values are.
        ``hold``, (value, range) of a separate hold feature: the hold is then timed on it."""
        self._span = span
        if value is None:
            value = progress
        if not self.armed:
            self.armed = progress <= EXIT
            return None
        if self.state == "rest":
            if progress <= EXIT:
                self._rise = self._since = None
                self._samples.clear()
                self._holds.clear()
                return None
            self._rise = t if self._rise is None else self._rise
            self._samples.append((t, value))
            self._hold_sample(t, hold)
            if progress < ENTER:
                self._since = None
            else:
                self._since = t if self._since is None else self._since
                if t - self._since >= MIN_PHASE_S:
                    self.state, self._start, self._since = "out", self._rise, None
            return None
        if progress <= EXIT:
            self._since = t if self._since is None else self._since
            if t - self._since >= MIN_PHASE_S:
                return self._finish(self._since)
        else:
            self._since = None
            self._samples.append((t, value))
            self._hold_sample(t, hold)
        return None

    def _hold_sample(self, t: float, hold: tuple[float, float] | None) -> None:
        if hold is not None:
            self._holds.append((t, hold[0]))
            self._hold_span = hold[1]

    def close(self) -> Rep | None:
        """At the end of the recording: a repetition already back below EXIT counts, even if
        the recording stopped before MIN_PHASE_S had passed."""
        if self.state == "out" and self._since is not None:
            return self._finish(self._since)
        return None

    def _finish(self, end: float) -> Rep:
        samples = [s for s in self._samples if s[0] < end]
        peak_time, peak = max(samples, key=lambda s: s[1])
        # The hold is judged against a high percentile, not the single furthest sample:
        # one noisy sample would otherwise shrink the hold band below the pose's jitter.
        level = (
            statistics.quantiles([p for _, p in samples], n=10)[-1] if len(samples) > 1 else peak
        )
        held = [t for t, p in samples if p >= level - HOLD_BAND * self._span]
        holds = [h for h in self._holds if h[0] < end]
        if len(holds) > 1 and self._hold_span > 0:
            # Timed on the hold feature: the same rule, on the feature that settles only once
            # the held position is reached.
            top = statistics.quantiles([v for _, v in holds], n=10)[-1]
            held = [t for t, v in holds if v >= top - HOLD_BAND * self._hold_span]
        hold = held[-1] - held[0] if held else 0.0
        rep = Rep(len(self.reps) + 1, self._start, end, peak_time, peak, hold)
        self.reps.append(rep)
        self.state, self._since, self._rise = "rest", None, None
        self._samples = []
        self._holds = []
        return rep


class Calibration:
    """Progress of the tracked feature from where this person rests (0) to where they get to
    (1), over the range seen so far in the video.

    The key poses were drawn flat by the body model: a real camera at an angle, a person who
    lifts less far or a feature measured through a different view shows a different range
    (a sit-up filmed from the front three-quarter read 1.8-3.1 where the key poses said 0-4).
    So only the direction (which way is "out") and the size of the key poses' range are taken
    from them; the range itself comes from the video. The same object serves a live camera and
    a file: each sample is judged on the samples before it.
    """

    def __init__(self, start: float, end: float, least: float) -> None:
        self.direction = 1.0 if end >= start else -1.0
        self.start = self.direction * start
        self.key_range = abs(end - start)
        self.least = max(least, MIN_RANGE_SHARE * self.key_range)
        self._window: deque[tuple[float, float]] = deque()
        self._sorted: list[float] = []
        self._first: list[tuple[float, float]] | None = []
        self.opening: float | None = None
        """Where the person rests at the start of the video, when they start still."""

    def add(self, t: float, value: float) -> None:
        u = self.direction * value
        if self.opening is None and self._first is not None:
            self._first.append((t, u))
            if t - self._first[0][0] >= OPENING_S:
                values = [v for _, v in self._first]
                if max(values) - min(values) <= STILL * self.key_range:
                    self.opening = statistics.median(values)
                self._first = None
        self._window.append((t, u))
        bisect.insort(self._sorted, u)
        while self._window and self._window[0][0] < t - CALIBRATION_WINDOW_S:
            _, old = self._window.popleft()
            del self._sorted[bisect.bisect_left(self._sorted, old)]

    def range(self) -> tuple[float, float] | None:
        """(rest, furthest) in the direction of the movement; None while the movement seen is
        smaller than the least that counts."""
        n = len(self._sorted)
        if n < 2:
            return None
        low = self._sorted[int(LOW_PERCENTILE * (n - 1))]
        high = self._sorted[int(HIGH_PERCENTILE * (n - 1))]
        if high - low < self.least:
            return None
        # The key poses' sanity check: their start pose must lie at the rest end of the range.
        # A range whose far end is the start pose is a movement the other way (cat-cow's cat,
        # before the cow has been seen), not the exercise's.
        if (self.start - low) / (high - low) > START_SIDE:
            return None
        return low, high

    def progress(self, t: float, value: float) -> float | None:
        """Add the sample and return its progress; None while no real movement has been seen."""
        self.add(t, value)
        found = self.range()
        if found is None:
            return None
        low, high = found
        return (self.direction * value - low) / (high - low)

    def thresholds(self) -> tuple[float, float] | None:
        """ENTER and EXIT as feature values (for drawing and the result), or None."""
        found = self.range()
        if found is None:
            return None
        low, high = found
        return tuple(  # type: ignore[return-value]
            self.direction * (low + p * (high - low)) for p in (ENTER, EXIT)
        )

    def at(self, value: float, found: tuple[float, float]) -> float:
        """Progress of ``value`` over a given (rest, furthest) range."""
        return (self.direction * value - found[0]) / (found[1] - found[0])

    def span(self) -> float:
        found = self.range()
        return found[1] - found[0] if found else 1.0
