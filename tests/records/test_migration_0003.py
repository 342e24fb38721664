"""Migration 0003 (the activity scale) on a database holding 0002-era records."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from backcoach.records.db import SCHEMA_HEAD, alembic_config, current_revision, make_engine, upgrade


def test_upgrade_keeps_records_and_downgrade_removes_only_the_new_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    command.upgrade(cfg, "0002")
    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO pain_reports (moment, score, sharp, spreading, numbness, decision,"
                " reported_at) VALUES ('daily', 4, false, false, false, '{}', :at)"
            ),
            {"at": now},
        )
    assert "activities" not in inspect(engine).get_table_names()
    command.upgrade(cfg, "0003")
    assert current_revision(engine) == "0003"
    tables = set(inspect(engine).get_table_names())
    assert {"activities", "activity_ratings", "pain_reports"} <= tables
    with engine.begin() as conn:
        assert conn.execute(text("SELECT score FROM pain_reports")).scalar() == 4
        conn.execute(
            text(
                "INSERT INTO activities (name, added_on, created_at) "
                "VALUES ('putting on socks', :on, :at)"
            ),
            {"on": now.date(), "at": now},
        )
    command.downgrade(cfg, "0002")
    assert current_revision(engine) == "0002"
    tables = set(inspect(engine).get_table_names())
    assert "activities" not in tables and "activity_ratings" not in tables
    with engine.connect() as conn:
        assert conn.execute(text("SELECT score FROM pain_reports")).scalar() == 4
    upgrade(engine)  # and forward again
    assert current_revision(engine) == SCHEMA_HEAD
    engine.dispose()
