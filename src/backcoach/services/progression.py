"""Progression against the records: logs from saved sessions, decisions stored with reasons.

The rules are pure (planning.progression, planning.flare); this module only reads what the
records hold into their input types and writes their decisions back.

It reads only what the rules look at, in a fixed number of queries however long the history:
the programme's state from the few decisions it is folded from (``Store.deciding_decisions``);
an exercise's logs from the weeks ``decide`` compares (``BUILDING_WEEKS``), its last
``EASY_SESSIONS_TO_PROGRESS`` sessions and every stop (``logs_for``); flare-up detection from
the days ``detect_flare_up`` reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from backcoach.planning.flare import (
    FLARE_DAYS,
    LOWER_AFTER_FLARE_DAYS,
    USUAL_WINDOW_DAYS,
    detect_flare_up,
    start_flare_up,
)
from backcoach.planning.program_state import DOSE_ACTIONS, STATE_ACTIONS
from backcoach.planning.program_state import program_state as fold_program_state
from backcoach.planning.progression import (
    BUILDING_WEEKS,
    EASY_SESSIONS_TO_PROGRESS,
    Done,
    DoseValues,
    ExerciseLog,
    decide,
)
from backcoach.planning.state import Decision, DoseOverride, ProgramState
from backcoach.records.store import day_starts, local_day
from backcoach.safety.restrictions import assess_all
from backcoach.services.profiles import load_profile
from backcoach.services.saved import saved_plan

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.records.tables import (
        ExerciseOutcomeRow,
        PainReportRow,
        ProgressionDecisionRow,
        SessionRow,
        SetLogRow,
    )

NEXT_DAY = "next-day"
"""Pain-report moment for the morning-after question: did yesterday's pain settle?"""

NEXT_DAY_QUESTION_DAYS = 7
"""Pain of 3-5 is asked about ("had it settled by the next morning?") for sessions up to this
many days back; an older one can no longer be answered truthfully, and its answer would not
change a decision made since."""

FLARE_LOOKBACK_DAYS = FLARE_DAYS + USUAL_WINDOW_DAYS
"""Days of daily pain flare-up detection reads: the raised days and the usual days before."""


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


def _decision_fields(decision: Decision, session_id: int | None) -> dict[str, Any]:
    return {
        "exercise_id": decision.exercise_id,
        "action": decision.action,
        "dose": decision.dose.model_dump(exclude_none=True),
        "reason": decision.reason,
        "session_id": session_id,
        "decided_on": decision.decided_on,
        "replacement": decision.replacement,
        "until": decision.until,
    }


def save_decision(store: Store, decision: Decision, session_id: int | None = None) -> None:
    store.save_decisions([_decision_fields(decision, session_id)])


def program_state(store: Store, today: dt.date) -> ProgramState:
    """The programme as of today, folded from the few decisions that decide it."""
    rows = store.deciding_decisions(
        today,
        day_starts(today + dt.timedelta(days=1)),
        STATE_ACTIONS,
        DOSE_ACTIONS,
        LOWER_AFTER_FLARE_DAYS,
    )
    return fold_program_state([_decision_from_row(row) for row in rows], today)


def logs_for(store: Store, exercise_ids: Collection[str]) -> dict[str, list[ExerciseLog]]:
    """The logs of these exercises that ``decide`` reads, oldest first, in six queries however
    long the history: every log in the ``BUILDING_WEEKS`` calendar weeks up to each exercise's
    latest session, its last ``EASY_SESSIONS_TO_PROGRESS`` logs, and every log of a stop.

    ``decide`` gives the same decision from these as from the whole history: it reads the last
    log, the last two, the weekly peaks of the last ``BUILDING_WEEKS`` weeks and every pain
    stop (``_since_restore`` only cuts off a prefix)."""
    wanted = set(exercise_ids)
    if not wanted:
        return {}
    with store.reading():
        newest = store.newest_outcomes(wanted, EASY_SESSIONS_TO_PROGRESS)
        if not newest:
            return {}
        latest: dict[str, dt.date] = {}
        for exercise_id, _, started in newest:
            latest[exercise_id] = max(latest.get(exercise_id, dt.date.min), local_day(started))
        first_monday = min(
            day - dt.timedelta(days=day.weekday(), weeks=BUILDING_WEEKS - 1)
            for day in latest.values()
        )
        sessions = store.sessions_since(day_starts(first_monday), {sid for _, sid, _ in newest})
        ended = [s for s in sessions if s.status != "in-progress"]
        logs = _logs(store, ended, wanted)
    return {exercise_id: logs[exercise_id] for exercise_id in wanted if exercise_id in logs}


