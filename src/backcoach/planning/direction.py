"""The directional-preference check: a short, conservative McKenzie-style test, as pure logic.

The person says where the pain is and how strong, does about 10 repetitions in one direction
(or, for an exercise that is one sustained position such as propped on the elbows, one long
hold), then says where it is now (CLINICAL.md section 4):

- it moved toward the spine (centralised) or eased by 2 points or more: that direction is their
  preference, and the check ends;
- it spread further down the leg (peripheralised): that direction is marked to avoid and the
  check ends at once (conservative: no further test on a leg that just got worse);
- no change, or more pain without spreading: that direction is not chosen, and the other
  direction is tried; after both, "none found".

Extension is tried first: it is the most common preference (Hefford 2008: 70%) and the one most
studied (Long 2004, Spine 29:2593). Restrictions (CLINICAL.md section 5): no extension test with
spinal stenosis or spondylolisthesis (Sinaki 1989); no flexion test with osteoporosis (Sinaki
1984: flexion exercises and vertebral fractures); no lying on the front after the first trimester
of pregnancy, so extension is tested standing and flexion with one knee at a time (ACOG 804).
The service layer asks ``can_run`` first and refuses unless the screen tier is clear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from backcoach.catalogue.model import Exercise
from backcoach.safety.conditions import Condition
from backcoach.safety.restrictions import assess
from backcoach.safety.signs import Tier
from backcoach.safety.stoprules import ACCEPTABLE_PAIN_MAX, MEANINGFUL_PAIN_CHANGE

Location = Literal["none", "back", "buttock", "thigh", "below-knee"]
LOCATIONS: tuple[Location, ...] = get_args(Location)
"""Where the pain reaches, most central first: "back" is back only; "none" is no pain."""

Outcome = Literal["centralised", "eased", "peripheralised", "no-change", "worse-pain"]
TestDirection = Literal["extension", "flexion"]
Preference = Literal["extension", "flexion", "none"]

REPS = 10
"""Repetitions in one test set: "about 10" (McKenzie repeated-movement testing)."""

SUSTAINED_HOLD_MIN_SECONDS = 30
"""A test exercise that is one sustained position (propped on the elbows: one repetition and a
hold) is tested as a hold, not as repetitions: McKenzie testing uses sustained positions as
well as repeated movements (CLINICAL.md section 4; the length is uncertain). It is held as long
as the exercise's own longest hold, and at least this long, so a change has time to show."""

OUTCOME_WORDS: dict[str, str] = {
    "centralised": "The pain moved toward your spine: a good sign.",
    "eased": "The pain eased.",
    "peripheralised": "The pain spread further down your leg.",
    "no-change": "No clear change in your pain.",
    "worse-pain": "The pain got stronger, without spreading.",
}
"""What one test did, in plain words (``interpret``'s outcomes)."""

EASING_POINTS = MEANINGFUL_PAIN_CHANGE
"""A drop of 2 points or more counts as eased: the smallest meaningful change on the 0-10 scale
(Ostelo 2008, Spine 33:90)."""

WORSE_POINTS = MEANINGFUL_PAIN_CHANGE
"""A rise of 2 points or more without spreading counts as worse: a meaningful change.
Not a reason to avoid the direction, only not to choose it (conservative)."""

TOO_SORE = ACCEPTABLE_PAIN_MAX
"""Pain above 5/10 after a test ends the check for the day (Silbernagel 2007 bands)."""

EXTENSION_TEST = "prone-press-up"
EXTENSION_GENTLER = "prone-on-elbows"
"""Propped on the elbows when press-ups are too much, or with wrist problems."""
EXTENSION_STANDING = "standing-back-extension"
"""Extension without lying on the front (pregnancy after the first trimester)."""
FLEXION_TEST = "knee-to-chest-double"
FLEXION_GENTLER = "knee-to-chest-single"

NO_EXTENSION_TEST: frozenset[str] = frozenset({"spinal-stenosis", "spondylolisthesis"})
"""Symptoms worsen in extension; repeated back-bending is avoided (Sinaki 1989)."""
NO_FLEXION_TEST: frozenset[str] = frozenset({"osteoporosis"})
"""Repeated flexion led to vertebral fractures (Sinaki 1984, Arch Phys Med Rehabil 65:593)."""

WORDS: dict[TestDirection, str] = {"extension": "bending backwards", "flexion": "bending forwards"}


