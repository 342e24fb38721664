"""Long histories made quickly: a few real sessions laid down again and again, further back.

Shared by the history-cost test and bench (bench/history_cost.py): each copy ("block") of the
template's rows has every date and moment moved back by a whole block and its ids moved past
the previous copies', so the records look like real ones, only more of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from backcoach.records.store import as_utc
from backcoach.records.tables import Base, PlanRow, SessionRow

Rows = dict[type[Base], list[dict[str, Any]]]


def moved(value: Any, back: dt.timedelta) -> Any:
    """A date or moment moved ``back`` (moments in UTC, as backcoach stores them; SQLite hands
    them back without a zone); any other value as it is."""
    if isinstance(value, dt.datetime):
        return as_utc(value) - back
    if isinstance(value, dt.date):
        return value - back
    return value


def lay_down(
    s: Session,
    template: Rows,
    blocks: int,
    block: dt.timedelta,
    per_block: Sequence[type[Base]],
    once: Sequence[type[Base]],
) -> None:
    """The ``once`` rows, then ``blocks`` copies of the ``per_block`` rows, oldest first, in
    the person-scoped session ``s``; ids in date order, references carried to each copy."""
    stride = {e: max((r["id"] for r in template[e]), default=0) for e in per_block}
    for entity in once:
        if template[entity]:
            s.execute(insert(entity), template[entity])
    for b in range(blocks):
        back = block * (blocks - 1 - b)

        def new(entity: type[Base], old: int | None, b: int = b) -> int | None:
            return None if old is None else old + b * stride[entity]

        for entity in per_block:
            batch = []
            for row in template[entity]:
                row = {k: moved(v, back) for k, v in row.items()}
                row["id"] = new(entity, row["id"])
                if entity is SessionRow:
                    row["plan_id"] = new(PlanRow, row["plan_id"])
                if "session_id" in row:
                    row["session_id"] = new(SessionRow, row["session_id"])
                batch.append(row)
            if batch:
                s.execute(insert(entity), batch)
    if s.get_bind().dialect.name == "postgresql":
        for entity in (*once, *per_block):
            top = s.scalar(select(func.max(entity.id)))  # type: ignore[attr-defined]
            if top is not None:
                sequence = f"pg_get_serial_sequence('{entity.__tablename__}', 'id')"
                s.execute(text(f"SELECT setval({sequence}, :n)"), {"n": top})
