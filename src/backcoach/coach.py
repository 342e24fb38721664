"""The service layer: the one place the CLI and the web app call.

It wires the domain packages to the user's settings and data. Domain errors are raised as
``CoachError`` subclasses with a message a person can act on; only the edges (CLI, web) turn
them into exit codes or HTTP responses.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from backcoach.catalogue import Catalogue, Exercise, Problem, load_catalogue, load_default
from backcoach.catalogue.loader import builtin_dir, yaml_files
from backcoach.config import Settings
from backcoach.errors import describe_validation
from backcoach.planning.profile import Profile

if TYPE_CHECKING:
    from backcoach.planning.plan import Plan
    from backcoach.planning.state import ProgramState
    from backcoach.records.store import Store
    from backcoach.records.tables import ScreenRow
    from backcoach.safety.gate import GateResult
    from backcoach.safety.restrictions import Verdict
    from backcoach.safety.screen import ScreenResult


class CoachError(Exception):
    """A problem the person can fix; the message says how."""


class PlanRefused(CoachError):
    """No plan may be offered (warning signs, no screen, stale screen); the message says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class ProfileUnreadable(CoachError):
    """The saved profile does not validate; no plan is made from it until it is set again."""

    def __init__(self, details: str) -> None:
        super().__init__(
            f"{details}\nYour saved profile cannot be read, so no exercise plan is offered. "
            "Set it again with `backcoach profile set` (or the Settings page); your records "
            "are kept."
        )


