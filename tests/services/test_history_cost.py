"""A request costs the same with 5 or 60 past sessions, and gives what the whole history gives.

Five real automatic sessions over two weeks (check-ins, a next-day answer, a pain stop, a
warning-sign stop and its restore, a move to a harder exercise, a flare-up, an undated decision
as old records have) make a template. A store with N past sessions lays the template's rows
down N / 5 times, each block two weeks before the next, the template's own rows last and
newest, on SQLite and on PostgreSQL.

- The SQL statements of ``/today``, ``/api/plan``, ``/progress``, progression's
  ``after_session`` and the report's data are counted (a ``before_cursor_execute`` listener)
  at 5 and at 60 sessions: the counts must be equal. A count that grew with the history is
  the per-session query this issue removed.
- What the windowed reads give is compared with what the same rules give from every row,
  computed here from the raw records the slow way (one query per session, as before): the
  programme's state on many days (before, during and after the flare-up, and in the middle of
  the history with later decisions on record), the decisions of ``after_session`` and
  ``answer_next_day``, the progress summary's figures and the report's lists and counts.
- Read-only work takes no write lock on SQLite: a page is read while another connection holds
  the write lock, and a read-only request issues no ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.planning.program_state import program_state, restore
from backcoach.planning.progression import (
    BUILDING_WEEKS,
    EASY_SESSIONS_TO_PROGRESS,
    Done,
    DoseValues,
    ExerciseLog,
    decide,
)
from backcoach.planning.state import Action, Decision, DoseOverride
from backcoach.records.db import open_database
from backcoach.records.outcomes import (
    activity_change,
    first_and_latest_week,
    pain_change,
)
from backcoach.records.outcomes_store import PAIN_BEFORE, PAIN_NOW, WORST_24H
from backcoach.records.store import Store, as_utc, local_day
from backcoach.records.tables import (
    ActivityRatingRow,
    ActivityRow,
    ExerciseOutcomeRow,
    PainReportRow,
    PlanRow,
    ProfileRow,
    ProgressionDecisionRow,
    ScreenRow,
    SessionRow,
    SetLogRow,
)
from backcoach.reports.report import REPORT_DECISIONS, REPORT_EVENTS, REPORT_WEEKS
from backcoach.safety.signs import SIGNS
from backcoach.services import outcomes
from backcoach.services.adherence import (
    SUMMARY_WEEKS,
    DoneSession,
    due_so_far,
    planned_weekdays,
    streak,
    summary_start,
    week_start,
    weekly,
)
from backcoach.services.documents import report_data
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import load_profile, update_profile
from backcoach.services.progress import for_people, progress_summary
from backcoach.services.progression import (
    NEXT_DAY,
    _decision_from_row,
    _since_restore,
    decide_after_session,
    logs_for,
    next_day_questions,
    pain_before,
    record_next_day_answer,
    save_decision,
    start_flare_up_if_due,
)
from backcoach.services.progression import (
    program_state as state_of,
)
from backcoach.services.saved import saved_plan
from backcoach.services.screening import take_screen
from backcoach.services.session_summary import figures
from backcoach.services.sessions import AutoAnswers, begin, run_auto
from backcoach.web.app import create_app
from tests.dbfixtures import pg_schema_url
from tests.histories import Rows, lay_down

START = dt.date(2026, 9, 7)  # a Monday
DAYS = [START + dt.timedelta(days=n) for n in (0, 2, 4, 7, 9)]
TODAY = START + dt.timedelta(days=11)  # the Friday after the last session, a planned day
BLOCK = dt.timedelta(weeks=2)
SMALL, LARGE = 5, 60
PAGES = ("/today", "/api/plan", "/progress")

PER_BLOCK = (
    PlanRow,
    SessionRow,
    SetLogRow,
    ExerciseOutcomeRow,
    PainReportRow,
    ProgressionDecisionRow,
    ActivityRatingRow,
    ScreenRow,
)

ONCE = (ProfileRow, ActivityRow)


# --- the records --------------------------------------------------------------------------------


def person_on(home: Path, day: dt.date, url: str | None = None) -> PersonContext:
    env = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": day.isoformat()}
    if url is not None:
        env["BACKCOACH_DATABASE_URL"] = url
    return AppContext(Settings.from_environ(env)).person()


def run_session(person: PersonContext, answers: dict[str, Any]) -> int:
    for session_id, index, exercise_id, _ in next_day_questions(person.store, person.today()):
        record_next_day_answer(
            person.store,
            person.catalogue,
            person.today(),
            session_id,
            index,
            exercise_id,
            settled=False,
        )
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10)
    run_auto(live, AutoAnswers.from_data(answers), 0, 0.0)
    return live.session_id


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """Five real sessions with every kind of record progression and progress read."""
    home = tmp_path_factory.mktemp("template")
    first = person_on(home, DAYS[0])
    take_screen(first.store, first.today(), {s.id: "no" for s in SIGNS})
    update_profile(first.store, days=["mon", "wed", "fri"], minutes=10)
    socks = outcomes.add_activity(first.store, first.today(), "putting on socks")
    film = outcomes.add_activity(first.store, first.today(), "sitting through a film")
    ids = [
        item.exercise_id
        for item in todays_plan(first.store, first.catalogue, first.today(), minutes=10).items
    ]
    assert len(ids) >= 4, ids
    for n, day in enumerate(DAYS):
        person = person_on(home, day)
        outcomes.record_pain(person.store, now=3 + n % 2, worst_24h=6 - n)
        if n in (0, 3):
            outcomes.rate_activities(person.store, person.today(), {socks.id: 2 + n, film.id: 5})
        answers: dict[str, Any] = {
            "pain_before": 3,
            "pain_after": 2,
            "default": {"pain": 1, "rating": "too-easy"},
        }
        if n == 1:
            answers["exercises"] = {ids[0]: {"pain": 4, "rating": "about-right"}}
        if n == 2:  # a pain stop and a warning-sign stop
            answers["exercises"] = {ids[1]: {"pain": 7}, ids[2]: {"pain": 3, "sharp": True}}
        if n == 3:  # the dropped exercise brought back, and a move to a harder exercise
            current = state_of(person.store, person.today())
            for dropped in current.dropped:
                save_decision(
                    person.store, restore(person.catalogue.get(dropped), current, day, "person")
                )
            mover = next(
                (
                    person.catalogue.get(i)
                    for i in ids
                    if person.catalogue.get(i).progression is not None
                ),
                None,
            )
            if mover is not None:
                harder = person.catalogue.get(mover.progression or "")
                save_decision(
                    person.store,
                    Decision(
                        decided_on=day,
                        exercise_id=mover.id,
                        action="progress-to",
                        dose=DoseOverride(sets=1),
                        replacement=harder.id,
                        reason=f"{mover.name} was easy at its top dose.",
                    ),
                )
        run_session(person, answers)
        if n == 2:  # a flare-up: gentle days, then a week of lower doses and new ones
            assert (
                start_flare_up_if_due(person.store, person.today(), said_flare_up=True) is not None
            )
        if n == 4:  # a decision without a day, as records from before migration 0002 have
            person.store.save_decision(ids[0], "same", {}, "An old record.", decided_on=None)
    rows: Rows = {}
    with person_on(home, TODAY).store.scoped() as s:
        for entity in ONCE + PER_BLOCK:
            names = [c.key for c in entity.__table__.columns]  # type: ignore[attr-defined]
            found = s.scalars(select(entity).order_by(entity.id))  # type: ignore[attr-defined]
            rows[entity] = [{k: getattr(r, k) for k in names} for r in found]
    assert len(rows[SessionRow]) == len(DAYS)
    actions = {r["action"] for r in rows[ProgressionDecisionRow]}
    assert {"drop", "less", "restore", "flare-up"} <= actions, actions
    assert any(r["outcome"] == "stopped" for r in rows[ExerciseOutcomeRow])
    assert any(r["moment"] == NEXT_DAY for r in rows[PainReportRow])
    return rows


def fill(person: PersonContext, template: Rows, sessions: int) -> None:
    """The template laid down ``sessions // 5`` times, oldest block first, ids in date order."""
    blocks = sessions // len(template[SessionRow])
    with person.store.scoped() as s:
        lay_down(s, template, blocks, BLOCK, PER_BLOCK, ONCE)


