"""The check-in (pain now, worst pain in 24 hours, the activities the person follows) and
flare-up mode, in the browser: what `backcoach checkin`, `backcoach activities` and
`backcoach flare-up` do in the terminal, through the same services.

Forms follow the profile page: every field is read, every problem is said at once in plain
words next to its field, and nothing is saved while any remains. A pain score feeds flare-up
detection, so a malformed one is never saved, not even beside good ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.errors import BackcoachError
from backcoach.services import outcomes
from backcoach.services.checkin import activity_name_problem, save_checkin
from backcoach.services.flare_ups import flare_up_status, say_flare_up
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.app import PersonContext

router = APIRouter(include_in_schema=False)

SCORES = tuple(range(11))
MAX_FIELD_CHARS = 200
"""Longest form value read back into a page or a message; a longer one is cut (bounded)."""


def _raw(form: Any, field: str) -> str:
    value = form.get(field)
    return str(value).strip()[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


def read_score(raw: str, *, required: bool, empty: str) -> tuple[int | None, str | None]:
    """A 0-10 score from a form value, or why it cannot be read: ``empty`` when it is missing
    and ``required``."""
    if not raw:
        return None, empty if required else None
    if raw.isascii() and raw.isdigit() and int(raw) <= 10:
        return int(raw), None
    return None, f"“{raw}” is not a score from 0 to 10; choose one of the numbers."


# --- the check-in -----------------------------------------------------------------------------


def _checkin_page(
    request: Request,
    person: PersonContext,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    store, today = person.store, person.today()
    current = outcomes.activities(store)
    due = outcomes.due_today(store, today)
    shown = errors or {}
    labels = {
        "pain_now": "Pain right now",
        "worst": "Worst pain in the last 24 hours",
        **{f"rate_{a.id}": a.name for a in current},
        "activities": "Your activities",
        "activity_name": "Add an activity",
    }
    context: dict[str, Any] = {
        "nav": "checkin",
        "activities": current,
        "due": due,
        "due_ids": set(due["activity_ids"]),
        "max_activities": outcomes.MAX_ACTIVITIES,
        "scores": SCORES,
        "values": values or {},
        "errors": shown,
        "error_list": [(f, labels[f], shown[f]) for f in labels if f in shown],
        "notice": notice,
        "flare": flare_up_status(store, today),
    }
    return render(request, "checkin.html", context, status)


NOTICES = {
    "saved": "Thank you, saved.",
    "added": "Added to your activities. Rate it below whenever you check in.",
    "retired": "No longer asked about. Its ratings stay in your history.",
}


@router.get("/checkin", response_class=HTMLResponse)
def checkin_form(request: Request, person: PersonDep, done: str | None = None) -> HTMLResponse:
    return _checkin_page(request, person, notice=NOTICES.get(done or ""))


@router.post("/checkin", response_class=HTMLResponse)
async def checkin_submit(request: Request, person: PersonDep) -> Response:
    form = await request.form()
    store, today = person.store, person.today()
    current = await run_in_threadpool(outcomes.activities, store)
    due = await run_in_threadpool(outcomes.due_today, store, today)
    values = {key: _raw(form, key) for key in ("pain_now", "worst")}
    problems: dict[str, str] = {}
    pain_now, problem = read_score(
        values["pain_now"],
        required=True,
        empty="not chosen yet; choose a number from 0 (no pain) to 10 (worst imaginable).",
    )
    if problem:
        problems["pain_now"] = problem
    worst, problem = read_score(
        values["worst"],
        required=due["worst_pain"],
        empty="not chosen yet; choose the worst it has been since this time yesterday, "
        "from 0 to 10.",
    )
    if problem:
        problems["worst"] = problem
    known = {f"rate_{a.id}": a for a in current}
    stray = [
        key for key in form if key.startswith("rate_") and key not in known and _raw(form, key)
    ]
    if stray:
        problems["activities"] = (
            "an activity you rated is no longer on your list (it may have been changed in "
            "another window); please check the list below and save again."
        )
    ratings: dict[str | int, Any] = {}
    for field, activity in known.items():
        values[field] = _raw(form, field)
        score, problem = read_score(values[field], required=False, empty="")
        if problem:
            problems[field] = problem
        elif score is not None:
            ratings[activity.id] = score
    if problems:
        return _checkin_page(request, person, values=values, errors=problems, status=400)
    try:
        await run_in_threadpool(save_checkin, store, today, pain_now, worst, ratings)
    except BackcoachError:
        # Changed meanwhile in another window (an activity stopped): nothing was saved.
        problems["activities"] = (
            "your list of activities changed while you were filling this in; nothing was "
            "saved. Please check the list below and save again."
        )
        return _checkin_page(request, person, values=values, errors=problems, status=400)
    return RedirectResponse("/checkin?done=saved", status_code=303)


@router.post("/checkin/activities", response_class=HTMLResponse)
async def activity_add(request: Request, person: PersonDep) -> Response:
    form = await request.form()
    store, today = person.store, person.today()
    name = str(form.get("activity_name") or "")[: outcomes.MAX_NAME * 4]
    problem = await run_in_threadpool(activity_name_problem, store, name)
    if problem is None:
        try:
            await run_in_threadpool(outcomes.add_activity, store, today, name)
        except BackcoachError:
            problem = "it could not be added; please try again."
    if problem is not None:
        values = {"activity_name": name.strip()[:MAX_FIELD_CHARS]}
        errors = {"activity_name": problem}
        return _checkin_page(request, person, values=values, errors=errors, status=400)
    return RedirectResponse("/checkin?done=added#activities-list", status_code=303)


@router.post("/checkin/activities/retire", response_class=HTMLResponse)
async def activity_retire(request: Request, person: PersonDep) -> Response:
    form = await request.form()
    store, today = person.store, person.today()
    raw = _raw(form, "activity_id")
    current = {str(a.id): a for a in await run_in_threadpool(outcomes.activities, store)}
    if raw not in current:
        errors = {"activities": "that activity is not on your list any more; nothing was changed."}
        return _checkin_page(request, person, errors=errors, status=400)
    await run_in_threadpool(outcomes.retire_activity, store, today, current[raw].id)
    return RedirectResponse("/checkin?done=retired#activities-list", status_code=303)


# --- flare-up -----------------------------------------------------------------------------------

CONFIRM_FLARE = "yes"


def _flare_page(
    request: Request,
    person: PersonContext,
    *,
    started: bool = False,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "nav": "checkin",
        "flare": flare_up_status(person.store, person.today()),
        "started": started,
        "errors": {"confirm": error} if error else {},
    }
    return render(request, "flare_up.html", context, status)


@router.get("/flare-up", response_class=HTMLResponse)
def flare_up_page(request: Request, person: PersonDep, started: bool = False) -> HTMLResponse:
    return _flare_page(request, person, started=started)


@router.post("/flare-up", response_class=HTMLResponse)
async def flare_up_start(request: Request, person: PersonDep) -> Response:
    """Start the gentle days only on the explicit confirmation: anything else changes
    nothing (a flare-up changes the plan for days)."""
    form = await request.form()
    if _raw(form, "confirm") != CONFIRM_FLARE:
        return _flare_page(
            request,
            person,
            error="nothing was changed. Tick “My back is flaring up” to start the gentle days.",
            status=400,
        )
    await run_in_threadpool(say_flare_up, person.store, person.today())
    return RedirectResponse("/flare-up?started=true", status_code=303)
