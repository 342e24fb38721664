"""Today's plan, the session player page, and the exercise pictures the pages show."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.catalogue.loader import UnknownExercise
from backcoach.errors import PlanRefused
from backcoach.services.plans import todays_plan_to_show
from backcoach.services.screening import gate as plan_gate
from backcoach.web.api_exercises import moving_picture, still_picture
from backcoach.web.deps import AppDep, PersonDep
from backcoach.web.pages_common import render

router = APIRouter()


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, person: PersonDep) -> HTMLResponse:
    """Today's plan. Everything is read once, in one read transaction: the screen (the gate),
    the saved profile, the programme state and whether a session is unfinished; the plan built
    from them is kept (``services.plans.built_plan``), so a reload does not build it again."""
    store, day, catalogue = person.store, person.today(), person.catalogue
    with store.reading():
        try:
            made = todays_plan_to_show(store, catalogue, day)
        except PlanRefused as refusal:
            # No plan while the screen does not allow one; the page says why and what to do.
            refused: dict[str, object] = {
                "nav": "today",
                "refused": str(refusal),
                "code": refusal.code,
                "screen": store.current_screen(),
            }
            return render(request, "today_refused.html", refused)
        unfinished = store.unfinished_session() is not None
    plan = made.plan
    context: dict[str, object] = {
        "nav": "today",
        "has_profile": made.has_profile,
        "plan": plan,
        "exercises": {item.exercise_id: catalogue.get(item.exercise_id) for item in plan.items},
        "unfinished": unfinished,
        # The planner's notes that name a terminal command are for the terminal; this page
        # lists the exercises left out, with their reasons, itself.
        "notes": [note for note in plan.notes if "`backcoach " not in note],
        "not_offered": made.not_offered,
    }
    return render(request, "today.html", context)


@router.get("/session", response_class=HTMLResponse)
def session_page(request: Request, person: PersonDep) -> Response:
    """The player: the page is a frame; its script drives the live-session API."""
    if not plan_gate(person.store, person.today()).allowed:
        # No plan allowed, so no session either, not even an unfinished one (web.live): today's
        # page says why, calmly, and what to do instead.
        return RedirectResponse("/today", status_code=303)
    names = {ex.id: ex.name for ex in person.catalogue}
    return render(request, "session.html", {"nav": "today", "names": names})


@router.get("/figures/{exercise_id}.svg")
def figure(request: Request, app: AppDep, exercise_id: str) -> Response:
    """The still picture of an exercise (its key poses, or a plain card); drawn once, then
    from memory, with an ETag (``api_exercises.picture``)."""
    try:
        return still_picture(request, app.catalogue.get(exercise_id))
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/figures/{exercise_id}/moving.svg")
def moving_figure(request: Request, app: AppDep, exercise_id: str) -> Response:
    """The animated figure at the exercise's tempo; the still one when it has no key poses."""
    try:
        return moving_picture(request, app.catalogue.get(exercise_id))
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None
