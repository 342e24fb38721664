"""One live session served by real processes at once (issue 13): two `backcoach serve` on one
SQLite home or one PostgreSQL schema, the terminal and the browser, `forget`, and SIGKILL.

Each test starts real servers (`backcoach serve`, sped-up session clock) and plays the page
over HTTP: every event carries its own id and is sent to both servers at the same moment (a
resend landing on another worker), so each is offered twice. The records must then hold every
acknowledged set once, every pain report once, the dose decisions once, and the session must
have finished once; the two answers to one event id must be the same.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from backcoach.app import AppContext, PersonContext
from backcoach.web.live import HEARTBEAT_SECONDS
from tests.conftest import BACKCOACH
from tests.dbfixtures import pg_schema_url
from tests.web.conftest import TODAY, free_port, make_settings, ready_to_exercise

SPEED = 150.0
"""Session seconds per real second: a 5-minute session runs in a few real seconds."""
START_SECONDS = 30.0
"""How long a server may take to answer its first request."""


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str


@dataclass
class Page:
    """A browser tab: one player id, one client per server, every answer by event id."""

    player: str
    clients: list[httpx.Client]
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def post(self, client: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
        return client.post(path, json=body, headers={"X-Backcoach-Player": self.player})

    def event(
        self, sid: int, body: dict[str, Any], to: list[httpx.Client] | None = None
    ) -> dict[str, Any]:
        """Send one event (a fresh id) to every server in ``to`` at once; all must answer
        the same."""
        body = {**body, "id": uuid.uuid4().hex}
        targets = to if to is not None else self.clients
        with ThreadPoolExecutor(len(targets)) as pool:
            done = list(
                pool.map(lambda c: self.post(c, f"/api/sessions/{sid}/events", body), targets)
            )
        for r in done:
            assert r.status_code == 200, r.text
        answers = [r.json() for r in done]
        assert all(a == answers[0] for a in answers), "one event id, two answers"
        self.answers[body["id"]] = answers[0]
        return answers[0]


def next_body(view: dict[str, Any]) -> dict[str, Any]:
    """What the page sends next, as the real one does (answers 1/10, about right)."""
    question = view["question"]
    if view["notice"]:
        return {"type": "dismiss"}
    if view["paused"]:
        return {"type": "resume"}
    if question and question["kind"] == "pain":
        return {"type": "pain", "score": 1}
    if question:
        return {"type": "rate", "rating": "about-right"}
    if view["real_seconds_left"] is None:
        return {"type": "rep"}
    time.sleep(min(view["real_seconds_left"] + 0.005, HEARTBEAT_SECONDS))
    return {"type": "tick"}


def play(
    page: Page,
    step: dict[str, Any],
    until: Callable[[dict[str, Any]], bool] = lambda view: bool(view["finished"]),
    to: list[httpx.Client] | None = None,
    limit: int = 2000,
) -> dict[str, Any]:
    for _ in range(limit):
        view = step["view"]
        if view["finished"] or until(view):
            return step
        step = page.event(view["session_id"], next_body(view), to)
    raise AssertionError("the session did not get there")


# --- servers --------------------------------------------------------------------------------


def environment(home: Path, db_url: str | None, **extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY, **extra})
    if db_url is not None:
        environ["BACKCOACH_DATABASE_URL"] = db_url
    return environ


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start real `backcoach serve` processes; every one is killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def start(home: Path, db_url: str | None = None) -> Server:
        port = free_port()
        env = environment(home, db_url, BACKCOACH_TEST_CLOCK_SPEED=str(SPEED))
        proc = subprocess.Popen(
            [BACKCOACH, "serve", "--port", str(port), "--no-open"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"serve ended: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx.get(f"{url}/api/status", timeout=2).status_code == 200:
                    return Server(proc, url)
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"serve did not answer on port {port}")

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


def page_on(servers: list[Server]) -> Iterator[Page]:
    clients = []
    for server in servers:
        client = httpx.Client(base_url=server.url, timeout=30)
        client.get("/api/status")
        client.headers["X-CSRF-Token"] = client.cookies["backcoach_csrf"]
        clients.append(client)
    try:
        yield Page(f"web-{uuid.uuid4().hex}", clients)
    finally:
        for client in clients:
            client.close()


def start_session(page: Page, minutes: int = 5) -> dict[str, Any]:
    r = page.post(page.clients[0], "/api/sessions", {"minutes": minutes})
    assert r.status_code == 201, r.text
    step: dict[str, Any] = r.json()
    return step


# --- what the records must hold ----------------------------------------------------------------


def check_records(person: PersonContext, sid: int, answers: dict[str, dict[str, Any]]) -> None:
    """Every acknowledged effect is in the records once; nothing else was written."""
    effects = [e for answer in answers.values() for e in answer["effects"]]
    acked = [
        (e["item_index"], e["set_number"], e["side"] or "both")
        for e in effects
        if e["type"] == "set-finished"
    ]
    assert len(acked) == len(set(acked)), "a set was acknowledged twice"
    rows = person.store.sets(sid)
    keys = [(r.item_index, r.set_number, r.side) for r in rows]
    assert len(keys) == len(set(keys)), "a set was saved twice"
    assert set(acked) <= set(keys), "an acknowledged set is missing"
    pains = person.store.pain_reports(sid)
    judged = [e for e in effects if e["type"] == "pain-judged"]
    places = [(p.moment, p.item_index) for p in pains]
    assert len(places) == len(set(places)), "a pain report was saved twice"
    assert len(judged) <= len(pains)
    decided = [(d.exercise_id, d.action) for d in person.store.decisions() if d.session_id == sid]
    assert len(decided) == len(set(decided)), "a dose decision was made twice"


def check_finished_once(
    person: PersonContext, sid: int, answers: dict[str, dict[str, Any]]
) -> None:
    finishes = [
        e for a in answers.values() for e in a["effects"] if e["type"] == "session-finished"
    ]
    session = person.store.session(sid)
    assert session is not None and session.status == "finished"
    plan = person.store.plan(session.plan_id)
    assert plan is not None
    planned = {item["exercise_id"] for item in plan.data["items"]}
    decided = {d.exercise_id for d in person.store.decisions() if d.session_id == sid}
    assert decided == planned  # decisions as due: one per exercise done
    assert len(finishes) <= 1


def applied_events(person: PersonContext, sid: int) -> int:
    from sqlalchemy import func, select

    from backcoach.records.tables import LiveEventRow

    with person.store.scoped() as s:
        query = select(func.count()).select_from(LiveEventRow)
        return int(s.scalar(query.where(LiveEventRow.session_id == sid)) or 0)


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_servers_serving_one_session_apply_each_event_once(
    tmp_path: Path, serve: Callable[..., Server], backend: str
) -> None:
    urls = pg_schema_url() if backend == "postgresql" else None
    db_url = next(urls) if urls is not None else None
    try:
        person = AppContext(make_settings(tmp_path, db_url)).person()
        ready_to_exercise(person, minutes=5)
        servers = [serve(tmp_path, db_url), serve(tmp_path, db_url)]
        for page in page_on(servers):
            step = start_session(page)
            sid = step["view"]["session_id"]
            step = play(page, step)  # every event to both servers at once
            assert step["view"]["ended_by"] == "completed"
            check_records(person, sid, page.answers)
            check_finished_once(person, sid, page.answers)
            sets = person.store.sets(sid)
            assert len(sets) == step["view"]["summary"]["sets_planned"]
            assert applied_events(person, sid) == len(page.answers)
    finally:
        if urls is not None:
            next(urls, None)  # drop the schema


def test_a_server_killed_mid_session_loses_nothing_acknowledged(
    tmp_path: Path, serve: Callable[..., Server]
) -> None:
    person = AppContext(make_settings(tmp_path)).person()
    ready_to_exercise(person, minutes=5)
    doomed, survivor = serve(tmp_path), serve(tmp_path)
    for page in page_on([doomed, survivor]):
        first, second = page.clients
        step = start_session(page)
        sid = step["view"]["session_id"]
        step = play(
            page, step, until=lambda _, sid=sid: len(person.store.sets(sid)) >= 2, to=[first]
        )

        # The next event goes to the first server, which is killed as it works on it.
        body = {**next_body(step["view"]), "id": uuid.uuid4().hex}
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(page.post, first, f"/api/sessions/{sid}/events", body)
            time.sleep(0.005)
            os.kill(doomed.proc.pid, signal.SIGKILL)
            try:
                answered: dict[str, Any] | None = pending.result(timeout=30).json()
            except httpx.TransportError:
                answered = None  # no answer: the page sends it again, to the other server
        doomed.proc.wait(timeout=10)
        resent = page.post(second, f"/api/sessions/{sid}/events", body)
        assert resent.status_code == 200, resent.text
        if answered is not None:
            assert resent.json() == answered
        page.answers[body["id"]] = resent.json()
        counts = (len(person.store.sets(sid)), len(person.store.pain_reports(sid)))
        again = page.post(second, f"/api/sessions/{sid}/events", body)  # and once more
        assert again.json() == resent.json()
        assert (len(person.store.sets(sid)), len(person.store.pain_reports(sid))) == counts
        check_records(person, sid, page.answers)

        step = play(page, resent.json(), to=[second])
        assert step["view"]["ended_by"] == "completed"
        check_records(person, sid, page.answers)
        check_finished_once(person, sid, page.answers)


def test_the_terminal_and_the_browser_take_one_session_in_turn(
    tmp_path: Path, serve: Callable[..., Server]
) -> None:
    person = AppContext(make_settings(tmp_path)).person()
    ready_to_exercise(person, minutes=5)
    server = serve(tmp_path)
    for page in page_on([server]):
        step = start_session(page)
        sid = step["view"]["session_id"]
        step = play(page, step, until=lambda _, sid=sid: len(person.store.sets(sid)) >= 1)

        # The terminal sees the page running it and says so; asked to, it takes it over.
        env = environment(tmp_path, None)
        refused = subprocess.run(
            [BACKCOACH, "start", "--auto"], env=env, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode == 3 and "a browser page" in refused.stderr, refused.stderr
        terminal = subprocess.Popen(
            [BACKCOACH, "start", "--auto", "--take-over", "--speed", "20"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            before = len(person.store.sets(sid))
            deadline = time.monotonic() + 40
            while len(person.store.sets(sid)) <= before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(person.store.sets(sid)) > before, "the terminal saved no set"

            # The page is told where the session is now, and takes it back.
            r = page.post(page.clients[0], f"/api/sessions/{sid}/events", {"type": "tick"})
            assert r.status_code == 409, r.text
            detail = r.json()["detail"]
            assert detail["code"] == "session-elsewhere" and "--auto" in detail["message"]
            assert "take-over" in detail["fix"]
            r = page.post(page.clients[0], f"/api/sessions/{sid}/take-over", {})
            assert r.status_code == 200, r.text
            out, err = terminal.communicate(timeout=60)
        finally:
            if terminal.poll() is None:
                terminal.kill()
                terminal.communicate()
        assert terminal.returncode == 4, (out, err)
        assert "Stopped here" in err and "another place" in err
        step = play(page, r.json())
        assert step["view"]["ended_by"] == "completed"
        check_records(person, sid, page.answers)
        check_finished_once(person, sid, page.answers)


def test_forget_during_a_session_served_by_two_servers(
    tmp_path: Path, serve: Callable[..., Server]
) -> None:
    person = AppContext(make_settings(tmp_path)).person()
    ready_to_exercise(person, minutes=5)
    servers = [serve(tmp_path), serve(tmp_path)]
    for page in page_on(servers):
        step = start_session(page)
        sid = step["view"]["session_id"]
        play(page, step, until=lambda _, sid=sid: len(person.store.sets(sid)) >= 1)
        env = environment(tmp_path, None)
        done = subprocess.run(
            [BACKCOACH, "forget", "--yes"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        for client in page.clients:
            for body in ({"type": "tick"}, {"type": "pain", "score": 8}, {"type": "rep"}):
                r = page.post(client, f"/api/sessions/{sid}/events", body)
                assert r.status_code == 409, r.text
                assert r.json()["detail"]["code"] == "session-forgotten"
        assert person.store.sessions() == []
        assert person.store.pain_reports() == [] and person.store.all_sets() == []
