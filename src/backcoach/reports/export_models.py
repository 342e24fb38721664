"""The export document as pydantic models: one per table, holding the app's own rules.

Import validates every row with these models, strictly (no ``"5"`` for 5, no ``true`` for 1,
no unknown fields), and ``backcoach export --schema`` prints their JSON Schema. They take
their closed sets and ranges from where the app defines them: the screen's tiers, sign ids and
answers from ``safety``, the profile and the plan (the app's own ``Profile`` and ``Plan``), a
decision's action and dose (``planning.state``), the stop rule's verdicts, the session's sides,
pain moments and ratings. A value the app would never write is refused at the door, so nothing
read back later (the plan gate, progression, reports, pages) meets it.

Values whose allowed set is only implied by the code that writes them (a session's status and
mode, a set's source, an exercise's outcome, the pain moments outside a session) are named
here once; tests/reports/test_import_hardening.py checks each against the constants the app
writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from backcoach.catalogue.model import FeatureName, Slug
from backcoach.clinic.programmes import Programme
from backcoach.planning.direction import LOCATIONS, Location, Preference, Reading, TestDirection
from backcoach.planning.direction import Outcome as TrialOutcome
from backcoach.planning.plan import Plan
from backcoach.planning.profile import Profile
from backcoach.planning.state import Action as DecisionAction
from backcoach.planning.state import Decision, DoseOverride
from backcoach.reports.export import FORMAT, FORMAT_VERSION
from backcoach.safety.screen import Answer
from backcoach.safety.signs import SIGN_IDS, SIGNS_BY_ID, Tier
from backcoach.safety.stoprules import Action as StopAction
from backcoach.safety.stoprules import Band
from backcoach.session.effects import PainWhen, Side
from backcoach.session.events import Rating

AGAIN = "export it again from the backcoach it came from"

# --- ranges ---------------------------------------------------------------------------------

INT4_MAX = 2**31 - 1
"""Whole-number columns are PostgreSQL ``integer`` (4 bytes); ids above this cannot be stored."""

SCALE_MIN = 0
SCALE_MAX = 10
"""Pain and activity ratings are on the 0-10 numeric rating scale (backcoach.types.PainScore;
CLINICAL.md section 6): the stop rules, flare-up detection and the outcome scores all read it."""

MAX_PLAN_ITEMS = 100
"""More exercises than any plan holds: a 45-minute plan has about a dozen."""

MAX_SETS = 100
MAX_REPS = 1_000
"""Far beyond any dose in the catalogue (sets and reps in single or low double figures); a
larger figure was not counted by backcoach and would make a resumed session endless."""

MAX_SECONDS = 86_400
"""No hold, set, rest or plan lasts a day; longer figures are damage, not records."""

MAX_TEXT = 20_000
"""Advice, reasons and cues are sentences; this bounds what one field can hold."""

EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2999, 12, 31)
"""Nothing backcoach records happened before 1970 or after 2999. Dates outside are real on a
calendar but break the arithmetic done with them (a local day, a screen's age)."""

# --- closed sets the code only implies --------------------------------------------------------

SessionStatus = Literal["in-progress", "finished", "stopped"]
"""records.store starts sessions in-progress; services.sessions.END_STATUS ends them."""
SessionMode = Literal["terminal", "auto", "web", "coach"]
"""Who ran it: the terminal player, `start --auto`, the browser, the camera coach."""
SetSide = Literal["both", Side]
"""A set of a one-sided exercise names its side; every other set is "both"."""
SetSource = Literal["timer", "camera"]
"""Counted by the guided player's timer, or by the camera coach (services.coaching)."""
ExerciseOutcome = Literal["finished", "skipped", "stopped"]
"""How an exercise ended (records.store.save_outcome)."""
PainMoment = Literal[PainWhen, "next-day", "daily", "worst-24h"]
"""The session's own check-ins (session.effects.PainWhen), the morning-after answer
(services.progression.NEXT_DAY) and the check-ins outside a session
(records.outcomes_store.PAIN_NOW, WORST_24H)."""


# --- value types ----------------------------------------------------------------------------


def problem(what: str, fix: str, at: str = "", **got: Any) -> PydanticCustomError:
    """A fault found by our own checks: ``at`` is a path below the field (``items[0].sets``),
    ``got`` the bad value when there is one. importing.describe turns it into a sentence."""
    return PydanticCustomError("backcoach", "{what}", {"what": what, "fix": fix, "at": at, **got})


def _in_years(day: dt.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise problem(
            f"is outside the dates backcoach keeps ({EARLIEST} to {LATEST})",
            "check the date",
            got=day.isoformat(),
        )


def _utc(moment: dt.datetime) -> dt.datetime:
    """A moment with its offset kept as the same instant in UTC; no offset means UTC."""
    _in_years(moment.date())
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC)


def _day(day: dt.date) -> dt.date:
    _in_years(day)
    return day


def _storable(text: str) -> str:
    if "\x00" in text:
        raise problem("holds a NUL character (\\u0000), which cannot be stored", "remove it")
    return text


def _known_sign(sign_id: str) -> str:
    if sign_id not in SIGNS_BY_ID:
        raise problem(
            "is not a warning-sign question this backcoach asks",
            f"use one of {', '.join(SIGN_IDS)}",
            got=sign_id,
        )
    return sign_id


Moment = Annotated[dt.datetime, AfterValidator(_utc)]
Day = Annotated[dt.date, AfterValidator(_day)]
RowId = Annotated[int, Field(ge=1, le=INT4_MAX)]
Index = Annotated[int, Field(ge=0, le=MAX_PLAN_ITEMS - 1)]
Score = Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]
Reps = Annotated[int, Field(ge=0, le=MAX_REPS)]
Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS)]
Words = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_storable)]
SignId = Annotated[
    str, AfterValidator(_known_sign), WithJsonSchema({"type": "string", "enum": list(SIGN_IDS)})
]