@pytest.fixture
def second_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    schemas = pg_schema_url()
    yield next(schemas)
    schemas.close()


@pytest.fixture
def stores(template: Rows, db_url: str, second_url: str, tmp_path: Path) -> dict[int, Path]:
    """Homes with ``SMALL`` and ``LARGE`` past sessions; their database URL in ``urls``."""
    homes = {}
    for size, url in ((SMALL, db_url), (LARGE, second_url)):
        home = tmp_path / f"home-{size}"
        home.mkdir()
        (home / "url").write_text(url)
        fill(person_on(home, TODAY, url), template, size)
        homes[size] = home
    return homes


def person_of(home: Path, day: dt.date = TODAY) -> PersonContext:
    return person_on(home, day, (home / "url").read_text())


# --- counting statements --------------------------------------------------------------------------


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(statement)

    @contextmanager
    def during(self) -> Iterator[list[str]]:
        self.seen = []
        event.listen(Engine, "before_cursor_execute", self)
        try:
            yield self.seen
        finally:
            event.remove(Engine, "before_cursor_execute", self)


def count(work: Callable[[], Any]) -> list[str]:
    statements = Statements()
    with statements.during() as seen:
        work()
    return list(seen)


def client_for(home: Path) -> TestClient:
    env = {
        "BACKCOACH_HOME": str(home),
        "BACKCOACH_TODAY": TODAY.isoformat(),
        "BACKCOACH_DATABASE_URL": (home / "url").read_text(),
    }
    return TestClient(
        create_app(Settings.from_environ(env), test_client=True), base_url="http://127.0.0.1"
    )


