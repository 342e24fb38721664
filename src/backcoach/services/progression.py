"""Progression against the records: logs from saved sessions, decisions stored with reasons.

The rules are pure (planning.progression, planning.flare); this module only reads what the
records hold into their input types and writes their decisions back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from backcoach.planning.progression import Done, DoseValues, ExerciseLog, decide
from backcoach.planning.state import Decision, DoseOverride, ProgramState
from backcoach.records.store import local_day
from backcoach.services.saved import saved_plan

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.records.store import Store
    from backcoach.records.tables import ProgressionDecisionRow

NEXT_DAY = "next-day"
"""Pain-report moment for the morning-after question: did yesterday's pain settle?"""


def decisions(store: Store) -> list[Decision]:
    return [_decision_from_row(row) for row in store.decisions()]


def _decision_from_row(row: ProgressionDecisionRow) -> Decision:
    return Decision(
        decided_on=row.decided_on or local_day(row.decided_at),
        exercise_id=row.exercise_id,
        action=row.action,
        dose=DoseOverride.model_validate(row.dose or {}),
        replacement=row.replacement,
        until=row.until,
        reason=row.reason,
    )


def save_decision(store: Store, decision: Decision, session_id: int | None = None) -> None:
    store.save_decision(
        decision.exercise_id,
        decision.action,
        decision.dose.model_dump(exclude_none=True),
        decision.reason,
        session_id=session_id,
        decided_on=decision.decided_on,
        replacement=decision.replacement,
        until=decision.until,
    )


def state(coach: Coach) -> ProgramState:
    from backcoach.planning.program_state import program_state

    return program_state(decisions(coach.store), coach.today())


def exercise_logs(store: Store) -> dict[str, list[ExerciseLog]]:
    """Every exercise's history across finished or stopped sessions, oldest first."""
    logs: dict[str, list[ExerciseLog]] = defaultdict(list)
    settled = _next_day_answers(store)
    for session in sorted(store.sessions(), key=lambda s: (s.started_at, s.id)):
        if session.status == "in-progress":
            continue
        plan_row = store.plan(session.plan_id)
        if plan_row is None:
            continue
        plan = saved_plan(plan_row)
        sets = store.sets(session.id)
        outcomes = {o.item_index: o for o in store.outcomes(session.id)}
        pains = store.pain_reports(session.id)
        day = local_day(session.started_at)
        for index, item in enumerate(plan.items):
            outcome = outcomes.get(index)
            if outcome is None or outcome.outcome == "skipped":
                continue  # not done: nothing to learn from
            done_sets = [s for s in sets if s.item_index == index and s.complete]
            item_pain = [p for p in pains if p.item_index == index]
            during = [p.score for p in item_pain if p.moment == "during-exercise"]
            after = [p.score for p in item_pain if p.moment == "after-exercise"]
            stop = None
            reasons: tuple[str, ...] = ()
            if outcome.outcome == "stopped":
                stop = "flag" if outcome.details.get("not_tolerated") else "pain"
                reasons = tuple(outcome.details.get("reasons", ()))
            logs[item.exercise_id].append(
                ExerciseLog(
                    date=day,
                    exercise_id=item.exercise_id,
                    planned=DoseValues(
                        sets=item.sets,
                        reps=item.reps,
                        hold_seconds=item.hold_seconds,
                        duration_seconds=item.duration_seconds,
                    ),
                    done=_done(done_sets, item.reps is not None),
                    rating=outcome.rating,  # type: ignore[arg-type]
                    pain_during=max(during) if during else None,
                    pain_after=max(after) if after else None,
                    stop=stop,  # type: ignore[arg-type]
                    stop_reasons=reasons,
                    next_day_settled=settled.get((session.id, index)),
                )
            )
    return logs


def _done(rows: list[Any], counted: bool) -> Done:
    sets = len({r.set_number for r in rows})
    if not rows:
        return Done(sets=0, reps=0 if counted else None, duration_seconds=None if counted else 0)
    if counted:
        return Done(
            sets=sets,
            reps=min(r.reps or 0 for r in rows),
            hold_seconds=min(r.hold_seconds or 0 for r in rows),
        )
    return Done(sets=sets, duration_seconds=min(r.duration_seconds or 0 for r in rows))


def _next_day_answers(store: Store) -> dict[tuple[int, int], bool]:
    answers: dict[tuple[int, int], bool] = {}
    for p in store.pain_reports():
        if p.moment == NEXT_DAY and p.session_id is not None and p.item_index is not None:
            answers[(p.session_id, p.item_index)] = bool(p.decision.get("settled"))
    return answers


