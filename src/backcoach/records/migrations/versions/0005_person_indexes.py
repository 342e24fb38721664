"""Indexes led by the person: a request reads the rows of its window, not the whole history.

Every personal query names its person (records.scoping), and with only the one-column
``person_id`` indexes of 0004 SQLite's planner takes that index for every query: one person's
every session, set and pain report scanned to find last week's. These indexes put the person
first and then what the queries look for (a time, a day, a session, an exercise), so a query
reads only the rows it returns, however long the history. No row changes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_sessions_person_started", "sessions", ("person_id", "started_at")),
    ("ix_set_logs_person_session", "set_logs", ("person_id", "session_id")),
    ("ix_exercise_outcomes_person_session", "exercise_outcomes", ("person_id", "session_id")),
    (
        "ix_exercise_outcomes_person_exercise",
        "exercise_outcomes",
        ("person_id", "exercise_id", "outcome"),
    ),
    ("ix_pain_reports_person_session", "pain_reports", ("person_id", "session_id")),
    ("ix_pain_reports_person_reported", "pain_reports", ("person_id", "reported_at")),
    ("ix_pain_reports_person_moment", "pain_reports", ("person_id", "moment", "reported_at")),
    (
        "ix_progression_decisions_person_action",
        "progression_decisions",
        ("person_id", "action", "exercise_id", "decided_on", "id"),
    ),
    ("ix_progression_decisions_person_day", "progression_decisions", ("person_id", "decided_on")),
    ("ix_activity_ratings_person_rated", "activity_ratings", ("person_id", "rated_on")),
    (
        "ix_activity_ratings_person_activity",
        "activity_ratings",
        ("person_id", "activity_id", "rated_on"),
    ),
)
"""(name, table, columns); the same indexes are declared on the tables (records.tables)."""


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns), unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
