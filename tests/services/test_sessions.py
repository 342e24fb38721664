"""Sessions run through the service layer and saved to real SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.errors import PlanRefused
from backcoach.planning.plan import Plan
from backcoach.records.tables import LiveSessionRow
from backcoach.safety.signs import SIGNS
from backcoach.services.live import Conflict
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.progression import program_state
from backcoach.services.screening import take_screen
from backcoach.services.sessions import (
    AutoAnswers,
    LiveSession,
    begin,
    resume_unfinished,
    run_auto,
)

ALL_NO = {s.id: "no" for s in SIGNS}


def make_person(home: Path, db_url: str, today: str = "2026-11-02") -> PersonContext:
    """Personal mode's person, in a fresh application context (as another process has)."""
    return AppContext(
        Settings.from_environ(
            {
                "BACKCOACH_HOME": str(home),
                "BACKCOACH_DATABASE_URL": db_url,
                "BACKCOACH_TODAY": today,
            }
        )
    ).person()


def screened(person: PersonContext) -> PersonContext:
    take_screen(person.store, person.today(), ALL_NO)
    return person


def start_auto(person: PersonContext, minutes: int | None = None) -> LiveSession:
    return begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=minutes)


def resume_here(person: PersonContext, now: float, take_over: bool = False) -> LiveSession | None:
    pieces = (person.store, person.catalogue, person.today)
    return resume_unfinished(*pieces, now, take_over=take_over)


def plan_for(person: PersonContext, minutes: int | None = None) -> Plan:
    return todays_plan(person.store, person.catalogue, person.today(), None, minutes)


def test_planned_next_to_done_for_every_set(tmp_path: Path, db_url: str) -> None:
    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 15)
    summary = run_auto(live, AutoAnswers(pain_before=2, pain_after=1), 0, 0.0)
    assert summary.ended_by == "completed"
    rows = person.store.sets(live.session_id)
    planned = sum(i.sets * (2 if i.per_side else 1) for i in live.plan.items)
    assert len(rows) == planned == summary.sets_done
    for row in rows:
        item = live.plan.items[row.item_index]
        assert row.exercise_id == item.exercise_id
        if item.reps is not None:
            assert row.reps == row.target_reps == item.reps
            assert row.target_hold_seconds == item.hold_seconds
        else:
            assert row.duration_seconds == row.target_duration_seconds == item.duration_seconds
    session = person.store.session(live.session_id)
    assert session is not None
    assert (session.status, session.pain_before, session.pain_after) == ("finished", 2, 1)
    # Progression decided every exercise done, each with a reason.
    decided = {d.exercise_id for d in person.store.decisions() if d.session_id == live.session_id}
    assert decided == {i.exercise_id for i in live.plan.items}


def test_stop_rules_change_the_next_plan(tmp_path: Path, db_url: str) -> None:
    person = screened(make_person(tmp_path, db_url))
    first = plan_for(person, 15)
    flagged, hurt = first.items[1].exercise_id, first.items[2].exercise_id
    answers = AutoAnswers.from_data(
        {
            "exercises": {
                flagged: {"pain": 3, "sharp": True},
                hurt: {"pain": 7, "rating": "too-hard"},
            }
        }
    )
    live = start_auto(person, 15)
    run_auto(live, answers, 0, 0.0)
    outcomes = {o.exercise_id: o for o in person.store.outcomes(live.session_id)}
    assert outcomes[flagged].outcome == "stopped"
    assert outcomes[flagged].details["not_tolerated"] is True
    state = program_state(person.store, person.today())
    assert flagged in state.dropped
    later = make_person(tmp_path, db_url, today="2026-11-04")
    plan = plan_for(later, 15)
    ids = [i.exercise_id for i in plan.items]
    assert flagged not in ids
    decision = next(d for d in person.store.decisions() if d.exercise_id == hurt)
    assert decision.action in ("less", "regress-to")
    by_id = {i.exercise_id: i for i in plan.items}
    before = next(i for i in first.items if i.exercise_id == hurt)
    assert hurt in by_id, "a pain stop lowers the dose; it does not drop the exercise"
    after = by_id[hurt]
    assert before.reps is not None and after.reps is not None
    assert after.sets * after.reps < before.sets * before.reps


