"""When a screen is fresh enough to plan on, and whether its tier lets a plan be offered.

Small pure functions over dates: the caller passes ``today``, nothing here reads a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, TypeGuard

from backcoach.safety.signs import TIER_ORDER, Tier

SCREEN_VALID_DAYS = 28
"""A screen older than this many days (4 weeks) is asked again before a plan is offered.
NICE NG59 says to re-assess whenever symptoms change and gives no fixed interval; 4 weeks
matches the point at which "no improvement after about 4 weeks" becomes a warning sign
(CLINICAL.md section 1), so a month-old screen may miss it."""

GateCode = Literal[
    "ok",
    "no-screen",
    "future-screen",
    "emergency",
    "urgent",
    "needs-clearance",
    "stale",
    "rescreen",  # new numbness, tingling or weakness reported since the screen
    "invalid-screen",  # the saved screen holds a value this backcoach does not know
]


@dataclass(frozen=True)
class GateResult:
    """Whether an exercise plan may be offered; ``reason`` says why in plain words."""

    allowed: bool
    reason: str
    code: GateCode


def screen_age_days(taken_on: dt.date, today: dt.date) -> int:
    return (today - taken_on).days


def is_stale(taken_on: dt.date, today: dt.date) -> bool:
    """True when the screen is older than ``SCREEN_VALID_DAYS`` (day 28 is still fresh)."""
    return screen_age_days(taken_on, today) > SCREEN_VALID_DAYS


def needs_rescreen(
    screen_date: dt.date | None, today: dt.date, new_symptom_reported: bool = False
) -> str | None:
    """Why the warning-sign questions should be asked again, or ``None`` if they need not be."""
    if screen_date is None:
        return "You have not answered the warning-sign questions yet."
    if new_symptom_reported:
        return (
            "You reported a new symptom, so please answer the warning-sign questions again "
            "(NICE NG59: re-assess when symptoms change)."
        )
    if screen_date > today:
        return f"The last check is dated {screen_date}, after today ({today}); please answer again."
    if is_stale(screen_date, today):
        age = screen_age_days(screen_date, today)
        return (
            f"Your last check was {age} days ago, on {screen_date}; answers older than "
            f"{SCREEN_VALID_DAYS} days are asked again."
        )
    return None


def known_tier(value: object) -> Tier | None:
    """``value`` as a tier when it is exactly one of ``TIER_ORDER``, else ``None``.

    No case folding or trimming: a tier is only ever written by this program, so anything else
    ("Emergency", " clear", 3) was written by hand or damaged, and is not trusted."""
    for tier in TIER_ORDER:
        if isinstance(value, str) and value == tier:
            return tier
    return None


def invalid_screen(problem: str) -> GateResult:
    """The refusal for a saved screen that cannot be trusted: fail closed, ask again."""
    return GateResult(
        False,
        f"Your saved warning-sign check cannot be read safely ({problem}), so no exercise "
        "plan is offered. Please answer the warning-sign questions again.",
        "invalid-screen",
    )


def plan_gate(
    tier: object,
    taken_on: dt.date | None,
    cleared_on: dt.date | None,
    today: dt.date,
) -> GateResult:
    """Whether a plan may be offered after the latest screen.

    ``tier``/``taken_on`` describe the latest screen (``None`` when there is none);
    ``cleared_on`` is the date a clinician cleared the person, if recorded. A ``soon`` screen
    needs a clearance dated on or after the screen and not after today. Fails closed: a tier
    that is not exactly one of ``TIER_ORDER``, or dates that are not dates, refuse the plan.
    """
    if tier is None and taken_on is None:
        return GateResult(
            False,
            "Please answer the warning-sign questions first; a plan is offered only after them.",
            "no-screen",
        )
    checked = known_tier(tier)
    if checked is None:
        return invalid_screen(f"its level {tier!r} is not one of {', '.join(TIER_ORDER)}")
    if not _is_date(taken_on):
        return invalid_screen(f"its date {taken_on!r} is not a date")
    if cleared_on is not None and not _is_date(cleared_on):
        return invalid_screen(f"its clearance date {cleared_on!r} is not a date")
    tier = checked
    if taken_on > today:
        return GateResult(
            False,
            f"The last check is dated {taken_on}, after today ({today}); please answer the "
            "questions again.",
            "future-screen",
        )
    if tier == "emergency":
        return GateResult(
            False,
            "Your answers showed signs that need emergency care, so no exercise plan is "
            "offered. After you have been seen, answer the questions again.",
            "emergency",
        )
    if tier == "urgent":
        return GateResult(
            False,
            "Your answers showed signs that need a doctor today, so no exercise plan is "
            "offered. After you have been seen, answer the questions again.",
            "urgent",
        )
    if is_stale(taken_on, today):
        return GateResult(
            False,
            f"Your last check, on {taken_on}, is more than {SCREEN_VALID_DAYS} days old; "
            "please answer the questions again.",
            "stale",
        )
    if tier == "soon" and not (cleared_on is not None and taken_on <= cleared_on <= today):
        when = ""
        if cleared_on is not None and cleared_on < taken_on:
            when = (
                f" The clearance on record, dated {cleared_on}, is older than your check on "
                f"{taken_on}; record a clearance given after this check."
            )
        elif cleared_on is not None:
            when = f" The clearance on record is dated {cleared_on}, after today; check the date."
        return GateResult(
            False,
            "Your answers need a clinician's check first. Once a clinician has said exercise "
            "is fine for you, record their clearance with the date." + when,
            "needs-clearance",
        )
    if tier == "soon":
        return GateResult(True, f"A clinician cleared you on {cleared_on}.", "ok")
    return GateResult(True, "No warning signs were reported in your last check.", "ok")


def _is_date(value: object) -> TypeGuard[dt.date]:
    """A calendar date, not a datetime (a datetime compares wrongly with dates)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
