"""The live-session API over real SQLite and PostgreSQL, on a clock moved by hand."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from backcoach.records.tables import LiveSessionRow
from backcoach.session import GET_READY_SECONDS
from backcoach.web.app import create_app
from backcoach.web.live import HEARTBEAT_SECONDS, LOST_CONTACT_SECONDS
from tests.web.conftest import (
    ALL_NO,
    FakeWall,
    LiveServer,
    csrf_client,
    make_settings,
    person_of,
    ready_to_exercise,
    use_wall,
)


def session_app(home: Path, db_url: str, wall: FakeWall) -> FastAPI:
    app = create_app(make_settings(home, db_url))
    use_wall(app, wall)
    return app


def event(api: TestClient, sid: int, kind: str, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/api/sessions/{sid}/events", json={"type": kind, **fields})
    assert r.status_code == 200, r.text
    step: dict[str, Any] = r.json()
    return step


def heartbeat(api: TestClient, wall: FakeWall, sid: int, view: dict[str, Any]) -> dict[str, Any]:
    """Wait as the page does: until the phase ends, with a tick at least every heartbeat."""
    wall.advance(min(view["real_seconds_left"] + 0.01, HEARTBEAT_SECONDS))
    return event(api, sid, "tick")


def drive(
    api: TestClient,
    wall: FakeWall,
    step: dict[str, Any],
    until: Callable[[dict[str, Any]], bool] = lambda view: bool(view["finished"]),
    pain: int = 0,
    limit: int = 3000,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer every question and let every phase run out, as a page would, until ``until``."""
    sid = step["view"]["session_id"]
    effects = list(step["effects"])
    for _ in range(limit):
        view = step["view"]
        if until(view) or view["finished"]:
            return step, effects
        question = view["question"]
        if view["notice"]:
            step = event(api, sid, "dismiss")
        elif view["paused"]:
            step = event(api, sid, "resume")
        elif question and question["kind"] == "pain":
            step = event(api, sid, "pain", score=pain)
        elif question:
            step = event(api, sid, "rate", rating="about-right")
        else:
            assert view["real_seconds_left"] is not None, view
            step = heartbeat(api, wall, sid, view)
        effects.extend(step["effects"])
    raise AssertionError("the session did not get there")


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


def test_a_whole_session_saves_every_set_planned_next_to_done(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    api = csrf_client(app)
    r = api.post("/api/sessions", json={"minutes": 10})
    assert r.status_code == 201, r.text
    step = r.json()
    view = step["view"]
    assert view["stage"] == "pre-pain"
    assert view["question"]["kind"] == "pain" and view["question"]["when"] == "before"
    assert view["question"]["flags"] == []
    assert step["speak"] == [view["question"]["prompt"]]
    sid = view["session_id"]

    step = event(api, sid, "pain", score=2)
    view = step["view"]
    assert (view["stage"], view["phase"], view["paused"]) == ("exercise", "get-ready", False)
    assert view["exercise"]["figure_url"].endswith("/figure.svg")
    ready = GET_READY_SECONDS
    assert view["countdown"] == ready
    assert view["deadline"] == pytest.approx(view["clock"] + ready)
    assert view["cue"].startswith("Get ready")
    assert "pause" in view["actions"] and "rep" not in view["actions"]

    step, effects = drive(api, wall, step, pain=1)
    view = step["view"]
    assert view["ended_by"] == "completed"
    summary = view["summary"]
    assert summary["pain_before"] == 2 and summary["pain_after"] == 1
    saved = [e for e in effects if e["type"] == "set-finished"]
    rows = person.store.sets(sid)
    assert len(rows) == len(saved) == summary["sets_planned"] == summary["sets_done"] > 0
    assert all(row.complete for row in rows)
    history = api.get(f"/api/sessions/{sid}").json()
    assert history["status"] == "finished" and history["mode"] == "web"
    assert history["sets_done"] == history["sets_planned"]
    assert api.get("/api/history").json()[0]["id"] == sid
    # The finished session stays readable until a new one starts; events change nothing.
    assert api.get("/api/sessions/current").json()["view"]["finished"] is True


def test_sets_are_saved_the_moment_they_end(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=1)
    store = person_of(app).store
    step, _ = drive(api, wall, step, until=lambda view: len(store.sets(sid)) > 0)
    # The step that ended the set saved it: nothing waits for the end of the session.
    assert [e["type"] for e in step["effects"]].count("set-finished") == 1
    assert len(store.sets(sid)) == 1


def test_tapping_ends_the_phase_at_once(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=1)
    step, _ = drive(api, wall, step, until=lambda view: "rep" in view["actions"])
    before = step["view"]
    after = event(api, sid, "rep")["view"]
    # A tap ends the phase in progress (moving in starts the hold), never the ones after it.
    assert (after["rep"], after["phase"]) != (before["rep"], before["phase"])
    assert after["rep"] in (before["rep"], before["rep"] + 1) or after["phase"] in (
        "rest",
        "switch-side",
        "check-in",
    )


def test_a_pain_report_that_breaks_a_stop_rule_stops_the_exercise(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=15)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=2)
    first = step["view"]["exercise"]
    # Pain 8 during the first exercise: above 5, and 6 above the pain before.
    event(api, sid, "pause")
    step = event(api, sid, "pain", score=8, resume_after=True)
    view = step["view"]
    kinds = [e["type"] for e in step["effects"]]
    assert "pain-judged" in kinds and "exercise-stopped" in kinds
    assert view["notice"]["title"] == f"{first['name']} stopped"
    assert "press resume" in view["notice"]["text"]
    assert view["paused"] is True  # the next exercise waits for the person
    assert view["exercise"]["id"] != first["id"]
    outcome = next(o for o in person.store.outcomes(sid) if o.item_index == 0)
    assert outcome.outcome == "stopped"
    assert outcome.details["lower_dose_next_time"] is True
    view = event(api, sid, "dismiss")["view"]
    assert view["notice"] is None and view["paused"] is True


