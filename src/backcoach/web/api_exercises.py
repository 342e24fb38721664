"""The exercise library: list and filter, one exercise with its verdict, its pictures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from backcoach.catalogue.model import Category, Position
from backcoach.web.api_errors import ERROR_RESPONSES

router = APIRouter(tags=["exercises"], responses=ERROR_RESPONSES)

SVG = "image/svg+xml"
PICTURE_CACHE = "public, max-age=3600"
"""Pictures change only when the catalogue does; an hour spares the phone re-fetching them."""


class ForMe(BaseModel):
    status: str
    reasons: list[str]
    modifications: list[str]
    rules: list[str]


def _for_me(verdict: Any) -> dict[str, Any]:
    return ForMe(
        status=verdict.status,
        reasons=list(verdict.reasons),
        modifications=list(verdict.modifications),
        rules=list(verdict.rules),
    ).model_dump()


def _row(coach: Any, exercise: Any, verdict: Any | None) -> dict[str, Any]:
    row: dict[str, Any] = exercise.model_dump(mode="json")
    row["builtin"] = coach.catalogue.is_builtin(exercise.id)
    row["figure_url"] = f"/api/exercises/{exercise.id}/figure.svg"
    row["animation_url"] = f"/api/exercises/{exercise.id}/animation.svg"
    if verdict is not None:
        row["for_me"] = _for_me(verdict)
    return row


@router.get("/exercises")
def list_exercises(
    request: Request,
    q: str | None = Query(default=None, max_length=100, description="words in name or summary"),
    category: Category | None = None,
    position: Position | None = None,
    for_me: bool = Query(default=False, description="add whether each suits the person"),
) -> list[dict[str, Any]]:
    """The library, filtered; with ``for_me``, each exercise's verdict for the person."""
    coach = request.app.state.coach
    words = (q or "").lower().split()
    verdicts = coach.verdicts() if for_me else {}
    out = []
    for ex in coach.catalogue:
        text = f"{ex.id} {ex.name} {ex.summary}".lower()
        if (
            (category is None or ex.category == category)
            and (position is None or ex.position == position)
            and all(word in text for word in words)
        ):
            out.append(_row(coach, ex, verdicts.get(ex.id)))
    return out


@router.get("/exercises/{exercise_id}")
def one_exercise(request: Request, exercise_id: str) -> dict[str, Any]:
    """One exercise: steps, dose, cautions, modifications, and whether it suits the person."""
    coach = request.app.state.coach
    exercise = coach.exercise(exercise_id)
    return _row(coach, exercise, coach.verdicts().get(exercise.id))


@router.get(
    "/exercises/{exercise_id}/figure.svg",
    response_class=Response,
    responses={200: {"content": {SVG: {}}, "description": "The still figure (SVG)."}},
)
def figure(request: Request, exercise_id: str) -> Response:
    """The still figure of the exercise's key poses (a placeholder card when it has none)."""
    svg = request.app.state.coach.figure_svg(exercise_id)
    return Response(svg, media_type=SVG, headers={"Cache-Control": PICTURE_CACHE})


@router.get(
    "/exercises/{exercise_id}/animation.svg",
    response_class=Response,
    responses={200: {"content": {SVG: {}}, "description": "The animated figure (SVG)."}},
)
def animation(request: Request, exercise_id: str) -> Response:
    """The figure animated at the exercise's tempo; the still figure when it has no key poses,
    so a player can always show this picture."""
    coach = request.app.state.coach
    svg = coach.animation_svg(exercise_id) or coach.figure_svg(exercise_id)
    return Response(svg, media_type=SVG, headers={"Cache-Control": PICTURE_CACHE})
