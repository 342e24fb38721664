"""The activity scale: the person's own hard activities and their ratings over time.

Pain now and worst pain in the last 24 hours need no new table: they are pain reports with the
moments "daily" and "worst-24h".

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "activity_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "rated_on"),
    )
    with op.batch_alter_table("activity_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_ratings_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_ratings_rated_on"), ["rated_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_ratings_rated_on"))
        batch_op.drop_index(batch_op.f("ix_activity_ratings_activity_id"))
    op.drop_table("activity_ratings")
    op.drop_table("activities")
