"""Server-rendered pages (Jinja2): one router gathering the page modules.

Pages call the service layer (``request.app.state.coach``) directly; the JSON API is for the
session player's JavaScript and for scripts. Every page but the session player works without
JavaScript. Page routes stay out of the OpenAPI description, which documents the API only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from backcoach.web import pages_library, pages_onboarding, pages_progress, pages_today
from backcoach.web.pages_common import coach_of

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> RedirectResponse:
    """First visit: the welcome page; afterwards, today's plan."""
    coach = coach_of(request)
    first_visit = coach.current_screen() is None
    return RedirectResponse("/welcome" if first_visit else "/today", status_code=303)


router.include_router(pages_onboarding.router)
router.include_router(pages_today.router)
router.include_router(pages_library.router)
router.include_router(pages_progress.router)
