"""The person: where they stand, their profile, the warning-sign screen, clearance, today's plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from backcoach.planning.plan import Plan
from backcoach.planning.profile import MAX_MINUTES, MIN_MINUTES, Profile
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError

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
def status(request: Request) -> Status:
    """Where the person stands: profile saved, latest screen, whether a plan is allowed."""
    coach = request.app.state.coach
    row = coach.current_screen()
    gate = coach.gate()
    unfinished = coach.store.unfinished_session()
    return Status(
        today=coach.today(),
        has_profile=coach.has_profile(),
        screen=_screen(row) if row is not None else None,
        gate=Gate(allowed=gate.allowed, reason=gate.reason, code=gate.code),
        unfinished_session=unfinished.id if unfinished is not None else None,
    )


@router.get("/profile", response_model=Profile)
def get_profile(request: Request) -> Profile:
    """The saved profile (the defaults until one is saved)."""
    profile: Profile = request.app.state.coach.profile()
    return profile


@router.put("/profile", response_model=Profile)
def put_profile(
    request: Request,
    changes: dict[str, Any] = Body(
        examples=[{"minutes": 15, "days": ["mon", "wed", "fri"], "conditions": ["osteoporosis"]}],
        description="Any of the profile's fields; the others keep their saved values.",
    ),
) -> Profile:
    """Change the profile; nothing is saved unless all of it is valid."""
    profile: Profile = request.app.state.coach.update_profile(**changes)
    return profile


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
def take_screen(request: Request, body: ScreenAnswers) -> ScreenResultOut:
    """Judge the answers and keep them as the current screen."""
    result = request.app.state.coach.take_screen(dict(body.answers))
    data = {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(result).items()
    }
    return ScreenResultOut(**data)


@router.get("/screen", response_model=Screen)
def latest_screen(request: Request) -> Screen:
    """The latest screen, with its clearance if one was recorded."""
    row = request.app.state.coach.current_screen()
    if row is None:
        raise ApiError(404, "no-screen", "no screen yet", fix="POST /api/screen with the answers")
    return _screen(row)


@router.post("/clearance", response_model=Screen)
def clearance(request: Request, body: Clearance) -> Screen:
    """Record that a clinician saw the person after their latest screen."""
    return _screen(request.app.state.coach.record_clearance(body.cleared_on, body.cleared_by))


@router.get("/plan", response_model=Plan)
def plan(
    request: Request,
    minutes: int | None = Query(default=None, ge=MIN_MINUTES, le=MAX_MINUTES),
) -> Plan:
    """Today's plan with the reason for every exercise and dose (409 when the screen does not
    allow one)."""
    result: Plan = request.app.state.coach.plan(minutes=minutes)
    return result
