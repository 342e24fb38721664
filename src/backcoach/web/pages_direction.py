"""The direction check in the browser, one form per answer (what `backcoach check-direction`
asks in the terminal): where the pain is before, each test with its picture, steps and
repetitions or hold, where the pain is after, and the result in plain words.

The pages carry the answers so far (``services.direction_flow``); each request rebuilds the
check from them and the same rules, and only the answer that ends it saves anything. The check
runs only after a clear warning-sign screen (``services.directions.start_direction_check``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.errors import BackcoachError
from backcoach.planning.direction import LOCATIONS, WORDS, Reading
from backcoach.services.direction_flow import (
    LOCATION_CHOICES,
    MAX_PROGRESS_CHARS,
    Position,
    ProgressUnreadable,
    reading_words,
    replay,
    result_view,
)
from backcoach.services.directions import save_direction_result
from backcoach.services.profiles import load_profile
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render
from backcoach.wording import DIRECTION_TEXT

if TYPE_CHECKING:
    from backcoach.app import PersonContext

router = APIRouter(include_in_schema=False)

TOO_MUCH = "too-much"
PAINS = tuple(range(1, 11))
FIELD_LABELS = {"location": "Where your pain is", "pain": "How strong it is"}


def read_answer(form: Any) -> tuple[Reading | None, dict[str, str], dict[str, str]]:
    """The reading a form gives, or the problems with it by field (all of them); and the
    values as typed, to show the form again."""
    location = str(form.get("location") or "").strip()[:40]
    pain = str(form.get("pain") or "").strip()[:40]
    values = {"location": location, "pain": pain}
    problems: dict[str, str] = {}
    if not location:
        problems["location"] = "not chosen yet; choose where your pain reaches now, or “No pain”."
    elif location not in LOCATIONS:
        problems["location"] = f"“{location}” is not one of the choices; choose one of them."
    strength: int | None = None
    if location == "none":
        strength = 0  # no pain: its strength is nothing to ask
    elif not pain:
        problems["pain"] = "not chosen yet; choose a number from 1 (slight) to 10 (worst)."
    elif pain.isascii() and pain.isdigit() and 1 <= int(pain) <= 10:
        strength = int(pain)
    else:
        problems["pain"] = f"“{pain}” is not a number from 1 to 10; choose one of the numbers."
    if problems or strength is None:
        return None, problems, values
    return Reading(LOCATIONS[LOCATIONS.index(location)], strength), {}, values


def _page(
    request: Request,
    person: PersonContext,
    position: Position | None,
    *,
    refused: str | None = None,
    lost: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    shown = errors or {}
    trial = position.check.next_trial if position is not None else None
    exercise = person.catalogue.get(trial.exercise_id) if trial is not None else None
    profile = load_profile(person.store)
    latest = position.latest if position is not None else None
    context: dict[str, Any] = {
        "nav": "checkin",
        "refused": refused,
        "lost": lost,
        "position": position,
        "trial": trial,
        "exercise": exercise,
        "direction_words": WORDS[trial.direction] if trial is not None else "",
        "latest": reading_words(latest.location, latest.pain) if latest is not None else None,
        "notes": list(position.check.reasons) if position is not None else [],
        "preference": DIRECTION_TEXT.get(profile.directional_preference, ""),
        "has_preference": profile.directional_preference not in ("unknown",),
        "locations": LOCATION_CHOICES,
        "pains": PAINS,
        "values": values or {},
        "errors": shown,
        "error_list": [(f, FIELD_LABELS[f], shown[f]) for f in FIELD_LABELS if f in shown],
        "too_much": TOO_MUCH,
    }
    return render(request, "direction.html", context, status)


def _position(
    person: PersonContext, progress: str
) -> tuple[Position | None, str | None, str | None]:
    """The check rebuilt, or why it may not run (``refused``), or why the answers carried by
    the page could not be used (``lost``)."""
    try:
        return replay(person.store, person.catalogue, person.today(), progress), None, None
    except ProgressUnreadable as exc:
        return None, None, str(exc)
    except BackcoachError as exc:
        return None, str(exc), None


@router.get("/direction", response_class=HTMLResponse)
def direction(request: Request, person: PersonDep, progress: str = "") -> HTMLResponse:
    position, refused, lost = _position(person, progress[: MAX_PROGRESS_CHARS + 1])
    status = 400 if lost else 200
    return _page(request, person, position, refused=refused, lost=lost, status=status)


@router.post("/direction", response_class=HTMLResponse)
async def direction_answer(request: Request, person: PersonDep) -> Response:
    """One answer: the check one step on (PRG: to the next form), or, when this answer ends
    it, the result saved and shown. A problem with the answer saves nothing."""
    form = await request.form()
    progress = str(form.get("progress") or "")[: MAX_PROGRESS_CHARS + 1]
    position, refused, lost = await run_in_threadpool(_position, person, progress)
    if position is None:
        return _page(request, person, None, refused=refused, lost=lost, status=400)
    if str(form.get("choice") or "") == TOO_MUCH and position.latest is not None:
        moved = position.then(None)
    else:
        reading, problems, values = read_answer(form)
        if reading is None:
            return _page(request, person, position, values=values, errors=problems, status=400)
        moved = position.then(reading)
    if moved.check.finished:
        await run_in_threadpool(save_direction_result, person.store, moved.check.result())
        return RedirectResponse("/direction/result", status_code=303)
    return RedirectResponse(f"/direction?progress={moved.progress}", status_code=303)


@router.get("/direction/result", response_class=HTMLResponse)
def direction_result(request: Request, person: PersonDep) -> Response:
    row = person.store.latest_direction_check()
    if row is None:
        return RedirectResponse("/direction", status_code=303)
    context = {"nav": "checkin", "result": result_view(row, person.catalogue)}
    return render(request, "direction_result.html", context)