def test_statements_per_request_are_the_same_at_5_and_60_sessions(
    stores: dict[int, Path],
) -> None:
    counted: dict[str, dict[int, list[str]]] = defaultdict(dict)
    for size, home in stores.items():
        with client_for(home) as client:
            for path in PAGES:
                client.get(path).raise_for_status()  # opened and migrated once, before counting

                def get(path: str = path) -> None:
                    client.get(path).raise_for_status()

                counted[path][size] = count(get)
        person = person_of(home)
        counted["report data"][size] = count(
            lambda c=person: report_data(c.store, c.catalogue, c.today())
        )
        last = max(r.id for r in person.store.sessions())
        decided: list[Decision] = []

        def end(c: PersonContext = person, last: int = last, out: list[Decision] = decided) -> None:
            out.extend(decide_after_session(c.store, c.catalogue, c.today(), last))

        counted["after_session"][size] = count(end)
        assert decided, "the last session's exercises were decided again"
    for what, by_size in counted.items():
        small, large = by_size[SMALL], by_size[LARGE]
        assert len(small) == len(large), f"{what}: {len(small)} statements at 5, {len(large)} at 60"
        assert len(large) <= 45, f"{what}: {len(large)} statements"
    # The progress page reads in one transaction for its summary and one for its sessions.
    progress = counted["/progress"][LARGE]
    if (stores[LARGE] / "url").read_text().startswith("sqlite"):
        assert not [s for s in progress if s.startswith("BEGIN IMMEDIATE")]
        assert len([s for s in progress if s == "BEGIN"]) <= 4


# --- the same answers as the whole history --------------------------------------------------------


