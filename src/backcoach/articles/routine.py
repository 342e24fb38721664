""" "Use these exercises": the plan the person would get from an article's recognised
exercises, by the ordinary planner (``planning.planner.build_plan``), honouring their profile
(conditions, equipment, experience, preferred direction) and programme state; the exercises
it may not use are listed with the planner's own reasons (``planning.select.eligible``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from backcoach.articles.analyse import Analysis
from backcoach.catalogue import Catalogue
from backcoach.catalogue.model import Exercise
from backcoach.planning.flare import flare_up_exercise_ids
from backcoach.planning.plan import Plan
from backcoach.planning.planner import build_plan
from backcoach.planning.profile import Profile
from backcoach.planning.select import eligible
from backcoach.planning.state import ProgramState


@dataclass(frozen=True)
class Routine:
    plan: Plan
    excluded: list[tuple[str, str, str]]
    """(exercise id, name, reason) of each recognised exercise that is not for this person."""


def routine_from(
    analysis: Analysis,
    catalogue: Catalogue,
    profile: Profile,
    state: ProgramState,
    today: dt.date,
) -> Routine:
    """The caller has checked the warning-sign screen allows a plan (as for any plan)."""
    pool = [catalogue.get(m.exercise_id) for m in analysis.exercises if m.exercise_id in catalogue]
    unavailable = eligible(pool, profile, state, today).unavailable

    def gentle(exercises: Collection[Exercise], who: Profile) -> list[str]:
        return flare_up_exercise_ids(exercises, who.directional_preference, who.avoid_directions)

    plan = build_plan(pool, profile, today, state, gentle_ids=gentle)
    excluded = [(i, catalogue.get(i).name, why) for i, why in sorted(unavailable.items())]
    return Routine(plan, excluded)