def test_numbness_ends_the_session_and_asks_for_a_new_screen(tmp_path: Path, db_url: str) -> None:
    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 10)
    target = live.plan.items[1].exercise_id
    answers = AutoAnswers.from_data({"exercises": {target: {"pain": 2, "numbness": True}}})
    summary = run_auto(live, answers, 0, 0.0)
    assert summary.ended_by == "rescreen"
    with pytest.raises(PlanRefused) as refused:
        plan_for(person)
    assert refused.value.code == "rescreen"
    screened(person)
    assert plan_for(person).items


@pytest.mark.parametrize("live_row", [True, False], ids=["live-row", "records-only"])
def test_resume_continues_without_a_set_twice(tmp_path: Path, db_url: str, live_row: bool) -> None:
    """After a crash the session carries on from its saved live state (or, without a live
    row, from the records at its next unsaved set); no set is ever saved twice."""
    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 15)
    from backcoach.session import PainReport, Tick

    live.engine.send(PainReport(0.0, 1))
    now = 0.0
    while len(person.store.sets(live.session_id)) < 2:
        now += 0.5
        view = live.engine.progress(now)
        if view.awaiting == "pain":
            live.engine.send(PainReport(now, 0))
        elif view.awaiting == "rating":
            from backcoach.session import Rate

            live.engine.send(Rate(now, "about-right"))
        else:
            live.engine.send(Tick(now))
    saved_before = [
        (s.item_index, s.set_number, s.side) for s in person.store.sets(live.session_id)
    ]
    del live  # the process "dies" here: nothing more is sent
    if live_row:
        with pytest.raises(Conflict) as busy:  # it was heard a moment ago: not without asking
            resume_here(make_person(tmp_path, db_url), 100.0)
        assert busy.value.code == "session-elsewhere"
    else:
        with person.store.scoped() as s:
            s.execute(delete(LiveSessionRow))
    again = resume_here(make_person(tmp_path, db_url), 100.0, take_over=True)
    assert again is not None and again.resumed
    summary = run_auto(again, AutoAnswers(), 0, 100.0)
    rows = person.store.sets(again.session_id)
    keys = [(s.item_index, s.set_number, s.side) for s in rows]
    assert len(keys) == len(set(keys)), "a set was saved twice"
    assert set(saved_before) <= set(keys)
    assert summary.pain_before == 1
    assert person.store.session(again.session_id).status == "finished"  # type: ignore[union-attr]


def test_a_skipped_exercise_gets_no_new_decision(tmp_path: Path, db_url: str) -> None:
    from backcoach.session import PainReport, Skip

    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 10)
    live.engine.send(PainReport(0.0, 1))
    skipped = live.plan.items[0].exercise_id
    live.engine.send(Skip(1.0))
    run_auto(live, AutoAnswers(), 0, 2.0)
    mine = [d for d in person.store.decisions() if d.session_id == live.session_id]
    assert skipped not in {d.exercise_id for d in mine}
    assert {d.exercise_id for d in mine} == {i.exercise_id for i in live.plan.items[1:]}


def test_a_resumed_session_gets_its_progression_decisions(tmp_path: Path, db_url: str) -> None:
    from backcoach.session import PainReport, Tick

    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 10)
    live.engine.send(PainReport(0.0, 1))
    now = 0.0
    while not person.store.sets(live.session_id):
        now += 0.5
        live.engine.send(Tick(now))
    again = resume_here(make_person(tmp_path, db_url), 50.0, take_over=True)
    assert again is not None
    run_auto(again, AutoAnswers(), 0, 50.0)
    decided = {d.exercise_id for d in person.store.decisions() if d.session_id == again.session_id}
    assert decided == {i.exercise_id for i in again.plan.items}


