"""Where backcoach keeps its data, read from an environment mapping passed in.

Tests hand in a dict; the CLI hands in ``os.environ``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """A setting in the environment is not usable; the message names the variable, the value
    and the fix (the CLI prints it, never a traceback)."""


HOME_VARIABLE = "BACKCOACH_HOME"
DATABASE_VARIABLE = "BACKCOACH_DATABASE_URL"
TODAY_VARIABLE = "BACKCOACH_TODAY"
"""Pretend today is this date (YYYY-MM-DD): for tests, demos and replaying weeks of records."""
IMPORT_MAX_MB_VARIABLE = "BACKCOACH_IMPORT_MAX_MB"
"""The largest export file `backcoach import` (and the web import) reads, in MB."""
DEFAULT_IMPORT_MAX_MB = 20
"""A session exports to 10-30 KB, so a year of daily sessions is roughly 5 to 10 MB: 20 MB
leaves room for years while bounding the memory an import can take (a larger file is refused
before it is read)."""
MB = 1024 * 1024
TRUSTED_PROXIES_VARIABLE = "BACKCOACH_TRUSTED_PROXIES"
"""Clinic mode: the addresses (or networks) of the TLS reverse proxy, comma-separated. Only a
connection from one of them may say who the client is (``X-Forwarded-For``); rate limits and
the audit log use that address. Default: the proxy runs on the same machine."""
DEFAULT_TRUSTED_PROXIES = "127.0.0.1,::1"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    today_override: dt.date | None = None
    import_max_mb: str = ""
    """BACKCOACH_IMPORT_MAX_MB as given (empty: the default). Checked by ``import_max_bytes``
    when an import runs, so a mistyped value stops only the import, with a message."""

    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    @property
    def exercises_dir(self) -> Path:
        """The user's own exercise files: ``$BACKCOACH_HOME/exercises/*.yaml``."""
        return self.home / "exercises"

    def import_max_bytes(self) -> int:
        """The largest file import reads, in bytes; ValueError naming the variable and the fix
        when BACKCOACH_IMPORT_MAX_MB is not a positive whole number of MB."""
        raw = self.import_max_mb.strip()
        if not raw:
            return DEFAULT_IMPORT_MAX_MB * MB
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise SettingsError(
                f"{IMPORT_MAX_MB_VARIABLE}={raw!r} is not a whole number of MB; write e.g. "
                f"{IMPORT_MAX_MB_VARIABLE}=50, or unset it for the default "
                f"({DEFAULT_IMPORT_MAX_MB} MB)"
            )
        return int(raw) * MB

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def may_hold_records(self) -> bool:
        """False only when the personal SQLite file does not exist yet: nothing saved, so a
        command that merely reads records can say so without opening (and so creating) the
        database, and without importing SQLAlchemy. A server database may always hold some."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return True
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        return path in ("", ":memory:") or Path(path).exists()

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
            raise SettingsError(
                f"{TODAY_VARIABLE}={raw_today!r} is not a date; write it as YYYY-MM-DD or unset it"
            ) from None
        return cls(
            home=home,
            database_url=url,
            today_override=today,
            import_max_mb=env.get(IMPORT_MAX_MB_VARIABLE, ""),
        )


def trusted_proxies(environ: Mapping[str, str] | None = None) -> str:
    """BACKCOACH_TRUSTED_PROXIES checked and normalised (``a,b``, uvicorn's
    ``forwarded_allow_ips``); ValueError naming the variable, the value and the fix. ``*``
    is refused: it would let any client choose the address its rate limit counts against."""
    import ipaddress

    env = os.environ if environ is None else environ
    raw = env.get(TRUSTED_PROXIES_VARIABLE, "").strip() or DEFAULT_TRUSTED_PROXIES
    entries = [part.strip() for part in raw.split(",") if part.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                f"{TRUSTED_PROXIES_VARIABLE}={raw!r}: {entry!r} is not an IP address or network;"
                " give the reverse proxy's address, e.g. 127.0.0.1 or 10.0.0.5 (several: "
                "comma-separated), or unset it for the proxy on this machine"
            ) from None
    return ",".join(entries)
