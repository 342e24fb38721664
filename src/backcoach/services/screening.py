"""The warning-sign screen against the records: take it, record a clearance, and the gate
that says whether a plan may be offered today. Every decision fails closed (safety.gate)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from backcoach.errors import BackcoachError
from backcoach.safety.gate import GateResult, invalid_screen, needs_rescreen, plan_gate
from backcoach.safety.screen import ScreenError, ScreenResult, saved_screen_problem, screen

if TYPE_CHECKING:
    from backcoach.records.store import Store
    from backcoach.records.tables import ScreenRow


def judge_screen(answers: dict[str, Any]) -> ScreenResult:
    """The screen's result for these answers, saving nothing (BackcoachError for answers that
    are not the questions' own)."""
    try:
        return screen(answers)
    except ScreenError as exc:
        raise BackcoachError(str(exc)) from None


def take_screen(store: Store, today: dt.date, answers: dict[str, Any]) -> ScreenResult:
    """Judge the answers and store them as the current screen, taken today. A clinic patient's
    warning signs raise their clinician's flag in the same transaction (none in personal
    mode)."""
    from backcoach.clinic.flags import after_screen

    result = judge_screen(answers)
    with store.writing():
        store.add_screen(
            taken_on=today,
            tier=result.tier,
            flags=list(result.flags),
            unanswered=list(result.unanswered),
            answers=dict(result.answers),
            advice=result.advice,
        )
        after_screen(store)
    return result


def record_clearance(
    store: Store, today: dt.date, cleared_on: dt.date, cleared_by: str | None
) -> ScreenRow:
    """Record that a clinician cleared the person after their latest screen."""
    row = store.current_screen()
    if row is None:
        raise BackcoachError("there is no screen to clear yet; run `backcoach screen` first")
    problem = saved_screen_problem(row.tier, row.flags, row.unanswered, row.answers)
    if problem is not None:
        raise BackcoachError(
            f"your saved warning-sign check cannot be read safely ({problem}); answer the "
            "questions again (`backcoach screen`) instead of recording a clearance"
        )
    if row.tier in ("emergency", "urgent"):
        raise BackcoachError(
            f"your latest screen found signs needing {row.tier} care; after you have been "
            "seen, answer the questions again (`backcoach screen`) instead of recording a "
            "clearance"
        )
    if cleared_on < row.taken_on:
        raise BackcoachError(
            f"the clearance date {cleared_on} is before your screen on {row.taken_on}; "
            "give the date the clinician saw you after the screen"
        )
    if cleared_on > today:
        raise BackcoachError(
            f"the clearance date {cleared_on} is in the future; use today or earlier"
        )
    store.record_clearance(row.id, cleared_on, cleared_by)
    updated = store.current_screen()
    assert updated is not None
    return updated


def gate(store: Store, today: dt.date) -> GateResult:
    """May a plan be offered today, given the latest screen?"""
    row = store.current_screen()
    if row is None:
        return plan_gate(None, None, None, today)
    problem = saved_screen_problem(row.tier, row.flags, row.unanswered, row.answers)
    if problem is not None:
        return invalid_screen(problem)
    if store.numbness_reported_since(row.taken_at):
        reason = needs_rescreen(row.taken_on, today, new_symptom_reported=True)
        return GateResult(False, reason or "Please answer the questions again.", "rescreen")
    return plan_gate(row.tier, row.taken_on, row.cleared_on, today)