def test_back_restarts_an_exercise_and_its_old_sets_no_longer_count(
    tmp_path: Path, db_url: str
) -> None:
    from backcoach.session import Back, PainReport, Tick

    person = screened(make_person(tmp_path, db_url))
    live = start_auto(person, 20)
    index = next(i for i, item in enumerate(live.plan.items) if item.sets >= 2)
    live.engine.send(PainReport(0.0, 1))
    now = 0.0
    while not [s for s in person.store.sets(live.session_id) if s.item_index == index]:
        now += 0.5
        view = live.engine.progress(now)
        if view.awaiting is not None:
            run_auto_answer = PainReport(now, 0) if view.awaiting == "pain" else None
            if run_auto_answer is None:
                from backcoach.session import Rate

                live.engine.send(Rate(now, "about-right"))
            else:
                live.engine.send(run_auto_answer)
        else:
            live.engine.send(Tick(now))
    now += 10
    live.engine.send(Tick(now))
    live.engine.send(Back(now))  # well into the exercise: restart it
    assert [s for s in person.store.sets(live.session_id) if s.item_index == index] == []
    run_auto(live, AutoAnswers(), 0, now)
    sets = [s for s in person.store.sets(live.session_id) if s.item_index == index]
    assert len(sets) == live.plan.items[index].sets * (2 if live.plan.items[index].per_side else 1)


def test_a_recorded_acute_flare_never_raises_a_dose(tmp_path: Path, db_url: str) -> None:
    person = screened(make_person(tmp_path, db_url))
    update_profile(person.store, conditions=[{"id": "acute-flare"}])
    easy = AutoAnswers.from_data({"default": {"pain": 0, "rating": "too-easy"}})
    for day in ("2026-11-02", "2026-11-04", "2026-11-06"):
        c = make_person(tmp_path, db_url, today=day)
        run_auto(start_auto(c, 10), easy, 0, 0.0)
    actions = {d.action for d in person.store.decisions()}
    assert actions and not actions & {"more", "progress-to"}, actions


def test_a_session_ending_on_a_later_day_is_decided_on_that_day(
    tmp_path: Path, db_url: str
) -> None:
    """``today`` is asked when it is needed: a session begun before midnight and ended after
    it is planned for the first day and its decisions are made on the second."""
    import datetime as dt

    person = screened(make_person(tmp_path, db_url))
    days = [dt.date(2026, 11, 2)]
    live = begin(person.store, person.catalogue, lambda: days[0], "auto", 0.0, minutes=10)
    assert live.plan.date == dt.date(2026, 11, 2)
    days[0] = dt.date(2026, 11, 3)
    run_auto(live, AutoAnswers(), 0, 0.0)
    mine = [d for d in person.store.decisions() if d.session_id == live.session_id]
    assert mine and {d.decided_on for d in mine} == {dt.date(2026, 11, 3)}


def test_carrying_on_locks_the_person_once(tmp_path: Path, db_url: str) -> None:
    """Taking over a session locks the person's row, then the live row: each once. (The
    explicit lock before reading the unfinished session and the one ``lock`` takes first used
    to send the same ``FOR UPDATE`` on the person twice.)"""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    person = screened(make_person(tmp_path, db_url))
    start_auto(person, 15)
    locks: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "FOR UPDATE" in statement:
            locks.append(statement.split("FROM", 1)[1].split()[0])

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        again = resume_here(make_person(tmp_path, db_url), 100.0, take_over=True)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert again is not None
    if db_url.startswith("postgresql"):
        assert locks.count("people") == 1, locks
        assert locks.count("live_sessions") == 1, locks
    else:  # SQLite has no row locks: the write transaction holds the database
        assert locks == []
