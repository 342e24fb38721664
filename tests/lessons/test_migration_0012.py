"""Migration 0012 (lesson marks) on SQLite and PostgreSQL: it adds the table the models
describe, keeps what was there, one row per person and lesson, and goes back cleanly."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from backcoach.records.db import alembic_config, current_revision, make_engine
from backcoach.records.tables import Base

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def test_upgrade_adds_lesson_marks_and_downgrade_removes_only_it(db_url: str) -> None:
    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    command.upgrade(cfg, "0011")
    with engine.connect() as conn:  # personal mode's person 1 (migration 0004)
        people = conn.execute(text("SELECT count(*) FROM people WHERE id = 1")).scalar()
    assert people == 1
    assert "lesson_marks" not in inspect(engine).get_table_names()
    command.upgrade(cfg, "0012")
    assert current_revision(engine) == "0012"
    assert "lesson_marks" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diffs if "lesson_marks" in repr(d)]
    assert mine == [], mine
    insert = text(
        "INSERT INTO lesson_marks (person_id, lesson_id, read_on) VALUES (1, 'scans', :on)"
    )
    with engine.begin() as conn:
        conn.execute(insert, {"on": NOW.date()})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"on": NOW.date()})  # one row per person and lesson
    command.downgrade(cfg, "0011")
    assert current_revision(engine) == "0011"
    assert "lesson_marks" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM people WHERE id = 1")).scalar() == 1
    command.upgrade(cfg, "head")
    assert "lesson_marks" in inspect(engine).get_table_names()
    engine.dispose()
