"""Progression: from what was logged, the next dose of one exercise, with the reason in plain words.

After each session, ``decide`` looks at the logs of one exercise (planned next to done, the
rating, pain during and after, stop-rule events, whether pain settled by the next day) and
returns one ``Decision``. Pain counts against an exercise only when it rose during it
(``ExerciseLog.pain``): pain that was already there before is not the exercise's doing. The
rules, first match wins:

1. a stop for a warning flag (sharp or shooting pain, spreading down the leg, new numbness):
   not tolerated, dropped at once; it comes back only through ``restore``;
2. a stop for pain (above 5/10, or 2 points over the pain before the session): the second such
   stop for the exercise drops it; the first makes it lighter (or the easier neighbour);
3. rated too hard: lighter;
4. pain above 5/10 without a stop: lighter;
5. pain 3-5/10 that has built week on week (the week's highest pain with the exercise rising in
   each of ``BUILDING_WEEKS`` weeks running): lighter, even though it settles overnight;
6. pain 3-5/10: lighter if it had not settled by the next day, and the same for now while the
   next-day answer is not in (call ``decide`` again once it is); once it settled, the rules
   below go on (pain in the acceptable band does not stop the graded schedule);
7. less done than planned: the same;
8. too easy twice running at the same dose with pain 0-2 (or none reported): more, and at the
   top of every range, the harder neighbour (``progression``);
9. graded activity: the same dose done for ``GRADED_STEP_DAYS`` (about two weeks, at least
   ``GRADED_MIN_SESSIONS`` sessions, no break over ``GRADED_MAX_GAP_DAYS``), rated about right
   (or too easy), in full, without a stop, with pain at most 5/10 that settled by the next
   morning and did not build week on week: one step more, on schedule, rather than only when
   the person says it is too easy (Lindström 1992, Macedo 2010; CLINICAL.md section 3). Never
   to a harder exercise: that still waits for "too easy";
10. otherwise the same (saying when the next graded step is due, if it is on its way).
During a flare-up nothing goes up: rules 8 and 9 give "same". Pain above the band (rules 2, 4),
pain building week on week (rule 5) or not settling (rule 6) lowers the dose, and any change of
dose starts the schedule again, so it pauses while pain is too much.

The pain bands come from ``backcoach.safety.stoprules`` (Silbernagel 2007, extrapolated from
tendon pain: uncertain). Dose steps follow CLINICAL.md section 2: increase the repetitions as an
exercise gets easier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal, get_args

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.text import dose_text, plural, seconds_text
from backcoach.planning.dose import (
    DURATION_STEP_SECONDS,
    HOLD_STEP_SECONDS,
    REPS_STEP,
    SETS_STEP,
    ItemDose,
    lowered,
)
from backcoach.planning.state import Action, Decision, DoseOverride
from backcoach.safety.stoprules import ACCEPTABLE_PAIN_MAX, SAFE_PAIN_MAX

Rating = Literal["too-easy", "about-right", "too-hard"]
RATINGS: tuple[Rating, ...] = get_args(Rating)
StopKind = Literal["flag", "pain"]
"""``flag``: a warning flag fired (not tolerated). ``pain``: pain above 5/10 or 2+ over the
pain before the session (``backcoach.safety.stoprules.judge``)."""
STOP_KINDS: tuple[StopKind, ...] = get_args(StopKind)

EASY_SESSIONS_TO_PROGRESS = 2
"""Sessions running rated too easy, at the same dose, before the dose goes up (issue 4)."""

PAIN_STOPS_TO_DROP = 2
"""A pain stop makes an exercise lighter; this many pain stops drop it (safety issue)."""

HOLD_TOLERANCE_SECONDS = 1.0
"""A hold or duration within this of the plan counts as done (timer and rounding slack)."""

BUILDING_WEEKS = 3
"""Pain 3-5/10 is acceptable only if it "does not build week on week" (Silbernagel 2007, Am J
Sports Med 35:897, as CLINICAL.md section 3 extrapolates it). We read "builds" as the week's
highest pain with the exercise rising in each of this many calendar weeks running (e.g. 3, 4, 5),
the last of them above the safe band; a single higher week is ordinary variation."""

GRADED_STEP_DAYS = 14
"""Graded activity (Lindström 1992, Phys Ther 72:279; Macedo 2010, Phys Ther 90:860; CLINICAL.md
section 3): quotas rise on a pre-set, time-contingent schedule in small steps while pain stays
acceptable. A dose done for this many days (first to latest session at it), rated about right,
moves up one step: "about two weeks" as CLINICAL.md reads those trials."""

GRADED_MIN_SESSIONS = 3
"""Sessions at the dose, within ``GRADED_STEP_DAYS``, before a graded step: a dose done once or
twice in two weeks has not been tried enough to raise (a product choice, uncertain)."""

GRADED_MAX_GAP_DAYS = 7
"""A break longer than this between two sessions at the dose starts the graded schedule again:
time away is not time the back got used to the dose (a product choice, uncertain)."""

PROGRESS_STARTS_AT: Literal["min", "default"] = "min"
"""A harder neighbour starts at the bottom of its range: a new, harder movement is begun
gently. An easier neighbour (after pain) starts at its catalogue default."""


@dataclass(frozen=True)
class DoseValues:
    """A resolved dose: every quantity the exercise uses has a value."""

    sets: int
    reps: int | None = None
    hold_seconds: int = 0
    duration_seconds: int | None = None

    def __post_init__(self) -> None:
        if self.sets < 1:
            raise ValueError(f"a dose needs at least 1 set (got sets={self.sets})")
        if (self.reps is None) == (self.duration_seconds is None):
            raise ValueError("a dose has either 'reps' (counted) or 'duration_seconds', not both")
        if self.hold_seconds < 0:
            raise ValueError(f"'hold_seconds' cannot be negative (got {self.hold_seconds})")

    def override(self) -> DoseOverride:
        return DoseOverride(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds if self.reps is not None else None,
            duration_seconds=self.duration_seconds,
        )


@dataclass(frozen=True)
class Done:
    """What was done: sets completed, the fewest reps and the shortest hold in any set."""

    sets: int
    reps: int | None = None
    hold_seconds: float = 0
    duration_seconds: float | None = None


@dataclass(frozen=True)
class ExerciseLog:
    """One exercise in one session, as progression reads it."""

    date: dt.date
    exercise_id: str
    planned: DoseValues
    done: Done
    rating: Rating | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    stop: StopKind | None = None
    stop_reasons: tuple[str, ...] = ()
    """The stop rule's reasons, e.g. ``("sharp or shooting pain",)``; quoted to the person."""
    next_day_settled: bool | None = None
    """Had the pain settled by the next morning? ``None`` until the person answers."""
    pain_before: int | None = None
    """The pain just before the exercise began (the last reading before it in the session:
    the pain before the session, or after the exercise before). ``None`` when not known."""

    def __post_init__(self) -> None:
        for name in ("pain_during", "pain_after", "pain_before"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10:
                raise ValueError(f"'{name}' must be 0-10 (got {value})")
        if self.rating is not None and self.rating not in RATINGS:
            raise ValueError(f"'rating' must be one of {', '.join(RATINGS)} (got {self.rating!r})")
        if self.stop is not None and self.stop not in STOP_KINDS:
            raise ValueError(f"'stop' must be one of {', '.join(STOP_KINDS)} (got {self.stop!r})")

    @property
    def pain(self) -> int | None:
        """The pain this exercise is answerable for: the higher of pain during and after, when
        it rose above the pain just before the exercise (``pain_before``); ``None`` when neither
        was reported, or the pain was already there (3/10 before and 3/10 after is not pain the
        exercise caused)."""
        scores = [p for p in (self.pain_during, self.pain_after) if p is not None]
        if not scores:
            return None
        if self.pain_before is not None and max(scores) <= self.pain_before:
            return None
        return max(scores)

    @property
    def completed(self) -> bool:
        """True when at least the planned dose was done."""
        p, d = self.planned, self.done
        if d.sets < p.sets:
            return False
        if p.reps is not None and (d.reps is None or d.reps < p.reps):
            return False
        if d.hold_seconds < p.hold_seconds - HOLD_TOLERANCE_SECONDS:
            return False
        return p.duration_seconds is None or (
            d.duration_seconds is not None
            and d.duration_seconds >= p.duration_seconds - HOLD_TOLERANCE_SECONDS
        )


# --- dose arithmetic ------------------------------------------------------------------------


def dose_at(exercise: Exercise, which: Literal["min", "default", "max"]) -> DoseValues:
    """The catalogue's dose with every range at its ``min``, ``default`` or ``max``."""
    d = exercise.dose
    return DoseValues(
        sets=getattr(d.sets, which),
        reps=getattr(d.reps, which) if d.reps else None,
        hold_seconds=getattr(d.hold_seconds, which) if d.hold_seconds else 0,
        duration_seconds=getattr(d.duration_seconds, which) if d.duration_seconds else None,
    )


def step_up(exercise: Exercise, dose: DoseValues) -> DoseValues | None:
    """One step more: reps, then hold, then sets (continuous: time, then sets), each within
    the catalogue maximum. ``None`` when every range is at its maximum."""
    d = exercise.dose
    if d.reps is not None and dose.reps is not None and dose.reps < d.reps.max:
        return replace(dose, reps=min(dose.reps + REPS_STEP, d.reps.max))
    if d.hold_seconds is not None and dose.hold_seconds < d.hold_seconds.max:
        return replace(
            dose, hold_seconds=min(dose.hold_seconds + HOLD_STEP_SECONDS, d.hold_seconds.max)
        )
    if (
        d.duration_seconds is not None
        and dose.duration_seconds is not None
        and dose.duration_seconds < d.duration_seconds.max
    ):
        longer = min(dose.duration_seconds + DURATION_STEP_SECONDS, d.duration_seconds.max)
        return replace(dose, duration_seconds=longer)
    if dose.sets < d.sets.max:
        return replace(dose, sets=min(dose.sets + SETS_STEP, d.sets.max))
    return None


def step_down(exercise: Exercise, dose: DoseValues) -> DoseValues | None:
    """One step less, exactly as the planner lowers a dose (``backcoach.planning.dose.lowered``:
    sets, then reps, then hold, then time). ``None`` when every range is at its minimum."""
    d = exercise.dose
    item = ItemDose(
        sets=dose.sets,
        reps=dose.reps,
        hold_seconds=dose.hold_seconds,
        duration_seconds=dose.duration_seconds,
        rest_seconds=d.rest_seconds,
        per_side=d.per_side,
        movement_seconds=d.movement_seconds,
    )
    lower = lowered(exercise, item)
    result = DoseValues(lower.sets, lower.reps, lower.hold_seconds, lower.duration_seconds)
    return None if result == dose else result


def describe(exercise: Exercise, dose: DoseValues) -> str:
    """``2 sets of 8 reps, hold 5 s each`` (the catalogue's wording, without rests)."""
    text = dose_text(
        exercise.dose,
        sets=dose.sets,
        reps=dose.reps,
        hold=dose.hold_seconds,
        duration=dose.duration_seconds,
    )
    return text.split(";")[0]


def change_text(before: DoseValues, after: DoseValues) -> str:
    """What changed, e.g. ``8 reps instead of 6``."""
    parts: list[str] = []
    if after.reps != before.reps and after.reps is not None and before.reps is not None:
        parts.append(f"{plural(after.reps, 'rep')} instead of {before.reps}")
    if after.hold_seconds != before.hold_seconds:
        parts.append(
            f"a {seconds_text(after.hold_seconds)} hold "
            f"instead of {seconds_text(before.hold_seconds)}"
        )
    if after.duration_seconds != before.duration_seconds:
        parts.append(
            f"{seconds_text(after.duration_seconds or 0)} instead of "
            f"{seconds_text(before.duration_seconds or 0)}"
        )
    if after.sets != before.sets:
        parts.append(f"{plural(after.sets, 'set')} instead of {before.sets}")
    return ", ".join(parts) or "no change"


# --- the decision ---------------------------------------------------------------------------


def decide(
    exercise: Exercise,
    history: Sequence[ExerciseLog],
    exercises: Mapping[str, Exercise],
    today: dt.date,
    *,
    current: DoseValues | None = None,
    in_flare_up: bool = False,
) -> Decision:
    """The next dose of ``exercise`` after its latest session.

    ``history``: this exercise's logs (any order; sorted by date here), since it was last
    restored, so a restored exercise starts with no stops counted against it.
    ``exercises``: the exercises the person may do now (the catalogue after their safety
    restrictions, without dropped ones). A neighbour not in it is never moved to.
    ``current``: the dose now; by default the dose planned in the latest log, which is what the
    person actually did (after any lowering for a flare-up or time fitting).
    """
    logs = sorted(history, key=lambda log: log.date)
    if not logs:
        raise ValueError(f"no logs for '{exercise.id}': decide needs at least one session")
    strangers = {log.exercise_id for log in logs} - {exercise.id}
    if strangers:
        raise ValueError(
            f"logs for {', '.join(sorted(strangers))} were passed to decide for "
            f"'{exercise.id}'; pass only this exercise's logs"
        )
    last = logs[-1]
    dose = current if current is not None else last.planned
    rules = _Rules(exercise, dose, exercises, today)
    name = exercise.name

    if last.stop == "flag":
        why = " and ".join(last.stop_reasons) or "a warning sign"
        return rules.decision(
            "drop",
            f"{name} was stopped because of {why}, so it is marked as not suiting you and left "
            "out of your plan. It comes back only if you, or a clinician, bring it back.",
        )
    if last.stop == "pain":
        stops = [log for log in logs if log.stop == "pain"]
        if len(stops) >= PAIN_STOPS_TO_DROP:
            dates = ", ".join(str(log.date) for log in stops)
            return rules.decision(
                "drop",
                f"{name} had to be stopped for pain {len(stops)} times ({dates}), so it is left "
                "out of your plan. You, or a clinician, can bring it back later.",
            )
        why = f"({'; '.join(last.stop_reasons)})" if last.stop_reasons else "for pain"
        return rules.less(
            f"{name} was stopped {why}",
            " If it has to be stopped for pain again, it will be left out.",
        )
    if last.rating == "too-hard":
        return rules.less(f"{name} felt too hard")
    pain = last.pain
    if pain is not None and pain > ACCEPTABLE_PAIN_MAX:
        return rules.less(
            f"{name} hurt {pain}/10, more than the {ACCEPTABLE_PAIN_MAX}/10 we aim to stay within"
        )
    if pain is not None and pain > SAFE_PAIN_MAX:
        building = _weekly_build(logs)
        if building:
            scores = ", ".join(f"{p}" for p in building)
            return rules.less(
                f"Pain with {name} has built up week on week ({scores}/10 over the last "
                f"{len(building)} weeks), even though it settles each time"
            )
        if last.next_day_settled is False:
            return rules.less(f"{name} hurt {pain}/10 and it had not settled by the next day")
        if not last.next_day_settled:
            return rules.same(
                f"{name} hurt {pain}/10, which is fine if it settles by tomorrow; until you tell "
                "us, nothing changes"
            )
        # Pain 3-5 that settled by the next morning is within the acceptable band: it does
        # not stop the graded schedule (CLINICAL.md section 3).
    settled_note = (
        f"{name} hurt {pain}/10 but it settled by the next day"
        if pain is not None and pain > SAFE_PAIN_MAX
        else None
    )
    if not last.completed:
        return rules.same(f"You did less of {name} than planned")
    if _easy_twice(logs):
        if in_flare_up:
            return rules.same(f"{name} felt easy, but nothing goes up during a flare-up")
        return rules.more(f"{name} felt easy twice in a row with little pain")
    run = graded_run(logs)
    if run is not None and _graded_due(run):
        days = (run[-1].date - run[0].date).days
        done = f"You have done {name} at this dose for {days} days ({len(run)} sessions)"
        if in_flare_up:
            return rules.same(f"{done}, but nothing goes up during a flare-up")
        return rules.graded(
            f"{done}; it felt about right and the pain stayed at {ACCEPTABLE_PAIN_MAX}/10 or "
            "less and settled, so, as planned, it goes up one small step"
        )
    due = ""
    if run is not None and not in_flare_up:
        due = (
            f" If it keeps feeling like this, with pain at {ACCEPTABLE_PAIN_MAX}/10 or less, it "
            f"goes up one small step from about {graded_due_on(run):%d %B}."
        )
    if settled_note is not None:
        return rules.same(settled_note, due)
    if last.rating == "too-easy":
        return rules.same(f"{name} felt easy; one more easy session and it goes up")
    if last.rating == "about-right":
        return rules.same(f"{name} felt about right", due)
    return rules.same(f"There was no rating for {name}", due)


def graded_run(logs: Sequence[ExerciseLog]) -> list[ExerciseLog] | None:
    """The latest sessions at the current dose, oldest first, if each of them keeps the graded
    schedule going: done in full, without a stop, rated about right or too easy (or not rated),
    pain within the acceptable band and not left unsettled next morning, no break longer than
    ``GRADED_MAX_GAP_DAYS``; and at least one was rated. None when the latest breaks it."""
    if not logs:
        return None
    run: list[ExerciseLog] = []
    for at in range(len(logs) - 1, -1, -1):
        log = logs[at]
        if log.planned != logs[-1].planned:
            break
        if run and (run[-1].date - log.date).days > GRADED_MAX_GAP_DAYS:
            break
        # Pain building week on week as of this session pauses the schedule, even where the
        # dose could not be lowered: it starts again after it.
        if not _keeps_schedule(log) or _weekly_build(logs[: at + 1]):
            if not run:
                return None
            break
        run.append(log)
    run.reverse()
    if not any(log.rating is not None for log in run):
        return None
    return run


def _keeps_schedule(log: ExerciseLog) -> bool:
    pain = log.pain
    return (
        log.stop is None
        and log.completed
        and log.rating in (None, "about-right", "too-easy")
        and (pain is None or pain <= ACCEPTABLE_PAIN_MAX)
        and log.next_day_settled is not False
    )


def graded_due_on(run: Sequence[ExerciseLog]) -> dt.date:
    """The day the graded step is due for a run that keeps going."""
    return run[0].date + dt.timedelta(days=GRADED_STEP_DAYS)


def _graded_due(run: Sequence[ExerciseLog]) -> bool:
    return (
        len(run) >= GRADED_MIN_SESSIONS
        and (run[-1].date - run[0].date).days >= GRADED_STEP_DAYS
        and all(log.rating is not None for log in run[-1:])
    )


def _weekly_build(logs: Sequence[ExerciseLog]) -> list[int]:
    """The weekly peak pains of the last ``BUILDING_WEEKS`` calendar weeks when each is higher
    than the week before (weeks running, none missing); otherwise an empty list."""
    peaks: dict[tuple[int, int], int] = {}
    for log in logs:
        if log.pain is not None:
            week = log.date.isocalendar()[:2]
            peaks[week] = max(peaks.get(week, 0), log.pain)
    if not logs or logs[-1].pain is None:
        return []
    monday = logs[-1].date - dt.timedelta(days=logs[-1].date.weekday())
    weeks = [
        (monday - dt.timedelta(weeks=back)).isocalendar()[:2]
        for back in range(BUILDING_WEEKS - 1, -1, -1)
    ]
    if any(week not in peaks for week in weeks):
        return []
    values = [peaks[week] for week in weeks]
    rising = all(later > earlier for earlier, later in pairwise(values))
    return values if rising else []


def _easy_twice(logs: Sequence[ExerciseLog]) -> bool:
    """The last sessions with the exercise were all rated too easy, at the same planned dose,
    done in full, without a stop and with pain 0-2 (or none reported)."""
    recent = logs[-EASY_SESSIONS_TO_PROGRESS:]
    if len(recent) < EASY_SESSIONS_TO_PROGRESS:
        return False
    return all(
        log.rating == "too-easy"
        and log.stop is None
        and log.completed
        and (log.pain is None or log.pain <= SAFE_PAIN_MAX)
        and log.planned == recent[-1].planned
        for log in recent
    )


@dataclass(frozen=True)
class _Rules:
    """Builds decisions for one exercise, with the dose wording filled in."""

    exercise: Exercise
    dose: DoseValues
    exercises: Mapping[str, Exercise]
    today: dt.date

    def decision(
        self,
        action: Action,
        reason: str,
        dose: DoseValues | None = None,
        replacement: str | None = None,
    ) -> Decision:
        return Decision(
            decided_on=self.today,
            exercise_id=self.exercise.id,
            action=action,
            dose=dose.override() if dose is not None else DoseOverride(),
            replacement=replacement,
            reason=reason,
        )

    def same(self, why: str, extra: str = "") -> Decision:
        text = describe(self.exercise, self.dose)
        return self.decision("same", f"{why}, so the dose stays: {text}.{extra}", self.dose)

    def less(self, why: str, extra: str = "") -> Decision:
        lower = step_down(self.exercise, self.dose)
        if lower is not None:
            change = change_text(self.dose, lower)
            return self.decision(
                "less", f"{why}, so next time it is lighter: {change}.{extra}", lower
            )
        easier = self._neighbour(self.exercise.regression)
        if easier is not None:
            start = dose_at(easier, "default")
            return self.decision(
                "regress-to",
                f"{why} at its lightest dose, so next time you do the easier {easier.name} "
                f"instead ({describe(easier, start)}).",
                start,
                easier.id,
            )
        return self.same(f"{why}; it is already at its lightest dose with no easier version", extra)

    def graded(self, why: str) -> Decision:
        """One step up on the graded schedule; never to a harder exercise (that waits for "too
        easy", rule 8)."""
        higher = step_up(self.exercise, self.dose)
        if higher is None:
            return self.same(
                f"{why}, but it is already at its top dose; it moves on to a harder version "
                "once it feels too easy"
            )
        change = change_text(self.dose, higher)
        return self.decision("more", f"{why}: next time {change}.", higher)

    def more(self, why: str) -> Decision:
        higher = step_up(self.exercise, self.dose)
        if higher is not None:
            change = change_text(self.dose, higher)
            return self.decision("more", f"{why}, so next time: {change}.", higher)
        harder = self._neighbour(self.exercise.progression)
        if harder is not None:
            start = dose_at(harder, PROGRESS_STARTS_AT)
            return self.decision(
                "progress-to",
                f"{why} at its top dose, so next time you move on to {harder.name}, starting "
                f"gently ({describe(harder, start)}).",
                start,
                harder.id,
            )
        if self.exercise.progression is not None:
            return self.same(
                f"{why} at its top dose; its harder version ({self.exercise.progression}) is not "
                "in your plan"
            )
        return self.same(f"{why} at its top dose, and there is no harder version")

    def _neighbour(self, exercise_id: str | None) -> Exercise | None:
        return self.exercises.get(exercise_id) if exercise_id is not None else None
