"""The service layer: the one place the CLI and the web app call.

It wires the domain packages to the user's settings and data. Domain errors are raised as
``CoachError`` subclasses with a message a person can act on; only the edges (CLI, web) turn
them into exit codes or HTTP responses.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from backcoach.catalogue import Catalogue, Exercise, Problem, load_catalogue, load_default
from backcoach.catalogue.loader import builtin_dir
from backcoach.config import Settings


class CoachError(Exception):
    """A problem the person can fix; the message says how."""


class Coach:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

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
