"""Builders for exercises and plans, and a driver that runs a session on a fake clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from backcoach.catalogue.model import Exercise
from backcoach.planning.plan import Plan, PlanItem
from backcoach.session import (
    Effect,
    Event,
    PainReport,
    Rate,
    SessionDefinition,
    Tick,
    start,
    step,
)

T0 = 1000.0
"""A monotonic reading to start from: any number works; not zero, to catch code that
assumes it."""

E = TypeVar("E")


def exercise(
    exercise_id: str,
    *,
    steps: int = 3,
    duration: bool = False,
    pace: dict[str, float] | None = None,
    tempo: str | None = None,
    name: str | None = None,
) -> Exercise:
    dose: dict[str, Any] = {"sets": {"min": 1, "default": 2, "max": 3}}
    if duration:
        dose["duration_seconds"] = {"min": 30, "default": 60, "max": 300}
    else:
        dose["reps"] = {"min": 1, "default": 5, "max": 10}
    if pace is not None:
        dose["pace"] = pace
    if tempo is not None:
        dose["tempo"] = tempo
    return Exercise.model_validate(
        {
            "id": exercise_id,
            "name": name or exercise_id.replace("-", " ").capitalize(),
            "summary": "A test exercise.",
            "purpose": "Used by the session engine tests.",
            "category": "mobility",
            "position": "supine",
            "direction": "neutral",
            "difficulty": 1,
            "goals": ["mobility"],
            "targets": ["lower back"],
            "steps": [
                {"text": f"Step {i} of {exercise_id} in full.", "cue": f"{exercise_id} cue {i}."}
                for i in range(steps)
            ],
            "dose": dose,
            "breathing": "Breathe easily.",
            "common_mistakes": ["Rushing."],
            "feel": {"should": ["A gentle stretch."], "should_not": ["Sharp pain."]},
            "sources": ["Test data."],
        }
    )


def item(exercise_id: str, **dose: Any) -> PlanItem:
    fields: dict[str, Any] = {"phase": "mobility", "sets": 1, "reason": "test"}
    fields.update(dose)
    if "reps" not in fields and "duration_seconds" not in fields:
        fields["reps"] = 3
    return PlanItem(exercise_id=exercise_id, **fields)


def plan(*items: PlanItem) -> Plan:
    return Plan(date=dt.date(2024, 5, 1), total_seconds=0, items=list(items))


def catalogue(*exercises: Exercise) -> dict[str, Exercise]:
    return {e.id: e for e in exercises}


def of_type(effects: Iterable[Effect], kind: type[E]) -> list[E]:
    return [e for e in effects if isinstance(e, kind)]


class Driver:
    """Runs one session through ``step`` and keeps every effect with the reading it came at."""

    def __init__(self, the_plan: Plan, exercises: dict[str, Exercise], t0: float = T0) -> None:
        self.definition = SessionDefinition.build(the_plan, exercises)
        self.state, effects = start(self.definition, t0)
        self.now = t0
        self.log: list[tuple[float, Effect]] = [(t0, e) for e in effects]

    def send(self, event: Event) -> tuple[Effect, ...]:
        self.now = max(self.now, event.now)
        self.state, effects = step(self.definition, self.state, event)
        self.log.extend((event.now, e) for e in effects)
        return effects

    def tick_until(self, until: float, every: float = 0.1) -> list[Effect]:
        """Tick at a steady rate from now up to and including ``until``."""
        effects: list[Effect] = []
        count = 1
        start = self.now
        while start + count * every < until:
            effects.extend(self.send(Tick(start + count * every)))
            count += 1
        effects.extend(self.send(Tick(until)))
        return effects

    def pain(self, score: int, after: float = 0.0, **flags: bool) -> tuple[Effect, ...]:
        return self.send(PainReport(self.now + after, score, **flags))

    def rate(self, rating: str = "about-right", after: float = 0.0) -> tuple[Effect, ...]:
        return self.send(Rate(self.now + after, rating))  # type: ignore[arg-type]

    def effects(self, kind: type[E]) -> list[E]:
        return of_type((e for _, e in self.log), kind)
