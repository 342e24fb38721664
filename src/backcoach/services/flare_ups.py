"""Flare-up mode as the person starts it (`backcoach flare-up`, the web flare-up page) and as
they see it: whether gentle days are running, until when, and the lighter week after.

The rules are planning.flare's; storing the decision is services.progression's. This module is
the one path both the CLI and the web take, so they cannot differ on what "already in a
flare-up" means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backcoach.planning.flare import FLARE_UP_DAYS, LOWER_AFTER_FLARE_DAYS
from backcoach.services.progression import program_state, start_flare_up_if_due

if TYPE_CHECKING:
    from backcoach.planning.state import Decision
    from backcoach.records.store import Store


@dataclass(frozen=True)
class FlareUpStatus:
    """Where the person is in a flare-up, as of ``today``."""

    today: dt.date
    gentle_until: dt.date | None
    """Last day of the gentle days while they run; None otherwise."""
    lighter_until: dt.date | None
    """After the gentle days: the last day the usual exercises may still be a step lighter."""

    @property
    def running(self) -> bool:
        return self.gentle_until is not None

    @property
    def gentle_days(self) -> int:
        """How many gentle days a flare-up brings (today included)."""
        return FLARE_UP_DAYS

    @property
    def lighter_days(self) -> int:
        return LOWER_AFTER_FLARE_DAYS


def flare_up_status(store: Store, today: dt.date) -> FlareUpStatus:
    """Whether flare-up mode runs today, or its lighter week after, from the programme state."""
    state = program_state(store, today)
    until = state.flare_up_until
    gentle = until if state.in_flare_up(today) else None
    lighter = (
        until + dt.timedelta(days=LOWER_AFTER_FLARE_DAYS)
        if until is not None and state.lower_after_flare
        else None
    )
    return FlareUpStatus(today=today, gentle_until=gentle, lighter_until=lighter)


def say_flare_up(store: Store, today: dt.date) -> tuple[Decision | None, FlareUpStatus]:
    """The person says their back is flaring up: start flare-up mode (stored with its reason),
    unless it already runs (then None). Returns the decision and the status after it."""
    decision = start_flare_up_if_due(store, today, said_flare_up=True)
    return decision, flare_up_status(store, today)