class Coach:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        """The person's records; opened (and migrated) on first use only."""
        from backcoach.records.db import open_database
        from backcoach.records.store import Store

        override = self.settings.today_override
        if override is None:
            return Store(open_database(self.settings.database_url))

        def pretend_now() -> dt.datetime:
            # the pretend day in local time, so that local_day() of what is saved gives it back
            local = dt.datetime.now().astimezone()
            return dt.datetime.combine(override, local.timetz()).astimezone(dt.UTC)

        return Store(open_database(self.settings.database_url), clock=pretend_now)

    def today(self) -> dt.date:
        return self.settings.today()

    # --- profile ----------------------------------------------------------------------------

    def profile(self) -> Profile:
        """The saved profile, or the defaults when none was saved yet.

        A saved profile that no longer validates (edited by hand, damaged) is never guessed at:
        it raises ProfileUnreadable naming the field, so nothing is planned from it."""
        data = self.store.load_profile()
        if data is None:
            return Profile()
        try:
            return Profile.model_validate(data)
        except ValidationError as exc:
            raise ProfileUnreadable(describe_validation(exc, "saved profile")) from None

    def has_profile(self) -> bool:
        return self.store.load_profile() is not None

    def update_profile(self, **changes: Any) -> Profile:
        """Apply changes to the saved profile; nothing is saved unless all of it is valid."""
        try:
            current = self.profile().model_dump(mode="json")
        except ProfileUnreadable:
            # Start from what was saved, so the changes can mend the field that is wrong.
            saved = self.store.load_profile()
            current = dict(saved) if isinstance(saved, dict) else {}
        current.update({k: v for k, v in changes.items() if v is not None})
        try:
            profile = Profile.model_validate(current)
        except ValidationError as exc:
            raise CoachError(describe_validation(exc, "profile")) from None
        self.store.save_profile(profile.model_dump(mode="json"))
        return profile

    # --- catalogue --------------------------------------------------------------------------

    @cached_property
    def _loaded(self) -> tuple[Catalogue, list[Problem]]:
        cache_file = self.settings.home / "cache" / "catalogue.json"
        user_dir = self.settings.exercises_dir
        checks = []
        if yaml_files(user_dir):
            # The body model's pose checks; imported only when there are own files to check.
            from backcoach.body.checks import check_exercise
            from backcoach.motion.checks import check_coach

            checks += [check_exercise, check_coach]
        return load_default(user_dir, cache_file=cache_file, user_checks=checks)

    @property
    def catalogue(self) -> Catalogue:
        """Built-in exercises and the user's valid own ones (broken files are left out)."""
        return self._loaded[0]

    @property
    def catalogue_problems(self) -> list[Problem]:
        return self._loaded[1]

    def exercise(self, exercise_id: str) -> Exercise:
        return self.catalogue.get(exercise_id)

    def check_catalogue(self, folder: Path | None = None) -> tuple[Catalogue, list[Problem]]:
        """Validate the built-ins with the user's files, or with ``folder`` instead.

        Checked against the built-ins either way, so a user file that reuses a built-in id or
        links to a missing exercise is caught. Never served from the cache.
        """
        from backcoach.body.checks import check_exercise
        from backcoach.motion.checks import check_coach

        extra = self.settings.exercises_dir if folder is None else folder
        return load_catalogue(
            [(builtin_dir(), True), (extra, False)], extra_checks=[check_exercise, check_coach]
        )

    # --- figures ---------------------------------------------------------------------------
    # Drawn once per exercise definition and options, then kept in memory (body.cache).

    def figure_svg(self, exercise_id: str, title: bool = False) -> str:
        """The still figure of an exercise: its key poses, or a placeholder card."""
        from backcoach.body.cache import still_svg

        return still_svg(self.exercise(exercise_id), title=title)

    def animation_svg(self, exercise_id: str, max_hold: float | None = None) -> str | None:
        """The animated figure at the exercise's tempo; None when it has no key poses."""
        from backcoach.body.cache import moving_svg

        return moving_svg(self.exercise(exercise_id), max_hold=max_hold)

    def contact_sheet_svg(self, exercise_ids: list[str] | None = None) -> str:
        """Every exercise's figure (or the chosen ones) on one sheet."""
        from backcoach.body.cache import sheet_svg

        chosen = (
            list(self.catalogue)
            if exercise_ids is None
            else [self.exercise(i) for i in exercise_ids]
        )
        return sheet_svg(chosen)

    @staticmethod
    def svg_to_png(svg: str, width_px: int | None = None) -> bytes:
        from backcoach.body.cache import png

        return png(svg, width_px)

    # --- safety screen ----------------------------------------------------------------------

    def take_screen(self, answers: dict[str, Any], *, save: bool = True) -> ScreenResult:
        """Judge the answers and, unless ``save`` is false, store them as the current screen."""
        from backcoach.safety.screen import ScreenError, screen

        try:
            result = screen(answers)
        except ScreenError as exc:
            raise CoachError(str(exc)) from None
        if save:
            self.store.add_screen(
                taken_on=self.today(),
                tier=result.tier,
                flags=list(result.flags),
                unanswered=list(result.unanswered),
                answers=dict(result.answers),
                advice=result.advice,
            )
        return result

    def current_screen(self) -> ScreenRow | None:
        return self.store.current_screen()

    def record_clearance(self, cleared_on: dt.date, cleared_by: str | None) -> ScreenRow:
        """Record that a clinician cleared the person after their latest screen."""
        row = self.store.current_screen()
        if row is None:
            raise CoachError("there is no screen to clear yet; run `backcoach screen` first")
        from backcoach.safety.screen import saved_screen_problem

        problem = saved_screen_problem(row.tier, row.flags, row.unanswered, row.answers)
        if problem is not None:
            raise CoachError(
                f"your saved warning-sign check cannot be read safely ({problem}); answer the "
                "questions again (`backcoach screen`) instead of recording a clearance"
            )
        if row.tier in ("emergency", "urgent"):
            raise CoachError(
                f"your latest screen found signs needing {row.tier} care; after you have been "
                "seen, answer the questions again (`backcoach screen`) instead of recording a "
                "clearance"
            )
        if cleared_on < row.taken_on:
            raise CoachError(
                f"the clearance date {cleared_on} is before your screen on {row.taken_on}; "
                "give the date the clinician saw you after the screen"
            )
        if cleared_on > self.today():
            raise CoachError(
                f"the clearance date {cleared_on} is in the future; use today or earlier"
            )
        self.store.record_clearance(row.id, cleared_on, cleared_by)
        updated = self.store.current_screen()
        assert updated is not None
        return updated

    def gate(self) -> GateResult:
        """May a plan be offered today, given the latest screen?"""
        from backcoach.safety.gate import GateResult, invalid_screen, needs_rescreen, plan_gate
        from backcoach.safety.screen import saved_screen_problem

        row = self.store.current_screen()
        if row is None:
            return plan_gate(None, None, None, self.today())
        problem = saved_screen_problem(row.tier, row.flags, row.unanswered, row.answers)
        if problem is not None:
            return invalid_screen(problem)
        if self.store.numbness_reported_since(row.taken_at):
            reason = needs_rescreen(row.taken_on, self.today(), new_symptom_reported=True)
            return GateResult(False, reason or "Please answer the questions again.", "rescreen")
        return plan_gate(row.tier, row.taken_on, row.cleared_on, self.today())

    # --- restrictions and plans -------------------------------------------------------------

    def verdicts(self, profile: Profile | None = None) -> dict[str, Verdict]:
        from backcoach.safety.restrictions import assess_all

        profile = profile or self.profile()
        return assess_all(self.catalogue, profile.conditions, self.today())

    def program_state(self) -> ProgramState:
        from backcoach.services.progression import state

        return state(self)

    def plan(self, date: dt.date | None = None, minutes: int | None = None) -> Plan:
        """Today's plan for the saved profile; refused while the screen does not allow one."""
        gate = self.gate()
        if not gate.allowed:
            raise PlanRefused(gate.reason, gate.code)
        return self._build(self.profile(), date or self.today(), minutes, self.program_state())

    def plan_for_profile(
        self, data: dict[str, Any], date: dt.date | None = None, minutes: int | None = None
    ) -> Plan:
        """A plan from a profile given as data (a clinician's file), touching nothing saved.

        The ``screen`` entry (``{"tier", "taken_on", "cleared_on"}``) is required and obeyed
        like a saved screen: a file that says nothing about warning signs gets no plan, as a
        person who has not answered the questions gets none (fail closed).
        """
        from backcoach.safety.gate import plan_gate

        data = dict(data)
        screen = data.pop("screen", None)
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            raise CoachError(describe_validation(exc, "profile")) from None
        day = date or self.today()
        taken, cleared, tier = _profile_file_screen(screen, day)
        gate = plan_gate(tier, taken, cleared, day)
        if not gate.allowed:
            raise PlanRefused(gate.reason, gate.code)
        return self._build(profile, day, minutes, None)

    def _build(
        self,
        profile: Profile,
        date: dt.date,
        minutes: int | None,
        state: ProgramState | None,
    ) -> Plan:
        from backcoach.planning.planner import build_plan
        from backcoach.planning.profile import MAX_MINUTES, MIN_MINUTES

        if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise CoachError(
                f"minutes: must be from {MIN_MINUTES} to {MAX_MINUTES} (got {minutes}); "
                "choose a session length in that range"
            )
        from backcoach.planning.flare import flare_up_exercise_ids

        def gentle(pool: Any, who: Profile) -> list[str]:
            return flare_up_exercise_ids(pool, who.directional_preference, who.avoid_directions)

        return build_plan(self.catalogue, profile, date, state, minutes, gentle_ids=gentle)

    # --- directional preference ---------------------------------------------------------------

    def start_direction_check(self) -> Any:
        """A new direction check, or CoachError saying why it may not run for this person."""
        from backcoach.planning.direction import DirectionCheck, can_run

        profile = self.profile()
        gate = self.gate()
        screen = self.store.current_screen()
        tier = screen.tier if screen is not None and gate.allowed else None
        if screen is not None and not gate.allowed:
            raise CoachError(gate.reason)
        exercises = self.catalogue.exercises
        ok, reason = can_run(
            tier,  # type: ignore[arg-type]
            profile.conditions,
            self.today(),
            profile.avoid_directions,
            exercises,
        )
        if not ok:
            raise CoachError(reason)
        return DirectionCheck.start(
            profile.conditions, self.today(), profile.avoid_directions, exercises
        )

    def save_direction_result(self, result: Any) -> Profile:
        """Store the check with its date and carry its finding into the profile."""
        self.store.add_direction_check(result.on, result.preference, result.details())
        return self.update_profile(
            directional_preference=result.preference, avoid_directions=list(result.avoid)
        )


