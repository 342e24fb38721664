"""Players and event ids of a live session, in-process on real SQLite and PostgreSQL: another
tab sees the session is running elsewhere and may take it over; a resent event id is applied
once; bad ids are refused naming the field; the working state is not exported and `forget`
deletes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.records.tables import LiveEventRow, LiveSessionRow
from backcoach.web.live import LOST_CONTACT_SECONDS
from tests.web.conftest import FakeWall, csrf_client, person_of, ready_to_exercise
from tests.web.test_api_sessions import session_app


def tab(app: Any, player: str) -> TestClient:
    client = csrf_client(app)
    client.headers["X-Backcoach-Player"] = player
    return client


def send(client: TestClient, sid: int, body: dict[str, Any]) -> Any:
    return client.post(f"/api/sessions/{sid}/events", json=body)


def counts(app: Any, sid: int) -> tuple[int, int]:
    store = person_of(app).store
    return len(store.sets(sid)), len(store.pain_reports(sid))


def test_another_tab_is_told_and_may_take_the_session_over(tmp_path: Path, db_url: str) -> None:
    wall = FakeWall()
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    first, second = tab(app, "tab-one"), tab(app, "tab-two")
    sid = first.post("/api/sessions", json={}).json()["view"]["session_id"]
    assert send(first, sid, {"type": "pain", "score": 2}).status_code == 200
    wall.advance(3)

    for request in (
        lambda: second.get("/api/sessions/current"),
        lambda: second.post("/api/sessions", json={}),
        lambda: send(second, sid, {"type": "pain", "score": 9}),
    ):
        r = request()
        assert r.status_code == 409, r.text
        detail = r.json()["detail"]
        assert detail["code"] == "session-elsewhere" and "a browser page" in detail["message"]
        assert "last heard 3 s ago" in detail["message"]
        assert f"/api/sessions/{sid}/take-over" in detail["fix"]
    assert counts(app, sid) == (0, 1)  # the other tab's pain report of 9 was not recorded

    taken = second.post(f"/api/sessions/{sid}/take-over")
    assert taken.status_code == 200, taken.text
    assert taken.json()["view"]["paused"] is True  # the exercise waits for the person
    r = send(first, sid, {"type": "rep"})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "session-elsewhere"
    assert send(second, sid, {"type": "resume"}).status_code == 200

    # A tab not heard for LOST_CONTACT_SECONDS has let it go: opening it elsewhere carries on.
    wall.advance(LOST_CONTACT_SECONDS + 1)
    view = first.get("/api/sessions/current").json()["view"]
    assert view["session_id"] == sid and view["paused"] is True


def test_a_resent_event_is_applied_once_and_answered_the_same(tmp_path: Path, db_url: str) -> None:
    wall = FakeWall()
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    page = tab(app, "tab-one")
    sid = page.post("/api/sessions", json={}).json()["view"]["session_id"]
    first = send(page, sid, {"type": "pain", "score": 2, "id": "e-1"})
    assert first.status_code == 200
    wall.advance(2)
    for _ in range(3):  # the connection dropped: the page sends it again, later
        again = send(page, sid, {"type": "pain", "score": 2, "id": "e-1"})
        assert again.json() == first.json()
    assert counts(app, sid) == (0, 1)
    with person_of(app).store.scoped() as s:
        assert s.scalar(select(func.count()).select_from(LiveEventRow)) == 1
        row = s.scalars(select(LiveSessionRow)).one()
        version = row.version
    assert send(page, sid, {"type": "tick", "id": "e-2"}).status_code == 200
    with person_of(app).store.scoped() as s:
        assert s.scalars(select(LiveSessionRow)).one().version == version + 1


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"type": "tick", "id": "x" * 65}, {}, "id"),
        ({"type": "tick", "id": "no spaces"}, {}, "id"),
        ({"type": "tick"}, {"X-Backcoach-Player": "a" * 65}, "X-Backcoach-Player"),
    ],
)
def test_bad_ids_are_refused_naming_the_field(
    tmp_path: Path, body: dict[str, Any], headers: dict[str, str], field: str
) -> None:
    app = session_app(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", FakeWall())
    ready_to_exercise(person_of(app), minutes=10)
    page = csrf_client(app)
    sid = page.post("/api/sessions", json={}).json()["view"]["session_id"]
    r = page.post(f"/api/sessions/{sid}/events", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert field in r.text and "Traceback" not in r.text


def test_the_working_state_is_not_exported_and_forget_deletes_it(
    tmp_path: Path, db_url: str
) -> None:
    app = session_app(tmp_path, db_url, FakeWall())
    ready_to_exercise(person_of(app), minutes=10)
    page = tab(app, "tab-one")
    sid = page.post("/api/sessions", json={}).json()["view"]["session_id"]
    assert send(page, sid, {"type": "pain", "score": 2, "id": "e-1"}).status_code == 200
    document = page.get("/api/export").json()
    assert "live_sessions" not in document["tables"] and "live_events" not in document["tables"]
    assert document["tables"]["pain_reports"]  # the record itself is exported
    assert page.post("/api/forget", json={"confirm": "forget"}).status_code == 200
    with person_of(app).store.scoped() as s:
        for table in (LiveSessionRow, LiveEventRow):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def test_one_app_serves_two_peoples_sessions_apart(tmp_path: Path, db_url: str) -> None:
    """The app's one ``LiveSessions`` holds no person: each call names whose session it is.
    One person cannot reach another's session, and forgetting one person's records ends only
    their session; the other's carries on and is recorded."""
    import datetime as dt

    from backcoach.app import AppContext
    from backcoach.records.tables import PersonRow
    from backcoach.services.sharing import forget
    from backcoach.web.api_errors import ApiError
    from backcoach.web.live import LiveSessions, SessionEvent, StartRequest

    app = session_app(tmp_path, db_url, FakeWall())
    context: AppContext = app.state.app_context
    with context.database.begin() as s:
        s.add(PersonRow(id=2, created_at=dt.datetime.now(dt.UTC)))
    one, two = context.person(), context.person(2)
    for person in (one, two):
        ready_to_exercise(person, minutes=10)
    live: LiveSessions = app.state.live

    def pain(person: Any, sid: int, score: int) -> Any:
        return live.send(person, sid, SessionEvent(type="pain", score=score), "tab")

    def refused(call: Any) -> str:
        with pytest.raises(ApiError) as error:
            call()
        assert error.value.status == 409
        return error.value.detail.code

    mine = live.begin(one, StartRequest(), "tab")[0].view.session_id
    theirs = live.begin(two, StartRequest(), "tab")[0].view.session_id
    assert mine != theirs
    assert pain(one, mine, 2).view.session_id == mine
    assert pain(two, theirs, 3).view.session_id == theirs
    # Neither reaches the other's session, by any call: it is not the one running for them.
    assert refused(lambda: pain(two, mine, 9)) == "session-not-live"
    assert refused(lambda: live.take_over(two, mine, "tab")) == "session-not-live"
    assert [p.score for p in one.store.pain_reports(mine)] == [2]
    assert [p.score for p in two.store.pain_reports(theirs)] == [3]
    assert live.current(two, "tab").view.session_id == theirs  # type: ignore[union-attr]

    forget(one.store, one.settings)
    live.reset(one.person_id)
    assert refused(lambda: pain(one, mine, 4)) == "session-forgotten"
    tick = live.send(two, theirs, SessionEvent(type="tick"), "tab")
    assert tick.view.session_id == theirs and not tick.view.finished
    assert two.store.unfinished_session() is not None
    assert [p.score for p in two.store.pain_reports(theirs)] == [3]
    assert one.store.sessions() == [] and len(two.store.sessions()) == 1
