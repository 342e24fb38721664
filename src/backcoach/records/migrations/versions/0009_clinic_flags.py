"""The clinician's flags and the patient's comment on a session (issue 14, docs/clinic.md).

``clinic_flags`` is a clinic table (not ``Owned``, like ``audit``): one row per event that
needs a clinician's look (a warning-sign answer, a stop rule, pain of 7 or more, a session
rated too hard twice running, no session for 7 days, a comment). ``event_key`` names the
event, and (patient, kind, event_key) is unique, so raising a flag again changes nothing.
``sessions.comment`` holds the patient's short plain-text note after a session.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "clinic_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("event_key", sa.String(length=80), nullable=False),
        sa.Column("happened_at", MOMENT, nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("raised_at", MOMENT, nullable=False),
        sa.Column("acknowledged_at", MOMENT, nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["people.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id", "kind", "event_key", name="uq_clinic_flags_event"),
    )
    op.create_index(
        "ix_clinic_flags_patient_open", "clinic_flags", ["patient_id", "acknowledged_at"]
    )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("commented_at", MOMENT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("commented_at")
        batch.drop_column("comment")
    op.drop_index("ix_clinic_flags_patient_open", table_name="clinic_flags")
    op.drop_table("clinic_flags")
