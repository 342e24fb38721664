"""Progress (trends, meaningful changes, adherence, past sessions) and settings (profile,
reminders, export, forget)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.services import profiles
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.app import PersonContext

router = APIRouter()

HISTORY_SHOWN = 10
"""Sessions listed on the progress page; older ones are in the export and the report."""

FORGET_WORD = "forget"
"""Typed to confirm deleting everything, as `backcoach forget` and the API ask."""


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, person: PersonDep) -> HTMLResponse:
    from backcoach.services.history import past_sessions
    from backcoach.services.progress import progress_summary

    summary = progress_summary(person.store, person.catalogue, person.today())
    sessions = past_sessions(person.store, limit=HISTORY_SHOWN)
    names = {ex.id: ex.name for ex in person.catalogue}
    for session in sessions:
        session["stopped_names"] = [
            names.get(e["exercise_id"], e["exercise_id"])
            for e in session["exercises"]
            if e["outcome"] == "stopped"
        ]
    weeks = summary["adherence"]["weeks"]
    has_trend = len(summary["pain"]["now"]["series"]) >= 2 or bool(
        summary["activities"]["mean_series"]
    )
    context: dict[str, Any] = {
        "nav": "progress",
        "summary": summary,
        "this_week": weeks[-1] if weeks else None,
        "has_trend": has_trend,
        "sessions": sessions,
    }
    return render(request, "progress.html", context)


@router.get("/settings", response_class=HTMLResponse)
def settings(request: Request, person: PersonDep, forgotten: int | None = None) -> HTMLResponse:
    return _settings_page(request, person, None, forgotten)


def _settings_page(
    request: Request,
    person: PersonContext,
    error: str | None,
    forgotten: int | None = None,
    status: int = 200,
) -> HTMLResponse:
    store = person.store
    context: dict[str, Any] = {
        "nav": "settings",
        "profile": profiles.load_profile(store),
        "has_profile": profiles.has_profile(store),
        "screen": store.current_screen(),
        "home": str(person.settings.home),
        "forget_word": FORGET_WORD,
        "error": error,
        "forgotten": forgotten,
    }
    return render(request, "settings.html", context, status)


@router.post("/settings/forget", response_class=HTMLResponse)
async def forget(request: Request, person: PersonDep) -> Response:
    """Delete every record after the person typed the word; their own exercise files stay."""
    from backcoach.services.sharing import forget as forget_all

    form = await request.form()
    typed = str(form.get("confirm") or "").strip().lower()
    if typed != FORGET_WORD:
        message = (
            f"Nothing was deleted. To delete everything, type the word “{FORGET_WORD}” "
            f"(you typed “{typed}”)."
            if typed
            else f"Nothing was deleted. To delete everything, type the word “{FORGET_WORD}”."
        )
        return _settings_page(request, person, message, status=400)
    summary = await run_in_threadpool(forget_all, person.store, person.settings)
    # The session held in memory for the player belongs to the records just deleted.
    request.app.state.live.reset(person.person_id)
    return RedirectResponse(f"/settings?forgotten={sum(summary.rows.values())}", status_code=303)
