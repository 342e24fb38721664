"""Outcome scoring: has pain or activity changed enough to matter to the person?

Pure functions on plain numbers (no database). Thresholds are the published smallest changes
that people notice as real (CLINICAL.md section 6); the messages say what changed in plain
words and never diagnose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from backcoach.safety.stoprules import MEANINGFUL_PAIN_CHANGE

PAIN_MEANINGFUL_POINTS = MEANINGFUL_PAIN_CHANGE
"""A change of 2 points on the 0-10 pain scale is meaningful (Ostelo 2008, Spine 33:90)."""

PAIN_MEANINGFUL_PERCENT = 30.0
"""...or an improvement of 30% of the starting pain, which matters more when pain starts low
(Ostelo 2008, Spine 33:90). Either one is enough. The 30% is defined for improvement only: a
rise is judged on points alone, as flare-up detection does (planning.flare.FLARE_RISE), so
pain going from 1 to 1.5 out of 10 is not called a meaningful worsening and sent to a
clinician."""

ACTIVITY_MEAN_MEANINGFUL_POINTS = 2.0
"""The activity scale (the person's own 3-5 hard activities, each 0-10, score = mean): about
2 points on the mean is meaningful (Stratford 1995, Physiother Can 47:258; Abbott & Schmitt
2014, JOSPT 44:560)."""

ACTIVITY_SINGLE_MEANINGFUL_POINTS = 3
"""...and 3 points on a single activity (Stratford 1995; Abbott & Schmitt 2014)."""

COMPARE_WINDOW_DAYS = 7
"""Pain is compared as the mean of the first week of readings against the mean of the latest
week: a week evens out the ordinary day-to-day swings of back pain, so one good or bad day does
not read as a change."""

Direction = Literal["better", "worse", "same"]


@dataclass(frozen=True)
class Change:
    """A change from the start to now, judged against its meaningful-change threshold."""

    measure: str
    label: str
    start: float
    latest: float
    points: float
    """latest - start (signed: for pain, negative is better; for activity, positive)."""
    percent: float | None
    """The change as a percentage of the start (signed); None when the start is 0."""
    direction: Direction
    meaningful: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _num(value: float) -> str:
    """3.0 -> "3", 3.55 -> "3.55": whole numbers stay whole; never more than two decimals,
    the precision the comparison itself uses."""
    return f"{round(value, 2):g}"


def _points(value: float) -> str:
    return f"{_num(value)} point" + ("" if _num(value) == "1" else "s")


def _judge(
    measure: str,
    label: str,
    start: float,
    latest: float,
    higher_is_better: bool,
    threshold_points: float,
    threshold_percent: float | None,
) -> Change:
    start, latest = round(start, 2), round(latest, 2)
    points = round(latest - start, 2)
    percent = round(points / start * 100, 1) if start else None
    size = abs(points)
    by_points = size >= threshold_points
    by_percent = (
        threshold_percent is not None
        and percent is not None
        and (points > 0) == higher_is_better  # an improvement: see PAIN_MEANINGFUL_PERCENT
        and abs(percent) >= threshold_percent
    )
    meaningful = size > 0 and (by_points or by_percent)
    if points == 0:
        direction: Direction = "same"
    elif (points > 0) == higher_is_better:
        direction = "better"
    else:
        direction = "worse"
    shown_percent = percent if meaningful and not by_points else None
    message = _message(label, start, latest, points, shown_percent, direction, meaningful, size)
    return Change(measure, label, start, latest, points, percent, direction, meaningful, message)


def _message(
    label: str,
    start: float,
    latest: float,
    points: float,
    percent: float | None,
    direction: Direction,
    meaningful: bool,
    size: float,
) -> str:
    """``percent`` is given only when it, not the points, made the change meaningful."""
    span = f"(from {_num(start)} to {_num(latest)})"
    if direction == "same" or _num(size) == "0":
        return f"{label} is about the same as when you started {span}."
    way = "up" if points > 0 else "down"
    amount = _points(size)
    if percent is not None:
        amount += f" ({abs(percent):.0f}%)"
    said = f"{label} is {way} {amount} since you started {span}"
    if direction == "better":
        if meaningful:
            return f"{said} — a meaningful improvement."
        return f"{said}: a small change so far."
    if meaningful:
        return (
            f"{said} — a meaningful change for the worse. Go gently for a few days; if it "
            "does not settle within a week or two, please talk to a clinician."
        )
    return f"{said}: a small change, worth keeping an eye on."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def pain_change(measure: str, label: str, start: float, latest: float) -> Change:
    """Pain (0-10, lower is better): meaningful at 2 points, or an improvement of 30% of
    the start."""
    change = _judge(
        measure,
        label,
        start,
        latest,
        higher_is_better=False,
        threshold_points=PAIN_MEANINGFUL_POINTS,
        threshold_percent=PAIN_MEANINGFUL_PERCENT,
    )
    return _with_message(change, f"Your {change.message}")


def activity_mean_change(start: float, latest: float) -> Change:
    """The activity score (mean of 0-10 ratings, higher is better): meaningful at 2 points."""
    change = _judge(
        "activity_mean",
        "activity score",
        start,
        latest,
        higher_is_better=True,
        threshold_points=ACTIVITY_MEAN_MEANINGFUL_POINTS,
        threshold_percent=None,
    )
    return _with_message(change, f"Your {change.message}")


def activity_change(activity_id: int, name: str, start: float, latest: float) -> Change:
    """One activity's rating (0-10, higher is better): meaningful at 3 points."""
    change = _judge(
        f"activity:{activity_id}",
        f"“{name}”",
        start,
        latest,
        higher_is_better=True,
        threshold_points=ACTIVITY_SINGLE_MEANINGFUL_POINTS,
        threshold_percent=None,
    )
    return _with_message(change, _sentence(change.message))


def _with_message(change: Change, message: str) -> Change:
    return Change(**{**asdict(change), "message": message})


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def first_and_latest_week(
    series: Sequence[tuple[dt.date, float]], window_days: int = COMPARE_WINDOW_DAYS
) -> tuple[float, float] | None:
    """(mean of the first week, mean of the latest week) of readings sorted by date.

    None while every reading is still inside the first week: too early to compare. Readings
    in the first week never count as "latest", so the two means never share a reading.
    """
    if not series:
        return None
    first_day, last_day = series[0][0], series[-1][0]
    window = dt.timedelta(days=window_days)
    baseline = [v for day, v in series if day < first_day + window]
    recent = [v for day, v in series if day > last_day - window and day >= first_day + window]
    if not recent:
        return None
    return mean(baseline), mean(recent)
