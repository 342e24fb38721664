"""People: migration 0004 moves a real release database into person 1, and a store scoped to one
person never reaches another's rows."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, func, insert, inspect, select, text
from sqlalchemy.orm import sessionmaker

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.records.db import (
    SCHEMA_HEAD,
    alembic_config,
    current_revision,
    make_engine,
    open_database,
)
from backcoach.records.outcomes_store import OutcomeStore
from backcoach.records.scoping import UnscopedQuery
from backcoach.records.store import Store
from backcoach.records.tables import (
    CLINIC_TABLES,
    OWNED_BY_TABLE,
    PersonRow,
    ProfileRow,
    ScreenRow,
    SessionRow,
)
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import load_profile
from backcoach.services.screening import gate
from tests.dbfixtures import pg_schema_url

FIXTURE = Path(__file__).with_name("data") / "release-0003.db"
RELEASE_COUNTS = {
    "profile": 1,
    "screens": 1,
    "direction_checks": 0,
    "plans": 5,
    "sessions": 5,
    "set_logs": 35,
    "exercise_outcomes": 25,
    "pain_reports": 37,
    "progression_decisions": 25,
    "activities": 3,
    "activity_ratings": 3,
}
"""What the fixture made by the 0003 release holds (tests/records/data/README.md)."""


def _counts(engine: object) -> dict[str, int]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return {
            name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar()
            for name in RELEASE_COUNTS
        }


ADDED_SINCE = frozenset({"person_id", "comment", "commented_at"})
"""Columns later migrations add (each empty on an old row): not part of what must survive."""


def _snapshot(engine: object) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every personal table, without the columns added since: what must survive
    unchanged."""
    out = {}
    with engine.connect() as conn:  # type: ignore[attr-defined]
        for name in RELEASE_COUNTS:
            rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY id')).mappings().all()
            out[name] = [tuple(v for k, v in row.items() if k not in ADDED_SINCE) for row in rows]
    return out


def test_the_release_database_moves_into_person_1_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "backcoach.db"
    shutil.copy(FIXTURE, path)
    engine = make_engine(f"sqlite:///{path}")
    assert current_revision(engine) == "0003"
    before = _snapshot(engine)
    assert _counts(engine) == RELEASE_COUNTS
    open_database(f"sqlite:///{path}")  # what any command does first: migrate to the head
    assert current_revision(engine) == SCHEMA_HEAD
    assert _counts(engine) == RELEASE_COUNTS
    assert _snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, role FROM people")).all() == [(1, "person")]
        for name in RELEASE_COUNTS:
            owners = conn.execute(text(f'SELECT DISTINCT person_id FROM "{name}"')).scalars()
            assert set(owners) <= {1}, name
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    for name in RELEASE_COUNTS:
        assert "person_id" in {c["name"] for c in inspect(engine).get_columns(name)}
        assert any(i["column_names"] == ["person_id"] for i in inspect(engine).get_indexes(name))