def after_session(coach: Coach, session_id: int) -> list[Decision]:
    """Decide the next dose of every exercise done in this session, and store the decisions."""
    store = coach.store
    session = store.session(session_id)
    plan_row = store.plan(session.plan_id) if session else None
    if session is None or plan_row is None:
        return []
    plan = saved_plan(plan_row)
    today = coach.today()
    current = state(coach)
    allowed = _allowed_exercises(coach, current)
    logs = exercise_logs(store)
    done_here = {
        o.item_index for o in store.outcomes(session_id) if o.outcome in ("finished", "stopped")
    }
    made: list[Decision] = []
    for index, item in enumerate(plan.items):
        if index not in done_here:
            continue  # skipped or not reached in this session: nothing new to decide from
        history = _since_restore(logs.get(item.exercise_id, []), current, item.exercise_id)
        if not history:
            continue
        exercise = coach.exercise(item.exercise_id)
        decision = decide(exercise, history, allowed, today, in_flare_up=_in_flare(coach, current))
        save_decision(store, decision, session_id)
        made.append(decision)
    return made


def _in_flare(coach: Coach, current: ProgramState) -> bool:
    """Flare-up mode, or an acute flare recorded in the profile: either way nothing goes up."""
    return (
        current.in_flare_up(coach.today()) or coach.profile().condition("acute-flare") is not None
    )


def _allowed_exercises(coach: Coach, current: ProgramState) -> dict[str, Any]:
    verdicts = coach.verdicts()
    return {
        ex.id: ex
        for ex in coach.catalogue
        if verdicts[ex.id].allowed and ex.id not in current.dropped
    }


def _since_restore(
    history: list[ExerciseLog], current: ProgramState, exercise_id: str
) -> list[ExerciseLog]:
    restored = [
        d.decided_on
        for d in current.recent
        if d.exercise_id == exercise_id and d.action == "restore"
    ]
    if not restored:
        return history
    return [log for log in history if log.date >= max(restored)]


def pending_next_day_questions(coach: Coach) -> list[tuple[int, int, str, str]]:
    """(session id, item index, exercise id, date) whose pain of 3-5 should be asked about:
    did it settle by the next morning? Only from sessions on an earlier day."""
    store = coach.store
    answered = _next_day_answers(store)
    today = coach.today()
    out = []
    for p in store.pain_reports():
        if p.session_id is None or p.item_index is None or p.exercise_id is None:
            continue
        if not p.decision.get("check_next_day") or (p.session_id, p.item_index) in answered:
            continue
        if local_day(p.reported_at) < today:
            out.append((p.session_id, p.item_index, p.exercise_id, str(local_day(p.reported_at))))
    return out


def answer_next_day(
    coach: Coach, session_id: int, item_index: int, exercise_id: str, settled: bool
) -> list[Decision]:
    """Record whether yesterday's pain settled, then decide that exercise again (the later
    decision wins)."""
    store = coach.store
    store.save_pain(
        moment=NEXT_DAY,
        score=0,
        session_id=session_id,
        item_index=item_index,
        exercise_id=exercise_id,
        decision={"settled": settled},
    )
    current = state(coach)
    history = _since_restore(exercise_logs(store).get(exercise_id, []), current, exercise_id)
    if not history:
        return []
    decision = decide(
        coach.exercise(exercise_id),
        history,
        _allowed_exercises(coach, current),
        coach.today(),
        in_flare_up=_in_flare(coach, current),
    )
    save_decision(store, decision, session_id)
    return [decision]


def daily_pain(store: Store) -> dict[dt.date, int]:
    """One reading a day for flare-up detection: the day's highest pain before a session or
    reported on its own."""
    by_day: dict[dt.date, int] = {}
    for p in store.pain_reports():
        if p.moment in ("before", "daily"):
            day = local_day(p.reported_at)
            by_day[day] = max(by_day.get(day, 0), p.score)
    return by_day


def check_flare_up(coach: Coach, said_flare_up: bool = False) -> Decision | None:
    """Start flare-up mode when the person says so or their pain says so; store it."""
    from backcoach.planning.flare import detect_flare_up, start_flare_up

    today = coach.today()
    current = state(coach)
    if current.in_flare_up(today):
        return None
    reason = detect_flare_up(daily_pain(coach.store), said_flare_up, today)
    if reason is None:
        return None
    decision = start_flare_up(reason, today)
    save_decision(coach.store, decision)
    return decision
