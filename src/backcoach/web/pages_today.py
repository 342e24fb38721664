"""Today's plan, the session player page, and the exercise pictures the pages show."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.body.figure import plain_key, plain_svg
from backcoach.catalogue.loader import UnknownExercise
from backcoach.catalogue.model import Exercise
from backcoach.errors import PlanRefused
from backcoach.lessons.loader import digest as lesson_files_digest
from backcoach.lessons.today import own_lessons_dir, todays_lesson
from backcoach.services.plans import catalogue_digest, todays_plan_to_show
from backcoach.services.screening import gate as plan_gate
from backcoach.web.api_exercises import (
    VERSION_QUERY,
    moving_picture,
    picture,
    still_picture,
    versioned,
)
from backcoach.web.deps import AppDep, PersonDep
from backcoach.web.page_cache import PageCache
from backcoach.web.pages_common import render
from backcoach.web.pages_learn import person_library

router = APIRouter()


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, person: PersonDep) -> Response:
    """Today's plan. The person's revision tag is read first; then everything else once, in
    one read transaction: the screen (the gate), the saved profile, the programme state and
    whether a session is unfinished. The page is kept under the tag (``web.page_cache``): until
    one of their records changes, or the day, a reload answers with it after that one read."""
    store, day, catalogue = person.store, person.today(), person.catalogue
    pages: PageCache = request.app.state.page_cache
    tag = store.revision()  # first, before the records the page is made from
    lessons_tag = lesson_files_digest(own_lessons_dir(person.settings.home))
    key = (
        ("today", store.person_id, tag, day, catalogue_digest(catalogue), lessons_tag)
        if tag
        else None
    )
    kept = pages.answer(request, key)
    if kept is not None:
        return kept
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
            response = render(request, "today_refused.html", refused)
            pages.keep(request, key, response)
            return response
        unfinished = store.unfinished_session() is not None
        # Today's lesson: a small card after the session's start, never in its place. Marking
        # it read or skipped writes the person's records, so the kept page is made again.
        lesson = todays_lesson(store, person_library(person), day)
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
        "lesson": lesson,
    }
    response = render(request, "today.html", context)
    pages.keep(request, key, response)
    return response


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
def figure(
    request: Request,
    app: AppDep,
    exercise_id: str,
    text: Literal["yes", "no"] = "yes",
    version: str | None = VERSION_QUERY,
) -> Response:
    """The still picture of an exercise (its key poses, or a plain card); drawn once, then
    from memory, with an ETag (``api_exercises.picture``).

    ``?text=no`` is the picture without words or numbers, for pages that print the pose labels
    as text under it (the library and the exercise page): words drawn inside a picture shrink
    with it, to 9-11 px on a phone, and differ in size from one exercise to the next.
    ``?version=<condition>`` draws that condition's version from its own key poses."""
    try:
        exercise = app.catalogue.get(exercise_id)
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None

    def show(drawn: Exercise) -> Response:
        if text == "no":
            return picture(request, plain_key(drawn).tag, lambda: plain_svg(drawn))
        return still_picture(request, drawn)

    return versioned(exercise, version, show)


@router.get("/figures/{exercise_id}/moving.svg")
def moving_figure(
    request: Request, app: AppDep, exercise_id: str, version: str | None = VERSION_QUERY
) -> Response:
    """The animated figure at the exercise's tempo; the still one when it has no key poses.
    ``?version=<condition>``: that condition's drawn version."""
    try:
        exercise = app.catalogue.get(exercise_id)
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None
    return versioned(exercise, version, lambda ex: moving_picture(request, ex))
