"""The deployment of docs/clinic.md for real: Caddy (Debian's package) with TLS in front of
`backcoach serve --clinic --workers 2` on PostgreSQL. The clinician and the patient are added
with the real CLI; the clinician signs in over HTTPS through the proxy, the patient redeems the
invite, answers the warning-sign questions and the profile, starts a session and sends events.
The rate limits and the audit log see the client's own address, forwarded by the proxy, and a
forwarded address is believed from the proxy only.

Each client connects from its own loopback address (127.0.0.2, .3, ...), so the address the
app records tells which hop it came from. Bounded: every wait has a deadline.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from backcoach.clinic.codes import digest
from backcoach.records.tables import AuditRow, AuthThrottleRow
from backcoach.web.security import CLINIC_CSRF_COOKIE
from tests.clinic.conftest import PASSWORD
from tests.web.conftest import ALL_NO, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("caddy") is None, reason="needs caddy: scripts/system-deps.sh test"
    ),
]
CADDY = shutil.which("caddy") or "caddy"
BACKCOACH = str(Path(sys.executable).with_name("backcoach"))
START_SECONDS = 60
EMAIL = "ana@example.org"

CADDYFILE = """\
{{
	admin off
	auto_https disable_redirects
	skip_install_trust
	http_port {http_port}
	https_port {port}
	storage file_system {storage}
}}