_EXERCISE_ID: TypeAdapter[str] = TypeAdapter(Slug)


def _plan_in_bounds(plan: Plan) -> Plan:
    """The app's Plan model gives the types and lower bounds; these are the upper ones, and
    its exercise ids (plain text there) must be ids the catalogue could hold."""
    if len(plan.items) > MAX_PLAN_ITEMS:
        raise problem(f"holds more than {MAX_PLAN_ITEMS} exercises", "remove some", at="items")
    _at_most("total_seconds", plan.total_seconds, MAX_SECONDS)
    named = [(f"items[{i}]", item.exercise_id) for i, item in enumerate(plan.items)]
    named += [(f"left_out[{i}]", left.exercise_id) for i, left in enumerate(plan.left_out)]
    for at, exercise_id in named:
        try:
            _EXERCISE_ID.validate_python(exercise_id)
        except ValidationError:
            raise problem(
                "is not an exercise id (lowercase letters, digits and single hyphens, "
                "e.g. knee-rolls)",
                f"fix the id, or {AGAIN}",
                at=f"{at}.exercise_id",
                got=exercise_id,
            ) from None
    for index, item in enumerate(plan.items):
        for name, top in (
            ("sets", MAX_SETS),
            ("reps", MAX_REPS),
            ("hold_seconds", MAX_SECONDS),
            ("duration_seconds", MAX_SECONDS),
            ("rest_seconds", MAX_SECONDS),
            ("movement_seconds", MAX_SECONDS),
            ("estimated_seconds", MAX_SECONDS),
        ):
            _at_most(f"items[{index}].{name}", getattr(item, name), top)
    return plan


def _dose_in_bounds(dose: DoseOverride) -> DoseOverride:
    for name, top in (
        ("sets", MAX_SETS),
        ("reps", MAX_REPS),
        ("hold_seconds", MAX_SECONDS),
        ("duration_seconds", MAX_SECONDS),
    ):
        _at_most(name, getattr(dose, name), top)
    return dose


def _at_most(at: str, value: float | None, top: float) -> None:
    if value is not None and not 0 <= value <= top:
        what = "must not be negative" if value < 0 else f"must be at most {top:,}"
        raise problem(what, f"fix the value, or {AGAIN}", at=at, got=value)


# --- parts of rows (the JSON fields) ----------------------------------------------------------


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PainReading(_Part):
    location: Location
    pain: Score

    @model_validator(mode="after")
    def _as_the_check_reads_it(self) -> Self:
        try:
            Reading(self.location, self.pain)
        except ValueError as exc:
            raise problem(str(exc), f"locations are {', '.join(LOCATIONS)}") from None
        return self


class DirectionStep(_Part):
    direction: TestDirection
    exercise_id: Slug
    reps: int = Field(ge=1, le=MAX_REPS)
    hold_seconds: int | None = Field(default=None, ge=1, le=int(MAX_SECONDS))
    """Set when the test was one sustained hold (``planning.direction.sustained_hold``): whole
    seconds, as the check asks for them."""
    before: PainReading
    after: PainReading
    outcome: TrialOutcome


