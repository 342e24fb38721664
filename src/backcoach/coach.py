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
from backcoach.catalogue.loader import builtin_dir
from backcoach.config import Settings
from backcoach.errors import describe_validation
from backcoach.planning.profile import Profile

if TYPE_CHECKING:
    from backcoach.records.store import Store


class CoachError(Exception):
    """A problem the person can fix; the message says how."""


class Coach:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        """The person's records; opened (and migrated) on first use only."""
        from backcoach.records.db import open_database
        from backcoach.records.store import Store

        return Store(open_database(self.settings.database_url))

    def today(self) -> dt.date:
        return self.settings.today()

    # --- profile ----------------------------------------------------------------------------

    def profile(self) -> Profile:
        """The saved profile, or the defaults when none was saved yet."""
        data = self.store.load_profile()
        return Profile.model_validate(data) if data else Profile()

    def has_profile(self) -> bool:
        return self.store.load_profile() is not None

    def update_profile(self, **changes: Any) -> Profile:
        """Apply changes to the saved profile; nothing is saved unless all of it is valid."""
        current = self.profile().model_dump(mode="json")
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
        return load_default(self.settings.exercises_dir, cache_file=cache_file)

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
        extra = self.settings.exercises_dir if folder is None else folder
        return load_catalogue([(builtin_dir(), True), (extra, False)])
