"""The exercise library: list and filter, one exercise with its verdict, its pictures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from backcoach.body.cache import (
    UnknownVersion,
    moving_key,
    moving_svg,
    still_key,
    still_svg,
    version_of,
)
from backcoach.catalogue.vocabulary import Category, Position
from backcoach.services.suits import suits_you
from backcoach.web.api_errors import ERROR_RESPONSES
from backcoach.web.deps import AppDep, PersonDep

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.catalogue.model import Exercise

router = APIRouter(tags=["exercises"], responses=ERROR_RESPONSES)

SVG = "image/svg+xml"
PICTURE_CACHE = "private, max-age=300, must-revalidate"
"""How long a browser keeps an exercise picture (``/figures/...`` and the API's ``.svg``).

``private``, not ``public``: a picture holds no health data, but with ``--lan`` (and later in a
clinic) only a paired or signed-in device may fetch it, and pictures of a person's own exercise
files are theirs; only the person's own browser, which is all that gains, may keep a copy, never
a shared proxy that would hand it to anyone. Five minutes without asking, then
``must-revalidate``: the browser asks again with ``If-None-Match`` and a picture that has not
changed costs a ``304`` without drawing; one that has (an own exercise file edited, a new
backcoach) has another ``ETag`` (``body.cache``) and comes fresh."""

PICTURE_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the picture named by If-None-Match is current."}
}


def _tag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (or is ``*``); RFC 9110 13.1.2 compares
    weakly, so a ``W/`` prefix a proxy may add is ignored."""
    if if_none_match is None:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(part.strip().removeprefix("W/") == tag for part in if_none_match.split(","))


def picture(request: Request, tag: str, draw: Callable[[], str]) -> Response:
    """An exercise picture with its ``ETag`` and ``Cache-Control``; ``304 Not Modified``
    without drawing when the browser already holds this very picture."""
    headers = {"ETag": tag, "Cache-Control": PICTURE_CACHE}
    if _tag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(draw(), media_type=SVG, headers=headers)


VERSION_QUERY = Query(
    default=None,
    max_length=40,
    description="a condition whose drawn version to show (a modification with its own key "
    "poses, e.g. wrist); without it, the usual version",
)


def versioned(
    exercise: Exercise, version: str | None, show: Callable[[Exercise], Response]
) -> Response:
    """``show`` the exercise as ``version`` draws it; a plain-text 404 for a version it does
    not draw."""
    try:
        drawn = version_of(exercise, version)
    except UnknownVersion as exc:
        return PlainTextResponse(str(exc), status_code=404)
    return show(drawn)


def picture_url(exercise_id: str, version: str | None, moving: bool = False) -> str:
    """The page address of an exercise's picture, of the person's version when drawn."""
    path = f"/figures/{exercise_id}/moving.svg" if moving else f"/figures/{exercise_id}.svg"
    return path if version is None else f"{path}?version={version}"


def api_picture_url(exercise_id: str, version: str | None, moving: bool = False) -> str:
    """The API address of an exercise's picture, of the person's version when drawn."""
    name = "animation" if moving else "figure"
    path = f"/api/exercises/{exercise_id}/{name}.svg"
    return path if version is None else f"{path}?version={version}"


def still_picture(request: Request, exercise: Exercise) -> Response:
    """The still figure (drawn once: body.cache)."""
    return picture(request, still_key(exercise).tag, lambda: still_svg(exercise))


def moving_picture(request: Request, exercise: Exercise) -> Response:
    """The animated figure, or the still one when the exercise has no key poses."""
    return picture(
        request,
        moving_key(exercise).tag,
        lambda: moving_svg(exercise) or still_svg(exercise),
    )


class ForMe(BaseModel):
    """Whether the exercise suits the person now: the planner's verdict (``services.suits``),
    the same as the library page, ``exercises list --for-me`` and the plan's ``left_out``."""

    status: str
    """allowed ("Suits you"), modified ("Suits you with a change") or excluded ("Not for you
    now")."""
    reasons: list[str]
    modifications: list[str]
    rules: list[str]
    checks: list[str]
    """What keeps it out: condition, stopped, equipment, direction-check, preference,
    experience, flare-up (empty unless excluded)."""
    version: str | None = None
    """The condition whose version is the person's (when modified); its pictures are the
    exercise's ``?version=<condition>`` when the exercise draws it."""


def _for_me(verdict: Any) -> dict[str, Any]:
    return ForMe(
        status=verdict.status,
        reasons=list(verdict.reasons),
        modifications=list(verdict.modifications),
        rules=list(verdict.rules),
        checks=list(verdict.checks),
        version=verdict.version,
    ).model_dump()


def _row(catalogue: Catalogue, exercise: Any, verdict: Any | None) -> dict[str, Any]:
    row: dict[str, Any] = exercise.model_dump(mode="json")
    row["builtin"] = catalogue.is_builtin(exercise.id)
    row["figure_url"] = f"/api/exercises/{exercise.id}/figure.svg"
    row["animation_url"] = f"/api/exercises/{exercise.id}/animation.svg"
    if verdict is not None:
        row["for_me"] = _for_me(verdict)
    return row


@router.get("/exercises")
def list_exercises(
    person: PersonDep,
    q: str | None = Query(default=None, max_length=100, description="words in name or summary"),
    category: Category | None = None,
    position: Position | None = None,
    for_me: bool = Query(default=False, description="add whether each suits the person"),
) -> list[dict[str, Any]]:
    """The library, filtered; with ``for_me``, each exercise's verdict for the person."""
    catalogue = person.catalogue
    words = (q or "").lower().split()
    judged = suits_you(person.store, catalogue, person.today()) if for_me else {}
    out = []
    for ex in catalogue:
        text = f"{ex.id} {ex.name} {ex.summary}".lower()
        if (
            (category is None or ex.category == category)
            and (position is None or ex.position == position)
            and all(word in text for word in words)
        ):
            out.append(_row(catalogue, ex, judged.get(ex.id)))
    return out


@router.get("/exercises/{exercise_id}")
def one_exercise(person: PersonDep, exercise_id: str) -> dict[str, Any]:
    """One exercise: steps, dose, cautions, modifications, and whether it suits the person."""
    catalogue = person.catalogue
    exercise = catalogue.get(exercise_id)
    judged = suits_you(person.store, catalogue, person.today())
    return _row(catalogue, exercise, judged.get(exercise.id))


@router.get(
    "/exercises/{exercise_id}/figure.svg",
    response_class=Response,
    responses={
        200: {"content": {SVG: {}}, "description": "The still figure (SVG)."},
        **PICTURE_RESPONSES,
    },
)
def figure(
    request: Request, app: AppDep, exercise_id: str, version: str | None = VERSION_QUERY
) -> Response:
    """The still figure of the exercise's key poses (a placeholder card when it has none);
    ``?version=<condition>`` draws that condition's version from its own poses."""
    exercise = app.catalogue.get(exercise_id)
    return versioned(exercise, version, lambda ex: still_picture(request, ex))


@router.get(
    "/exercises/{exercise_id}/animation.svg",
    response_class=Response,
    responses={
        200: {"content": {SVG: {}}, "description": "The animated figure (SVG)."},
        **PICTURE_RESPONSES,
    },
)
def animation(
    request: Request, app: AppDep, exercise_id: str, version: str | None = VERSION_QUERY
) -> Response:
    """The figure animated at the exercise's tempo; the still figure when it has no key poses,
    so a player can always show this picture. ``?version=<condition>``: that version's."""
    exercise = app.catalogue.get(exercise_id)
    return versioned(exercise, version, lambda ex: moving_picture(request, ex))
