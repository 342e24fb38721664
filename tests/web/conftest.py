"""Fixtures for the browser app: in-process clients and a real uvicorn server.

``api`` is a TestClient on a fresh app that sends the CSRF token like the pages do;
``live_server_factory`` starts a real uvicorn server in a thread on a free 127.0.0.1 port with
its own BACKCOACH_HOME (and, for session tests, a sped-up session clock). Browser tests use it
too.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.web.app import create_app
from backcoach.web.live import LiveSessions, SessionClock

ALL_NO = {s.id: "no" for s in SIGNS}
TODAY = "2026-11-02"
"""A Monday: the default profile exercises on Mondays."""
BASE_URL = "http://127.0.0.1"


def make_settings(home: Path, db_url: str | None = None, today: str | None = TODAY) -> Settings:
    env = {"BACKCOACH_HOME": str(home)}
    if db_url is not None:
        env["BACKCOACH_DATABASE_URL"] = db_url
    if today is not None:
        env["BACKCOACH_TODAY"] = today
    return Settings.from_environ(env)


def ready_to_exercise(person: PersonContext, **profile: Any) -> None:
    """A clear warning-sign screen and a saved profile: a plan is allowed today."""
    take_screen(person.store, person.today(), ALL_NO)
    update_profile(person.store, **profile)


def csrf_client(app: FastAPI) -> TestClient:
    """A client that, like the pages, sends the CSRF cookie's value back as a header."""
    client = TestClient(app, base_url=BASE_URL)
    client.get("/api/status")
    client.headers["X-CSRF-Token"] = client.cookies["backcoach_csrf"]
    return client


class FakeWall:
    """Wall time that moves only when told: sessions run in milliseconds, exactly."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def web_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def app(web_home: Path) -> FastAPI:
    """An app on a SQLite file in a fresh home, today = ``TODAY``."""
    return create_app(make_settings(web_home))


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    return csrf_client(app)


def person_of(app: FastAPI) -> PersonContext:
    """A person context on the app's own application context (personal mode's person)."""
    context: AppContext = app.state.app_context
    return context.person()


def use_wall(app: FastAPI, wall: FakeWall, speed: float = 1.0) -> None:
    """Drive the app's session clock by hand (a test seam: the clock is all that changes)."""
    app.state.live = LiveSessions(SessionClock(speed, wall))


# --- a real server --------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    home: Path
    settings: Settings
    app: FastAPI

    def person(self) -> PersonContext:
        """A person context of another application context on the same data (as another
        process would have), to prepare or check records from outside."""
        return AppContext(self.settings).person()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start real uvicorn servers: ``start(clock_speed=1.0, today=TODAY, db_url=None,
    lan=False)``. Each gets its own home under tmp_path; all stop at the end of the test."""
    import uvicorn

    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(
        clock_speed: float = 1.0,
        today: str | None = TODAY,
        db_url: str | None = None,
        lan: bool = False,
    ) -> LiveServer:
        home = tmp_path / f"server-{len(running)}"
        home.mkdir()
        settings = make_settings(home, db_url, today)
        port = free_port()
        app = create_app(settings, clock_speed=clock_speed, lan=lan, port=port)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on port {port}")
            time.sleep(0.02)
        running.append((server, thread))
        return LiveServer(f"http://127.0.0.1:{port}", home, settings, app)

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    """A real server in real time, today = ``TODAY``, with an empty home."""
    return live_server_factory()
