"""Where the programme stands: dose changes, swaps and drops decided by progression.

Progression decides; the planner obeys. This is the hand-over between them: plain data, derived
from the stored decisions, so the same records always give the same plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Action = Literal[
    "start",  # first dose of an exercise (from the catalogue, shaped by experience)
    "more",  # reps +1-2 or hold +5 s, within the catalogue maximum
    "same",
    "less",
    "progress-to",  # move to the harder neighbour (exercise's `progression`)
    "regress-to",  # move to the easier neighbour (exercise's `regression`)
    "drop",  # leave it out of the plan (not tolerated, or stopped twice)
    "flare-up",  # a few gentle days, then back at a lower dose
    "restore",  # back into the plan after a drop, because the person or a clinician said so
]


class DoseOverride(BaseModel):
    """The dose progression set for one exercise; ``None`` fields keep the plan's own value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sets: int | None = Field(default=None, ge=1)
    reps: int | None = Field(default=None, ge=1)
    hold_seconds: int | None = Field(default=None, ge=0)
    duration_seconds: int | None = Field(default=None, ge=1)


class Decision(BaseModel):
    """One progression decision, as stored and as shown to the person."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decided_on: dt.date
    exercise_id: str
    action: Action
    dose: DoseOverride = Field(default_factory=DoseOverride)
    replacement: str | None = Field(
        default=None, description="The exercise that takes this one's place (progress/regress)."
    )
    until: dt.date | None = Field(default=None, description="Last day of flare-up mode.")
    reason: str

    @model_validator(mode="after")
    def _details_match_action(self) -> Self:
        """A flare-up has its last day; a move to a neighbour names it; nothing else has
        either. Caught when the decision is made, not when a plan is built from it."""
        if (self.action == "flare-up") != (self.until is not None):
            raise ValueError("'until' goes with a flare-up decision, and only with it")
        moves = self.action in ("progress-to", "regress-to")
        if moves and self.replacement is None:
            raise ValueError(f"a {self.action} decision names no replacement; name the exercise")
        if not moves and self.replacement is not None:
            raise ValueError("'replacement' goes only with progress-to / regress-to")
        return self


class ProgramState(BaseModel):
    """What the planner needs from progression."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doses: dict[str, DoseOverride] = Field(default_factory=dict)
    dropped: dict[str, str] = Field(default_factory=dict, description="id -> reason")
    replaced: dict[str, str] = Field(default_factory=dict, description="old id -> new id")
    flare_up_until: dt.date | None = None
    lower_after_flare: bool = Field(
        default=False, description="Back from a flare-up: doses one step lower for a while."
    )
    recent: list[Decision] = Field(
        default_factory=list, description="Decisions to show the person next time."
    )
    redosed_since_flare: list[str] = Field(
        default_factory=list,
        description="Exercises given a new dose since the flare-up ended: already lighter or "
        "heavier by decision, so not lowered again.",
    )

    def in_flare_up(self, today: dt.date) -> bool:
        return self.flare_up_until is not None and today <= self.flare_up_until

    def lower_dose(self, exercise_id: str) -> bool:
        """True when the planner should plan this exercise one step lower (back from a
        flare-up, and no new dose decided for it since)."""
        return self.lower_after_flare and exercise_id not in self.redosed_since_flare
