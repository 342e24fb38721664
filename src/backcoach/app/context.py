"""The application context (one per process) and the person context (one per command or
request).

Nothing here is logic: the contexts hold what the services are handed. The catalogue and the
database are opened on first use only, so a command that needs neither (``exercises list``)
never loads SQLAlchemy or the exercise models.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from backcoach.config import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

    from backcoach.catalogue import Catalogue, Problem
    from backcoach.jobs.queue import JobQueue
    from backcoach.records.store import Store


class AppContext:
    """What one process shares: settings, the catalogue, the database and the job queue."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()

    @classmethod
    def from_environ(cls) -> AppContext:
        return cls(Settings.from_environ())

    # --- catalogue ------------------------------------------------------------------------

    @property
    def _loaded(self) -> tuple[Catalogue, list[Problem]]:
        loaded: tuple[Catalogue, list[Problem]] | None = self.__dict__.get("_catalogue")
        if loaded is None:
            from backcoach.services.library import load_user_catalogue

            with self._lock:  # requests in the web thread pool may ask at once: load once
                loaded = self.__dict__.get("_catalogue")
                if loaded is None:
                    loaded = load_user_catalogue(self.settings.home, self.settings.exercises_dir)
                    self.__dict__["_catalogue"] = loaded
        return loaded

    @property
    def catalogue(self) -> Catalogue:
        """Built-in exercises and the user's valid own ones (broken files are left out)."""
        return self._loaded[0]

    @property
    def catalogue_problems(self) -> list[Problem]:
        """Why each of the user's own files that was left out was left out."""
        return self._loaded[1]

    def check_catalogue(self, folder: Path | None = None) -> tuple[Catalogue, list[Problem]]:
        """Validate the built-ins with the user's files, or with ``folder`` instead."""
        from backcoach.services.library import check_catalogue

        return check_catalogue(self.settings.exercises_dir if folder is None else folder)

    # --- database -------------------------------------------------------------------------

    @property
    def database(self) -> sessionmaker[Session]:
        """The session factory of the app's database, opened and migrated once per process;
        every person's store shares it (one engine and pool)."""
        factory: sessionmaker[Session] | None = self.__dict__.get("_database")
        if factory is None:
            # Imported here: SQLAlchemy and Alembic cost start-up time a command may not need.
            from backcoach.records.db import open_database

            with self._lock:
                factory = self.__dict__.get("_database")
                if factory is None:
                    factory = open_database(self.settings.database_url)
                    self.__dict__["_database"] = factory
        return factory

    @property
    def jobs(self) -> JobQueue:
        """The job queue (``jobs.queue.queue_for``): in this process on SQLite, procrastinate
        on PostgreSQL; made on first use. ValueError for a bad BACKCOACH_JOBS."""
        queue: JobQueue | None = self.__dict__.get("_jobs")
        if queue is None:
            from backcoach.jobs.queue import queue_for
            from backcoach.jobs.workplace import Workplace

            with self._lock:
                queue = self.__dict__.get("_jobs")
                if queue is None:
                    workplace = Workplace(self.settings, self.database, lambda: self.catalogue)
                    queue = queue_for(workplace)
                    self.__dict__["_jobs"] = queue
        return queue

    # --- people ---------------------------------------------------------------------------

    def person(self, person_id: int | None = None) -> PersonContext:
        """A context for one person (personal mode: its one implicit person)."""
        if person_id is None:
            from backcoach.types import PERSONAL_PERSON_ID

            person_id = PERSONAL_PERSON_ID
        return PersonContext(self, person_id)

    def now(self) -> dt.datetime:
        """The time new records are stamped with: now, or the pretend day
        (``BACKCOACH_TODAY``) at the current local time of day."""
        override = self.settings.today_override
        if override is None:
            return dt.datetime.now(dt.UTC)
        # the pretend day in local time, so that local_day() of what is saved gives it back
        local = dt.datetime.now().astimezone()
        return dt.datetime.combine(override, local.timetz()).astimezone(dt.UTC)


class PersonContext:
    """One person's view for one command or request: their id, a store scoped to them (made
    on first use, sharing the app's database) and the clock."""

    def __init__(self, app: AppContext, person_id: int) -> None:
        self.app = app
        self.person_id = person_id

    @cached_property
    def store(self) -> Store:
        from backcoach.records.store import Store

        return Store(self.app.database, clock=self.clock, person_id=self.person_id)

    def clock(self) -> dt.datetime:
        return self.app.now()

    def today(self) -> dt.date:
        return self.app.settings.today()

    @property
    def settings(self) -> Settings:
        return self.app.settings

    @property
    def catalogue(self) -> Catalogue:
        return self.app.catalogue
