"""Issue 20's smaller web findings, as regression tests: the Host allowlist, pairing guesses,
``Cache-Control: no-store`` on every answer with personal data, and error answers that carry
the security headers and a friendly body, never a traceback."""

from __future__ import annotations

import logging
import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from backcoach.services.sessions import AutoAnswers, begin, run_auto
from backcoach.web.app import create_app
from backcoach.web.security import (
    CACHEABLE,
    PAIRING_LOCKOUT_MINUTES,
    PAIRING_MAX_FAILURES,
    PAIRING_MAX_FAILURES_TOTAL,
    SESSION_COOKIE,
)
from tests.conftest import BACKCOACH
from tests.web.conftest import (
    BASE_URL,
    csrf_client,
    free_port,
    make_settings,
    person_of,
    ready_to_exercise,
)

PORT = 8765

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def assert_guarded(r: httpx.Response, status: int) -> None:
    """The answer has ``status``, the security headers, no-store, and a friendly body: JSON
    with a code and a message under /api, an HTML page elsewhere; never a traceback."""
    assert r.status_code == status, (r.request.url, r.text[:300])
    assert "default-src 'self'" in r.headers["content-security-policy"]
    for name, value in SECURITY_HEADERS.items():
        assert r.headers[name] == value, name
    assert r.headers["cache-control"] == "no-store"
    assert "Traceback" not in r.text and 'File "' not in r.text
    if r.request.url.path.startswith("/api"):
        assert r.headers["content-type"] == "application/json"
        detail = r.json()["detail"]
        assert detail["code"] and len(detail["message"]) > 10
    else:
        assert r.headers["content-type"].startswith("text/html")
        assert r.text.startswith("<!doctype html>") and "<h1>" in r.text


# --- the Host allowlist ---------------------------------------------------------------------


@pytest.fixture
def bound_app(web_home: Path) -> FastAPI:
    """The app as `backcoach serve --port 8765` makes it."""
    app = create_app(make_settings(web_home), port=PORT)
    ready_to_exercise(person_of(app), minutes=10)
    return app


REFUSED_HOSTS = [
    "testserver",
    f"testserver:{PORT}",
    "localhost:evil",
    "evil.example",
    f"evil.example:{PORT}",
    f"localhost.evil.example:{PORT}",
    f"localhost.:{PORT}",
    f"127.0.0.2:{PORT}",
    f"localhost:{PORT + 1}",
    f"localhost:0{PORT}",
    f"127.0.0.1:{PORT}:1",
    "127.0.0.1",  # no port: port 80, not the one bound
    f"::1:{PORT}",
    "[::1]",
    f"[::1]:{PORT}x",
    f"[::2]:{PORT}",
    "",
]


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_local_mode_refuses_every_other_host_name(bound_app: FastAPI, host: str) -> None:
    client = TestClient(bound_app, base_url=f"http://127.0.0.1:{PORT}")
    for path in ("/api/export", "/api/status", "/today", "/settings"):
        r = client.get(path, headers={"Host": host})
        assert_guarded(r, 400)
        assert '"tables"' not in r.text and "has_profile" not in r.text  # none of the records
        where = r.json()["detail"]["message"] if path.startswith("/api") else r.text
        assert f"127.0.0.1:{PORT}" in where and "not served here" in where.lower()


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}"])
def test_local_mode_answers_the_loopback_names_with_the_bound_port(
    bound_app: FastAPI, host: str
) -> None:
    client = TestClient(bound_app, base_url=f"http://127.0.0.1:{PORT}")
    assert client.get("/api/export", headers={"Host": host}).status_code == 200
    assert client.get("/api/status", headers={"Host": host.upper()}).status_code == 200


def test_the_test_clients_name_only_in_an_app_built_for_tests(web_home: Path) -> None:
    settings = make_settings(web_home)
    assert_guarded(TestClient(create_app(settings)).get("/api/status"), 400)
    built_for_tests = create_app(settings, test_client=True)
    assert TestClient(built_for_tests).get("/api/status").status_code == 200
    assert TestClient(built_for_tests, base_url="http://evil.example").get("/").status_code == 400


