"""Flare-ups: noticing one, the few gentle days it brings, and which exercises are gentle enough.

About 96% of people with back pain have at least one flare a year (Setchell 2017), so a
flare-up plan is part of the programme, not a failure of it: a few days of gentle movement
(breathing, pelvic tilts, knee rolls, walking, the person's preferred direction), because
staying active helps more than rest (Dahm 2010, Cochrane), then back to the usual exercises one
step lighter (CLINICAL.md sections 3 and 5).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection, Iterable, Mapping

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import CautionTag, Direction, Position
from backcoach.planning.profile import DirectionalPreference
from backcoach.planning.state import Decision
from backcoach.safety.restriction_rules import is_gentle
from backcoach.safety.stoprules import MEANINGFUL_PAIN_CHANGE

FLARE_RISE = MEANINGFUL_PAIN_CHANGE
"""Points above the usual daily pain that count toward a flare-up: 2, the smallest meaningful
change on the 0-10 scale (Ostelo 2008, Spine 33:90)."""

FLARE_DAYS = 2
"""Days running the pain must be ``FLARE_RISE`` above usual (issue 4: "for 2 days"), so one bad
day is not a flare-up."""

USUAL_WINDOW_DAYS = 14
""""Usual" pain is the median daily pain over these days before the raised days: two weeks,
long enough to hold several sessions, short enough to follow a recovering back."""

MIN_USUAL_READINGS = 4
"""Daily pain readings needed in the window to know what is usual (about two weeks of three
sessions a week, with a couple missed). With fewer, only the person's own word starts a
flare-up: a rise cannot be measured against a usual level nobody has seen."""

FLARE_UP_DAYS = 3
"""Days of gentle movement in flare-up mode, today included ("a few gentle days", CLINICAL.md
section 3). A product choice within that advice (uncertain)."""

LOWER_AFTER_FLARE_DAYS = 7
"""After flare-up mode, the usual exercises come back one step lighter for up to this many days,
each until a new dose is decided for it. A product choice (uncertain): one week of easing back."""

WHOLE_PROGRAMME = "*"
"""The ``exercise_id`` of decisions about the whole programme (flare-up mode). Not a valid
exercise slug, so it can never clash with an exercise."""

FLARE_UP_POSITIONS: frozenset[Position] = frozenset({"supine", "side-lying", "seated", "standing"})
"""Positions easy to get into and out of when sore: lying on the back or side, or upright.
Kneeling and hands-and-knees wait until the flare settles. Lying on the front is kept only for
a person whose preferred direction is extension (the first step of that series)."""

FLARE_UP_TOLERATED_TAGS: frozenset[CautionTag] = frozenset({"supine-long", "end-range-rotation"})
"""Cautions a gentle mobility exercise may carry: resting on the back (a pregnancy concern the
planner's restrictions handle) and turning the knees or trunk as far as is comfortable (knee
rolls, easy seated or side-lying turns). Loaded bending, lifting, spinal pressure, balance and
end-range bending wait until the flare settles."""

DIRECTION_TAGS: dict[Direction, frozenset[CautionTag]] = {
    "extension": frozenset({"prone", "sustained-extension", "end-range-extension"}),
    "flexion": frozenset({"end-range-flexion", "deep-hip-flexion"}),
}
"""Cautions that belong to moving in a direction; allowed for the person's preferred direction,
which eased their pain in the direction check (Long 2004, Spine 29:2593)."""


def _check_pain(pain_by_day: Mapping[dt.date, int]) -> None:
    for day, score in pain_by_day.items():
        if not 0 <= score <= 10:
            raise ValueError(f"pain on {day} must be 0-10 (got {score})")


def usual_pain(pain_by_day: Mapping[dt.date, int], before: dt.date) -> float | None:
    """The median daily pain over the ``USUAL_WINDOW_DAYS`` before ``before``; ``None`` with
    fewer than ``MIN_USUAL_READINGS`` readings."""
    window = [
        pain_by_day[day]
        for offset in range(1, USUAL_WINDOW_DAYS + 1)
        if (day := before - dt.timedelta(days=offset)) in pain_by_day
    ]
    if len(window) < MIN_USUAL_READINGS:
        return None
    return float(statistics.median(window))


def detect_flare_up(
    pain_by_day: Mapping[dt.date, int], said_flare_up: bool, today: dt.date
) -> str | None:
    """Why today starts a flare-up, or ``None``.

    ``pain_by_day``: one 0-10 reading per day (the service picks it the same way every day,
    e.g. the day's highest "pain now"). A flare-up is the person's own word, or pain at least
    ``FLARE_RISE`` above usual on each of the ``FLARE_DAYS`` days ending today.
    """
    _check_pain(pain_by_day)
    if said_flare_up:
        return "You said your back is flaring up."
    days = [today - dt.timedelta(days=back) for back in range(FLARE_DAYS - 1, -1, -1)]
    if any(day not in pain_by_day for day in days):
        return None
    usual = usual_pain(pain_by_day, days[0])
    if usual is None or any(pain_by_day[day] < usual + FLARE_RISE for day in days):
        return None
    scores = " and ".join(f"{pain_by_day[day]}/10" for day in days)
    return (
        f"Your pain was {scores} on the last {FLARE_DAYS} days, {FLARE_RISE} or more points "
        f"above your usual {usual:g}/10: that looks like a flare-up."
    )


def start_flare_up(reason: str, today: dt.date) -> Decision:
    """The flare-up decision: ``FLARE_UP_DAYS`` gentle days from today, then back one step
    lighter."""
    until = today + dt.timedelta(days=FLARE_UP_DAYS - 1)
    return Decision(
        decided_on=today,
        exercise_id=WHOLE_PROGRAMME,
        action="flare-up",
        until=until,
        reason=(
            f"{reason} Flares are common and usually settle. Until {until} your plan is a few "
            "gentle movements: keeping moving helps more than resting. Then your usual "
            f"exercises come back a step lighter for up to {LOWER_AFTER_FLARE_DAYS} days."
        ),
    )


def flare_up_exercise_ids(
    exercises: Iterable[Exercise],
    preference: DirectionalPreference = "unknown",
    avoid: Collection[str] = (),
) -> list[str]:
    """The gentle set for flare-up days, in the order given, chosen by what each exercise is
    (category, position, difficulty, direction, cautions), never by id, so a person's own
    exercises qualify too:

    - breathing and relaxation, and walking-style warm-ups (``safety.is_gentle``);
    - the easiest warm-up and mobility movements in an easy position with no caution beyond
      ``FLARE_UP_TOLERATED_TAGS`` (pelvic tilts, knee rolls);
    - the easiest exercises in the person's preferred direction (``preference``), whose own
      cautions (``DIRECTION_TAGS``) are allowed.

    Directions in ``avoid`` (they spread symptoms in the direction check) are left out. The
    planner still applies the person's safety restrictions (e.g. pregnancy) to this set.
    """
    chosen: list[str] = []
    for ex in exercises:
        if ex.direction in avoid:
            continue
        if is_gentle(ex) or _gentle_movement(ex) or _preferred(ex, preference):
            chosen.append(ex.id)
    return chosen


def _gentle_movement(ex: Exercise) -> bool:
    return (
        ex.category in ("warm-up", "mobility")
        and ex.difficulty == 1
        and ex.position in FLARE_UP_POSITIONS
        and set(ex.cautions) <= FLARE_UP_TOLERATED_TAGS
    )


def _preferred(ex: Exercise, preference: DirectionalPreference) -> bool:
    own = DIRECTION_TAGS.get(ex.direction)
    if own is None or ex.direction != preference:
        return False
    prone: frozenset[Position] = frozenset({"prone"} if preference == "extension" else ())
    positions = FLARE_UP_POSITIONS | prone
    return (
        ex.difficulty == 1
        and ex.category in ("warm-up", "mobility", "stretch")
        and ex.position in positions
        and set(ex.cautions) <= own | FLARE_UP_TOLERATED_TAGS
    )
