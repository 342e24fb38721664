"""Today's plan, the session player page, and the exercise pictures the pages show."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.catalogue.loader import UnknownExercise
from backcoach.coach import Coach, PlanRefused
from backcoach.web.pages_common import coach_of, render

router = APIRouter()

FIGURE_CACHE = "private, max-age=300"
"""Pictures change only when the person edits their own exercise files; a short cache keeps
pages quick without showing an old picture for long."""


@router.get("/today", response_class=HTMLResponse)
def today(request: Request) -> HTMLResponse:
    coach = coach_of(request)
    context: dict[str, object] = {"nav": "today", "has_profile": coach.has_profile()}
    try:
        plan = coach.plan()
    except PlanRefused as exc:
        screen = coach.current_screen()
        context.update(refused=str(exc), code=exc.code, screen=screen)
        return render(request, "today_refused.html", context)
    context.update(
        plan=plan,
        exercises={item.exercise_id: coach.exercise(item.exercise_id) for item in plan.items},
        unfinished=coach.store.unfinished_session() is not None,
        # The planner's notes that name a terminal command are for the terminal; this page
        # lists the exercises left out, with their reasons, itself.
        notes=[note for note in plan.notes if "`backcoach " not in note],
        not_offered=_not_offered(coach, plan.date),
    )
    return render(request, "today.html", context)


def _not_offered(coach: Coach, day: dt.date) -> list[tuple[str, str]]:
    """(name, reason) of every exercise the plan may not use today, as the planner decides."""
    from backcoach.planning.select import eligible

    unavailable = eligible(coach.catalogue, coach.profile(), coach.program_state(), day).unavailable
    names = {ex.id: ex.name for ex in coach.catalogue}
    return sorted((names.get(i, i), reason) for i, reason in unavailable.items())


@router.get("/session", response_class=HTMLResponse)
def session_page(request: Request) -> Response:
    """The player: the page is a frame; its script drives the live-session API."""
    coach = coach_of(request)
    if not coach.gate().allowed:
        # No plan allowed, so no session either, not even an unfinished one (web.live): today's
        # page says why, calmly, and what to do instead.
        return RedirectResponse("/today", status_code=303)
    names = {ex.id: ex.name for ex in coach.catalogue}
    return render(request, "session.html", {"nav": "today", "names": names})


def _svg(text: str) -> Response:
    return Response(text, media_type="image/svg+xml", headers={"Cache-Control": FIGURE_CACHE})


@router.get("/figures/{exercise_id}.svg")
def figure(request: Request, exercise_id: str) -> Response:
    """The still picture of an exercise (its key poses, or a plain card)."""
    try:
        return _svg(coach_of(request).figure_svg(exercise_id))
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/figures/{exercise_id}/moving.svg")
def moving_figure(request: Request, exercise_id: str) -> Response:
    """The animated figure at the exercise's tempo; the still one when it has no key poses."""
    coach = coach_of(request)
    try:
        animated = coach.animation_svg(exercise_id)
        return _svg(animated if animated is not None else coach.figure_svg(exercise_id))
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None
