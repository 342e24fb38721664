"""Fold the stored progression decisions into the state the planner reads, and restore a
dropped exercise.

The decisions are the record; the state is derived from them, so the same records always give
the same plan. Decisions are applied in the order stored; a later one wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from backcoach.catalogue.model import Exercise
from backcoach.planning.flare import LOWER_AFTER_FLARE_DAYS
from backcoach.planning.progression import describe, dose_at
from backcoach.planning.state import Action, Decision, DoseOverride, ProgramState

DOSE_ACTIONS: frozenset[Action] = frozenset(
    {"start", "more", "less", "progress-to", "regress-to", "restore"}
)
"""Actions that set a new dose. ``same`` carries the dose only to show it: it changes nothing."""

STATE_ACTIONS: frozenset[Action] = DOSE_ACTIONS | {"drop", "flare-up"}
"""Actions that change the state folded here; any other (``same``) only shows in ``recent``."""

RESTORE_STARTS_AT: Literal["min"] = "min"
"""A restored exercise begins again at the bottom of its range: it was stopped for a reason."""


def program_state(decisions: Sequence[Decision], today: dt.date) -> ProgramState:
    """The programme as of ``today`` from all stored decisions, oldest first.

    - ``doses``: the latest dose per exercise (a progress/regress dose belongs to the
      replacement);
    - ``dropped``: id -> the reason it was dropped, until restored;
    - ``replaced``: old id -> the exercise now done in its place, chains (a -> b -> c) resolved
      to their end; an exercise moved to again (or restored) is no longer replaced;
    - ``flare_up_until`` from the latest flare-up decision; ``lower_after_flare`` for
      ``LOWER_AFTER_FLARE_DAYS`` days after it, except for exercises with a new dose since
      (``redosed_since_flare``, kept only while ``lower_after_flare``: it means nothing after,
      and so the records are read only for those days);
    - ``recent``: the decisions of the latest day, to show the person.

    Decisions dated after ``today`` are not applied yet. A progress/regress decision never
    brings back a dropped exercise: only ``restore`` does.
    """
    applied = [d for d in decisions if d.decided_on <= today]
    doses: dict[str, DoseOverride] = {}
    dropped: dict[str, str] = {}
    replaced: dict[str, str] = {}
    flare_until: dt.date | None = None
    for d in applied:
        ex_id = d.exercise_id
        if d.action == "flare-up":
            flare_until = d.until
        elif d.action == "drop":
            dropped[ex_id] = d.reason
        elif d.action in ("progress-to", "regress-to"):
            if d.replacement is None:
                raise ValueError(
                    f"the {d.action} decision for '{ex_id}' on {d.decided_on} names no "
                    "replacement; it cannot be applied"
                )
            replaced[ex_id] = d.replacement
            replaced.pop(d.replacement, None)
            doses[d.replacement] = d.dose
        elif d.action in DOSE_ACTIONS:
            doses[ex_id] = d.dose
            if d.action in ("start", "restore"):
                dropped.pop(ex_id, None)
                replaced.pop(ex_id, None)
    lower_after_flare = flare_until is not None and (
        flare_until < today <= flare_until + dt.timedelta(days=LOWER_AFTER_FLARE_DAYS)
    )
    return ProgramState(
        doses=doses,
        dropped=dropped,
        replaced={old: _chain_end(old, replaced) for old in replaced},
        flare_up_until=flare_until,
        lower_after_flare=lower_after_flare,
        redosed_since_flare=_redosed(applied, flare_until) if lower_after_flare else [],
        recent=_latest_day(applied),
    )


def _chain_end(start: str, replaced: dict[str, str]) -> str:
    seen = {start}
    current = replaced[start]
    while current in replaced and replaced[current] not in seen:
        seen.add(current)
        current = replaced[current]
    return current


def _redosed(applied: Sequence[Decision], flare_until: dt.date | None) -> list[str]:
    if flare_until is None:
        return []
    ids: list[str] = []
    for d in applied:
        if d.decided_on > flare_until and d.action in DOSE_ACTIONS:
            for ex_id in (d.exercise_id, d.replacement):
                if ex_id is not None and ex_id not in ids:
                    ids.append(ex_id)
    return ids


def _latest_day(applied: Sequence[Decision]) -> list[Decision]:
    if not applied:
        return []
    last = max(d.decided_on for d in applied)
    return [d for d in applied if d.decided_on == last]


Restorer = Literal["person", "clinician"]


def restore(exercise: Exercise, state: ProgramState, today: dt.date, by: Restorer) -> Decision:
    """Bring a dropped exercise back, because the person or a clinician decided so. It starts
    again at its lightest dose."""
    if exercise.id not in state.dropped:
        raise ValueError(
            f"'{exercise.id}' is not left out of your plan, so there is nothing to restore; "
            f"left out now: {', '.join(sorted(state.dropped)) or 'none'}"
        )
    start = dose_at(exercise, RESTORE_STARTS_AT)
    who = "You" if by == "person" else "Your clinician"
    return Decision(
        decided_on=today,
        exercise_id=exercise.id,
        action="restore",
        dose=start.override(),
        reason=(
            f"{who} brought {exercise.name} back into the plan. It starts again gently "
            f"({describe(exercise, start)}); stop it at once if the same pain comes back."
        ),
    )
