"""Who may talk to the app: loopback only by default, pairing on the LAN, CSRF, headers."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from backcoach.web.app import create_app
from backcoach.web.security import PAIRING_CODE_MINUTES, SESSION_COOKIE
from tests.conftest import BACKCOACH
from tests.web.conftest import BASE_URL, free_port, make_settings


def with_form_echo(app: FastAPI) -> FastAPI:
    """A form route like the pages' forms, to see the body reach the app intact."""

    @app.post("/test-form")
    async def echo(request: Request) -> dict[str, str]:
        form = await request.form()
        return {k: str(v) for k, v in form.items()}

    return app


def test_every_answer_carries_the_security_headers(api: TestClient) -> None:
    for r in (api.get("/api/status"), api.get("/docs"), api.post("/api/screen", json={})):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    nonces = {
        re.search(r"nonce-([\w-]+)", api.get("/docs").headers["content-security-policy"])[1]  # type: ignore[index]
        for _ in range(2)
    }
    assert len(nonces) == 2  # a fresh nonce per answer


def test_unsafe_requests_need_the_csrf_token(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE_URL)
    token = client.get("/api/status").cookies["backcoach_csrf"]
    body = {"minutes": 10}
    missing = client.put("/api/profile", json=body)
    assert missing.status_code == 403 and missing.json()["detail"]["code"] == "csrf"
    wrong = client.put("/api/profile", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    right = client.put("/api/profile", json=body, headers={"X-CSRF-Token": token})
    assert right.status_code == 200
    client.cookies.clear()  # a token without its cookie proves nothing
    alone = client.put("/api/profile", json=body, headers={"X-CSRF-Token": token})
    assert alone.status_code == 403
    assert client.get("/api/profile").json()["minutes"] == 10


def test_forms_send_the_token_as_a_field_and_the_body_reaches_the_app(app: FastAPI) -> None:
    client = TestClient(with_form_echo(app), base_url=BASE_URL)
    token = client.get("/api/status").cookies["backcoach_csrf"]
    assert client.post("/test-form", data={"note": "hello"}).status_code == 403
    r = client.post("/test-form", data={"csrf_token": token, "note": "hello"})
    assert r.status_code == 200 and r.json() == {"csrf_token": token, "note": "hello"}
    files = {"upload": ("export.json", b'{"a": 1}', "application/json")}
    r = client.post("/test-form", data={"csrf_token": token}, files=files)
    assert r.status_code == 200 and r.json()["upload"].startswith("UploadFile")


def test_other_origins_are_refused(api: TestClient) -> None:
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        r = api.put("/api/profile", json={"minutes": 10}, headers=headers)
        assert r.status_code == 403 and r.json()["detail"]["code"] == "cross-origin", headers
    same = api.put("/api/profile", json={"minutes": 10}, headers={"Origin": BASE_URL})
    assert same.status_code == 200


def test_local_mode_answers_only_to_loopback_names(app: FastAPI) -> None:
    rebound = TestClient(app, base_url="http://evil.example")
    r = rebound.get("/api/profile")
    assert r.status_code == 400 and r.json()["detail"]["code"] == "bad-host"
    assert TestClient(app, base_url="http://localhost:8765").get("/api/status").status_code == 200


@pytest.fixture
def lan_app(web_home: Path) -> FastAPI:
    return create_app(make_settings(web_home), lan=True)


def test_lan_mode_refuses_unpaired_devices(lan_app: FastAPI) -> None:
    phone = TestClient(lan_app, base_url="http://192.168.1.20:8765")
    api = phone.get("/api/status")
    assert api.status_code == 401 and api.json()["detail"]["code"] == "not-paired"
    page = phone.get("/")
    assert page.status_code == 401 and "Pair this device" in page.text
    assert "text/html" in page.headers["content-type"]
    assert phone.get("/docs").status_code == 401
    assert phone.get("/static/anything.css").status_code == 401
    assert phone.get("/pair", params={"code": "guess"}).status_code == 401
    phone.cookies.set(SESSION_COOKIE, "1.2.3")
    assert phone.get("/api/status").status_code == 401


def test_a_pairing_code_works_once(lan_app: FastAPI) -> None:
    code = lan_app.state.guard.new_code()
    phone = TestClient(lan_app, base_url="http://192.168.1.20:8765", follow_redirects=False)
    paired = phone.get("/pair", params={"code": code})
    assert paired.status_code == 303 and paired.headers["location"] == "/"
    cookie = next(c for c in paired.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert phone.get("/api/status").status_code == 200
    phone.headers["X-CSRF-Token"] = phone.cookies["backcoach_csrf"]
    assert phone.put("/api/profile", json={"minutes": 10}).status_code == 200

    other = TestClient(lan_app, base_url="http://192.168.1.21:8765", follow_redirects=False)
    assert other.get("/pair", params={"code": code}).status_code == 401
    assert other.get("/api/status").status_code == 401
    value = phone.cookies[SESSION_COOKIE]
    tampered = value[:-1] + ("0" if value[-1] != "0" else "1")
    other.cookies.set(SESSION_COOKIE, tampered)
    assert other.get("/api/status").status_code == 401
    other.cookies.set(SESSION_COOKIE, value)  # a copied cookie is a pairing: keep it private
    assert other.get("/api/status").status_code == 200


def test_an_old_pairing_code_stops_working(lan_app: FastAPI) -> None:
    guard = lan_app.state.guard
    now = time.time()
    guard.clock = lambda: now
    code = guard.new_code()
    guard.clock = lambda: now + PAIRING_CODE_MINUTES * 60 + 1
    phone = TestClient(lan_app, base_url="http://192.168.1.20:8765", follow_redirects=False)
    assert phone.get("/pair", params={"code": code}).status_code == 401


def test_serve_refuses_the_network_without_pairing(web_home: Path) -> None:
    env = {**os.environ, "BACKCOACH_HOME": str(web_home)}
    result = subprocess.run(
        [BACKCOACH, "serve", "--host", "0.0.0.0", "--no-open"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2 and "--lan" in result.stderr


def test_serve_lan_prints_a_pairing_link_that_works_once(web_home: Path) -> None:
    port = free_port()
    env = {**os.environ, "BACKCOACH_HOME": str(web_home), "COLUMNS": "200"}
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--lan", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            found = re.search(r"http://\S+/pair\?code=[\w-]+", line)
            url = found[0] if found else None
        assert url is not None, "no pairing link printed"
        local = url.replace(url.split("/")[2], f"127.0.0.1:{port}")
        for _ in range(100):
            try:
                unpaired = httpx.get(f"http://127.0.0.1:{port}/api/status")
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert unpaired.status_code == 401
        with httpx.Client() as phone:
            assert phone.get(local).status_code == 303  # paired, sent on to /
            assert phone.get(f"http://127.0.0.1:{port}/api/status").status_code == 200
        assert httpx.get(local, follow_redirects=False).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_fastapi_telemetry_stays_off_whatever_the_environment_says(
    web_home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """FastAPI sets up OpenTelemetry export of traces, metrics and error logs to an OTLP
    endpoint when the environment asks for it (FASTAPI_OTEL_AUTO_CONFIGURE=true; with the SDK
    installed it would send them). backcoach sends nothing off the machine: the app does not
    even try (no "automatic telemetry configuration failed" for want of the SDK), and answers."""
    from backcoach.web.app import create_app
    from tests.web.conftest import make_settings

    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    app = create_app(make_settings(web_home))
    with caplog.at_level("DEBUG"), TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/api/status").status_code == 200  # the lifespan has run
    assert not [r for r in caplog.records if "telemetry" in r.getMessage().lower()]
    assert not app._native_telemetry.enabled()