def test_a_mild_pain_report_carries_on(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    first = event(api, sid, "pain", score=2)["view"]["exercise"]["id"]
    event(api, sid, "pause")
    view = event(api, sid, "pain", score=3, resume_after=True)["view"]
    assert (view["exercise"]["id"], view["paused"], view["notice"]) == (first, False, None)


def test_new_numbness_ends_the_session_and_asks_for_the_screen(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    event(api, sid, "pain", score=2)
    view = event(api, sid, "pain", score=3, numbness=True)["view"]
    assert view["finished"] and view["ended_by"] == "rescreen"
    assert view["rescreen"]["advice"] and view["notice"]["title"] == "Stop here for today"
    refused = api.post("/api/sessions", json={})
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "plan-refused:rescreen"


def test_a_reload_resumes_exactly_where_it_was(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=2)
    for _ in range(4):
        step = heartbeat(api, wall, sid, step["view"])
    wall.advance(1.0)
    event(api, sid, "pause")  # the page's pagehide
    shown = event(api, sid, "tick")["view"]
    wall.advance(120)  # the person reloads two minutes later, in a new browser tab
    again = csrf_client(app).get("/api/sessions/current")
    assert again.status_code == 200
    view = again.json()["view"]
    for key in ("session_id", "item_index", "phase", "set_number", "rep", "seconds_left"):
        assert view[key] == shown[key], key
    assert view["paused"] is True


def test_a_silent_page_pauses_the_session_where_it_was_last_heard(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    heard = event(api, sid, "pain", score=2)["view"]  # get-ready, its seconds left
    wall.advance(LOST_CONTACT_SECONDS + 60)  # the phone fell asleep
    view = api.get("/api/sessions/current").json()["view"]
    assert view["paused"] is True
    assert (view["phase"], view["item_index"]) == (heard["phase"], heard["item_index"])
    assert view["seconds_left"] == pytest.approx(heard["seconds_left"])
    assert person_of(app).store.sets(sid) == []


def test_a_new_server_carries_on_exactly_where_it_was(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    """The engine state is in the database: a restarted server (or another worker) serves
    the next event from it, at the same phase and second, with nothing saved twice."""
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=2)
    step, _ = drive(api, wall, step, until=lambda view: len(person_of(app).store.sets(sid)) >= 2)
    shown = step["view"]
    saved = len(person_of(app).store.sets(sid))

    restarted = session_app(tmp_path, db_url, wall)  # the server was restarted
    api2 = csrf_client(restarted)
    view = api2.get("/api/sessions/current").json()["view"]
    for key in ("session_id", "item_index", "phase", "set_number", "rep", "seconds_left"):
        assert view[key] == shown[key], key
    assert view["paused"] is False
    assert len(person_of(restarted).store.sets(sid)) == saved
    step, _ = drive(api2, wall, {"view": view, "effects": []})
    assert step["view"]["ended_by"] == "completed"
    rows = person_of(restarted).store.sets(sid)
    assert len(rows) == step["view"]["summary"]["sets_planned"]
    assert len({(r.item_index, r.set_number, r.side) for r in rows}) == len(rows)


def test_an_unreadable_live_state_carries_on_at_the_next_unsaved_set(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    """A live row this version cannot read (another version's format) is not guessed at: the
    session is picked up from its records, paused at its next unsaved set."""
    app = session_app(tmp_path, db_url, wall)
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=2)
    step, _ = drive(api, wall, step, until=lambda view: len(person.store.sets(sid)) >= 2)
    saved = len(person.store.sets(sid))
    with person.store.scoped() as s:
        s.execute(update(LiveSessionRow).values(state={"format": 999}))

    step = csrf_client(session_app(tmp_path, db_url, wall)).get("/api/sessions/current").json()
    assert step["view"]["session_id"] == sid and step["view"]["paused"] is True
    assert "Welcome back" in step["view"]["cue"] and step["speak"]
    assert len(person.store.sets(sid)) == saved
    step, _ = drive(api, wall, step)
    assert step["view"]["ended_by"] == "completed"
    rows = person.store.sets(sid)
    assert len({(r.item_index, r.set_number, r.side) for r in rows}) == len(rows)


def test_start_twice_resumes_and_resume_false_starts_afresh(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    first = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    again = api.post("/api/sessions", json={"resume": True})
    assert again.status_code == 200 and again.json()["view"]["session_id"] == first
    fresh = api.post("/api/sessions", json={"resume": False})
    assert fresh.status_code == 201 and fresh.json()["view"]["session_id"] != first
    assert person_of(app).store.session(first).status == "stopped"
    stale = api.post(f"/api/sessions/{first}/events", json={"type": "tick"})
    assert stale.status_code == 409 and stale.json()["detail"]["code"] == "session-not-live"


def test_ending_early_keeps_what_was_done(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    event(api, sid, "pain", score=2)
    view = event(api, sid, "end")["view"]
    assert view["stage"] == "post-pain" and view["question"]["when"] == "after-session"
    assert len(view["question"]["flags"]) == 3
    view = event(api, sid, "pain", score=2)["view"]
    assert view["finished"] and view["ended_by"] == "stopped"
    assert person_of(app).store.session(sid).status == "stopped"


def test_pregnancy_warning_signs_are_asked_before_a_session(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), conditions=[{"id": "pregnancy", "weeks": 20}])
    api = csrf_client(app)
    before = api.get("/api/sessions/before").json()
    assert before["pregnancy_question"]["signs"] and before["allowed"] is True
    missing = api.post("/api/sessions", json={})
    assert missing.status_code == 409
    assert missing.json()["detail"]["code"] == "pregnancy-question"
    assert missing.json()["detail"]["field"] == "pregnancy_warning_signs"
    warned = api.post("/api/sessions", json={"pregnancy_warning_signs": True})
    assert warned.status_code == 409 and "midwife" in warned.json()["detail"]["message"]
    assert person_of(app).store.unfinished_session() is None
    ok = api.post("/api/sessions", json={"pregnancy_warning_signs": False})
    assert ok.status_code == 201


def test_bad_events_are_refused_naming_the_field(tmp_path: Path, wall: FakeWall) -> None:
    app = session_app(tmp_path, f"sqlite:///{tmp_path / 'b.db'}", wall)
    ready_to_exercise(person_of(app))
    api = csrf_client(app)
    assert api.get("/api/sessions/current").json()["detail"]["code"] == "no-session"
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    cases = [
        ({"type": "pain", "score": 11}, "score", 11),
        ({"type": "pain"}, "score", None),
        ({"type": "rate", "rating": "meh"}, "rating", "meh"),
        ({"type": "dance"}, "type", "dance"),
    ]
    for body, field, value in cases:
        r = api.post(f"/api/sessions/{sid}/events", json=body)
        assert r.status_code == 422, body
        detail = r.json()["detail"]
        assert detail["code"] == "invalid-input" and detail["field"] == field, detail
        assert detail["value"] == value and detail["fix"], detail
    missing_score = api.post(f"/api/sessions/{sid}/events", json={"type": "pain"})
    assert "score" in missing_score.json()["detail"]["message"]
    # Nothing was lost: the session still waits for the pain before.
    assert api.get("/api/sessions/current").json()["view"]["stage"] == "pre-pain"


def test_no_session_without_a_clear_screen(tmp_path: Path, db_url: str, wall: FakeWall) -> None:
    app = session_app(tmp_path, db_url, wall)
    api = csrf_client(app)
    r = api.post("/api/sessions", json={})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "plan-refused:no-screen"
    answers = {"bladder_change": "yes"}
    assert api.post("/api/screen", json={"answers": answers}).json()["tier"] == "emergency"
    r = api.post("/api/sessions", json={})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "plan-refused:emergency"
    before = api.get("/api/sessions/before").json()
    assert before["allowed"] is False and before["refused"]["code"] == "plan-refused:emergency"


def test_an_emergency_screen_stops_an_unfinished_session_until_a_clear_one(
    tmp_path: Path, db_url: str, wall: FakeWall
) -> None:
    app = session_app(tmp_path, db_url, wall)
    ready_to_exercise(person_of(app), minutes=10)
    api = csrf_client(app)
    sid = api.post("/api/sessions", json={}).json()["view"]["session_id"]
    step = event(api, sid, "pain", score=2)
    step, _ = drive(
        api,
        wall,
        step,
        until=lambda view: view["stage"] == "exercise" and bool(person_of(app).store.sets(sid)),
    )
    saved = len(person_of(app).store.sets(sid))
    # Answered again meanwhile (another tab, another device): an emergency sign.
    emergency = {**ALL_NO, "bladder_change": "yes"}
    assert api.post("/api/screen", json={"answers": emergency}).json()["tier"] == "emergency"
    for refused in (
        api.post(f"/api/sessions/{sid}/events", json={"type": "tick"}),
        api.get("/api/sessions/current"),
        api.post("/api/sessions", json={"resume": True}),
    ):
        assert refused.status_code == 409, refused.text
        detail = refused.json()["detail"]
        assert detail["code"] == "plan-refused:emergency" and "emergency" in detail["message"]
    wall.advance(600)
    assert len(person_of(app).store.sets(sid)) == saved  # nothing ran on, nothing was lost
    # Seen and answered again, all clear: the session carries on where it stopped, paused.
    api.post("/api/screen", json={"answers": ALL_NO})
    view = api.get("/api/sessions/current").json()["view"]
    assert view["session_id"] == sid and view["paused"] is True and not view["finished"]


@pytest.mark.slow
def test_a_session_on_a_real_server_with_a_sped_up_clock(
    live_server_factory: Callable[..., LiveServer], db_url: str
) -> None:
    server = live_server_factory(clock_speed=100, db_url=db_url)
    ready_to_exercise(server.person(), minutes=5)
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.get("/api/status")
        client.headers["X-CSRF-Token"] = client.cookies["backcoach_csrf"]
        r = client.post("/api/sessions", json={"minutes": 5})
        assert r.status_code == 201, r.text
        step = r.json()
        sid = step["view"]["session_id"]
        started = time.monotonic()
        while not step["view"]["finished"]:
            view, question = step["view"], step["view"]["question"]
            if view["paused"]:
                body: dict[str, Any] = {"type": "resume"}
            elif question and question["kind"] == "pain":
                body = {"type": "pain", "score": 1}
            elif question:
                body = {"type": "rate", "rating": "about-right"}
            else:
                time.sleep(min(view["real_seconds_left"], HEARTBEAT_SECONDS))
                body = {"type": "tick"}
            step = client.post(f"/api/sessions/{sid}/events", json=body).json()
        assert time.monotonic() - started < 30
        assert step["view"]["ended_by"] == "completed"
        planned = step["view"]["summary"]["sets_planned"]
    assert len(server.person().store.sets(sid)) == planned
