"""Form rules: each fault found with its time and a plain cue.

A ``stay`` rule is broken when its feature leaves the range the key poses pass through (widened
by the rule's tolerance) for long enough to be more than a flicker; a ``reach`` rule when a
repetition never gets within the tolerance of the key pose's value.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.motion.phases import Rep
from backcoach.motion.reference import RuleRef

MIN_FAULT_S = 0.3
"""A feature must stay out of range this long before it is a fault: longer than a pose model's
flicker, shorter than any real lapse worth a cue."""


@dataclass(frozen=True)
class Fault:
    rule: int
    """Position of the rule in the exercise's ``coach.rules``."""
    feature: str
    check: str
    time: float
    cue: str
    value: float
    """The furthest the feature got from what the rule allows (stay) or the closest it came
    to the target (reach)."""
    rep: int | None = None


class RuleWatch:
    """Watches one rule over the frames and the repetitions."""

    def __init__(self, index: int, ref: RuleRef, kind: str) -> None:
        self.index, self.ref, self.kind = index, ref, kind
        self._since: float | None = None
        self._worst = 0.0
        self._reported = False
        self._closest: float | None = None

    def _fault(self, t: float, value: float, rep: int | None) -> Fault:
        rule = self.ref.rule
        return Fault(self.index, rule.feature, rule.check, t, rule.cue, value, rep)

    def frame(self, t: float, value: float | None, rep: int | None) -> Fault | None:
        """Feed one frame's value; returns a stay fault once it has lasted MIN_FAULT_S."""
        if value is None:
            return None
        low, high = self.ref.low, self.ref.high
        if self.ref.rule.check == "reach":
            target = (low + high) / 2
            gap = abs(value - target)
            self._closest = gap if self._closest is None else min(self._closest, gap)
            return None
        outside = value < low or value > high
        if not outside:
            self._since, self._reported = None, False
            return None
        worse = value
        if self._since is None:
            self._since, self._worst = t, worse
        elif abs(worse - (low + high) / 2) > abs(self._worst - (low + high) / 2):
            self._worst = worse
        if not self._reported and t - self._since >= MIN_FAULT_S:
            self._reported = True
            return self._fault(self._since, self._worst, rep)
        return None

    def rep_done(self, rep: Rep) -> Fault | None:
        """At the end of a repetition: a reach fault when it never came close enough."""
        if self.ref.rule.check != "reach":
            return None
        closest, self._closest = self._closest, None
        tolerance = (self.ref.high - self.ref.low) / 2
        if closest is None or closest <= tolerance:
            return None
        return self._fault(rep.peak_time, closest, rep.index)
