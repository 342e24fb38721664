"""Server-rendered pages (Jinja2): one router gathering the page modules.

Pages call the services with the person context (``web.deps.PersonDep``); the JSON API is for the
session player's JavaScript and for scripts. Every page but the session player works without
JavaScript. Page routes stay out of the OpenAPI description, which documents the API only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from backcoach.clinic.accounts import PATIENT
from backcoach.web import (
    pages_app,
    pages_library,
    pages_onboarding,
    pages_progress,
    pages_today,
)
from backcoach.web.deps import STAFF_HOME, ViewerDep, current_person

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, who: ViewerDep) -> RedirectResponse:
    """First visit: the welcome page; afterwards, today's plan. A signed-in clinician: their
    start page."""
    if who is not None and who.role != PATIENT:
        return RedirectResponse(STAFF_HOME, status_code=303)
    person = current_person(request)
    first_visit = person.store.current_screen() is None
    return RedirectResponse("/welcome" if first_visit else "/today", status_code=303)


router.include_router(pages_onboarding.router)
router.include_router(pages_today.router)
router.include_router(pages_library.router)
router.include_router(pages_progress.router)
router.include_router(pages_app.router)
