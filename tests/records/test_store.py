from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from sqlalchemy import inspect

from backcoach.records.db import SCHEMA_HEAD, current_revision, make_engine, open_database, upgrade
from backcoach.records.store import Store


def test_migrations_reach_head_and_are_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_HEAD
    upgrade(engine)  # a second run changes nothing
    tables = set(inspect(engine).get_table_names())
    assert {"profile", "screens", "plans", "sessions", "set_logs", "pain_reports"} <= tables


def test_schema_head_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    from backcoach.records.db import MIGRATIONS_DIR

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


def test_sqlite_file_is_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "backcoach.db"
    factory = open_database(f"sqlite:///{path}")
    Store(factory).save_profile({"minutes": 10})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with factory() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_profile_and_screen_round_trip(db_url: str) -> None:
    store = Store(open_database(db_url))
    assert store.load_profile() is None
    store.save_profile({"minutes": 20, "conditions": [{"id": "knee"}]})
    store.save_profile({"minutes": 25, "conditions": []})
    assert store.load_profile() == {"minutes": 25, "conditions": []}
    first = store.add_screen(
        taken_on=dt.date(2026, 11, 1),
        tier="soon",
        flags=["night_pain"],
        unanswered=[],
        answers={"night_pain": "yes"},
        advice="see a clinician within days",
    )
    store.record_clearance(first, dt.date(2026, 11, 3), "Dr Okafor")
    current = store.current_screen()
    assert current is not None and current.id == first
    assert current.cleared_on == dt.date(2026, 11, 3) and current.cleared_by == "Dr Okafor"
    assert current.flags == ["night_pain"]


def test_models_and_migrations_agree(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from backcoach.records.tables import Base

    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_a_set_is_saved_once_even_when_replayed(db_url: str) -> None:
    store = Store(open_database(db_url))
    plan_id = store.save_plan(dt.date(2026, 11, 21), {"items": []}, flare_up=False)
    session_id = store.start_session(plan_id, mode="auto")
    fields = dict(item_index=0, exercise_id="bridge", set_number=1, target_reps=10, reps=4)
    assert store.save_set(session_id, **fields, complete=False) is True
    assert store.save_set(session_id, **{**fields, "reps": 9}) is False
    rows = store.sets(session_id)
    assert [(r.exercise_id, r.reps, r.target_reps, r.side, r.complete) for r in rows] == [
        ("bridge", 9, 10, "both", True)
    ]
    assert store.unfinished_session() is not None
    store.finish_session(session_id, "finished", pain_after=2)
    assert store.unfinished_session() is None


def test_outcome_stop_outranks_finish_and_rating_kept(db_url: str) -> None:
    store = Store(open_database(db_url))
    session_id = store.start_session(store.save_plan(dt.date(2026, 11, 21), {}, False), "auto")
    store.save_outcome(session_id, 0, "bridge", "stopped", {"reasons": ["sharp"]})
    store.save_rating(session_id, 0, "bridge", "too-hard")
    (row,) = store.outcomes(session_id)
    assert (row.outcome, row.rating, row.details) == ("stopped", "too-hard", {"reasons": ["sharp"]})


def test_forget_everything(db_url: str) -> None:
    store = Store(open_database(db_url))
    session_id = store.start_session(store.save_plan(dt.date(2026, 11, 21), {}, False), "auto")
    store.save_set(session_id, item_index=0, exercise_id="bridge", set_number=1)
    store.save_pain(moment="before", score=3, session_id=session_id)
    store.save_profile({"minutes": 5})
    store.forget_everything()
    assert store.sessions() == [] and store.load_profile() is None and store.all_sets() == []
