"""Clinic mode's wiring (``create_app(clinic=True)``, ``backcoach serve --clinic``): the clinic
on the app's own database, the ``/api/auth`` routes, the sign-in pages and a health check.

The security middleware (``web.security``) then asks for a sign-in on every other path, and
``web.deps.current_person`` gives routes the signed-in patient.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from backcoach.app import AppContext
from backcoach.clinic import Clinic
from backcoach.clinic.errors import NeedsPostgres
from backcoach.clinic.settings import ClinicSettings
from backcoach.web.deps import AppDep

health = APIRouter(include_in_schema=False)


class Health(BaseModel):
    status: str


@health.get("/healthz", response_model=Health)
def healthz(context: AppDep) -> Health:
    """For the proxy and monitors, without a sign-in: the worker answers and reaches the
    database. Says nothing about anyone."""
    from sqlalchemy import text

    with context.database() as db:
        db.execute(text("SELECT 1"))
    return Health(status="ok")


def install(app: FastAPI, context: AppContext) -> str:
    """Put the clinic on ``app.state.clinic`` and add its routes; returns the public URL (for
    the Host check). ValueError with a message naming the setting and the fix when the
    database is SQLite or a clinic setting is not usable."""
    from backcoach.web import (
        api_clinician,
        api_lessons,
        api_programmes,
        auth,
        pages_clinician,
        pages_programme,
        pages_signin,
    )

    if context.settings.is_sqlite:
        raise ValueError(str(NeedsPostgres()))
    settings = ClinicSettings.from_environ()
    app.state.clinic = Clinic(context.database, settings=settings)
    app.include_router(auth.router, prefix="/api")
    app.include_router(api_programmes.router, prefix="/api")
    app.include_router(pages_programme.router)
    app.include_router(api_clinician.router, prefix="/api")
    app.include_router(api_clinician.comments, prefix="/api")
    app.include_router(api_lessons.clinic, prefix="/api")
    # before pages_signin: its placeholder /clinician is replaced by the patients list
    app.include_router(pages_clinician.router)
    app.include_router(pages_signin.router)
    app.include_router(health)
    return settings.public_url
