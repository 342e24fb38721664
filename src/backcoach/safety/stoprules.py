"""Stop rules during a session: what a pain check-in means for this exercise and the next dose.

Thresholds follow the pain-monitoring model (Silbernagel 2007, Am J Sports Med 35:897),
which was studied in tendon pain and is extrapolated to back exercise here (uncertain): pain up
to 5/10 is acceptable if it settles by the next morning. Sharp or shooting pain, symptoms
spreading down the leg (peripheralisation, McKenzie) and new numbness, tingling or weakness
stop an exercise at once (CLINICAL.md section 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SAFE_PAIN_MAX = 2
"""0-2/10 during exercise: fine (Silbernagel 2007)."""

ACCEPTABLE_PAIN_MAX = 5
"""3-5/10: acceptable if it settles by next morning; above 5 is too much (Silbernagel 2007)."""

MEANINGFUL_PAIN_CHANGE = 2
"""The smallest change on the 0-10 pain scale that means something to a person: 2 points
(Ostelo 2008, Spine 33:90). Flare-up detection and the direction check measure with it."""

RISE_OVER_BASELINE_STOP = MEANINGFUL_PAIN_CHANGE
"""A rise of 2 points or more over the pain before the session stops the exercise (issue 3's
rule; the figure is the smallest meaningful change). It may be changed on its own without
changing how flare-ups or the direction check measure change."""

Action = Literal["continue", "stop-exercise"]
Band = Literal["fine", "acceptable", "too-much"]


@dataclass(frozen=True)
class PainCheck:
    """A pain check-in: 0-10 now, and three warning flags."""

    score: int
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False

    def __post_init__(self) -> None:
        # Fail closed: a check-in that is not exactly a whole number 0-10 and three yes/no
        # flags is refused, never read as "no pain" (a string "no" is truthy, None is falsy).
        if not _is_score(self.score):
            raise ValueError(f"pain must be a whole number from 0 to 10 (got {self.score!r})")
        for name in ("sharp", "spreading", "numbness"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false (got {value!r})")

    @property
    def any_flag(self) -> bool:
        return self.sharp or self.spreading or self.numbness


@dataclass(frozen=True)
class StopDecision:
    action: Action
    band: Band
    not_tolerated: bool
    """Mark the exercise as not tolerated in the plan (a flag fired)."""
    lower_dose_next_time: bool
    check_next_day: bool
    """Ask tomorrow whether the pain settled; lower the dose if it did not."""
    rescreen: bool
    """New neurological symptoms: ask the warning-sign screen again."""
    reasons: tuple[str, ...]
    advice: str


def _is_score(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10


def band_of(score: int) -> Band:
    if score <= SAFE_PAIN_MAX:
        return "fine"
    if score <= ACCEPTABLE_PAIN_MAX:
        return "acceptable"
    return "too-much"


def judge(check: PainCheck, baseline: int | None = None) -> StopDecision:
    """Decide what a pain check-in means. ``baseline`` is the pain before the session."""
    if baseline is not None and not _is_score(baseline):
        raise ValueError(
            f"pain before the session must be a whole number from 0 to 10 (got {baseline!r})"
        )
    band = band_of(check.score)
    reasons: list[str] = []
    if check.sharp:
        reasons.append("sharp or shooting pain")
    if check.spreading:
        reasons.append("symptoms spreading down the leg")
    if check.numbness:
        reasons.append("new numbness, tingling or weakness")
    if check.any_flag:
        advice = (
            "Stop this exercise now and rest in a comfortable position. It will be left out "
            "of your plan until you and a clinician decide otherwise."
        )
        if check.numbness:
            advice += (
                " New numbness, tingling or weakness needs the warning-sign questions again: "
                "please answer them before you exercise further, and contact a clinician if it "
                "does not settle."
            )
        if check.spreading:
            # Both sentences when both flags fire: each symptom needs its own advice.
            advice += " Pain moving down the leg is a sign to avoid this movement for now."
        return StopDecision(
            "stop-exercise", band, True, True, False, check.numbness, tuple(reasons), advice
        )
    rise = check.score - baseline if baseline is not None else 0
    if band == "too-much" or rise >= RISE_OVER_BASELINE_STOP:
        if band == "too-much":
            reasons.append(f"pain {check.score}/10 is above {ACCEPTABLE_PAIN_MAX}")
        if rise >= RISE_OVER_BASELINE_STOP:
            reasons.append(f"pain rose {rise} points from {baseline}/10 before the session")
        advice = (
            "Stop this exercise for today. Next time it will be lighter. Some discomfort is "
            "normal, but this is more than we aim for."
        )
        return StopDecision(
            "stop-exercise", band, False, True, False, False, tuple(reasons), advice
        )
    if band == "acceptable":
        advice = (
            "Some discomfort is expected and safe. Carry on gently; tomorrow we will ask whether "
            "it settled overnight."
        )
        return StopDecision(
            "continue", band, False, False, True, False, (f"pain {check.score}/10",), advice
        )
    return StopDecision("continue", band, False, False, False, False, (), "Good, carry on.")