class DirectionDetails(_Part):
    """What ``planning.direction.Result.details()`` writes."""

    on: Day
    preference: Preference
    avoid: list[TestDirection]
    reasons: list[Words]
    steps: list[DirectionStep]


class Fault(_Part):
    """A form fault the camera coach saw (services.coaching.log_coached_set)."""

    time: Seconds
    rep: Reps | None
    feature: FeatureName
    cue: Words


class OutcomeDetails(_Part):
    """Why an exercise was stopped (services.sessions.SessionRecorder._stopped); ``{}``
    otherwise. Keys may be left out; when given they hold these types."""

    reasons: list[Words] = Field(default_factory=list)
    not_tolerated: bool = False
    lower_dose_next_time: bool = False
    advice: Words = ""


class PainDecision(_Part):
    """The stop rule's verdict on a check-in during a session (safety.stoprules), or the
    morning-after answer (``settled``); ``{}`` for check-ins outside a session."""

    action: StopAction | None = None
    band: Band | None = None
    not_tolerated: bool = False
    lower_dose_next_time: bool = False
    check_next_day: bool = False
    rescreen: bool = False
    reasons: list[Words] = Field(default_factory=list)
    settled: bool = False


# --- one model per table --------------------------------------------------------------------


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProfileRecord(_Row):
    id: RowId = Field(description="The profile's row; a file holds one profile at most.")
    data: Profile
    updated_at: Moment


class ScreenRecord(_Row):
    id: RowId
    taken_at: Moment
    taken_on: Day
    tier: Tier
    flags: list[SignId]
    unanswered: list[SignId]
    answers: dict[SignId, Answer]
    advice: Words
    cleared_on: Day | None = None
    cleared_by: Annotated[str, Field(max_length=200), AfterValidator(_storable)] | None = None


class DirectionCheckRecord(_Row):
    id: RowId
    taken_at: Moment
    taken_on: Day
    result: Preference
    details: DirectionDetails

    @model_validator(mode="after")
    def _result_is_the_details_preference(self) -> Self:
        if self.details.preference != self.result:
            raise problem(
                f"says {self.result!r} while its details found {self.details.preference!r}",
                "make them the same, or export the file again",
                at="result",
            )
        return self


class PlanRecord(_Row):
    id: RowId
    for_date: Day
    created_at: Moment
    flare_up: bool = False
    data: Annotated[Plan, AfterValidator(_plan_in_bounds)]


class SessionRecord(_Row):
    id: RowId
    plan_id: RowId
    started_at: Moment
    ended_at: Moment | None = None
    status: SessionStatus = "in-progress"
    mode: SessionMode = "terminal"
    pain_before: Score | None = None
    pain_after: Score | None = None
    comment: Words | None = None
    commented_at: Moment | None = None


class SetLogRecord(_Row):
    id: RowId
    session_id: RowId
    item_index: Index
    exercise_id: Slug
    set_number: int = Field(ge=1, le=MAX_SETS)
    side: SetSide = "both"
    target_reps: Reps | None = None
    reps: Reps | None = None
    target_hold_seconds: Seconds | None = None
    hold_seconds: Seconds | None = None
    target_duration_seconds: Seconds | None = None
    duration_seconds: Seconds | None = None
    finished_at: Moment
    source: SetSource = "timer"
    faults: list[Fault] = Field(default_factory=list)
    complete: bool = True


class ExerciseOutcomeRecord(_Row):
    id: RowId
    session_id: RowId
    item_index: Index
    exercise_id: Slug
    outcome: ExerciseOutcome
    rating: Rating | None = None
    details: OutcomeDetails = Field(default_factory=OutcomeDetails)
    recorded_at: Moment


class PainReportRecord(_Row):
    id: RowId
    session_id: RowId | None = None
    item_index: Index | None = None
    exercise_id: Slug | None = None
    moment: PainMoment
    score: Score
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False
    decision: PainDecision = Field(default_factory=PainDecision)
    reported_at: Moment


class ProgressionDecisionRecord(_Row):
    id: RowId
    decided_at: Moment
    session_id: RowId | None = None
    exercise_id: Slug
    action: DecisionAction
    dose: Annotated[DoseOverride, AfterValidator(_dose_in_bounds)] = Field(
        default_factory=DoseOverride
    )
    reason: Words
    decided_on: Day | None = None
    replacement: Slug | None = None
    until: Day | None = None

    @model_validator(mode="after")
    def _a_decision_the_app_reads(self) -> Self:
        """Progression rebuilds every stored decision as ``planning.state.Decision``; one it
        cannot rebuild would stop every plan, so it is refused here."""
        try:
            Decision(
                decided_on=self.decided_on or self.decided_at.date(),
                exercise_id=self.exercise_id,
                action=self.action,
                dose=self.dose,
                replacement=self.replacement,
                until=self.until,
                reason=self.reason,
            )
        except ValidationError as exc:
            what = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise problem(what, "fix the decision, or export the file again") from None
        return self


