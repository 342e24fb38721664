"""Clinician-assigned programmes and templates (issue 14, docs/clinic.md "Programmes").

``programme_versions`` is a patient's record (``Owned``: scoped, exported, forgotten with the
rest): every save is a new row with its number, what changed, when and by whom; the patient
gets the newest. ``programme_templates`` belongs to a clinician (not ``Owned``, like the clinic's
other tables): a programme without a patient, to start from.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "programme_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "version", name="uq_programme_versions_version"),
    )
    op.create_index("ix_programme_versions_person_id", "programme_versions", ["person_id"])
    op.create_table(
        "programme_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programme_templates_owner", "programme_templates", ["owner_id", "name"])


def downgrade() -> None:
    op.drop_index("ix_programme_templates_owner", table_name="programme_templates")
    op.drop_table("programme_templates")
    op.drop_index("ix_programme_versions_person_id", table_name="programme_versions")
    op.drop_table("programme_versions")
