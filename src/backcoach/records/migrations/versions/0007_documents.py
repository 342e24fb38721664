"""Documents made by jobs: the report and the handout as PDF, with the job's state.

``documents`` holds one row per document a person asked for: its kind, the job's status
(queued, running, done, failed), the error when it failed, and the PDF once made. A retried
job writes over its own row. The rows are derived (remade from the records at any time), so
export leaves them out; forget deletes them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=80), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_documents_person_id", "documents", ["person_id"], unique=False)
    op.create_index(
        "ix_documents_person_kind", "documents", ["person_id", "kind", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_documents_person_kind", table_name="documents")
    op.drop_index("ix_documents_person_id", table_name="documents")
    op.drop_table("documents")
