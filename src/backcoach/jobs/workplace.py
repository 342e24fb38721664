"""What a job may use, made once per process: the settings, the database and the catalogue.
Never a context object: the web app, the CLI and `backcoach worker` each build one from their
own pieces (``for_worker`` for a process of its own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backcoach.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store


@dataclass(frozen=True)
class Workplace:
    settings: Settings
    database: sessionmaker[Session]
    """The app's (migrated) database; a job opens its sessions through ``store``."""
    catalogue: Callable[[], Catalogue]
    """The exercises (built-in and the user's own), loaded on first use."""

    @classmethod
    def for_worker(cls, settings: Settings) -> Workplace:
        """A workplace for a process of its own (`backcoach worker`): the database opened
        (and migrated) now, the catalogue on the first job that needs it."""
        from functools import cache

        from backcoach.records.db import open_database
        from backcoach.services.library import load_user_catalogue

        @cache
        def catalogue() -> Catalogue:
            return load_user_catalogue(settings.home, settings.exercises_dir)[0]

        return cls(settings, open_database(settings.database_url), catalogue)

    def store(self, person_id: int) -> Store:
        """The records of one person, the only way a job reaches personal rows."""
        from backcoach.records.store import Store, utcnow

        return Store(
            self.database, clock=pretend_clock(self.settings) or utcnow, person_id=person_id
        )


def pretend_clock(settings: Settings) -> Callable[[], dt.datetime] | None:
    """A clock on the pretend day (BACKCOACH_TODAY), as the service layer's store has."""
    override = settings.today_override
    if override is None:
        return None

    def pretend_now() -> dt.datetime:
        local = dt.datetime.now().astimezone()
        return dt.datetime.combine(override, local.timetz()).astimezone(dt.UTC)

    return pretend_now
