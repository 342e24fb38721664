"""First run: what backcoach is and is not, the warning-sign screen, and the profile."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.errors import BackcoachError, FieldsRejected
from backcoach.services import profiles, screening
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.app import PersonContext

router = APIRouter()

ANSWER_CHOICES = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))


@router.get("/welcome", response_class=HTMLResponse)
def welcome(request: Request, person: PersonDep) -> HTMLResponse:
    screened = person.store.current_screen() is not None
    return render(request, "welcome.html", {"screened": screened})


# --- the warning-sign screen ----------------------------------------------------------------


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request) -> HTMLResponse:
    return _screen_page(request, {}, None)


def _screen_page(
    request: Request, given: dict[str, str], error: str | None, status: int = 200
) -> HTMLResponse:
    from backcoach.safety.signs import SIGNS

    context = {"signs": SIGNS, "choices": ANSWER_CHOICES, "given": given, "error": error}
    return render(request, "screen.html", context, status)


@router.post("/screen", response_class=HTMLResponse)
async def screen_submit(request: Request, person: PersonDep) -> Response:
    from backcoach.safety.signs import SIGN_IDS

    form = await request.form()
    # Only question fields are answers; an empty value is "not answered", never a no.
    given = {key: str(form[key]) for key in SIGN_IDS if str(form.get(key) or "").strip()}
    try:
        await run_in_threadpool(screening.take_screen, person.store, person.today(), given)
    except BackcoachError as exc:
        return _screen_page(request, given, str(exc), status=400)
    return RedirectResponse("/screen/result", status_code=303)


@router.get("/screen/result", response_class=HTMLResponse)
def screen_result(request: Request, person: PersonDep) -> Response:
    row = person.store.current_screen()
    if row is None:
        return RedirectResponse("/screen", status_code=303)
    return _result_page(request, person, row, None)


def _result_page(
    request: Request, person: PersonContext, row: Any, error: str | None, status: int = 200
) -> HTMLResponse:
    context = {
        "row": row,
        "gate": screening.gate(person.store, person.today()),
        "has_profile": profiles.has_profile(person.store),
        "today": person.today().isoformat(),
        "error": error,
    }
    return render(request, "screen_result.html", context, status)


@router.post("/screen/clearance", response_class=HTMLResponse)
async def clearance_submit(request: Request, person: PersonDep) -> Response:
    form = await request.form()
    store, today = person.store, person.today()
    raw_day = str(form.get("cleared_on") or "").strip()
    who = str(form.get("cleared_by") or "").strip() or None
    try:
        day = dt.date.fromisoformat(raw_day) if raw_day else today
    except ValueError:
        row = store.current_screen()
        message = f"The date '{raw_day}' is not a date; write it as YYYY-MM-DD, e.g. 2025-03-14."
        if row is None:
            return RedirectResponse("/screen", status_code=303)
        return _result_page(request, person, row, message, status=400)
    try:
        await run_in_threadpool(screening.record_clearance, store, today, day, who)
    except BackcoachError as exc:
        row = store.current_screen()
        if row is None:
            return RedirectResponse("/screen", status_code=303)
        return _result_page(request, person, row, str(exc), status=400)
    return RedirectResponse("/screen/result", status_code=303)


# --- the profile ------------------------------------------------------------------------------


def _options() -> dict[str, Any]:
    from typing import get_args

    from backcoach.catalogue.vocabulary import ConditionId, Equipment, Goal
    from backcoach.planning.profile import MAX_MINUTES, MIN_MINUTES, WEEKDAYS

    return {
        "weekdays": WEEKDAYS,
        "goals": get_args(Goal),
        "equipment": get_args(Equipment),
        "conditions": get_args(ConditionId),
        "experiences": ("new", "some", "regular"),
        "directions": ("unknown", "extension", "flexion", "none"),
        "min_minutes": MIN_MINUTES,
        "max_minutes": MAX_MINUTES,
    }


def _values_of(profile: Any) -> dict[str, Any]:
    """The profile as the form shows it."""
    conditions = {c.id: c for c in profile.conditions}
    pregnancy = conditions.get("pregnancy")
    surgery = conditions.get("recent-spinal-surgery")
    return {
        "minutes": str(profile.minutes),
        "days": list(profile.days),
        "reminder_time": profile.reminder_time,
        "goals": list(profile.goals),
        "equipment": list(profile.equipment),
        "experience": profile.experience,
        "conditions": list(conditions),
        "pregnancy_weeks": "" if pregnancy is None or pregnancy.weeks is None else pregnancy.weeks,
        "surgery_cleared_on": ""
        if surgery is None or surgery.cleared_on is None
        else surgery.cleared_on.isoformat(),
        "directional_preference": profile.directional_preference,
    }


def _profile_page(
    request: Request,
    values: dict[str, Any],
    *,
    first: bool,
    saved: bool = False,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    shown = errors or {}
    context = {
        "values": values,
        "first": first,
        "saved": saved,
        # In the page's order, with the field's label, for the list at the top.
        "errors": shown,
        "error_list": [(f, FIELD_LABELS[f], shown[f]) for f in FIELD_LABELS if f in shown],
        "nav": "settings",
        **_options(),
    }
    return render(request, "profile.html", context, status)


@router.get("/profile", response_class=HTMLResponse)
def profile_form(request: Request, person: PersonDep, saved: bool = False) -> HTMLResponse:
    store = person.store
    values = _values_of(profiles.load_profile(store))
    return _profile_page(request, values, first=not profiles.has_profile(store), saved=saved)


FIELD_LABELS = {
    "minutes": "Minutes per session",
    "days": "Which days",
    "reminder_time": "Reminder time",
    "goals": "What you would like",
    "equipment": "What you have at hand",
    "experience": "How used to exercise you are",
    "conditions": "What the plan should take care with",
    "pregnancy_weeks": "Weeks of pregnancy",
    "surgery_cleared_on": "The date you were cleared after surgery",
    "directional_preference": "Movement that eases your pain",
}
"""The profile form's fields as the page names them (the order the page shows them)."""


