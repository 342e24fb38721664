"""The FastAPI application factory: one application context per app, pages and API on top.

``create_app`` makes the application context (``app.state.app_context``; routes get it, and a
person context per request, through ``web.deps``), the live sessions (``web.live``), the security
middleware (``web.security``), the error handlers (``web.api_errors``), the API under
``/api``, the offline ``/docs`` page, the static files and the pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from backcoach.app import AppContext
from backcoach.config import Settings

HERE = Path(__file__).parent

NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}
"""FastAPI's own OpenTelemetry, off whatever the environment says: with
``FASTAPI_OTEL_AUTO_CONFIGURE=true`` it would otherwise send every request's trace, metrics and
error messages to an OTLP endpoint named by ``OTEL_EXPORTER_OTLP_ENDPOINT``. backcoach sends
nothing off the machine in personal mode, and the clinic talks only to its database, queue and
proxy (docs/your-data.md)."""


def create_app(
    settings: Settings | None = None,
    *,
    clock_speed: float | None = None,
    lan: bool = False,
    port: int | None = None,
    test_client: bool = False,
    clinic: bool = False,
) -> FastAPI:
    """The app. ``clock_speed`` (test-only; default from ``BACKCOACH_TEST_CLOCK_SPEED``, else
    1) speeds up the session clock; ``lan`` requires pairing (see ``web.security``).

    ``port`` is the port the server listens on (``backcoach serve`` passes it): in local mode
    the Host must name a loopback address with exactly that port (None: port not known, any).
    ``test_client`` (tests only) also accepts the in-process test client's host name,
    ``testserver``; it is a parameter so that nothing a request or the environment says can
    turn it on. ``clinic``: clinic mode (``web.clinic_mode``; PostgreSQL, sign-in everywhere,
    behind a TLS proxy at BACKCOACH_PUBLIC_URL); ValueError saying what to fix when it cannot
    run."""
    import os

    from backcoach.web import (
        api,
        api_articles,
        api_docs,
        api_errors,
        api_lessons,
        clinic_mode,
        pages,
        pages_article,
        pages_checkin,
        pages_direction,
        pages_import,
        pages_learn,
    )
    from backcoach.web.live import LiveSessions, SessionClock, clock_speed_from_environ
    from backcoach.web.page_cache import PageCache
    from backcoach.web.security import Guard, SecurityMiddleware, load_secret

    settings = settings or Settings.from_environ()
    speed = clock_speed if clock_speed is not None else clock_speed_from_environ(os.environ)
    app = FastAPI(
        title="backcoach",
        summary="An offline exercise coach for lower back pain: the JSON API.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    context = AppContext(settings)
    app.state.app_context = context
    app.state.live = LiveSessions(SessionClock(speed))  # one for everyone the app serves
    app.state.clinic = None
    app.state.page_cache = PageCache()  # pages kept under their records' tag (web.page_cache)
    public_url = clinic_mode.install(app, context) if clinic else None
    app.state.guard = guard = Guard(
        load_secret(settings.home),
        lan=lan,
        port=port,
        test_client=test_client,
        public_url=public_url,
    )
    api_errors.install(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router, prefix="/api")
    app.include_router(api_docs.router)
    app.include_router(pages.router)
    app.include_router(pages_checkin.router)
    app.include_router(pages_direction.router)
    app.include_router(pages_import.router)
    app.include_router(api_articles.router, prefix="/api")
    app.include_router(pages_article.router)
    app.include_router(api_lessons.router, prefix="/api")
    app.include_router(pages_learn.router)
    app.add_middleware(SecurityMiddleware, guard=guard)
    return app
