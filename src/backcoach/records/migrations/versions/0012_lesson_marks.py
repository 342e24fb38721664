"""Lessons read, skipped and assigned (issue 19, docs/lessons.md).

``lesson_marks`` is a person's record (``Owned``: scoped, forgotten with the rest): one row per
lesson they have done something with. The lessons are files shipped with backcoach (or the
person's own), so a row names its lesson by id and holds no text.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "lesson_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(length=80), nullable=False),
        sa.Column("read_at", MOMENT, nullable=True),
        sa.Column("read_on", sa.Date(), nullable=True),
        sa.Column("skipped_on", sa.Date(), nullable=True),
        sa.Column("assigned_at", MOMENT, nullable=True),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("assigned_by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "lesson_id", name="uq_lesson_marks_lesson"),
    )
    op.create_index("ix_lesson_marks_person_id", "lesson_marks", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_lesson_marks_person_id", table_name="lesson_marks")
    op.drop_table("lesson_marks")
