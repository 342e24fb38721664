"""A live session whose records change underneath it (issue 20): forget, import, another process.

The running session lives in the database; `backcoach forget` and `backcoach start` run in
other processes on the same database, and SQLite gives a deleted session's id to the next
session. Every event after such a change must answer 409 saying what happened, never 500,
and never write into a session that is not the one the page was running.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from backcoach.app import PersonContext
from backcoach.records.store import Store
from backcoach.records.tables import PainReportRow
from backcoach.web.live import HEARTBEAT_SECONDS
from tests.conftest import run_cli
from tests.web.conftest import (
    BASE_URL,
    TODAY,
    FakeWall,
    LiveServer,
    csrf_client,
    person_of,
    ready_to_exercise,
)
from tests.web.test_api_sessions import drive, event, session_app

EVENTS: list[dict[str, Any]] = [
    {"type": "tick"},
    {"type": "pain", "score": 7},
    {"type": "rep"},
    {"type": "pause"},
    {"type": "rate", "rating": "too-hard"},
    {"type": "end"},
]
"""One of every kind that could write something: none may reach the records."""


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


def pain_reports(
    person: PersonContext, session_id: int | None = None
) -> list[tuple[int | None, int]]:
    """(session id, score) of the pain reports saved, read straight from the table."""
    with person.store.scoped() as s:
        query = select(PainReportRow.session_id, PainReportRow.score)
        if session_id is not None:
            query = query.where(PainReportRow.session_id == session_id)
        return [(sid, score) for sid, score in s.execute(query)]


def row_count(person: PersonContext) -> int:
    from backcoach.reports.export import row_count as count

    with person.store.scoped() as s:
        return count(s)


def assert_refused(response: httpx.Response, code: str) -> dict[str, Any]:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/json"
    assert "Traceback" not in response.text
    detail: dict[str, Any] = response.json()["detail"]
    assert detail["code"] == code, detail
    assert "start a new session" in detail["fix"]
    return detail


def live_session(api: TestClient) -> int:
    step = api.post("/api/sessions", json={"minutes": 10})
    assert step.status_code == 201, step.text
    sid: int = step.json()["view"]["session_id"]
    event(api, sid, "pain", score=2)  # the pain before: the exercise starts
    return sid


# --- forget in the browser app itself -------------------------------------------------------


def forget_by_api(api: TestClient) -> None:
    assert api.post("/api/forget", json={"confirm": "forget"}).status_code == 200


def forget_by_page(api: TestClient) -> None:
    token = api.cookies["backcoach_csrf"]
    r = api.post(
        "/settings/forget", data={"confirm": "forget", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text


@pytest.mark.parametrize("forget", [forget_by_api, forget_by_page], ids=["api", "page"])
def test_forget_in_the_app_ends_the_live_session_and_its_page_is_told(
    tmp_path: Path, db_url: str, forget: Callable[[TestClient], None]
) -> None:
    wall = FakeWall()
    app = session_app(tmp_path, db_url, wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    api = csrf_client(app)
    sid = live_session(api)

    forget(api)

    for body in EVENTS:
        wall.advance(2)
        detail = assert_refused(
            api.post(f"/api/sessions/{sid}/events", json=body), "session-forgotten"
        )
        assert "records were deleted" in detail["message"] and detail["field"] == "session_id"
    assert row_count(person) == 0  # nothing was written after the forget
    assert api.get("/api/sessions/current").status_code == 404

    # A new session afterwards is clean (on SQLite it even gets the same id).
    ready_to_exercise(person, minutes=10)
    new = api.post("/api/sessions", json={"minutes": 10}).json()["view"]["session_id"]
    if db_url.startswith("sqlite"):
        assert new == sid
    assert pain_reports(person) == []
    step = event(api, new, "pain", score=1)
    assert step["view"]["session_id"] == new
    assert pain_reports(person) == [(new, 1)]


def test_an_import_that_replaces_the_records_ends_the_live_session(
    tmp_path: Path, wall: FakeWall
) -> None:
    app = session_app(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    document = api.get("/api/export").json()  # a screen and a profile, no session
    sid = live_session(api)
    assert api.post("/api/import?replace=true", json=document).status_code == 200
    detail = assert_refused(
        api.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 6}),
        "session-forgotten",
    )
    assert "replaced (an import)" in detail["message"]
    assert pain_reports(person_of(app)) == []


# --- another process on the same records ----------------------------------------------------


@pytest.fixture
def server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    """A real uvicorn server (in a thread of this process) on a SQLite file, ready to exercise."""
    server = live_server_factory()
    ready_to_exercise(server.person(), minutes=5)
    return server


@pytest.fixture
def page(server: LiveServer) -> Iterator[httpx.Client]:
    """What the player page does over HTTP: the CSRF cookie, then JSON with its header."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.get("/api/status")
        client.headers["X-CSRF-Token"] = client.cookies["backcoach_csrf"]
        yield client


def start_in_browser(client: httpx.Client) -> int:
    started = client.post("/api/sessions", json={"minutes": 5})
    assert started.status_code == 201, started.text
    sid: int = started.json()["view"]["session_id"]
    pain = client.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 2})
    assert pain.status_code == 200, pain.text
    return sid


