"""The clinic's tables: not a person's records, and their migrations up and down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from backcoach.records.db import SCHEMA_HEAD, alembic_config, current_revision, make_engine, upgrade
from backcoach.records.tables import CLINIC_TABLES, OWNED_BY_TABLE, Base


def test_every_table_is_personal_or_the_clinics_never_both() -> None:
    names = {t.name for t in Base.metadata.sorted_tables}
    assert names >= CLINIC_TABLES
    assert not CLINIC_TABLES & set(OWNED_BY_TABLE)  # never scoped, exported or forgotten
    assert names == set(OWNED_BY_TABLE) | CLINIC_TABLES | {"people"}


def test_the_export_leaves_the_clinic_tables_out() -> None:
    from backcoach.reports.export import tables

    assert not {t.name for t in tables()} & CLINIC_TABLES


def test_the_clinic_migrations_go_down_and_up(db_url: str) -> None:
    """From 0008 (the clinic's accounts) to the head, down to 0007 and up again."""
    engine = make_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_HEAD
    assert set(inspect(engine).get_table_names()) >= CLINIC_TABLES
    command.downgrade(alembic_config(engine), "0007")
    assert current_revision(engine) == "0007"
    assert not CLINIC_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_HEAD
    assert set(inspect(engine).get_table_names()) >= CLINIC_TABLES
    engine.dispose()


def test_the_clinic_refuses_sqlite(tmp_path: Path) -> None:
    from backcoach.clinic import Clinic
    from backcoach.clinic.errors import NeedsPostgres
    from backcoach.records.db import open_database

    with pytest.raises(NeedsPostgres, match="BACKCOACH_DATABASE_URL=postgresql://"):
        Clinic(open_database(f"sqlite:///{tmp_path}/backcoach.db"))


def test_the_clinic_package_never_imports_the_edges() -> None:
    """A service-level package: records and the domain, never the CLI, the web app or the
    contexts (docs/architecture.md)."""
    import grimp

    graph = grimp.build_graph("backcoach")
    for edge in ("backcoach.cli", "backcoach.web", "backcoach.app"):
        chain = graph.find_shortest_chain(
            importer="backcoach.clinic", imported=edge, as_packages=True
        )
        assert chain is None, chain
