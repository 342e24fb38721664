"""How much the coach saw, and what it may say from that: cues and praise need evidence.

A cue from a handful of frames is a guess dressed as advice, and "Well done" from a camera
that saw almost nothing is worse than silence. Every rule about how much must be seen lives
here, with its reason.
"""

from __future__ import annotations

MIN_TRACKED_SHARE = 0.6
"""A form cue needs the tracked feature measured in at least 60% of the frames of its
repetition (or of the recent window, live). Below that the gaps are longer than the movement
they hide: at 24 fps and a 3 s repetition, 40% missing is over a second unseen, as long as the
lift itself, so a fault or its absence may simply not have been filmed. The same share is the
least for praise."""
GOOD_TRACKING = 0.8
"""'Tracking: good' needs the tracked feature in at least 80% of all frames, and every counted
repetition at or above MIN_TRACKED_SHARE."""
FAIR_TRACKING = 0.5
"""'fair' from 50% of frames; below it 'poor'."""
GAP_S = 1.0
"""A stretch this long with the body not measured is named in the result: a whole repetition
fits in it (the leg-raise video at 30% brightness lost two seconds and one repetition)."""
RECENT_S = 2.0
"""Live, a cue is given only when the last two seconds were tracked well enough (the share
above): about one movement out or back."""


def share(frames: list[tuple[float, bool]], start: float, end: float) -> float:
    """Share of frames between ``start`` and ``end`` (inclusive) whose tracked feature was
    measured; 0 when there are none."""
    inside = [m for t, m in frames if start <= t <= end]
    return sum(inside) / len(inside) if inside else 0.0


def gaps(frames: list[tuple[float, bool]]) -> list[tuple[float, float]]:
    """(start, end) of every stretch of at least GAP_S with the tracked feature not measured."""
    out, since = [], None
    for t, measured in sorted(frames):
        if not measured:
            since = t if since is None else since
            continue
        if since is not None and t - since >= GAP_S:
            out.append((since, t))
        since = None
    if since is not None and frames and max(t for t, _ in frames) - since >= GAP_S:
        out.append((since, max(t for t, _ in frames)))
    return out
