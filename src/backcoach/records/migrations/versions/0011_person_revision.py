"""A revision tag per person: what a page built from their records may be kept under.

``people.revision`` is a random tag that every transaction writing one of the person's rows
replaces (``records.revision``), in that same transaction. A page or plan made from a person's
records is kept under the tag it was read with (``services.plans``, ``web.pages_today``): one
small read tells whether anything changed, in any process. A tag, not a counter: a database
made again (a restored file, a test's new schema) cannot repeat a tag another one had.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


RANDOM_TAG = {
    "sqlite": "(lower(hex(randomblob(16))))",
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
}
"""A new random tag in SQL: the value of existing rows, and the default of rows added without
the ORM (which gives its own, ``tables.PersonRow``)."""


def upgrade() -> None:
    random_tag = RANDOM_TAG[op.get_bind().dialect.name]
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("revision", sa.String(length=32), nullable=True))
    op.execute(f"UPDATE people SET revision = {random_tag}")
    with op.batch_alter_table("people") as batch:
        batch.alter_column(
            "revision",
            existing_type=sa.String(length=32),
            nullable=False,
            server_default=sa.text(random_tag),
        )


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("revision")
