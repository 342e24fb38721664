"""The plan: what one session holds, each item with its dose and the reason for it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.text import dose_text
from backcoach.catalogue.vocabulary import ConditionId

Phase = Literal["warm-up", "mobility", "strength", "stretch", "relaxation"]
PHASE_ORDER: tuple[Phase, ...] = ("warm-up", "mobility", "strength", "stretch", "relaxation")
"""Warm up first; strengthen before stretching (CLINICAL.md section 2, AAOS advice)."""


class PlanItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise_id: str
    phase: Phase
    sets: int = Field(ge=1)
    reps: int | None = Field(default=None, ge=1, description="None for a continuous exercise.")
    hold_seconds: int = Field(default=0, ge=0)
    duration_seconds: int | None = Field(
        default=None, ge=1, description="Length of a continuous exercise; None when counted."
    )
    rest_seconds: int = Field(default=0, ge=0)
    per_side: bool = False
    movement_seconds: float = Field(default=3.0, ge=0)
    modification: str | None = None
    version: ConditionId | None = Field(
        default=None,
        description="The condition whose version of the exercise this is (its key in the "
        "exercise's modifications); pictures show it when that version is drawn. None: the "
        "usual version (and plans saved before versions were carried).",
    )
    reason: str
    estimated_seconds: float = Field(default=0, ge=0)

    def dose_words(self, exercise: Exercise) -> str:
        """This item's planned dose in words, e.g. ``2 sets of 8 reps, hold 5 s each``: the one
        wording the plan, report, handout, calendar and pages share."""
        return dose_text(
            exercise.dose,
            sets=self.sets,
            reps=self.reps,
            hold=self.hold_seconds,
            duration=self.duration_seconds,
        )

    def drawn_version(self, exercise: Exercise) -> ConditionId | None:
        """The person's version when it has its own pictures (key poses), else None: the
        pictures then show the usual version."""
        if self.version is None or self.version not in exercise.drawn_versions:
            return None
        return self.version


LeftOutKind = Literal["time", "not-offered"]
"""Why an exercise is not in the plan: ``time``, it was dropped to fit the minutes asked (it
suits the person); ``not-offered``, it is not for them now (conditions, equipment, experience,
an exercise stopped, a direction, a flare-up), the verdict the library shows."""


class LeftOut(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise_id: str
    reason: str
    # Plans saved before the kind was added listed only exercises left out to fit the time.
    kind: LeftOutKind = Field(
        default="time",
        description="time: left out to fit the minutes asked; not-offered: not for you now.",
    )
    reasons: list[str] = Field(
        default_factory=list,
        description="Each reason it is not for you now, one plain sentence each (not-offered).",
    )


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    total_seconds: float
    items: list[PlanItem]
    left_out: list[LeftOut] = Field(default_factory=list)
    flare_up: bool = False
    notes: list[str] = Field(default_factory=list)
