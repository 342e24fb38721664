"""Saved records read back through the app's own models, refusing what does not fit.

A plan is saved as its model's JSON; reading it back validates it again, so a record that was
edited by hand or damaged gives a plain error naming the plan, never a traceback, and is never
half-read into a session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from backcoach.errors import RecordUnreadable, describe_validation
from backcoach.planning.plan import Plan

if TYPE_CHECKING:
    from backcoach.records.tables import PlanRow


def saved_plan(row: PlanRow) -> Plan:
    """The plan saved in ``row``, validated again."""
    try:
        return Plan.model_validate(row.data)
    except ValidationError as exc:
        raise RecordUnreadable(
            f"{describe_validation(exc, f'saved plan {row.id}', Plan)}\n"
            "This saved plan cannot be read. Import a good copy of your records "
            "(`backcoach import`), or start a new session; your other records are kept."
        ) from None
