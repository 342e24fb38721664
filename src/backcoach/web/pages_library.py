"""The exercise library: search and filter, and a page per exercise, each with whether it suits
the person now (``services.suits``: the same verdict as the plan and the CLI)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.body.figure import pose_labels
from backcoach.catalogue.loader import UnknownExercise
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import Category, Position
from backcoach.services.suits import suits_you
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

router = APIRouter()

SUITS = ("any", "suits", "not")
"""The suits-me filter: every exercise, the ones the person may do, or the ones left out."""


def _matches(ex: Exercise, words: list[str]) -> bool:
    """Every word of the search appears in the name, aliases, summary, targets or id."""
    haystack = " ".join([ex.id, ex.name, ex.summary, *ex.aliases, *ex.targets]).lower()
    return all(word in haystack for word in words)


@router.get("/library", response_class=HTMLResponse)
def library(
    request: Request,
    person: PersonDep,
    q: str = "",
    category: str = "",
    position: str = "",
    suits: str = "any",
) -> HTMLResponse:
    catalogue = person.catalogue
    categories, positions = get_args(Category), get_args(Position)
    # Unknown filter values are ignored (shown as "any"), never an error page: they come
    # from a form of fixed choices, so only a hand-edited address can hold one.
    category = category if category in categories else ""
    position = position if position in positions else ""
    suits = suits if suits in SUITS else "any"
    # The planner's own verdict: conditions, equipment, experience, exercises left out.
    verdicts = suits_you(person.store, catalogue, person.today())
    words = q.lower().split()
    chosen: list[Exercise] = []
    for ex in catalogue:
        allowed = verdicts[ex.id].allowed
        if (
            (not category or ex.category == category)
            and (not position or ex.position == position)
            and (suits == "any" or (suits == "suits") == allowed)
            and _matches(ex, words)
        ):
            chosen.append(ex)
    chosen.sort(key=lambda ex: ex.name.casefold())  # as people look for them: by name
    context: dict[str, Any] = {
        "nav": "library",
        "exercises": chosen,
        "verdicts": verdicts,
        # The pose labels as page text under each picture (drawn without words: body.figure).
        "labels": {ex.id: [t for t in pose_labels(ex) if t] for ex in chosen},
        "total": len(catalogue.exercises),
        "q": q,
        "category": category,
        "position": position,
        "suits": suits,
        "categories": categories,
        "positions": positions,
    }
    return render(request, "library.html", context)


@router.get("/library/{exercise_id}", response_class=HTMLResponse)
def exercise_page(request: Request, person: PersonDep, exercise_id: str) -> HTMLResponse:
    catalogue = person.catalogue
    try:
        ex = catalogue.get(exercise_id)
    except UnknownExercise as exc:
        raise HTTPException(404, str(exc)) from None
    links = {
        key: catalogue.exercises.get(target)
        for key, target in (("easier", ex.regression), ("harder", ex.progression))
        if target
    }
    from backcoach.services.bring_back import left_out, warning

    why = left_out(person.store, person.today()).get(ex.id)
    context = {
        "nav": "library",
        "ex": ex,
        "verdict": suits_you(person.store, catalogue, person.today())[ex.id],
        "builtin": catalogue.is_builtin(ex.id),
        "labels": [t for t in pose_labels(ex) if t],
        "links": {k: v for k, v in links.items() if v is not None},
        "left_out": warning(ex.name, why) if why else None,
        "brought_back": request.query_params.get("back") == "1",
    }
    return render(request, "exercise.html", context)


@router.post("/library/{exercise_id}/bring-back")
async def bring_back_page(request: Request, person: PersonDep, exercise_id: str) -> Response:
    """The library page's "bring it back" form: only with its box ticked (the warning read)."""
    from starlette.concurrency import run_in_threadpool

    from backcoach.services.bring_back import bring_back

    form = await request.form()
    if form.get("confirm") != "yes":
        raise HTTPException(
            400, "Nothing changed: tick the box to say you have read the warning, then try again."
        )
    store, catalogue, today = person.store, person.catalogue, person.today()
    await run_in_threadpool(bring_back, store, catalogue, today, exercise_id)
    return RedirectResponse(f"/library/{exercise_id}?back=1", status_code=303)