SCREEN_ENTRY = '"screen": {"tier": "clear", "taken_on": "YYYY-MM-DD"}'
SCREEN_FIELDS = frozenset({"tier", "taken_on", "cleared_on"})


def _profile_file_screen(screen: object, today: dt.date) -> tuple[dt.date, dt.date | None, str]:
    """A profile file's ``screen`` entry checked exactly: the date it was taken, the clearance
    date if any, and the tier. Anything missing, unknown or malformed is an error naming it."""
    from backcoach.safety.gate import known_tier
    from backcoach.safety.signs import TIER_ORDER

    if screen is None:
        raise PlanRefused(
            "profile: screen: missing; a plan is offered only after the warning-sign check. "
            f"Add the result of the patient's check, e.g. {SCREEN_ENTRY}",
            "no-screen",
        )
    if not isinstance(screen, dict):
        raise CoachError(
            f"profile: screen: must be an object like {{{SCREEN_ENTRY.split(': ', 1)[1]}}} "
            f"(got {screen!r}); give the check's tier and date"
        )
    unknown = sorted(str(k) for k in screen if k not in SCREEN_FIELDS)
    if unknown:
        raise CoachError(
            f"profile: screen: unknown field {', '.join(unknown)}; the fields are "
            "tier, taken_on and cleared_on"
        )
    tier = screen.get("tier")
    if known_tier(tier) is None:
        raise CoachError(
            f"profile: screen.tier: is not one of the allowed values (got {tier!r}); use one "
            f"of {', '.join(reversed(TIER_ORDER))}, written exactly"
        )
    dates: dict[str, dt.date | None] = {}
    for name in ("taken_on", "cleared_on"):
        raw = screen.get(name)
        if raw is None:
            dates[name] = None
            continue
        try:
            if not isinstance(raw, str):
                raise ValueError
            dates[name] = dt.date.fromisoformat(raw)
        except ValueError:
            raise CoachError(
                f"profile: screen.{name}: must be a date written YYYY-MM-DD (got {raw!r}); "
                "fix the date"
            ) from None
    taken = dates["taken_on"]
    if taken is None:
        raise CoachError(
            "profile: screen.taken_on: missing; give the date of the warning-sign check "
            f"(YYYY-MM-DD), e.g. {SCREEN_ENTRY}; today is {today}"
        )
    return taken, dates["cleared_on"], str(tier)