https://localhost:{port} {{
	tls internal
	reverse_proxy 127.0.0.1:{upstream}
}}
"""
"""The recipe's Caddyfile (docs/clinic.md) with test ports, Caddy's own local certificate
authority (``tls internal``) and nothing outside the test's folder."""


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [BACKCOACH, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture
def deployment(tmp_path: Path, pg_url: str) -> Iterator[dict[str, Any]]:
    port, upstream, http_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "BACKCOACH_HOME": str(tmp_path / "home"),
        "BACKCOACH_DATABASE_URL": pg_url,
        "BACKCOACH_PUBLIC_URL": f"https://localhost:{port}",
        "BACKCOACH_TRUSTED_PROXIES": "127.0.0.1",
        "BACKCOACH_JOBS": "in-process",
    }
    cli(env, "clinic", "add-clinician", "--email", EMAIL, "--name", "Ana Silva", stdin=PASSWORD)
    added = cli(
        env, "clinic", "add-patient", "--name", "Bo Chen", "--birth-year", "1980",
        "--clinician", EMAIL, "--json",
    )  # fmt: skip
    invite = json.loads(added)
    assert invite["invite_url"].startswith(f"https://localhost:{port}/invite#code=")
    logs = tmp_path / "logs"
    logs.mkdir()
    server = subprocess.Popen(
        [BACKCOACH, "serve", "--clinic", "--workers", "2", "--port", str(upstream)],
        env=env,
        stdout=(logs / "serve.out").open("wb"),
        stderr=(logs / "serve.err").open("wb"),
        start_new_session=True,
    )
    storage = tmp_path / "caddy"
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        CADDYFILE.format(port=port, http_port=http_port, upstream=upstream, storage=storage)
    )
    proxy = subprocess.Popen(
        [CADDY, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")},
        stdout=(logs / "caddy.out").open("wb"),
        stderr=(logs / "caddy.err").open("wb"),
        start_new_session=True,
    )
    try:
        root = storage / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + START_SECONDS
        while True:
            problem = ""
            if root.exists():
                try:
                    ready = client(root, port, "127.0.0.9").get("/healthz")
                    if ready.status_code == 200:
                        break
                    problem = f"/healthz answered {ready.status_code}"
                except (httpx.HTTPError, ssl.SSLError) as exc:
                    problem = repr(exc)
            for name, process in (("serve", server), ("caddy", proxy)):
                if process.poll() is not None:
                    raise AssertionError(
                        f"{name} stopped: {(logs / f'{name}.err').read_text()[-2000:]}"
                    )
            if time.monotonic() > deadline:
                raise AssertionError(f"the proxy and workers did not answer: {problem}")
            time.sleep(0.2)
        yield {
            "port": port,
            "upstream": upstream,
            "root": root,
            "invite": invite,
            "db": pg_url,
            "logs": logs,
        }
    finally:
        stop(proxy)
        stop(server)


def client(root: Path, port: int, source: str) -> httpx.Client:
    """An HTTPS client trusting only Caddy's local authority, connecting from ``source``."""
    context = ssl.create_default_context(cafile=str(root))
    transport = httpx.HTTPTransport(verify=context, local_address=source)
    return httpx.Client(base_url=f"https://localhost:{port}", transport=transport, timeout=30)


def with_csrf(browser: httpx.Client) -> httpx.Client:
    first = browser.get("/signin")
    assert first.status_code == 200, first.text
    browser.headers["X-CSRF-Token"] = browser.cookies[CLINIC_CSRF_COOKIE]
    return browser


def audit(db_url: str, action: str) -> list[str | None]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            return list(s.scalars(select(AuditRow.address).where(AuditRow.action == action)))
    finally:
        engine.dispose()


def throttled(db_url: str, address: str) -> int | None:
    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            row = s.get(AuthThrottleRow, ("address", digest(address)))
            return None if row is None else row.failures
    finally:
        engine.dispose()


def test_the_clinic_behind_caddy_with_tls(deployment: dict[str, Any]) -> None:
    port, root, db = deployment["port"], deployment["root"], deployment["db"]

    # the clinician signs in over HTTPS through the proxy
    clinician = with_csrf(client(root, port, "127.0.0.2"))
    assert clinician.get("/api/status").status_code == 401
    signed = clinician.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    cookie = signed.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert clinician.get("/api/auth/me").json()["role"] == "clinician"
    assert clinician.get("/api/status").status_code == 403  # a patient's path
    assert "Signed in as Ana Silva" in clinician.get("/clinician").text

    # the patient's phone redeems the invite, answers the questions and the profile
    phone = with_csrf(client(root, port, "127.0.0.3"))
    code = deployment["invite"]["invite_code"]
    assert phone.get("/invite").status_code == 200
    redeemed = phone.post("/api/auth/invite", json={"code": code, "birth_year": 1980})
    assert redeemed.status_code == 200, redeemed.text
    assert phone.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert phone.put("/api/profile", json={"minutes": 10}).status_code == 200
    started = phone.post("/api/sessions", json={"minutes": 10})
    assert started.status_code == 201, started.text
    sid = started.json()["view"]["session_id"]
    step = phone.post(f"/api/sessions/{sid}/events", json={"type": "pain", "score": 2})
    assert step.status_code == 200, step.text
    assert step.json()["view"]["stage"] == "exercise"
    for event in ({"type": "pause"}, {"type": "resume"}, {"type": "tick"}):
        answer = phone.post(f"/api/sessions/{sid}/events", json=event)
        assert answer.status_code == 200, answer.text
    assert phone.get("/api/sessions/current").json()["view"]["session_id"] == sid

    # the app saw each client's own address, forwarded by the proxy
    assert "127.0.0.2" in audit(db, "sign-in")
    assert "127.0.0.3" in audit(db, "invite-redeemed")

    # a client's own X-Forwarded-For is not believed: Caddy sends the real one
    guesser = with_csrf(client(root, port, "127.0.0.4"))
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    statuses = [
        guesser.post(
            "/api/auth/login",
            json={"email": EMAIL, "password": f"guess number {n}"},
            headers=spoof,
        ).status_code
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]  # the account's limit, across both workers
    failed = audit(db, "sign-in-failed")
    assert failed.count("127.0.0.4") == 5 and "203.0.113.9" not in failed
    assert throttled(db, "127.0.0.4") == 5  # the per-address count: this client's
    assert throttled(db, "127.0.0.1") is None  # never the proxy's own address
    assert throttled(db, "203.0.113.9") is None

    # straight to a worker, not through the proxy: a forwarded address is ignored there
    upstream = deployment["upstream"]
    direct = httpx.Client(
        base_url=f"http://127.0.0.1:{upstream}",
        transport=httpx.HTTPTransport(local_address="127.0.0.5"),
        timeout=30,
    )
    token = "d" * 43
    sneaked = direct.post(
        "/api/auth/login",
        json={"email": "zed@example.org", "password": "not a password"},
        headers={
            "Host": f"localhost:{port}",
            "X-Forwarded-For": "198.51.100.7",
            "Cookie": f"{CLINIC_CSRF_COOKIE}={token}",
            "X-CSRF-Token": token,
        },
    )
    assert sneaked.status_code == 401, sneaked.text
    failed = audit(db, "sign-in-failed")
    assert "127.0.0.5" in failed and "198.51.100.7" not in failed
