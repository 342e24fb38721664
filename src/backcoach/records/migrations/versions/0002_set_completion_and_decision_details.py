"""Set completion, and the details progression decisions carry.

- set_logs.complete: a set cut short is logged too, but a resumed session does it again.
- progression_decisions.decided_on / replacement / until: the day a decision applies from, the
  exercise that takes another's place (progress or regress), and the last day of a flare-up.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("set_logs") as batch:
        batch.add_column(
            sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("progression_decisions") as batch:
        batch.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("replacement", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("progression_decisions") as batch:
        batch.drop_column("until")
        batch.drop_column("replacement")
        batch.drop_column("decided_on")
    with op.batch_alter_table("set_logs") as batch:
        batch.drop_column("complete")