def _logs(
    store: Store, sessions: list[SessionRow], wanted: set[str]
) -> dict[str, list[ExerciseLog]]:
    """The logs of the ``wanted`` exercises in these ended sessions, oldest first. Four
    queries: the sessions' plans, sets, outcomes and pain reports."""
    ids = [s.id for s in sessions]
    plans = store.plans_for({s.plan_id for s in sessions})
    sets_by: dict[int, list[SetLogRow]] = defaultdict(list)
    for row in store.sets_for(ids):
        sets_by[row.session_id].append(row)
    outcomes_by: dict[int, dict[int, ExerciseOutcomeRow]] = defaultdict(dict)
    for o in store.outcomes_for(ids):
        outcomes_by[o.session_id][o.item_index] = o
    pains_by: dict[int, list[PainReportRow]] = defaultdict(list)
    pain_rows = store.pain_reports_for(ids)
    for p in pain_rows:
        pains_by[p.session_id or 0].append(p)
    settled = _answers(pain_rows)
    logs: dict[str, list[ExerciseLog]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        plan_row = plans.get(session.plan_id)
        if plan_row is None:
            continue
        plan = saved_plan(plan_row)
        sets = sets_by[session.id]
        outcomes = outcomes_by[session.id]
        pains = pains_by[session.id]
        day = local_day(session.started_at)
        for index, item in enumerate(plan.items):
            if item.exercise_id not in wanted:
                continue
            outcome = outcomes.get(index)
            if outcome is None or outcome.outcome == "skipped":
                continue  # not done: nothing to learn from
            done_sets = [s for s in sets if s.item_index == index and s.complete]
            item_pain = [p for p in pains if p.item_index == index]
            during = [p.score for p in item_pain if p.moment == "during-exercise"]
            after = [p.score for p in item_pain if p.moment == "after-exercise"]
            before = pain_before(pains, item_pain[0]) if item_pain else None
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
                    pain_before=before,
                )
            )
    return logs


SESSION_PAIN_MOMENTS = ("before", "during-exercise", "after-exercise")
"""Pain readings made in a session, in the order they come (the pain after the session and the
next-day answer are not readings before an exercise)."""


def pain_before(session_pains: Iterable[PainReportRow], first: PainReportRow) -> int | None:
    """The pain just before the exercise whose first report in the session is ``first``: the
    session's last reading before it (the pain before the session, or another exercise's),
    from ``session_pains``, that session's reports. ``None`` when there is none."""
    earlier = [
        p
        for p in session_pains
        if p.id < first.id
        and p.moment in SESSION_PAIN_MOMENTS
        and (p.item_index is None or p.item_index != first.item_index)
    ]
    return max(earlier, key=lambda p: p.id).score if earlier else None


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


def _answers(reports: Iterable[PainReportRow]) -> dict[tuple[int, int], bool]:
    """(session id, item index) -> had the pain settled by the next morning (the latest answer
    wins), from these pain reports, oldest first."""
    answers: dict[tuple[int, int], bool] = {}
    for p in reports:
        if p.moment == NEXT_DAY and p.session_id is not None and p.item_index is not None:
            answers[(p.session_id, p.item_index)] = bool(p.decision.get("settled"))
    return answers


def decide_after_session(
    store: Store, catalogue: Catalogue, today: dt.date, session_id: int
) -> list[Decision]:
    """Decide the next dose of every exercise done in this session, and store the decisions:
    one read transaction, then one write."""
    with store.reading():
        made = decisions_after(store, catalogue, today, session_id)
    store.save_decisions([_decision_fields(d, session_id) for d in made])
    return made


def decisions_after(
    store: Store, catalogue: Catalogue, today: dt.date, session_id: int
) -> list[Decision]:
    """The decisions ``decide_after_session`` stores, made without storing them."""
    session = store.session(session_id)
    plan_row = store.plan(session.plan_id) if session else None
    if session is None or plan_row is None:
        return []
    plan = saved_plan(plan_row)
    done_here = {
        o.item_index for o in store.outcomes(session_id) if o.outcome in ("finished", "stopped")
    }
    items = [item for index, item in enumerate(plan.items) if index in done_here]
    if not items:
        return []  # nothing done in this session: nothing new to decide from
    current = program_state(store, today)
    allowed = _allowed_exercises(store, catalogue, today, current)
    in_flare = _in_flare(store, today, current)
    logs = logs_for(store, {item.exercise_id for item in items})
    made: list[Decision] = []
    for item in items:
        history = _since_restore(logs.get(item.exercise_id, []), current, item.exercise_id)
        if not history:
            continue
        exercise = catalogue.get(item.exercise_id)
        made.append(decide(exercise, history, allowed, today, in_flare_up=in_flare))
    return made