@dataclass(frozen=True)
class Reading:
    """Where the pain reaches and how strong it is (0-10)."""

    location: Location
    pain: int

    def __post_init__(self) -> None:
        if self.location not in LOCATIONS:
            raise ValueError(
                f"location must be one of {', '.join(LOCATIONS)} (got {self.location!r})"
            )
        if not 0 <= self.pain <= 10:
            raise ValueError(f"pain must be 0-10 (got {self.pain})")
        if (self.pain == 0) != (self.location == "none"):
            raise ValueError(
                f"pain {self.pain}/10 with location {self.location!r}: use location 'none' "
                "exactly when the pain is 0"
            )

    @property
    def rank(self) -> int:
        return LOCATIONS.index(self.location)


def interpret(before: Reading, after: Reading) -> Outcome:
    """What one test did. Where the pain reaches counts first: spreading further down the leg
    (past where it was, beyond the back) is peripheralised even if it is milder; moving toward
    the spine is centralised even if the back aches more (McKenzie). Otherwise the pain's
    change decides: new back pain where there was none is a pain change, not spreading."""
    if after.rank > before.rank and after.rank > LOCATIONS.index("back"):
        return "peripheralised"
    if after.rank < before.rank:
        return "centralised"
    if before.pain - after.pain >= EASING_POINTS:
        return "eased"
    if after.pain - before.pain >= WORSE_POINTS:
        return "worse-pain"
    return "no-change"


@dataclass(frozen=True)
class Trial:
    direction: TestDirection
    exercise_id: str
    reps: int = REPS
    hold_seconds: int | None = None
    """Set for an exercise that is one sustained position: hold it this long, once."""

    @property
    def instruction(self) -> str:
        """What to do, in words: "10 slow repetitions" or "one hold of about 60 seconds"."""
        if self.hold_seconds is not None:
            return f"one hold of about {self.hold_seconds} seconds, breathing slowly"
        return f"{self.reps} slow repetitions"


def sustained_hold(exercise: Exercise) -> int | None:
    """Seconds to hold an exercise that is one sustained position (a single repetition with a
    hold, as propped on the elbows), else None: it is tested by repetitions."""
    d = exercise.dose
    if d.reps is None or d.reps.max != 1 or d.hold_seconds is None:
        return None
    return max(SUSTAINED_HOLD_MIN_SECONDS, d.hold_seconds.max)


@dataclass(frozen=True)
class Step:
    trial: Trial
    before: Reading
    after: Reading
    outcome: Outcome


@dataclass(frozen=True)
class Result:
    on: dt.date
    preference: Preference
    avoid: tuple[TestDirection, ...]
    """Every direction to avoid: earlier ones kept, any that spread symptoms today added."""
    reasons: tuple[str, ...]
    steps: tuple[Step, ...]

    def details(self) -> dict[str, Any]:
        """Plain JSON data to store with the result."""
        return {
            "on": self.on.isoformat(),
            "preference": self.preference,
            "avoid": list(self.avoid),
            "reasons": list(self.reasons),
            "steps": [
                {
                    "direction": s.trial.direction,
                    "exercise_id": s.trial.exercise_id,
                    "reps": s.trial.reps,
                    **({"hold_seconds": s.trial.hold_seconds} if s.trial.hold_seconds else {}),
                    "before": {"location": s.before.location, "pain": s.before.pain},
                    "after": {"location": s.after.location, "pain": s.after.pain},
                    "outcome": s.outcome,
                }
                for s in self.steps
            ],
        }


def _condition(conditions: Sequence[Condition], condition_id: str) -> Condition | None:
    return next((c for c in conditions if c.id == condition_id), None)


def _surgery_blocks(conditions: Sequence[Condition], today: dt.date | None) -> bool:
    surgery = _condition(conditions, "recent-spinal-surgery")
    if surgery is None:
        return False
    cleared = surgery.cleared_on
    return cleared is None or (today is not None and cleared > today)


