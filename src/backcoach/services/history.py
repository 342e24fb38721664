"""Past sessions as plain data: planned next to done, for `history`, reports and export.

The figures (sets done of planned, active time, percentage done) are
``services.session_summary``'s, the same the terminal summary and the web player show.

Four queries however many sessions: the sessions, then their plans, outcomes and sets, each
with one ``IN (...)``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from backcoach.services.saved import saved_plan
from backcoach.services.session_summary import summarise

if TYPE_CHECKING:
    from backcoach.records.store import Store


def past_sessions(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` sessions (all when None), newest first, planned next to done."""
    with store.reading():  # one read transaction for the four queries
        sessions = store.sessions(limit)
        ids = [s.id for s in sessions]
        plans = store.plans_for({s.plan_id for s in sessions})
        outcomes_by: dict[int, dict[int, Any]] = defaultdict(dict)
        for outcome in store.outcomes_for(ids):
            outcomes_by[outcome.session_id][outcome.item_index] = outcome
        sets_by: dict[int, list[Any]] = defaultdict(list)
        for row in store.sets_for(ids):
            sets_by[row.session_id].append(row)
    out = []
    for session in sessions:
        plan_row = plans.get(session.plan_id)
        plan = saved_plan(plan_row) if plan_row else None
        outcomes = outcomes_by[session.id]
        sets = sets_by[session.id]
        exercises = []
        for index, item in enumerate(plan.items if plan else []):
            o = outcomes.get(index)
            done = [s for s in sets if s.item_index == index]
            exercises.append(
                {
                    "exercise_id": item.exercise_id,
                    "outcome": o.outcome if o else "not done",
                    "rating": o.rating if o else None,
                    "planned": {
                        "sets": item.sets,
                        "reps": item.reps,
                        "hold_seconds": item.hold_seconds,
                        "duration_seconds": item.duration_seconds,
                        "per_side": item.per_side,
                    },
                    "sets": [
                        {
                            "set": s.set_number,
                            "side": s.side,
                            "reps": s.reps,
                            "target_reps": s.target_reps,
                            "hold_seconds": s.hold_seconds,
                            "target_hold_seconds": s.target_hold_seconds,
                            "duration_seconds": s.duration_seconds,
                            "target_duration_seconds": s.target_duration_seconds,
                            "complete": s.complete,
                        }
                        for s in done
                    ],
                }
            )
        figures = summarise(session, plan, sets, outcomes.values())
        out.append(
            {
                "id": session.id,
                "started_at": session.started_at.isoformat(),
                "ended_at": session.ended_at.isoformat() if session.ended_at else None,
                "status": session.status,
                "mode": session.mode,
                "pain_before": session.pain_before,
                "pain_after": session.pain_after,
                "sets_done": figures.sets_done,
                "sets_planned": figures.sets_planned,
                "active_seconds": figures.active_seconds,
                "percent_done": figures.percent_done,
                "summary": figures.as_dict(),
                "exercises": exercises,
            }
        )
    return out
