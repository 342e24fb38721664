"""The person's profile: what the plan fits to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backcoach.catalogue.vocabulary import Equipment, Goal
from backcoach.safety.conditions import Condition

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Experience = Literal["new", "some", "regular"]
DirectionalPreference = Literal["extension", "flexion", "none", "unknown"]

MIN_MINUTES = 5
MAX_MINUTES = 45


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: int = Field(default=15, ge=MIN_MINUTES, le=MAX_MINUTES)
    days: list[Weekday] = Field(default_factory=lambda: list[Weekday](["mon", "wed", "fri"]))
    reminder_time: str = Field(default="18:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    goals: list[Goal] = Field(default_factory=lambda: list[Goal](["relief"]))
    equipment: list[Equipment] = Field(default_factory=lambda: list[Equipment](["mat"]))
    experience: Experience = "new"
    conditions: list[Condition] = Field(default_factory=list)
    directional_preference: DirectionalPreference = "unknown"
    avoid_directions: list[Literal["extension", "flexion"]] = Field(
        default_factory=list,
        description="Directions that spread symptoms down the leg in the direction check.",
    )

    @field_validator("conditions", mode="before")
    @classmethod
    def _plain_ids(cls, value: object) -> object:
        """Accept ``"osteoporosis"`` as shorthand for ``{"id": "osteoporosis"}``."""
        if isinstance(value, list):
            return [{"id": v} if isinstance(v, str) else v for v in value]
        return value

    def condition(self, condition_id: str) -> Condition | None:
        return next((c for c in self.conditions if c.id == condition_id), None)
