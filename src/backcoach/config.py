"""Where backcoach keeps its data, read from an environment mapping passed in.

Tests hand in a dict; the CLI hands in ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "BACKCOACH_HOME"
DATABASE_VARIABLE = "BACKCOACH_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str

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
        return cls(home=home, database_url=url)
