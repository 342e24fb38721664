"""The FastAPI application factory: one Coach (the service layer) per app, pages and API on top.

This is the starting shape; the web issue's owners extend it (security, live sessions, ...).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from backcoach.coach import Coach
from backcoach.config import Settings

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None) -> FastAPI:
    from backcoach.web import api, pages

    app = FastAPI(title="backcoach", docs_url="/docs", redoc_url=None)
    app.state.coach = Coach(settings or Settings.from_environ())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    return app