def whole_history_logs(person: PersonContext) -> dict[str, list[ExerciseLog]]:
    """Every exercise's logs from every session, one query per session (the old way)."""
    store = person.store
    settled = {
        (p.session_id, p.item_index): bool(p.decision.get("settled"))
        for p in store.pain_reports()
        if p.moment == NEXT_DAY and p.session_id is not None and p.item_index is not None
    }
    logs: dict[str, list[ExerciseLog]] = defaultdict(list)
    for session in sorted(store.sessions(), key=lambda s: (as_utc(s.started_at), s.id)):
        plan_row = store.plan(session.plan_id)
        if session.status == "in-progress" or plan_row is None:
            continue
        plan, sets = saved_plan(plan_row), store.sets(session.id)
        done = {o.item_index: o for o in store.outcomes(session.id)}
        pains = store.pain_reports(session.id)
        for index, item in enumerate(plan.items):
            o = done.get(index)
            if o is None or o.outcome == "skipped":
                continue
            rows = [s for s in sets if s.item_index == index and s.complete]
            counted = item.reps is not None
            scores = {
                m: [p.score for p in pains if p.item_index == index and p.moment == m]
                for m in ("during-exercise", "after-exercise")
            }
            stopped = o.outcome == "stopped"
            mine = sorted((p for p in pains if p.item_index == index), key=lambda p: p.id)
            logs[item.exercise_id].append(
                ExerciseLog(
                    date=local_day(session.started_at),
                    exercise_id=item.exercise_id,
                    planned=DoseValues(
                        item.sets, item.reps, item.hold_seconds, item.duration_seconds
                    ),
                    done=Done(
                        sets=len({r.set_number for r in rows}),
                        reps=min((r.reps or 0 for r in rows), default=0) if counted else None,
                        hold_seconds=min((r.hold_seconds or 0 for r in rows), default=0)
                        if counted and rows
                        else 0,
                        duration_seconds=None
                        if counted
                        else min((r.duration_seconds or 0 for r in rows), default=0),
                    ),
                    rating=o.rating,  # type: ignore[arg-type]
                    pain_during=max(scores["during-exercise"], default=None),
                    pain_after=max(scores["after-exercise"], default=None),
                    stop=_stop_kind(o) if stopped else None,
                    stop_reasons=tuple(o.details.get("reasons", ())) if stopped else (),
                    next_day_settled=settled.get((session.id, index)),
                    pain_before=pain_before(pains, mine[0]) if mine else None,
                )
            )
    return logs


def _stop_kind(o: ExerciseOutcomeRow) -> str:
    return "flag" if o.details.get("not_tolerated") else "pain"


def whole_history_state(person: PersonContext) -> Any:
    return program_state([_decision_from_row(r) for r in person.store.decisions()], person.today())


