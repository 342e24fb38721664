"""The exercise library: search and filter, and a page per exercise."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from backcoach.catalogue.loader import UnknownExercise
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import Category, Position
from backcoach.services.plans import verdicts as assess
from backcoach.services.profiles import load_profile
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
    profile = load_profile(person.store)
    categories, positions = get_args(Category), get_args(Position)
    # Unknown filter values are ignored (shown as "any"), never an error page: they come
    # from a form of fixed choices, so only a hand-edited address can hold one.
    category = category if category in categories else ""
    position = position if position in positions else ""
    suits = suits if suits in SUITS else "any"
    verdicts = assess(catalogue, profile, person.today())
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
    context: dict[str, Any] = {
        "nav": "library",
        "exercises": chosen,
        "verdicts": verdicts,
        "total": len(catalogue.exercises),
        "q": q,
        "category": category,
        "position": position,
        "suits": suits,
        "categories": categories,
        "positions": positions,
        "has_conditions": bool(profile.conditions),
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
    context = {
        "nav": "library",
        "ex": ex,
        "verdict": assess(catalogue, load_profile(person.store), person.today())[ex.id],
        "builtin": catalogue.is_builtin(ex.id),
        "links": {k: v for k, v in links.items() if v is not None},
    }
    return render(request, "exercise.html", context)