def test_the_migrated_release_database_works_as_before(tmp_path: Path) -> None:
    """The person of the release database carries on: profile, history and a plan."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(FIXTURE, home / "backcoach.db")
    person = AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": "2026-11-12"})
    ).person()
    assert load_profile(person.store).minutes == 15
    assert len(person.store.sessions()) == 5
    assert gate(person.store, person.today()).allowed
    assert todays_plan(person.store, person.catalogue, person.today()).items
    assert len(OutcomeStore(person.store).activities()) == 3


def test_downgrade_and_upgrade_again_keep_every_row(tmp_path: Path) -> None:
    path = tmp_path / "backcoach.db"
    shutil.copy(FIXTURE, path)
    engine = make_engine(f"sqlite:///{path}")
    before = _snapshot(engine)
    cfg = alembic_config(engine)
    command.upgrade(cfg, "0004")
    command.downgrade(cfg, "0003")
    assert "people" not in inspect(engine).get_table_names()
    assert _snapshot(engine) == before
    command.upgrade(cfg, "head")
    assert _snapshot(engine) == before


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


@pytest.mark.postgres
def test_the_release_rows_move_into_person_1_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """The same rows, copied into a PostgreSQL database at revision 0003, then migrated."""
    shutil.copy(FIXTURE, tmp_path / "release.db")  # opening a file may change it: use a copy
    source = make_engine(f"sqlite:///{tmp_path / 'release.db'}")
    target = make_engine(pg_url)
    command.upgrade(alembic_config(target), "0003")
    meta = MetaData()
    meta.reflect(target)
    with source.connect() as src, target.begin() as dst:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r) for r in src.execute(select(table)).mappings()]
            if rows:
                dst.execute(insert(table), rows)
    before = _snapshot(target)
    open_database(pg_url)
    assert current_revision(target) == SCHEMA_HEAD
    assert _counts(target) == RELEASE_COUNTS and _snapshot(target) == before
    with target.connect() as conn:
        for name in RELEASE_COUNTS:
            owners = conn.execute(text(f'SELECT DISTINCT person_id FROM "{name}"')).scalars()
            assert set(owners) <= {1}, name
        # a new person gets a fresh id, not 1 again
        new_id = conn.execute(
            text("INSERT INTO people (role, created_at) VALUES ('person', now()) RETURNING id")
        ).scalar()
        assert new_id == 2
    target.dispose()


# --- scoping ---------------------------------------------------------------------------------


def _two_people(db_url: str) -> tuple[Store, Store, sessionmaker]:  # type: ignore[type-arg]
    factory = open_database(db_url)
    with factory.begin() as s:
        s.add(PersonRow(id=2, role="person", created_at=dt.datetime.now(dt.UTC)))
    one, two = Store(factory, person_id=1), Store(factory, person_id=2)
    for store, tier in ((one, "clear"), (two, "soon")):
        store.save_profile({"minutes": 10 if store is one else 20})
        store.add_screen(
            taken_on=dt.date(2026, 11, 2),
            tier=tier,
            flags=[],
            unanswered=[],
            answers={},
            advice="",
        )
        plan_id = store.save_plan(dt.date(2026, 11, 2), {"items": []}, False)
        session_id = store.start_session(plan_id, "auto")
        store.save_set(session_id, item_index=0, exercise_id="x", set_number=1)
        store.save_pain(moment="before", score=3 if store is one else 7, session_id=session_id)
        store.save_decision("x", "keep", {}, "because", session_id=session_id)
        activity = OutcomeStore(store).add_activity("walking", dt.date(2026, 11, 2))
        OutcomeStore(store).rate_activity(activity.id, dt.date(2026, 11, 2), 5)
    return one, two, factory


def test_each_person_sees_only_their_own_rows(db_url: str) -> None:
    one, two, _ = _two_people(db_url)
    assert one.load_profile() == {"minutes": 10} and two.load_profile() == {"minutes": 20}
    for store in (one, two):
        person = store.person_id
        rows = [
            store.current_screen(),
            *store.screens(),
            *store.sessions(),
            store.unfinished_session(),
            *store.all_sets(),
            *store.pain_reports(),
            *store.decisions(),
            *store.outcomes(),
            *OutcomeStore(store).activities(),
            *OutcomeStore(store).activity_ratings(),
        ]
        assert rows and all(r is not None and r.person_id == person for r in rows)
    assert one.current_screen().tier == "clear" and two.current_screen().tier == "soon"  # type: ignore[union-attr]
    assert [p.score for p in two.pain_reports()] == [7]


def test_a_person_cannot_reach_anothers_row_by_its_id(db_url: str) -> None:
    one, two, _ = _two_people(db_url)
    theirs = one.sessions()[0]
    assert two.session(theirs.id) is None
    assert two.plan(theirs.plan_id) is None
    assert two.sets(theirs.id) == []
    with pytest.raises(LookupError):
        two.finish_session(theirs.id, "finished", None)
    with pytest.raises(LookupError):
        two.record_clearance(one.current_screen().id, dt.date(2026, 11, 3), None)  # type: ignore[union-attr]
    two.set_pain_before(theirs.id, 9)
    assert one.session(theirs.id).status == "in-progress"  # type: ignore[union-attr]
    assert one.session(theirs.id).pain_before is None  # type: ignore[union-attr]


def test_forget_removes_one_person_and_leaves_the_other(db_url: str) -> None:
    one, two, factory = _two_people(db_url)
    two.forget_everything()
    assert two.sessions() == [] and two.load_profile() is None
    assert len(one.sessions()) == 1 and one.load_profile() == {"minutes": 10}
    with factory() as s:
        s.info["backcoach.unscoped"] = True
        assert s.scalar(select(func.count()).select_from(SessionRow)) == 1
        assert s.get(PersonRow, 2) is not None


def test_a_session_without_a_person_cannot_touch_personal_rows(db_url: str) -> None:
    _, _, factory = _two_people(db_url)
    for entity in OWNED_BY_TABLE.values():
        with factory() as s, pytest.raises(UnscopedQuery):
            s.scalars(select(entity)).all()
    with factory() as s:
        s.add(ScreenRow(taken_at=dt.datetime.now(dt.UTC), taken_on=dt.date(2026, 11, 2)))
        with pytest.raises(UnscopedQuery):
            s.flush()
        s.rollback()


def test_a_session_over_several_people_reads_exactly_them_and_writes_nothing(
    db_url: str,
) -> None:
    """A clinician's list reads several patients at once (records.scoping.PEOPLE): exactly
    the people named, and never a new personal row."""
    from backcoach.records.scoping import PEOPLE

    one, _, factory = _two_people(db_url)
    with factory.begin() as s:
        s.add(PersonRow(id=3, role="person", created_at=dt.datetime.now(dt.UTC)))
    Store(factory, person_id=3).save_profile({"minutes": 30})
    for named, expected in (({1, 2}, {10, 20}), ({2, 3}, {20, 30}), ({3}, {30}), (set(), set())):
        with factory() as s:
            s.info[PEOPLE] = frozenset(named)
            minutes = {row.data["minutes"] for row in s.scalars(select(ProfileRow))}
            assert minutes == expected, named
            owners = set(s.scalars(select(SessionRow.person_id)))
            assert owners <= named
    with factory() as s:
        s.info[PEOPLE] = frozenset({1})
        s.add(ScreenRow(taken_at=dt.datetime.now(dt.UTC), taken_on=dt.date(2026, 11, 2)))
        with pytest.raises(UnscopedQuery, match="only read"):
            s.flush()
        s.rollback()
    assert len(one.screens()) == 1


def test_every_personal_table_is_owned() -> None:
    """A new table holding personal rows must carry person_id (and so be scoped)."""
    from backcoach.records.tables import Base

    personal = {t.name for t in Base.metadata.sorted_tables} - {"people"} - CLINIC_TABLES
    assert set(OWNED_BY_TABLE) == personal
    assert SIGN_IDS  # the screen's ids are what screens store