def cli(server: LiveServer, *args: str) -> str:
    result = run_cli(*args, home=server.home, BACKCOACH_TODAY=TODAY)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cli_forget_in_another_process_gives_409_never_500(
    server: LiveServer, page: httpx.Client
) -> None:
    sid = start_in_browser(page)
    out = cli(server, "forget", "--yes")
    assert f"Ended session {sid}, which was still running" in out
    # The person answers the questions again in another tab: a plan is allowed again, so
    # nothing but the session check stands between the old page and the records.
    ready_to_exercise(server.person(), minutes=5)

    statuses = []
    for _ in range(5):  # the page keeps talking: heartbeats, taps, a pain report
        for body in EVENTS:
            r = page.post(f"/api/sessions/{sid}/events", json=body)
            statuses.append(r.status_code)
            detail = assert_refused(r, "session-forgotten")
    assert statuses == [409] * len(EVENTS) * 5
    assert "backcoach forget" in detail["message"]
    assert page.get("/api/sessions/current").status_code == 404
    assert page.get("/api/status").status_code == 200  # the server still answers
    person = server.person()
    assert person.store.sessions() == [] and pain_reports(person) == []


def test_a_session_that_reuses_the_id_gets_nothing_from_the_old_page(
    server: LiveServer, page: httpx.Client
) -> None:
    sid = start_in_browser(page)
    cli(server, "forget", "--yes")
    # Before the page says anything more, a terminal starts (and runs) a new session.
    ready_to_exercise(server.person(), minutes=5)
    cli(server, "start", "--auto", "--minutes", "5")
    person = server.person()
    [new] = person.store.sessions()
    assert new.id == sid  # SQLite gave the deleted id again: the id alone proves nothing
    saved = pain_reports(person, sid)

    r = page.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 9})
    detail = assert_refused(r, "session-replaced")
    assert "now belongs to another session" in detail["message"]
    for body in EVENTS:
        assert_refused(page.post(f"/api/sessions/{sid}/events", json=body), "session-replaced")
    assert pain_reports(person, sid) == saved  # no pain report of 9 (or any other) slipped in
    assert person.store.session(sid).status == "finished"


def test_a_session_finished_in_a_terminal_takes_nothing_more_from_the_page(
    server: LiveServer, page: httpx.Client
) -> None:
    sid = start_in_browser(page)
    refused = run_cli("start", "--auto", home=server.home, BACKCOACH_TODAY=TODAY)
    assert refused.returncode == 3, refused.stderr  # the page is running it: not unasked
    assert "a browser page" in refused.stderr and "--take-over" in refused.stderr
    out = cli(server, "start", "--auto", "--take-over")  # carries it on and finishes it
    assert "Resumed your session" in out
    person = server.person()
    assert person.store.session(sid).status == "finished"
    saved = pain_reports(person, sid)
    detail = assert_refused(
        page.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 8}),
        "session-ended",
    )
    assert "ended elsewhere" in detail["message"] and "finished" in detail["message"]
    assert pain_reports(person, sid) == saved


# --- in this process ------------------------------------------------------------------------


def test_a_finished_session_shows_its_summary_but_records_nothing_more(
    tmp_path: Path, wall: FakeWall
) -> None:
    app = session_app(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    api = csrf_client(app)
    sid = live_session(api)
    event(api, sid, "end")
    assert event(api, sid, "pain", score=1)["view"]["finished"] is True  # the pain after
    saved = pain_reports(person, sid)
    assert event(api, sid, "tick")["view"]["finished"] is True
    assert event(api, sid, "dismiss")["view"]["finished"] is True
    for body in EVENTS[1:]:
        r = api.post(f"/api/sessions/{sid}/events", json=body)
        detail = assert_refused(r, "session-finished")
        assert "has finished" in detail["message"]
    assert pain_reports(person, sid) == saved


def test_a_failure_mid_event_changes_nothing_and_the_next_event_carries_on(
    tmp_path: Path, wall: FakeWall, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event is one transaction: when writing its effects fails, its state is not saved
    either, and the next event carries on from the last one saved (the set is saved then)."""
    app: FastAPI = session_app(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    api = csrf_client(app)
    sid = live_session(api)
    store = person.store
    real = Store.save_set

    def locked(*args: Any, **kwargs: Any) -> bool:
        raise OperationalError("INSERT INTO set_logs", {}, Exception("database is locked"))

    # On the class: every request makes its own person context, and so its own store.
    monkeypatch.setattr(Store, "save_set", locked)
    broken = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    broken.get("/api/status")
    broken.headers["X-CSRF-Token"] = broken.cookies["backcoach_csrf"]
    shown = event(api, sid, "tick")["view"]
    for _ in range(200):  # heartbeats until the first set ends and cannot be saved
        wall.advance(HEARTBEAT_SECONDS)
        r = broken.post(f"/api/sessions/{sid}/events", json={"type": "tick"})
        if r.status_code != 200:
            break
        shown = r.json()["view"]
    assert r.status_code == 500, r.text
    assert r.json()["detail"]["code"] == "server-error" and "Traceback" not in r.text
    assert store.sets(sid) == []
    monkeypatch.setattr(Store, "save_set", real)
    # Not stuck: the next event starts from the last state saved, and saves the set now.
    step = event(api, sid, "tick")
    assert step["view"]["session_id"] == sid and step["view"]["paused"] is False
    assert (step["view"]["item_index"], step["view"]["set_number"]) != (None, None)
    assert shown["item_index"] == 0 and len(store.sets(sid)) == 1
    step, _ = drive(api, wall, step)
    assert step["view"]["ended_by"] == "completed"
    rows = store.sets(sid)
    assert len({(r.item_index, r.set_number, r.side) for r in rows}) == len(rows)
