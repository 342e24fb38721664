"""Today's plan, the session player page, and the exercise pictures the pages show."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.body.cache import fingerprint
from backcoach.catalogue.loader import UnknownExercise
from backcoach.planning.plan import Plan
from backcoach.planning.profile import Profile
from backcoach.planning.select import eligible
from backcoach.planning.state import ProgramState
from backcoach.services.plans import build
from backcoach.services.profiles import profile_from
from backcoach.services.progression import program_state
from backcoach.services.screening import gate as plan_gate
from backcoach.web.api_exercises import moving_picture, still_picture
from backcoach.web.deps import AppDep, PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store

router = APIRouter()

MAX_PLANS = 64
"""Built plans kept (see ``todays_plan``): a person's plan changes a few times a day at most."""


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, person: PersonDep) -> HTMLResponse:
    """Today's plan. Everything is read once, in one read transaction: the screen (the gate),
    the saved profile, the programme state and whether a session is unfinished; the plan built
    from them is kept (``todays_plan``), so a reload does not build it again."""
    store, day, catalogue = person.store, person.today(), person.catalogue
    with store.reading():
        gate = plan_gate(store, day)
        if not gate.allowed:
            # As services.plans.todays_plan refuses: no plan while the screen does not allow one.
            refused: dict[str, object] = {
                "nav": "today",
                "refused": gate.reason,
                "code": gate.code,
                "screen": store.current_screen(),
            }
            return render(request, "today_refused.html", refused)
        profile, has_profile = saved_profile(store)
        state = program_state(store, day)
        unfinished = store.unfinished_session() is not None
    made = todays_plan(catalogue, profile, state, day)
    plan = made.plan
    context: dict[str, object] = {
        "nav": "today",
        "has_profile": has_profile,
        "plan": plan,
        "exercises": {item.exercise_id: catalogue.get(item.exercise_id) for item in plan.items},
        "unfinished": unfinished,
        # The planner's notes that name a terminal command are for the terminal; this page
        # lists the exercises left out, with their reasons, itself.
        "notes": [note for note in plan.notes if "`backcoach " not in note],
        "not_offered": made.not_offered,
    }
    return render(request, "today.html", context)


def saved_profile(store: Store) -> tuple[Profile, bool]:
    """The saved profile (the defaults when none was saved) and whether one was saved, from a
    single read; a saved profile that no longer validates raises ProfileUnreadable, exactly as
    ``services.profiles.load_profile`` does."""
    data = store.load_profile()
    return profile_from(data), data is not None


@dataclass(frozen=True)
class TodaysPlan:
    plan: Plan
    not_offered: list[tuple[str, str]]
    """(name, reason) of every exercise the plan may not use today, as the planner decides."""


_plans: OrderedDict[str, TodaysPlan] = OrderedDict()
_plans_lock = threading.Lock()


def todays_plan(
    catalogue: Catalogue, profile: Profile, state: ProgramState, day: dt.date
) -> TodaysPlan:
    """The plan for ``day`` and the exercises it may not use, built once for the same inputs.

    Planning is deterministic (``planning.select``): the same catalogue, profile, programme
    state and date always give the same plan, so it is kept under a hash of exactly those (each
    exercise by its fingerprint). A changed profile, a new decision, another day or an edited
    exercise file is another key. At most ``MAX_PLANS`` are kept, least recently used out. The
    caller has checked the gate; nothing here decides whether a plan may be offered."""
    digest = hashlib.sha256(day.isoformat().encode())
    for exercise in catalogue:
        digest.update(b"\0" + fingerprint(exercise).encode())
    digest.update(b"\0" + profile.model_dump_json().encode())
    digest.update(b"\0" + state.model_dump_json().encode())
    key = digest.hexdigest()
    with _plans_lock:
        found = _plans.get(key)
        if found is not None:
            _plans.move_to_end(key)
            return found
    made = TodaysPlan(
        # services.plans.build is todays_plan() after its gate check, with what was read here.
        build(catalogue, profile, day, None, state),
        _not_offered(catalogue, profile, state, day),
    )
    with _plans_lock:
        _plans[key] = made
        while len(_plans) > MAX_PLANS:
            _plans.popitem(last=False)
    return made


def _not_offered(
    catalogue: Catalogue, profile: Profile, state: ProgramState, day: dt.date
) -> list[tuple[str, str]]:
    """(name, reason) of every exercise the plan may not use today, as the planner decides."""
    unavailable = eligible(catalogue, profile, state, day).unavailable
    names = {ex.id: ex.name for ex in catalogue}
    return sorted((names.get(i, i), reason) for i, reason in unavailable.items())


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
