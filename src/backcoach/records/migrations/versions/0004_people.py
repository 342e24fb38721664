"""People: every personal row names its person; an existing database becomes person 1's.

A ``people`` table, and a ``person_id`` (foreign key, indexed, not null) on every personal
table. Every row already saved belongs to the one person of a personal-mode database, so it is
moved to person 1, created here; no row is lost or changed otherwise. The profile becomes one
row per person (unique ``person_id``).

On SQLite the tables are rebuilt (batch mode) with foreign keys switched off for the migration
(see env.py): dropping the old copy of a parent table must not cascade into its children.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PERSONAL = (
    "profile",
    "screens",
    "direction_checks",
    "plans",
    "sessions",
    "set_logs",
    "exercise_outcomes",
    "pain_reports",
    "progression_decisions",
    "activities",
    "activity_ratings",
)
"""Every table with personal rows, parents before children."""


def upgrade() -> None:
    people = op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(people, [{"id": 1, "name": None, "role": "person", "created_at": _now()}])
    for table in PERSONAL:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        op.execute(sa.text(f'UPDATE "{table}" SET person_id = 1'))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(
                f"fk_{table}_person_id_people", "people", ["person_id"], ["id"], ondelete="CASCADE"
            )
            batch.create_index(f"ix_{table}_person_id", ["person_id"], unique=False)
            if table == "profile":
                batch.create_unique_constraint("uq_profile_person_id", ["person_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("SELECT setval(pg_get_serial_sequence('people', 'id'), 1, true)"))


def downgrade() -> None:
    for table in reversed(PERSONAL):
        with op.batch_alter_table(table) as batch:
            if table == "profile":
                batch.drop_constraint("uq_profile_person_id", type_="unique")
            batch.drop_index(f"ix_{table}_person_id")
            batch.drop_constraint(f"fk_{table}_person_id_people", type_="foreignkey")
            batch.drop_column("person_id")
    op.drop_table("people")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
