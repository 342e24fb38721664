"""Does an exercise suit the person today? One answer for the CLI (``exercises list --for-me``,
``exercises show``), the library pages, the API and the plan's ``left_out``.

It is the planner's own decision (``planning.select.suitability``), read from the person's
records: their conditions, the equipment they have, their experience, the exercises a stop
rule left out, the directions their direction check ruled out or prefers, and a flare-up. An
exercise the plan may never use is never "Suits you"; one that nothing could judge is "Not for
you now" (fail closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from backcoach.planning.flare import flare_up_exercise_ids
from backcoach.planning.profile import Profile
from backcoach.planning.select import Suits, suitability
from backcoach.planning.state import ProgramState

if TYPE_CHECKING:
    from backcoach.catalogue.model import Exercise
    from backcoach.records.store import Store

__all__ = ["Suits", "gentle_ids", "suits_for_profile", "suits_you"]


def gentle_ids(pool: Collection[Exercise], who: Profile) -> list[str]:
    """The flare-up set the planner is given (``services.plans.build``)."""
    return flare_up_exercise_ids(pool, who.directional_preference, who.avoid_directions)


def suits_for_profile(
    exercises: Iterable[Exercise],
    profile: Profile,
    state: ProgramState | None,
    today: dt.date,
) -> dict[str, Suits]:
    """Each exercise's verdict for a profile and programme state (none: a fresh start, as a
    plan from a profile file), keyed by id in catalogue order."""
    pool = list(exercises)
    state = state or ProgramState()
    gentle = set(gentle_ids(pool, profile)) if state.in_flare_up(today) else None
    return suitability(pool, profile, state, today, gentle)


def suits_you(store: Store, exercises: Iterable[Exercise], today: dt.date) -> dict[str, Suits]:
    """Each exercise's verdict for the person of ``store`` today: their saved profile and their
    programme state, read together."""
    # Imported here: the records (and SQLAlchemy) only when there are records to read.
    from backcoach.services.profiles import load_profile
    from backcoach.services.progression import program_state

    with store.reading():
        profile = load_profile(store)
        state = program_state(store, today)
    return suits_for_profile(exercises, profile, state, today)
