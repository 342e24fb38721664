"""Conditions a person can record in their profile; the restriction rules act on them."""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backcoach.catalogue.vocabulary import ConditionId

FIRST_TRIMESTER_END_WEEK = 13
"""Pregnancy week from which lying flat on the back for long, and lying on the front, are
avoided. ACOG Committee Opinion 804 (2020) advises avoiding the supine position for long after
the first trimester; the first trimester ends at the end of week 13 (ACOG, common usage)."""

MAX_PREGNANCY_WEEKS = 45


class Condition(BaseModel):
    """One recorded condition. ``weeks`` only for pregnancy; ``cleared_on`` records a
    clinician's go-ahead (required for recent spinal surgery)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ConditionId
    weeks: int | None = Field(default=None, ge=0, le=MAX_PREGNANCY_WEEKS)
    cleared_on: dt.date | None = None

    @model_validator(mode="after")
    def _weeks_only_for_pregnancy(self) -> Self:
        if self.weeks is not None and self.id != "pregnancy":
            raise ValueError(f"'weeks' only applies to pregnancy, not to '{self.id}'")
        return self

    @property
    def after_first_trimester(self) -> bool:
        """Unknown weeks count as later pregnancy: the cautious reading."""
        return self.id == "pregnancy" and (
            self.weeks is None or self.weeks >= FIRST_TRIMESTER_END_WEEK
        )