def _in_flare(store: Store, today: dt.date, current: ProgramState) -> bool:
    """Flare-up mode, or an acute flare recorded in the profile: either way nothing goes up."""
    return current.in_flare_up(today) or load_profile(store).condition("acute-flare") is not None


def _allowed_exercises(
    store: Store, catalogue: Catalogue, today: dt.date, current: ProgramState
) -> dict[str, Any]:
    verdicts = assess_all(catalogue, load_profile(store).conditions, today)
    return {
        ex.id: ex for ex in catalogue if verdicts[ex.id].allowed and ex.id not in current.dropped
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


def next_day_questions(store: Store, today: dt.date) -> list[tuple[int, int, str, str]]:
    """(session id, item index, exercise id, date) whose pain of 3-5 should be asked about:
    did it settle by the next morning? Only from sessions on an earlier day, in the last
    ``NEXT_DAY_QUESTION_DAYS`` days."""
    reports = store.pain_reports_since(
        day_starts(today - dt.timedelta(days=NEXT_DAY_QUESTION_DAYS))
    )
    answered = _answers(reports)
    by_session: dict[int, list[PainReportRow]] = defaultdict(list)
    for p in reports:
        if p.session_id is not None:
            by_session[p.session_id].append(p)
    out = []
    for p in reports:
        if p.session_id is None or p.item_index is None or p.exercise_id is None:
            continue
        if not p.decision.get("check_next_day") or (p.session_id, p.item_index) in answered:
            continue
        before = pain_before(by_session[p.session_id], p)
        if before is not None and p.score <= before:
            continue  # the pain was there before the exercise: nothing to ask about it
        if local_day(p.reported_at) < today:
            out.append((p.session_id, p.item_index, p.exercise_id, str(local_day(p.reported_at))))
    return out


def record_next_day_answer(
    store: Store,
    catalogue: Catalogue,
    today: dt.date,
    session_id: int,
    item_index: int,
    exercise_id: str,
    settled: bool,
) -> list[Decision]:
    """Record whether yesterday's pain settled, then decide that exercise again (the later
    decision wins)."""
    store.save_pain(
        moment=NEXT_DAY,
        score=0,
        session_id=session_id,
        item_index=item_index,
        exercise_id=exercise_id,
        decision={"settled": settled},
    )
    with store.reading():  # after the answer is saved: it is read back with the logs
        current = program_state(store, today)
        history = _since_restore(
            logs_for(store, [exercise_id]).get(exercise_id, []), current, exercise_id
        )
        if not history:
            return []
        decision = decide(
            catalogue.get(exercise_id),
            history,
            _allowed_exercises(store, catalogue, today, current),
            today,
            in_flare_up=_in_flare(store, today, current),
        )
    save_decision(store, decision, session_id)
    return [decision]


def daily_pain(store: Store, since: dt.date) -> dict[dt.date, int]:
    """One reading a day for flare-up detection: the day's highest pain before a session or
    reported on its own, from the day ``since`` on."""
    by_day: dict[dt.date, int] = {}
    for p in store.pain_reports_since(day_starts(since), ("before", "daily")):
        day = local_day(p.reported_at)
        by_day[day] = max(by_day.get(day, 0), p.score)
    return by_day


def start_flare_up_if_due(
    store: Store, today: dt.date, said_flare_up: bool = False
) -> Decision | None:
    """Start flare-up mode when the person says so or their pain says so; store it."""
    with store.reading():
        until = store.flare_up_until(today, day_starts(today + dt.timedelta(days=1)))
        if until is not None and today <= until:  # in flare-up mode (ProgramState.in_flare_up)
            return None
        since = today - dt.timedelta(days=FLARE_LOOKBACK_DAYS)
        reason = detect_flare_up(daily_pain(store, since), said_flare_up, today)
    if reason is None:
        return None
    decision = start_flare_up(reason, today)
    save_decision(store, decision)
    return decision
