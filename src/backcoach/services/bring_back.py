"""Bringing back an exercise left out of the plan, with the warning it deserves: one rule for
the CLI (``backcoach exercises bring-back``), the API and the library page.

A stop rule (sharp or shooting pain, pain spreading down a leg, new numbness, tingling or
weakness) or a second stop leaves an exercise out "until you and a clinician decide otherwise".
Bringing it back is that decision: it is recorded as a ``restore`` progression decision, and
the exercise starts again at its lightest dose (``planning.program_state.restore``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from backcoach.catalogue.model import Exercise
from backcoach.errors import BackcoachError
from backcoach.planning.program_state import restore
from backcoach.planning.state import Decision
from backcoach.services.progression import program_state, save_decision

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store

Who = Literal["person", "clinician"]


def left_out(store: Store, today: dt.date) -> dict[str, str]:
    """The exercises left out of the plan until someone brings them back: id -> why."""
    return dict(program_state(store, today).dropped)


def warning(name: str, why: str) -> str:
    """What to read before bringing an exercise back."""
    return (
        f"{name} was left out of your plan: {why.rstrip('.')}. Bring it back only if you and "
        "a clinician have talked it over and agree it is right to try again. It starts again "
        "at its lightest dose; stop at once, and leave it out, if the same pain comes back."
    )


@dataclass(frozen=True)
class LeftOut:
    """An exercise that may be brought back: what was left out, why, and the warning."""

    exercise: Exercise
    why: str

    @property
    def warning(self) -> str:
        return warning(self.exercise.name, self.why)


def find_left_out(store: Store, catalogue: Catalogue, today: dt.date, exercise_id: str) -> LeftOut:
    """The left-out exercise ``exercise_id``; ``BackcoachError`` naming the exercise and the
    fix when it is unknown or not left out."""
    from backcoach.catalogue import UnknownExercise

    try:
        exercise = catalogue.get(exercise_id)
    except UnknownExercise:
        raise BackcoachError(
            f"there is no exercise '{exercise_id}'; the library (or `backcoach exercises "
            "list`) shows the ids"
        ) from None
    dropped = left_out(store, today)
    if exercise.id not in dropped:
        others = ", ".join(sorted(dropped)) or "none"
        raise BackcoachError(
            f"{exercise.name} ('{exercise.id}') is not left out of your plan, so there is "
            f"nothing to bring back; left out now: {others}"
        )
    return LeftOut(exercise, dropped[exercise.id])


def bring_back(
    store: Store, catalogue: Catalogue, today: dt.date, exercise_id: str, by: Who = "person"
) -> Decision:
    """Put a left-out exercise back into the plan at its lightest dose, and record why (one
    transaction: two at once bring it back once)."""
    with store.writing():
        found = find_left_out(store, catalogue, today, exercise_id)
        decision = restore(found.exercise, program_state(store, today), today, by)
        save_decision(store, decision)
    return decision