class ActivityRecord(_Row):
    id: RowId
    name: Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_storable)]
    added_on: Day
    retired_on: Day | None = None
    created_at: Moment


class ActivityRatingRecord(_Row):
    id: RowId
    activity_id: RowId
    rated_on: Day
    score: Score
    rated_at: Moment


Name = Annotated[str, Field(max_length=200), AfterValidator(_storable)]


class ProgrammeVersionRecord(_Row):
    """A version of the programme a clinician assigned (clinic mode; clinic.programmes)."""

    id: RowId
    version: Annotated[int, Field(ge=1, le=INT4_MAX)]
    created_at: Moment
    created_by: Annotated[int, Field(ge=1, le=INT4_MAX)] | None = None
    created_by_name: Name | None = None
    changes: list[Words] = Field(default_factory=list, max_length=200)
    data: Programme


class LessonMarkRecord(_Row):
    """What the person did with one lesson (backcoach.lessons): read, skipped, assigned."""

    id: RowId
    lesson_id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
    read_at: Moment | None = None
    read_on: Day | None = None
    skipped_on: Day | None = None
    assigned_at: Moment | None = None
    assigned_by: Annotated[int, Field(ge=1, le=INT4_MAX)] | None = None
    assigned_by_name: Name | None = None


class ExportTables(BaseModel):
    """Every table, each a list of rows; a table an older file lacks is empty."""

    model_config = ConfigDict(extra="forbid", strict=True)

    profile: list[ProfileRecord] = Field(default_factory=list)
    screens: list[ScreenRecord] = Field(default_factory=list)
    direction_checks: list[DirectionCheckRecord] = Field(default_factory=list)
    plans: list[PlanRecord] = Field(default_factory=list)
    sessions: list[SessionRecord] = Field(default_factory=list)
    set_logs: list[SetLogRecord] = Field(default_factory=list)
    exercise_outcomes: list[ExerciseOutcomeRecord] = Field(default_factory=list)
    pain_reports: list[PainReportRecord] = Field(default_factory=list)
    progression_decisions: list[ProgressionDecisionRecord] = Field(default_factory=list)
    activities: list[ActivityRecord] = Field(default_factory=list)
    activity_ratings: list[ActivityRatingRecord] = Field(default_factory=list)
    programme_versions: list[ProgrammeVersionRecord] = Field(default_factory=list)
    lesson_marks: list[LessonMarkRecord] = Field(default_factory=list)


ROW_MODELS: dict[str, type[BaseModel]] = {
    "profile": ProfileRecord,
    "screens": ScreenRecord,
    "direction_checks": DirectionCheckRecord,
    "plans": PlanRecord,
    "sessions": SessionRecord,
    "set_logs": SetLogRecord,
    "exercise_outcomes": ExerciseOutcomeRecord,
    "pain_reports": PainReportRecord,
    "progression_decisions": ProgressionDecisionRecord,
    "activities": ActivityRecord,
    "activity_ratings": ActivityRatingRecord,
    "programme_versions": ProgrammeVersionRecord,
    "lesson_marks": LessonMarkRecord,
}
"""The model each table's rows are checked with (a test keeps it in step with the tables)."""


class ExportDocument(BaseModel):
    """A `backcoach export` file."""

    model_config = ConfigDict(strict=True)

    format: Literal["backcoach-export"] = Field(description=f"Always {FORMAT!r}.")
    format_version: int = Field(
        ge=1, le=FORMAT_VERSION, description="Changes only when older readers cannot follow."
    )
    schema_revision: str = Field(
        pattern=r"^\d{4}$", description="The database revision the file was made from."
    )
    backcoach_version: str | None = Field(default=None, description="Informational only.")
    exported_at: str | None = Field(default=None, description="Informational only.")
    tables: ExportTables


SCHEMA_ID = "https://backcoach.invalid/schema/export.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema of an export file, generated from the models import checks with."""
    schema = ExportDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "backcoach export"
    schema["description"] = (
        "Everything backcoach recorded about one person (`backcoach export --out FILE.json`), "
        "as `backcoach import` reads it. Moments are ISO 8601 with an offset (read as the "
        "same instant in UTC; none means UTC); dates are YYYY-MM-DD."
    )
    return schema
