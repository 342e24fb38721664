"""Temporary: the old ``Coach`` object, now a thin adapter over the contexts and services.

Removed when web/live.py, web/api_sessions.py, services/sessions.py and the CLI player
(cli/start_cmd.py) are moved over to ``backcoach.app`` (AppContext, PersonContext) and
the service functions; nothing else uses it. Every method forwards to the service it names.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any

from backcoach.app.context import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.errors import BackcoachError, PlanRefused, ProfileUnreadable
from backcoach.services import plans, profiles, screening
from backcoach.services.progression import program_state

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue, Exercise
    from backcoach.planning.plan import Plan
    from backcoach.planning.profile import Profile
    from backcoach.planning.state import ProgramState
    from backcoach.records.store import Store
    from backcoach.records.tables import ScreenRow
    from backcoach.safety.gate import GateResult
    from backcoach.safety.screen import ScreenResult

CoachError = BackcoachError
"""Temporary: the old name of ``backcoach.errors.BackcoachError``."""

__all__ = ["Coach", "CoachError", "PlanRefused", "ProfileUnreadable"]


class Coach:
    """Temporary adapter: one person's context with the old method names."""

    def __init__(self, settings: Settings, app: AppContext | None = None) -> None:
        self.app = app or AppContext(settings)
        self.settings = self.app.settings
        self.person: PersonContext = self.app.person()

    @cached_property
    def store(self) -> Store:
        """The person context's store."""
        return self.person.store

    def today(self) -> dt.date:
        return self.person.today()

    @property
    def catalogue(self) -> Catalogue:
        return self.app.catalogue

    def exercise(self, exercise_id: str) -> Exercise:
        return self.catalogue.get(exercise_id)

    def profile(self) -> Profile:
        return profiles.load_profile(self.store)

    def has_profile(self) -> bool:
        return profiles.has_profile(self.store)

    def update_profile(self, **changes: Any) -> Profile:
        return profiles.update_profile(self.store, **changes)

    def take_screen(self, answers: dict[str, Any], *, save: bool = True) -> ScreenResult:
        if not save:
            return screening.judge_screen(answers)
        return screening.take_screen(self.store, self.today(), answers)

    def current_screen(self) -> ScreenRow | None:
        return self.store.current_screen()

    def gate(self) -> GateResult:
        return screening.gate(self.store, self.today())

    def program_state(self) -> ProgramState:
        return program_state(self.store, self.today())

    def plan(self, date: dt.date | None = None, minutes: int | None = None) -> Plan:
        return plans.todays_plan(self.store, self.catalogue, self.today(), date, minutes)
