"""Live sessions in the database: the engine state of a running session, and applied events.

``live_sessions`` holds one row per running (or just finished) session: the engine state and
what the page shows, a version bumped by every accepted event, the player driving it, and the
clock anchor any process needs to rebuild the engine. ``live_events`` holds each applied
client event id with the answer it got, so a resend is answered the same and applied once.
Both are working state: starting a session deletes the rows of older sessions.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("board", sa.JSON(), nullable=False),
        sa.Column("player", sa.String(length=64), nullable=False),
        sa.Column("player_kind", sa.String(length=16), nullable=False),
        sa.Column("clock_speed", sa.Float(), nullable=False),
        sa.Column("clock_origin", sa.Float(), nullable=False),
        sa.Column("wall_origin", sa.Float(), nullable=False),
        sa.Column("last_contact", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id"),
    )
    op.create_index("ix_live_sessions_person_id", "live_sessions", ["person_id"], unique=False)
    op.create_table(
        "live_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "event_id"),
    )
    op.create_index("ix_live_events_person_id", "live_events", ["person_id"], unique=False)
    op.create_index(
        "ix_live_events_person_session", "live_events", ["person_id", "session_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_live_events_person_session", table_name="live_events")
    op.drop_index("ix_live_events_person_id", table_name="live_events")
    op.drop_table("live_events")
    op.drop_index("ix_live_sessions_person_id", table_name="live_sessions")
    op.drop_table("live_sessions")