def _changes_from(form: Any, current: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted form as ``profiles.update_profile`` changes (the whole profile), and what
    cannot be read in it, by field: every field is looked at, so all is said at once."""
    problems: dict[str, str] = {}
    raw_minutes = str(form.get("minutes") or "").strip()
    minutes: int | None = None
    try:
        minutes = int(raw_minutes)
    except ValueError:
        problems["minutes"] = (
            f"'{raw_minutes}' is not a whole number; type a number such as 15."
            if raw_minutes
            else "this is empty; type a number of minutes such as 15."
        )
    days = [str(v) for v in form.getlist("days")]
    if not days:
        problems["days"] = "no day is ticked; tick at least one day to exercise on."
    old = {c.id: c.model_dump(mode="json") for c in current.conditions}
    conditions = []
    for cid in dict.fromkeys(str(v) for v in form.getlist("conditions")):
        entry = dict(old.get(cid, {"id": cid}))
        if cid == "pregnancy":
            weeks = str(form.get("pregnancy_weeks") or "").strip()
            entry.pop("weeks", None)
            if weeks.isdigit():
                entry["weeks"] = int(weeks)
            elif weeks:
                problems["pregnancy_weeks"] = (
                    f"'{weeks}' is not a whole number; type the number of weeks, e.g. 20, or "
                    "leave it empty."
                )
        if cid == "recent-spinal-surgery":
            cleared = str(form.get("surgery_cleared_on") or "").strip()
            entry.pop("cleared_on", None)
            if cleared:
                try:
                    dt.date.fromisoformat(cleared)
                    entry["cleared_on"] = cleared
                except ValueError:
                    problems["surgery_cleared_on"] = (
                        f"'{cleared}' is not a date; write it as YYYY-MM-DD, or leave it empty."
                    )
        conditions.append(entry)
    changes = {
        "minutes": minutes,
        "days": days,
        "reminder_time": str(form.get("reminder_time") or "").strip() or None,
        "goals": [str(v) for v in form.getlist("goals")],
        "equipment": [str(v) for v in form.getlist("equipment")],
        "experience": str(form.get("experience") or "").strip() or None,
        "conditions": conditions,
        "directional_preference": str(form.get("directional_preference") or "").strip() or None,
    }
    return changes, problems


def _by_field(problems: list[tuple[str, str]]) -> dict[str, str]:
    """The profile's problems by the form field they belong to (``days.0`` is ``days``; a
    condition's weeks or date, its own field); several for one field are joined."""
    fields: dict[str, str] = {}
    for path, text in problems:
        parts = path.split(".")
        field = parts[0]
        if field == "conditions" and parts[-1] == "weeks":
            field = "pregnancy_weeks"
        elif field == "conditions" and parts[-1] == "cleared_on":
            field = "surgery_cleared_on"
        if field not in FIELD_LABELS:
            field = "conditions" if field == "conditions" else "minutes"
        fields[field] = f"{fields[field]} {text}" if field in fields else text
    return fields


def _submitted_values(form: Any) -> dict[str, Any]:
    """What the person typed, to show the form again unchanged after an error."""
    return {
        "minutes": str(form.get("minutes") or ""),
        "days": form.getlist("days"),
        "reminder_time": str(form.get("reminder_time") or ""),
        "goals": form.getlist("goals"),
        "equipment": form.getlist("equipment"),
        "experience": str(form.get("experience") or ""),
        "conditions": form.getlist("conditions"),
        "pregnancy_weeks": str(form.get("pregnancy_weeks") or ""),
        "surgery_cleared_on": str(form.get("surgery_cleared_on") or ""),
        "directional_preference": str(form.get("directional_preference") or ""),
    }


@router.post("/profile", response_class=HTMLResponse)
async def profile_submit(request: Request, person: PersonDep) -> Response:
    form = await request.form()
    store = person.store
    first = not await run_in_threadpool(profiles.has_profile, store)
    changes, problems = _changes_from(form, await run_in_threadpool(profiles.load_profile, store))
    try:
        if problems:  # the rest is still checked, so every problem is shown at once
            await run_in_threadpool(lambda: profiles.changed_profile(store, **changes))
        else:
            await run_in_threadpool(lambda: profiles.update_profile(store, **changes))
    except FieldsRejected as exc:
        problems = {**_by_field(exc.problems), **problems}
    if problems:
        values = _submitted_values(form)
        return _profile_page(request, values, first=first, errors=problems, status=400)
    return RedirectResponse("/today" if first else "/profile?saved=true", status_code=303)