def test_state_and_decisions_match_the_whole_history(stores: dict[int, Path]) -> None:
    home = stores[LARGE]
    first_day = START - BLOCK * (LARGE // SMALL - 1)
    # before, during and after the flare-up and its lower week, and days with later decisions
    days = [TODAY + dt.timedelta(days=n) for n in range(-15, 5)]
    days += [first_day + dt.timedelta(days=n) for n in (0, 3, 10, 40, 85)]
    redosed = 0
    for day in days:
        person = person_of(home, day)
        expected = whole_history_state(person)
        assert state_of(person.store, person.today()) == expected, day
        redosed += len(expected.redosed_since_flare)
    assert redosed  # the lower week after a flare-up was among them
    person = person_of(home)
    current = whole_history_state(person)
    assert current.dropped or current.replaced or current.doses
    every = whole_history_logs(person)
    windowed = logs_for(person.store, every)
    allowed = {ex.id: ex for ex in person.catalogue}
    # The window, not the whole history: a part of every log, ending with the same one.
    assert sum(map(len, windowed.values())) < sum(map(len, every.values())) / 2
    for exercise_id, history in every.items():
        kept = windowed[exercise_id]
        assert all(log in history for log in kept)
        # What decide reads: the last two logs, every log of the last BUILDING_WEEKS weeks,
        # every stop.
        assert kept[-EASY_SESSIONS_TO_PROGRESS:] == history[-EASY_SESSIONS_TO_PROGRESS:]
        last = history[-1].date
        weeks = last - dt.timedelta(days=last.weekday(), weeks=BUILDING_WEEKS - 1)
        assert [g for g in kept if g.date >= weeks] == [g for g in history if g.date >= weeks]
        assert [g for g in kept if g.stop] == [g for g in history if g.stop]
        expected = decide(
            person.catalogue.get(exercise_id),
            _since_restore(history, current, exercise_id),
            allowed,
            TODAY,
        )
        got = decide(
            person.catalogue.get(exercise_id),
            _since_restore(kept, current, exercise_id),
            allowed,
            TODAY,
        )
        assert got == expected, exercise_id
    # after_session decides the last session's exercises exactly as from every log.
    last = max(person.store.sessions(), key=lambda s: (as_utc(s.started_at), s.id))
    expected_made = _expected_after_session(person, last.id)
    assert (
        decide_after_session(person.store, person.catalogue, person.today(), last.id)
        == expected_made
        and expected_made
    )


def test_state_from_a_few_decisions_is_the_state_from_all_of_them(
    db_url: str, tmp_path: Path
) -> None:
    """Decisions of every action on shuffled days (a later id may carry an earlier day, some
    have no day at all, as records from before migration 0002): the few rows the state is
    folded from give the state that every row gives, on every day."""
    rng = random.Random(13)
    now = [dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)]
    store = Store(open_database(db_url), clock=lambda: now[0])
    exercises = ["reach", "turn", "bridge", "plank", "walk"]
    actions: list[Action] = list(get_args(Action))
    first = dt.date(2026, 1, 1)
    for _ in range(400):
        action = rng.choice(actions)
        day = first + dt.timedelta(days=rng.randrange(120))
        now[0] = dt.datetime.combine(day, dt.time(12)).astimezone(dt.UTC)
        exercise_id = "*" if action == "flare-up" else rng.choice(exercises)
        moves = action in ("progress-to", "regress-to")
        store.save_decision(
            exercise_id,
            action,
            {} if action in ("drop", "flare-up") else {"reps": rng.randrange(4, 16)},
            f"{action} {exercise_id} on {day}",
            decided_on=None if rng.random() < 0.05 else day,
            replacement=rng.choice([e for e in exercises if e != exercise_id]) if moves else None,
            until=day + dt.timedelta(days=2) if action == "flare-up" else None,
        )
    every = [_decision_from_row(row) for row in store.decisions()]
    redosed = 0
    for offset in range(-2, 125):
        day = first + dt.timedelta(days=offset)
        expected = program_state(every, day)
        later = person_on(tmp_path, day, db_url)
        assert state_of(later.store, later.today()) == expected, day
        redosed += len(expected.redosed_since_flare)
    assert redosed


def _expected_after_session(person: PersonContext, session_id: int) -> list[Decision]:
    from backcoach.services.progression import _allowed_exercises, _in_flare

    store, current = person.store, whole_history_state(person)
    session = store.session(session_id)
    assert session is not None
    plan_row = store.plan(session.plan_id)
    assert plan_row is not None
    done = {
        o.item_index for o in store.outcomes(session_id) if o.outcome in ("finished", "stopped")
    }
    logs = whole_history_logs(person)
    allowed = _allowed_exercises(person.store, person.catalogue, person.today(), current)
    made = []
    for index, item in enumerate(saved_plan(plan_row).items):
        history = _since_restore(logs.get(item.exercise_id, []), current, item.exercise_id)
        if index in done and history:
            made.append(
                decide(
                    person.catalogue.get(item.exercise_id),
                    history,
                    allowed,
                    person.today(),
                    in_flare_up=_in_flare(person.store, person.today(), current),
                )
            )
    return made


def whole_history_done(person: PersonContext) -> list[DoneSession]:
    """Every session that counts as done, with its minutes, one query per session."""
    store, out = person.store, []
    for row in sorted(store.sessions(), key=lambda r: (as_utc(r.started_at), r.id)):
        plan_row = store.plan(row.plan_id)
        complete = [s for s in store.sets(row.id) if s.complete]
        if row.status == "in-progress" or plan_row is None or not complete:
            continue
        seconds = figures(saved_plan(plan_row), store.sets(row.id)).active_seconds
        day = local_day(row.started_at)
        out.append(DoneSession(row.id, day, row.status, round(seconds / 60, 1)))
    return out