def plan_trials(
    conditions: Sequence[Condition],
    avoid: Collection[str] = (),
    exercises: Mapping[str, Exercise] | None = None,
    today: dt.date | None = None,
) -> tuple[list[tuple[TestDirection, tuple[str, ...]]], list[str]]:
    """The directions to test, in order, each with its exercises from the fullest to the
    gentlest; and why any direction is left out.

    With ``exercises`` (the catalogue), every test exercise must also pass the person's
    restrictions (``safety.restrictions.assess``): one they exclude is never offered, and a
    direction with none left is skipped with the restriction's reason."""
    plan, skipped = _trials_by_condition(conditions, avoid)
    if exercises is None:
        return plan, skipped
    safe: list[tuple[TestDirection, tuple[str, ...]]] = []
    for direction, options in plan:
        verdicts = {i: assess(exercises[i], conditions, today) for i in options if i in exercises}
        kept = tuple(i for i in options if i in verdicts and verdicts[i].allowed)
        if kept:
            safe.append((direction, kept))
            continue
        reasons = sorted({r for v in verdicts.values() for r in v.reasons}) or [
            "its test exercises are not in the catalogue"
        ]
        skipped.append(
            f"{WORDS[direction].capitalize()} is not tested: " + "; ".join(reasons) + "."
        )
    return safe, skipped


def _trials_by_condition(
    conditions: Sequence[Condition], avoid: Collection[str]
) -> tuple[list[tuple[TestDirection, tuple[str, ...]]], list[str]]:
    ids = {c.id for c in conditions}
    pregnancy = _condition(conditions, "pregnancy")
    later_pregnancy = pregnancy is not None and pregnancy.after_first_trimester
    plan: list[tuple[TestDirection, tuple[str, ...]]] = []
    skipped: list[str] = []
    if "extension" in avoid:
        skipped.append("Bending backwards is not tested: an earlier check marked it to avoid.")
    elif ids & NO_EXTENSION_TEST:
        skipped.append(
            "Bending backwards is not tested: with narrowing or slipping of the spine it tends "
            "to bring symptoms on."
        )
    elif later_pregnancy:
        plan.append(("extension", (EXTENSION_STANDING,)))
    elif "wrist" in ids:
        plan.append(("extension", (EXTENSION_GENTLER,)))
    else:
        plan.append(("extension", (EXTENSION_TEST, EXTENSION_GENTLER)))
    if "flexion" in avoid:
        skipped.append("Bending forwards is not tested: an earlier check marked it to avoid.")
    elif ids & NO_FLEXION_TEST:
        skipped.append(
            "Bending forwards is not tested: with osteoporosis, repeated forward bending can "
            "harm the bones of the spine."
        )
    elif later_pregnancy:
        plan.append(("flexion", (FLEXION_GENTLER,)))
    else:
        plan.append(("flexion", (FLEXION_TEST, FLEXION_GENTLER)))
    return plan, skipped


def can_run(
    tier: Tier | None,
    conditions: Sequence[Condition],
    today: dt.date | None = None,
    avoid: Collection[str] = (),
    exercises: Mapping[str, Exercise] | None = None,
) -> tuple[bool, str]:
    """Whether the check may run, and why not. It needs a clear warning-sign screen (a clinician
    should judge the rest), no uncleared recent spinal surgery, and a direction left to test."""
    if tier is None:
        return False, "Please answer the warning-sign questions first."
    if tier != "clear":
        return False, (
            f"Your last warning-sign check was '{tier}', not clear, so the direction check is "
            "not offered; a clinician can test this with you."
        )
    if _surgery_blocks(conditions, today):
        return False, (
            "After recent spinal surgery the direction check waits until your surgeon or "
            "physiotherapist has cleared you to exercise; record the clearance first."
        )
    plan, skipped = plan_trials(conditions, avoid, exercises, today)
    if not plan:
        return False, "No direction can be tested safely for you. " + " ".join(skipped)
    return True, "No warning signs were reported, so the direction check can run."


