"""The directional-preference check against the records: may it run, and saving its finding
into the profile."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backcoach.errors import BackcoachError
from backcoach.planning.direction import DirectionCheck, Result, can_run
from backcoach.services.profiles import load_profile, update_profile
from backcoach.services.screening import gate

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.planning.profile import Profile
    from backcoach.records.store import Store


def start_direction_check(store: Store, catalogue: Catalogue, today: dt.date) -> DirectionCheck:
    """A new direction check, or BackcoachError saying why it may not run for this person."""
    profile = load_profile(store)
    allowed = gate(store, today)
    screen = store.current_screen()
    if screen is not None and not allowed.allowed:
        raise BackcoachError(allowed.reason)
    tier = screen.tier if screen is not None else None
    exercises = catalogue.exercises
    ok, reason = can_run(
        tier,  # type: ignore[arg-type]
        profile.conditions,
        today,
        profile.avoid_directions,
        exercises,
    )
    if not ok:
        raise BackcoachError(reason)
    return DirectionCheck.start(profile.conditions, today, profile.avoid_directions, exercises)


def save_direction_result(store: Store, result: Result) -> Profile:
    """Store the check with its date and carry its finding into the profile."""
    store.add_direction_check(result.on, result.preference, result.details())
    return update_profile(
        store, directional_preference=result.preference, avoid_directions=list(result.avoid)
    )