def daily(person: PersonContext, moments: tuple[str, ...]) -> list[tuple[dt.date, int]]:
    by_day: dict[dt.date, int] = {}
    for p in person.store.pain_reports():
        if p.moment in moments:
            day = local_day(p.reported_at)
            by_day[day] = max(by_day.get(day, 0), p.score)
    return sorted(by_day.items())


@pytest.mark.parametrize(
    ("size", "weeks_later"),
    [(SMALL, 0), (LARGE, 0), (LARGE, 26)],  # 26: nothing recorded in the summary's weeks
)
def test_progress_summary_matches_the_whole_history(
    stores: dict[int, Path], size: int, weeks_later: int
) -> None:
    today = TODAY + dt.timedelta(weeks=weeks_later)
    person = person_of(stores[size], today)
    summary = progress_summary(person.store, person.catalogue, person.today())
    since = summary_start(today)
    recorded = weeks_later == 0
    # Pain: the series of the summary's weeks; the change from the very first week.
    for key, moments, measure, label in (
        ("now", (PAIN_BEFORE, PAIN_NOW), "pain_now", "pain now"),
        ("worst_24h", (WORST_24H,), "pain_worst", "worst pain"),
    ):
        every = daily(person, moments)
        block = summary["pain"][key]
        shown = [{"date": d.isoformat(), "score": s} for d, s in every if d >= since]
        assert block["series"] == shown and bool(shown) == recorded
        compared = first_and_latest_week([(d, float(s)) for d, s in every])
        assert compared is not None
        rounded = (for_people(v) for v in compared)  # means as a person says them
        assert block["change"] == pain_change(measure, label, *rounded).as_dict()
    # Activities: first rating against latest, however old.
    ratings = _ratings(person)
    for act in summary["activities"]["current"]:
        mine = [r for r in ratings if r.activity_id == act["id"]]
        expected = activity_change(act["id"], act["name"], mine[0].score, mine[-1].score)
        assert act["change"] == expected.as_dict()
        kept = [r for r in mine if r.rated_on >= since or r in (mine[0], mine[-1])]
        assert act["ratings"] == [{"date": r.rated_on.isoformat(), "score": r.score} for r in kept]
    means = defaultdict(list)
    for r in ratings:
        if r.rated_on >= since:
            means[r.rated_on].append(r.score)
    assert summary["activities"]["mean_series"] == [
        {"date": d.isoformat(), "score": round(sum(v) / len(v), 1)}
        for d, v in sorted(means.items())
    ]
    # Adherence over the summary's weeks, planned days counted from the first session ever.
    done = whole_history_done(person)
    window = [s for s in done if s.day >= since]
    planned = planned_weekdays(load_profile(person.store).days)
    a = summary["adherence"]
    weeks = weekly(window, planned, today, done[0].day, since)
    all_weeks = (today - week_start(done[0].day)).days // 7 + 1
    assert a["weeks"] == weeks and len(weeks) == min(SUMMARY_WEEKS, all_weeks)
    assert a["total"] == {
        "planned": sum(w["planned"] for w in weeks),
        "due": due_so_far(window, planned, today, done[0].day, since),
        "done": len(window),
        "minutes": round(sum(s.minutes for s in window), 1),
    }
    assert a["streak"] == streak(window, planned, today)
    assert a["session_days"] == sorted({s.day.isoformat() for s in window})
    assert a["first_session_day"] == done[0].day.isoformat()
    if size == SMALL:  # all of it in the window: what the summary always gave
        assert a["weeks"] == weekly(done, planned, today)
        assert a["streak"] == streak(done, planned, today)
        assert a["total"]["due"] == due_so_far(done, planned, today)
    starts = {s.id: local_day(s.started_at) for s in person.store.sessions()}
    stops = [
        o
        for o in person.store.outcomes()
        if o.outcome == "stopped" and starts[o.session_id] >= since
    ]
    assert [(s["session_id"], s["exercise_id"]) for s in a["stopped"]] == [
        (o.session_id, o.exercise_id) for o in stops
    ]
    assert bool(stops) == recorded
    recent = [
        d for d in person.store.decisions() if (d.decided_on or local_day(d.decided_at)) >= since
    ]
    assert [(f["date"], f["reason"]) for f in a["flare_ups"]] == [
        (str(d.decided_on), d.reason) for d in recent if d.action == "flare-up"
    ]
    said: dict[str, tuple[str, str]] = {}  # a decision repeated word for word is listed once
    listed = []
    for d in recent:
        if said.get(d.exercise_id) != (d.action, d.reason):
            listed.append((d.action, d.reason))
        said[d.exercise_id] = (d.action, d.reason)
    assert [(d["action"], d["reason"]) for d in summary["decisions"]] == listed
    # What is due today, from every check-in.
    assert summary["due"] == _due(person)


