"""Temporary: the shape of the old ``Coach`` object, for the few service functions still
called with it (services/sessions.py, web/live.py, web/api_sessions.py, cli/start_cmd.py).
Removed with coach.py once those callers pass the pieces instead."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store


class LegacyPerson(Protocol):
    @property
    def store(self) -> Store: ...

    @property
    def catalogue(self) -> Catalogue: ...

    def today(self) -> dt.date: ...
