"""Repetitions and holds from the tracked feature, with hysteresis and a minimum phase time.

The tracked feature is read as progress: 0 at the start pose, 1 at the last key pose. A
repetition goes out past ENTER and back below EXIT; the gap between the two thresholds and the
time a phase must last mean jitter around either threshold never counts a repetition.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Literal

ENTER = 0.6
"""Progress that starts the outward phase: a little past halfway from the start pose to the
last, so a movement must clearly head for the last pose."""
EXIT = 0.4
"""Progress that ends it. ENTER - EXIT is the hysteresis band: 20% of the movement's range,
several times the few degrees of jitter a pose model shows on a still body."""
MIN_PHASE_S = 0.25
"""A phase must last this long to count: a real movement out or back takes longer (the
quickest dose moves in about a second), a flicker of the pose model does not."""
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

    def update(self, t: float, progress: float) -> Rep | None:
        """Feed one sample; returns the repetition that this sample completed, if any."""
        if self.state == "rest":
            if progress <= EXIT:
                self._rise = self._since = None
                self._samples.clear()
                return None
            self._rise = t if self._rise is None else self._rise
            self._samples.append((t, progress))
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
            self._samples.append((t, progress))
        return None

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
        held = [t for t, p in samples if p >= level - HOLD_BAND]
        hold = held[-1] - held[0] if held else 0.0
        rep = Rep(len(self.reps) + 1, self._start, end, peak_time, peak, hold)
        self.reps.append(rep)
        self.state, self._since, self._rise = "rest", None, None
        self._samples = []
        return rep