@pytest.fixture
def serve(web_home: Path) -> Iterator[str]:
    """A real `backcoach serve` process; its base URL."""
    port = free_port()
    env = {**os.environ, "BACKCOACH_HOME": str(web_home)}
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--port", str(port), "--no-open"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/api/status", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def test_serve_checks_the_host_against_the_port_it_is_bound_to(serve: str) -> None:
    port = serve.rsplit(":", 1)[1]
    assert httpx.get(serve + "/api/export").status_code == 200
    assert httpx.get(serve + "/api/export", headers={"Host": f"localhost:{port}"}).is_success
    for host in ("testserver", "localhost:evil", f"localhost:{int(port) + 1}", "evil.example"):
        r = httpx.get(serve + "/api/export", headers={"Host": host})
        assert_guarded(r, 400)
        assert r.json()["detail"]["code"] == "bad-host"


# --- pairing guesses ------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lan_app(web_home: Path) -> FastAPI:
    return create_app(make_settings(web_home), lan=True, port=PORT)


def device(app: FastAPI, address: str) -> TestClient:
    return TestClient(
        app, base_url=f"http://192.168.1.5:{PORT}", client=(address, 50000), follow_redirects=False
    )


def guess(client: TestClient, code: str) -> httpx.Response:
    return client.get("/pair", params={"code": code})


