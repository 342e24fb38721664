"""The person: where they stand, their profile, the warning-sign screen, clearance, today's plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, Field

from backcoach.planning.plan import Plan
from backcoach.planning.profile import MAX_MINUTES, MIN_MINUTES, Profile
from backcoach.services import plans, profiles, screening
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError
from backcoach.web.deps import PersonDep

router = APIRouter(tags=["person"], responses=ERROR_RESPONSES)

ScreenAnswer = Literal["yes", "no", "unsure"]


class Gate(BaseModel):
    allowed: bool
    reason: str
    code: str


class Screen(BaseModel):
    id: int
    taken_on: dt.date
    tier: str
    flags: list[str]
    unanswered: list[str]
    answers: dict[str, str]
    advice: str
    cleared_on: dt.date | None
    cleared_by: str | None


class Status(BaseModel):
    today: dt.date
    has_profile: bool
    screen: Screen | None
    gate: Gate
    unfinished_session: int | None


class SignQuestion(BaseModel):
    id: str
    question: str
    label: str
    why: str


class ScreenQuestions(BaseModel):
    questions: list[SignQuestion]
    answers: list[str]


class ScreenAnswers(BaseModel):
    answers: dict[str, ScreenAnswer] = Field(
        description="warning-sign id -> yes, no or unsure (see /api/screen/questions)"
    )


class ScreenResultOut(BaseModel):
    tier: str
    flags: list[str]
    unanswered: list[str]
    unsure: list[str]
    noted: list[str]
    other_signs: list[str]
    rules: list[str]
    advice: str
    answers: dict[str, str]


class Clearance(BaseModel):
    cleared_on: dt.date
    cleared_by: str | None = Field(default=None, max_length=200)


def _screen(row: Any) -> Screen:
    return Screen(
        id=row.id,
        taken_on=row.taken_on,
        tier=row.tier,
        flags=list(row.flags),
        unanswered=list(row.unanswered),
        answers=dict(row.answers),
        advice=row.advice,
        cleared_on=row.cleared_on,
        cleared_by=row.cleared_by,
    )


@router.get("/status", response_model=Status)
def status(person: PersonDep) -> Status:
    """Where the person stands: profile saved, latest screen, whether a plan is allowed."""
    store, today = person.store, person.today()
    row = store.current_screen()
    gate = screening.gate(store, today)
    unfinished = store.unfinished_session()
    return Status(
        today=today,
        has_profile=profiles.has_profile(store),
        screen=_screen(row) if row is not None else None,
        gate=Gate(allowed=gate.allowed, reason=gate.reason, code=gate.code),
        unfinished_session=unfinished.id if unfinished is not None else None,
    )


@router.get("/profile", response_model=Profile)
def get_profile(person: PersonDep) -> Profile:
    """The saved profile (the defaults until one is saved)."""
    return profiles.load_profile(person.store)


@router.put("/profile", response_model=Profile)
def put_profile(
    person: PersonDep,
    changes: dict[str, Any] = Body(
        examples=[{"minutes": 15, "days": ["mon", "wed", "fri"], "conditions": ["osteoporosis"]}],
        description="Any of the profile's fields; the others keep their saved values.",
    ),
) -> Profile:
    """Change the profile; nothing is saved unless all of it is valid."""
    return profiles.update_profile(person.store, **changes)


@router.get("/screen/questions", response_model=ScreenQuestions)
def screen_questions() -> ScreenQuestions:
    """The warning-sign questions, most urgent first, with why each is asked."""
    from backcoach.safety.signs import SIGNS

    return ScreenQuestions(
        questions=[
            SignQuestion(id=s.id, question=s.question, label=s.label, why=s.why) for s in SIGNS
        ],
        answers=["yes", "no", "unsure"],
    )


@router.post("/screen", response_model=ScreenResultOut)
def take_screen(person: PersonDep, body: ScreenAnswers) -> ScreenResultOut:
    """Judge the answers and keep them as the current screen."""
    result = screening.take_screen(person.store, person.today(), dict(body.answers))
    data = {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(result).items()
    }
    return ScreenResultOut(**data)


@router.get("/screen", response_model=Screen)
def latest_screen(person: PersonDep) -> Screen:
    """The latest screen, with its clearance if one was recorded."""
    row = person.store.current_screen()
    if row is None:
        raise ApiError(404, "no-screen", "no screen yet", fix="POST /api/screen with the answers")
    return _screen(row)


@router.post("/clearance", response_model=Screen)
def clearance(person: PersonDep, body: Clearance) -> Screen:
    """Record that a clinician saw the person after their latest screen."""
    row = screening.record_clearance(person.store, person.today(), body.cleared_on, body.cleared_by)
    return _screen(row)


@router.get("/plan", response_model=Plan)
def plan(
    person: PersonDep,
    minutes: int | None = Query(default=None, ge=MIN_MINUTES, le=MAX_MINUTES),
) -> Plan:
    """Today's plan with the reason for every exercise and dose (409 when the screen does not
    allow one)."""
    return plans.todays_plan_to_show(person.store, person.catalogue, person.today(), minutes).plan
