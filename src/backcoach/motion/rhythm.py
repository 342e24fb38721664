"""The rhythm of a set: the period of the tracked feature, from its autocorrelation.

Phase detection counts each movement out and back; the period says how often they come. The
two are independent readings of the same set: a set whose phases disagree with its rhythm
(twice as many repetitions as periods, say) points at a threshold problem, and a movement with
no rhythm at all is more likely fidgeting than exercise. numpy is used when installed (it comes
with the vision extra); without it no period is given.
"""

from __future__ import annotations

from collections.abc import Sequence

STEP_S = 0.05
"""The signal is resampled every 50 ms: finer than the quickest turning point (0.15 s)."""
MIN_PERIOD_S = 0.6
"""No repetition is quicker than this (a brisk rep out and back)."""
MAX_BRIDGE_S = 0.3
"""Gaps between samples up to this long are bridged by a straight line; longer ones are left
out."""
MIN_PEAK = 0.3
"""An autocorrelation peak below this is no rhythm: random movement stays under about 0.2."""


def period(series: Sequence[tuple[float, float]]) -> float | None:
    """The dominant period in seconds of (time, value) samples, or None when there is none."""
    try:
        import numpy as np
    except ImportError:
        return None
    if len(series) < 8:
        return None
    times = np.array([t for t, _ in series])
    values = np.array([v for _, v in series])
    if times[-1] - times[0] < 3 * MIN_PERIOD_S:
        return None
    grid = np.arange(times[0], times[-1], STEP_S)
    signal = np.interp(grid, times, values)
    signal = signal - values.mean()
    # A tracking gap is left out (zero after the mean is taken off), not bridged: a straight
    # line across two hidden repetitions reads as one slow one and doubles the period.
    nearest = np.searchsorted(times, grid).clip(1, len(times) - 1)
    distance = np.minimum(np.abs(times[nearest] - grid), np.abs(times[nearest - 1] - grid))
    signal[distance > MAX_BRIDGE_S] = 0.0
    power = float(np.dot(signal, signal))
    if power <= 0:
        return None
    n = len(signal)
    corr = np.correlate(signal, signal, mode="full")[n - 1 :] / power
    # Normalise by overlap so long lags are not penalised for having fewer samples.
    corr = corr * n / np.arange(n, 0, -1)
    low, high = int(MIN_PERIOD_S / STEP_S), n // 2
    if high <= low + 1:
        return None
    window = corr[low:high]
    peaks = [
        i
        for i in range(1, len(window) - 1)
        if window[i] >= window[i - 1] and window[i] >= window[i + 1] and window[i] >= MIN_PEAK
    ]
    if not peaks:
        return None
    best = max(peaks, key=lambda i: window[i])
    # Prefer the first peak nearly as high as the best: the fundamental, not a multiple.
    first = next(i for i in peaks if window[i] >= 0.8 * window[best])
    return float((low + first) * STEP_S)