def test_pairing_guesses_lock_a_device_out(
    lan_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    guard = lan_app.state.guard
    guard.clock = clock = Clock()
    code = guard.new_code()
    attacker = device(lan_app, "192.168.1.66")
    caplog.set_level(logging.WARNING, logger="backcoach.web.security")

    for n in range(1, PAIRING_MAX_FAILURES):
        assert_guarded(guess(attacker, f"guess-{n}"), 401)
    locked = guess(attacker, "guess-5")
    assert_guarded(locked, 429)
    assert locked.headers["retry-after"] == str(PAIRING_LOCKOUT_MINUTES * 60)
    assert "too many wrong pairing links" in locked.text.lower()
    assert f"{PAIRING_LOCKOUT_MINUTES} minutes" in locked.text

    # Locked means locked: even the right code is not looked at, and nothing is paired.
    clock.now += 5 * 60
    still = guess(attacker, code)
    assert_guarded(still, 429)
    assert still.headers["retry-after"] == str((PAIRING_LOCKOUT_MINUTES - 5) * 60)
    assert SESSION_COOKIE not in attacker.cookies
    assert_guarded(attacker.get("/api/status"), 401)

    lines = [r.getMessage() for r in caplog.records if r.name == "backcoach.web.security"]
    assert sum("wrong or expired code from 192.168.1.66" in m for m in lines) == 5
    assert sum("192.168.1.66 locked out for 15 minutes" in m for m in lines) == 1

    # Another device is not held up by it, and the code is still good for it.
    phone = device(lan_app, "192.168.1.20")
    assert guess(phone, code).status_code == 303
    assert phone.get("/api/status").status_code == 200

    # After the lockout the device may try again (and is counted afresh).
    clock.now += (PAIRING_LOCKOUT_MINUTES - 5) * 60
    assert_guarded(guess(attacker, "guess-6"), 401)


def test_wrong_codes_older_than_the_window_do_not_add_up(lan_app: FastAPI) -> None:
    guard = lan_app.state.guard
    guard.clock = clock = Clock()
    guard.new_code()
    typo = device(lan_app, "192.168.1.30")
    for n in range(3 * PAIRING_MAX_FAILURES):  # one wrong link now and then: never locked
        assert guess(typo, f"typo-{n}").status_code == 401
        clock.now += PAIRING_LOCKOUT_MINUTES * 60 / (PAIRING_MAX_FAILURES - 1)


def test_too_many_wrong_codes_from_everywhere_withdraw_the_link(
    lan_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    guard = lan_app.state.guard
    guard.clock = Clock()
    withdrawn: list[str] = []
    guard.on_codes_withdrawn = lambda: withdrawn.append(guard.new_code())
    code = guard.new_code()
    caplog.set_level(logging.WARNING, logger="backcoach.web.security")
    per_device = PAIRING_MAX_FAILURES - 1  # each address stays under its own lockout
    for n in range(PAIRING_MAX_FAILURES_TOTAL):
        guesser = device(lan_app, f"10.0.0.{n // per_device + 1}")
        assert guess(guesser, f"guess-{n}").status_code == 401
    assert len(withdrawn) == 1
    assert any("the pairing link was withdrawn" in r.getMessage() for r in caplog.records)
    phone = device(lan_app, "192.168.1.20")
    assert guess(phone, code).status_code == 401  # the old link no longer works...
    assert guess(device(lan_app, "192.168.1.21"), withdrawn[0]).status_code == 303  # the new one


def from_address(address: str) -> httpx.Client:
    """A client whose requests leave from ``address`` (any 127.x address is this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def test_serve_lan_logs_wrong_codes_locks_out_and_prints_a_new_link(web_home: Path) -> None:
    port = free_port()
    env = {**os.environ, "BACKCOACH_HOME": str(web_home), "COLUMNS": "200"}
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--lan", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            lines.put(line)

    def next_link(after: str | None = None) -> str:
        """The next pairing code serve prints (after a line saying ``after``: with a network
        address it prints two links at a time, the phone's and this computer's, each with its
        own code, so the codes printed before the withdrawal are skipped)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if after is not None:
                after = None if after in line else after
                continue
            found = re.search(r"/pair\?code=([\w-]+)", line)
            if found:
                return found[1]
        raise AssertionError("serve printed no pairing link:\n" + "".join(output))

    threading.Thread(target=read, daemon=True).start()
    try:
        link = next_link()
        url = f"http://127.0.0.1:{port}/pair"
        wait_for(f"http://127.0.0.1:{port}")
        statuses = [httpx.get(url, params={"code": f"x{n}"}).status_code for n in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        right = httpx.get(url, params={"code": link})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 800

        # Other addresses share out the guessing: 20 wrong codes in all withdraw the link.
        for n in range(PAIRING_MAX_FAILURES_TOTAL - PAIRING_MAX_FAILURES):
            with from_address(f"127.0.0.{n // (PAIRING_MAX_FAILURES - 1) + 2}") as guesser:
                assert guesser.get(url, params={"code": f"y{n}"}).status_code == 401
        new = next_link(after="withdrawn")  # serve shows a new link (and QR code) in its window
        with from_address("127.0.0.20") as phone:
            assert phone.get(url, params={"code": link}).status_code == 401
        with from_address("127.0.0.21") as phone:
            assert phone.get(url, params={"code": new}).status_code == 303
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    log = "".join(output)
    assert log.count("pairing: a wrong or expired code from 127.0.0.1 ") == 5
    assert log.count("pairing: 127.0.0.1 locked out for 15 minutes") == 1
    assert log.count("pairing: a wrong or expired code from") == 5 + 15 + 1
    assert "the pairing link was withdrawn" in log


# --- no-store on every answer with personal data ---------------------------------------------


@pytest.fixture
def full_app(web_home: Path) -> tuple[FastAPI, int]:
    """An app with a profile, a screen and one finished session: every route has data."""
    app = create_app(make_settings(web_home))
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", 0.0),
        AutoAnswers(pain_before=3, pain_after=2),
        0,
        0.0,
    )
    [session] = person.store.sessions()
    return app, session.id


def concrete(path: str, session_id: int) -> str:
    return path.replace("{exercise_id}", "bridge").replace("{session_id}", str(session_id))


@pytest.mark.slow
def test_every_route_sends_no_store_but_the_pictures_and_static_files(
    full_app: tuple[FastAPI, int],
) -> None:
    app, sid = full_app
    api = csrf_client(app)
    cached, seen = [], 0
    for route in iter_route_contexts(app.routes):  # the table, with the routers' prefixes
        if isinstance(route.original_route, Mount):
            assert route.path == "/static"
            continue
        assert route.path is not None, route
        path = concrete(route.path, sid)
        for method in sorted(route.methods or ()):
            if method == "HEAD" or path in ("/api/forget", "/settings/forget"):
                continue  # forget is checked last, so the other routes still have data
            r = api.request(method, path, follow_redirects=False)
            assert r.status_code < 500, (method, path, r.text[:300])
            seen += 1
            if method == "GET" and CACHEABLE.match(path) and r.status_code == 200:
                cached.append(route.path)
                assert r.headers["cache-control"] != "no-store"
            else:
                assert r.headers["cache-control"] == "no-store", (method, path)
    assert seen > 40, seen
    assert sorted(cached) == [
        "/api/exercises/{exercise_id}/animation.svg",
        "/api/exercises/{exercise_id}/figure.svg",
        "/figures/{exercise_id}.svg",
        "/figures/{exercise_id}/moving.svg",
    ]
    forgot = api.post("/api/forget", json={"confirm": "forget"})
    assert forgot.status_code == 200 and forgot.headers["cache-control"] == "no-store"
    static = api.get("/static/app.css")
    assert static.status_code == 200 and static.headers.get("cache-control") != "no-store"


def test_pages_and_json_with_personal_data_are_no_store(
    full_app: tuple[FastAPI, int],
) -> None:
    app, sid = full_app
    api = csrf_client(app)
    for path in ("/today", "/progress", "/settings", "/api/status", "/api/profile",
                 "/api/screen", "/api/history", f"/api/sessions/{sid}", "/api/progress",
                 "/api/export", "/api/reminders.ics"):  # fmt: skip
        r = api.get(path)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store", path
        assert r.headers.get_list("cache-control") == ["no-store"]  # one header, not two


# --- errors: the security headers and a friendly body, never a traceback ---------------------


def with_failing_routes(app: FastAPI) -> FastAPI:
    """Routes that raise, as any bug would: one under /api, one page."""

    @app.get("/api/test-boom")
    def api_boom() -> None:
        raise RuntimeError("boom: secret detail from the inside")

    @app.get("/test-boom")
    async def page_boom() -> None:
        raise KeyError("secret key from the inside")

    return app


def test_a_server_error_is_calm_and_carries_the_headers(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    client = csrf_client(with_failing_routes(app))
    caplog.set_level(logging.ERROR, logger="backcoach.web.security")
    for path in ("/api/test-boom", "/test-boom"):
        r = client.get(path)
        assert_guarded(r, 500)
        assert "secret" not in r.text and "boom" not in r.text
        assert "something went wrong" in r.text.lower() and "saved before is safe" in r.text
    assert client.get("/api/test-boom").json()["detail"]["code"] == "server-error"
    # The traceback is in the server's log, for whoever runs it.
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 3 and "GET /api/test-boom" in logged[0].getMessage()
    assert client.get("/api/status").status_code == 200  # and the app still answers


def test_a_broken_database_file_gives_a_calm_500(web_home: Path) -> None:
    (web_home / "backcoach.db").write_bytes(b"this is not a database" * 100)
    client = TestClient(create_app(make_settings(web_home)), base_url=BASE_URL)
    for path in ("/api/status", "/api/export", "/today", "/progress"):
        assert_guarded(client.get(path), 500)


def test_every_error_status_has_the_headers_and_a_friendly_body(
    app: FastAPI, web_home: Path
) -> None:
    api = csrf_client(app)
    no_token = TestClient(app, base_url=BASE_URL)
    checks: list[tuple[int, Any]] = [
        (400, lambda: api.get("/api/status", headers={"Host": "evil.example"})),
        (400, lambda: api.get("/today", headers={"Host": "localhost:evil"})),
        (400, lambda: api.post("/settings/forget", data={"confirm": "no", "csrf_token": token})),
        (403, lambda: no_token.put("/api/profile", json={"minutes": 10})),
        (403, lambda: no_token.post("/screen", data={"x": "no"})),
        (404, lambda: api.get("/api/no-such-thing")),
        (404, lambda: api.get("/no-such-page")),
        (404, lambda: api.get("/library/no-such-exercise")),
        (404, lambda: api.get("/api/exercises/no-such-exercise")),
        (404, lambda: api.get("/static/no-such-file.css")),
        (405, lambda: api.delete("/api/status")),
        (405, lambda: api.put("/today")),
        (409, lambda: api.get("/api/plan")),  # no screen yet
        (422, lambda: api.post("/api/screen", json={"answers": 5})),
        (422, lambda: api.get("/api/history?limit=zero")),
        (422, lambda: api.get("/settings?forgotten=many")),
    ]
    token = api.cookies["backcoach_csrf"]
    for status, call in checks:
        assert_guarded(call(), status)
    page = api.get("/library/no-such-exercise").text
    assert "Nothing here" in page and "no-such-exercise" in page
    assert "does not take a PUT request" in api.put("/today").text
    missing = api.get("/api/no-such-thing").json()["detail"]
    assert missing == {
        "code": "not-found",
        "message": "nothing at /api/no-such-thing; see /docs for the API",
        "field": None,
        "value": None,
        "fix": None,
    }
