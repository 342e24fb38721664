"""The clock of one repetition: how long moving out, holding, moving back and pausing take."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from backcoach.catalogue.model import Dose

SHORT_PAUSE_S = 0.6
"""A breath between movements when the dose sets no hold."""

T = TypeVar("T")


@dataclass(frozen=True)
class Tempo:
    """Seconds for each part of one cycle."""

    out: float
    hold: float
    back: float
    pause: float

    @property
    def cycle(self) -> float:
        return self.out + self.hold + self.back + self.pause


def tempo_of(dose: Dose, max_hold: float | None = None) -> Tempo:
    """One repetition's cycle from the dose.

    A breathing pace sets the times (breathe in on the way out, out on the way back);
    otherwise ``movement_seconds`` (into and out of position) is split evenly. The default
    hold applies at the last key pose, capped at ``max_hold`` when given.
    """
    if dose.pace is not None:
        out, back = dose.pace.inhale_seconds, dose.pace.exhale_seconds
        hold = dose.pace.hold_seconds
    else:
        out = back = max(dose.movement_seconds, 1.0) / 2
        hold = float(dose.hold_seconds.default) if dose.hold_seconds is not None else 0.0
    if max_hold is not None:
        hold = min(hold, max_hold)
    return Tempo(out, hold or SHORT_PAUSE_S, back, SHORT_PAUSE_S)


def timeline(forward: Sequence[T], tempo: Tempo) -> list[tuple[T, float]]:
    """``(frame, seconds)`` through one cycle: the frames out, a hold on the last, the frames
    back, a pause on the first. ``forward`` runs from the first key pose to the last."""
    n = max(len(forward) - 1, 1)
    steps = [(f, tempo.out * i / n) for i, f in enumerate(forward)]
    held = tempo.out + tempo.hold
    steps += [(f, held + tempo.back * i / n) for i, f in enumerate(reversed(forward))]
    steps.append((forward[0], tempo.cycle))
    return steps
