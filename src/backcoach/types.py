"""Names for the core types, so signatures say what a number means."""

from typing import NewType

Seconds = float
"""A duration or a monotonic clock reading, in seconds."""

ExerciseId = NewType("ExerciseId", str)
"""A stable exercise slug such as ``prone-press-up``; never reused for another exercise."""

PainScore = int
"""Pain on the 0-10 numeric rating scale (0 none, 10 worst imaginable)."""

PERSONAL_PERSON_ID = 1
"""Personal mode's one implicit person (migration 0004 moves an existing database into it).
Here, not in records.tables, so naming the person does not import SQLAlchemy."""