@dataclass(frozen=True)
class DirectionCheck:
    """The check as an immutable value: ``next_trial`` says what to do; ``record``,
    ``too_much`` and ``stop`` return the check one step on; ``result`` once ``finished``."""

    on: dt.date
    queue: tuple[tuple[TestDirection, tuple[str, ...]], ...]
    """Directions still to test (the first is under way), each with exercises left to try."""
    avoid_before: tuple[TestDirection, ...] = ()
    steps: tuple[Step, ...] = ()
    reasons: tuple[str, ...] = ()
    preference: Preference = "none"
    avoid_now: tuple[TestDirection, ...] = ()
    finished: bool = False
    holds: tuple[tuple[str, int], ...] = ()
    """Test exercises done as one sustained hold, with its seconds (``sustained_hold``)."""

    @classmethod
    def start(
        cls,
        conditions: Sequence[Condition],
        today: dt.date,
        avoid: Collection[TestDirection] = (),
        exercises: Mapping[str, Exercise] | None = None,
    ) -> DirectionCheck:
        plan, skipped = plan_trials(conditions, avoid, exercises, today)
        holds = tuple(
            (i, seconds)
            for _, options in plan
            for i in options
            if exercises is not None
            and i in exercises
            and (seconds := sustained_hold(exercises[i])) is not None
        )
        check = cls(
            on=today,
            queue=tuple(plan),
            avoid_before=tuple(avoid),
            reasons=tuple(skipped),
            holds=holds,
        )
        return check if plan else check._end("No direction could be tested.")

    @property
    def next_trial(self) -> Trial | None:
        if self.finished or not self.queue:
            return None
        direction, options = self.queue[0]
        hold = dict(self.holds).get(options[0])
        if hold is not None:
            return Trial(direction, options[0], reps=1, hold_seconds=hold)
        return Trial(direction, options[0])

    def record(self, before: Reading, after: Reading) -> DirectionCheck:
        """Fold in one trial: the readings before and after its set of ``REPS``."""
        trial = self._require_trial()
        outcome = interpret(before, after)
        check = replace(self, steps=(*self.steps, Step(trial, before, after, outcome)))
        words = WORDS[trial.direction].capitalize()
        if outcome == "peripheralised":
            return replace(check, avoid_now=(*self.avoid_now, trial.direction))._end(
                f"{words} spread the pain further down the leg ({before.location} to "
                f"{after.location}), so it is marked to avoid and the check stops here. If the "
                "spreading does not settle soon, or you notice numbness or weakness, contact a "
                "clinician."
            )
        if before.pain == 0:
            return check._end(
                "There was no pain before the test, so it cannot show which direction eases "
                "it; try the check on a day when your back hurts."
            )
        if outcome in ("centralised", "eased"):
            how = (
                f"moved the pain toward your spine ({before.location} to {after.location})"
                if outcome == "centralised"
                else f"eased the pain from {before.pain}/10 to {after.pain}/10"
            )
            return replace(check, preference=trial.direction)._end(
                f"{words} {how}: this is your preferred direction."
            )
        if outcome == "worse-pain":
            note = (
                f"{words} made the pain stronger ({before.pain}/10 to {after.pain}/10) without "
                "spreading, so it is not chosen."
            )
        else:
            note = f"{words} made no clear difference."
        check = check._next_direction(note)
        if after.pain > TOO_SORE and not check.finished:
            return check._end(
                f"Your pain is {after.pain}/10, more than {TOO_SORE}/10, so the check stops "
                "for today. Rest in a comfortable position and try again another day."
            )
        return check

    def too_much(self) -> DirectionCheck:
        """The person finds the current trial too much: its gentler version, or else the next
        direction."""
        trial = self._require_trial()
        direction, options = self.queue[0]
        if len(options) > 1:
            return replace(self, queue=((direction, options[1:]), *self.queue[1:]))
        return self._next_direction(
            f"{WORDS[direction].capitalize()} ({trial.exercise_id}) was too much to do today, "
            "so it is not chosen."
        )

    def stop(self, reason: str = "You stopped the check.") -> DirectionCheck:
        """End early (the person stops); what was found so far stands."""
        return self if self.finished else self._end(reason)

    def result(self) -> Result:
        if not self.finished:
            raise ValueError(
                f"the direction check is not finished; next: {self.next_trial}. "
                "Record it, or stop() the check"
            )
        avoid = tuple(dict.fromkeys((*self.avoid_before, *self.avoid_now)))
        return Result(self.on, self.preference, avoid, self.reasons, self.steps)

    # --- internals --------------------------------------------------------------------------

    def _require_trial(self) -> Trial:
        trial = self.next_trial
        if trial is None:
            raise ValueError("the direction check is finished; read its result()")
        return trial

    def _next_direction(self, note: str) -> DirectionCheck:
        check = replace(self, queue=self.queue[1:], reasons=(*self.reasons, note))
        if check.queue:
            return check
        return check._end("No direction clearly eased your pain, so no preference was found.")

    def _end(self, reason: str) -> DirectionCheck:
        return replace(self, reasons=(*self.reasons, reason), finished=True, queue=())
