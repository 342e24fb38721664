"""Where backcoach keeps its data, read from an environment mapping passed in.

Tests hand in a dict; the CLI hands in ``os.environ``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "BACKCOACH_HOME"
DATABASE_VARIABLE = "BACKCOACH_DATABASE_URL"
TODAY_VARIABLE = "BACKCOACH_TODAY"
"""Pretend today is this date (YYYY-MM-DD): for tests, demos and replaying weeks of records."""


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    today_override: dt.date | None = None

    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    @property
    def exercises_dir(self) -> Path:
        """The user's own exercise files: ``$BACKCOACH_HOME/exercises/*.yaml``."""
        return self.home / "exercises"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw_home = env.get(HOME_VARIABLE, "").strip()
        if raw_home:
            home = Path(raw_home).expanduser()
        else:
            # Imported here: platformdirs is only needed when no home is given.
            from platformdirs import user_data_path

            home = user_data_path("backcoach", appauthor=False)
        url = env.get(DATABASE_VARIABLE, "").strip() or f"sqlite:///{home / 'backcoach.db'}"
        raw_today = env.get(TODAY_VARIABLE, "").strip()
        try:
            today = dt.date.fromisoformat(raw_today) if raw_today else None
        except ValueError:
            raise ValueError(
                f"{TODAY_VARIABLE}={raw_today!r} is not a date; write it as YYYY-MM-DD or unset it"
            ) from None
        return cls(home=home, database_url=url, today_override=today)