def _ratings(person: PersonContext) -> list[Any]:
    return sorted(
        outcomes.outcomes(person.store).activity_ratings(), key=lambda r: (r.rated_on, r.id)
    )


def _due(person: PersonContext) -> dict[str, Any]:
    """outcomes.due_today computed from every pain report and rating."""
    today = person.today()
    worst = daily(person, (WORST_24H,))
    readings = [
        p for p in person.store.pain_reports() if p.moment in (PAIN_BEFORE, PAIN_NOW, WORST_24H)
    ]
    current = outcomes.activities(person.store)
    last = {r.activity_id: r.rated_on for r in _ratings(person)}
    due = [a.id for a in current if a.id not in last or (today - last[a.id]).days >= 7]
    return {
        "worst_pain": not worst or worst[-1][0] != today,
        "activities": bool(due),
        "activity_ids": due,
        "weekly_checkin": not [p for p in readings if (today - local_day(p.reported_at)).days < 7]
        or bool(due),
        "activities_missing": max(0, 3 - len(current)),
    }


def test_report_lists_and_counts_match_the_whole_history(stores: dict[int, Path]) -> None:
    person = person_of(stores[LARGE])
    data = report_data(person.store, person.catalogue, person.today())
    decisions = person.store.decisions()
    changes = [d for d in decisions if d.action not in ("same", "start")]
    assert [(c["action"], c["reason"]) for c in data["changes"]] == [
        (d.action, d.reason) for d in reversed(changes)
    ][:REPORT_DECISIONS]
    assert data["more_changes"] == len(changes) - REPORT_DECISIONS > 0
    assert data["unchanged"] == sum(1 for d in decisions if d.action == "same")
    stops = [o for o in person.store.outcomes() if o.outcome == "stopped"]
    assert [s["session_id"] for s in data["stopped"]] == [o.session_id for o in reversed(stops)][
        :REPORT_EVENTS
    ]
    assert data["more_stopped"] == max(0, len(stops) - REPORT_EVENTS)
    flares = [d for d in decisions if d.action == "flare-up"]
    assert [f["reason"] for f in data["flare_ups"]] == [d.reason for d in reversed(flares)]
    assert len(flares) == LARGE // SMALL
    done = whole_history_done(person)
    all_weeks = (week_start(TODAY) - week_start(done[0].day)).days // 7 + 1
    assert data["earlier_weeks"] == all_weeks - REPORT_WEEKS > 0
    assert REPORT_WEEKS <= SUMMARY_WEEKS  # the summary holds every week the report shows
    assert (
        data["weeks"]
        == progress_summary(person.store, person.catalogue, person.today())["adherence"]["weeks"][
            -REPORT_WEEKS:
        ]
    )
    assert len(data["weeks"]) == REPORT_WEEKS
    assert data["since"] == done[0].day.strftime("%d %b %Y")


# --- read transactions ----------------------------------------------------------------------------


def test_reading_takes_no_write_lock(stores: dict[int, Path], db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    home = stores[SMALL]
    with client_for(home) as client:
        client.get("/progress").raise_for_status()
        seen = count(lambda: client.get("/today").raise_for_status())
        assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen
        holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another process is writing
            for path in PAGES:
                assert client.get(path).status_code == 200
        finally:
            holder.rollback()
            holder.close()
    person = person_of(home)
    writes = count(lambda: update_profile(person.store, minutes=15))
    assert "BEGIN IMMEDIATE" in writes
