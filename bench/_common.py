"""What the clinic benches share: a private PostgreSQL schema, real `backcoach` processes
started and stopped as a service manager would, the clinic's environment, requests sent as
the TLS proxy would pass them (the public Host, the ``__Host-`` cookies by hand), and figures.

Used by bench/people_load.py, bench/clinic_sessions.py and bench/clinic_patients.py; a
bench script imports it as ``_common`` (the script's folder is first on ``sys.path``).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

BIN = Path(sys.executable).parent
PG_URL = os.environ.get(
    "BACKCOACH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CSRF_COOKIE = "__Host-backcoach-csrf"
SESSION_COOKIE = "__Host-backcoach-session"
START_SECONDS = 90
"""Bound on a server's start (migrations, workers spawning) on a busy 2-core machine."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def private_schema(prefix: str) -> Iterator[str]:
    """A database URL on a new schema of the local PostgreSQL, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def clinic_env(home: Path, url: str, public_port: int, **extra: str) -> dict[str, str]:
    """The environment of a clinic's `backcoach serve --clinic` and `backcoach worker`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(
        BACKCOACH_HOME=str(home),
        BACKCOACH_DATABASE_URL=url,
        BACKCOACH_PUBLIC_URL=f"https://localhost:{public_port}",
        BACKCOACH_TRUSTED_PROXIES="127.0.0.1",
        **extra,
    )
    return env


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in a session of its own (so ``stop`` ends its children too), output to
    ``log``."""
    return subprocess.Popen(
        command,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process's group, then SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def serve_clinic(
    env: dict[str, str], port: int, public_port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    """`backcoach serve --clinic --workers N` on 127.0.0.1:``port``, once it answers."""
    command = [str(BIN / "backcoach"), "serve", "--clinic", "--workers", str(workers)]
    server = start([*command, "--port", str(port)], env, log)
    try:
        wait_ready(port, public_port, server, log)
    except BaseException:
        stop(server)
        raise
    return server


def wait_ready(port: int, public_port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve stopped: {log.read_text()[-2000:]}")
        try:
            answer = httpx.get(
                f"http://127.0.0.1:{port}/healthz",
                headers={"Host": f"localhost:{public_port}"},
                timeout=5,
            )
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the workers did not answer /healthz in time")


def proxied_headers(cookies: dict[str, str], public_port: int) -> dict[str, str]:
    """Headers as the TLS proxy passes a browser's request on: the public Host, the cookies
    (``Secure``, so sent by hand over the loopback's plain HTTP) and the CSRF header."""
    headers = {"Host": f"localhost:{public_port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if CSRF_COOKIE in cookies:
        headers["X-CSRF-Token"] = cookies[CSRF_COOKIE]
    return headers


def remember_cookies(cookies: dict[str, str], answer: httpx.Response) -> None:
    for raw in answer.headers.get_list("set-cookie"):
        name, _, rest = raw.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


class Browser:
    """A signed-in browser's requests on one keep-alive connection, timed."""

    def __init__(self, port: int, public_port: int) -> None:
        self.public_port = public_port
        self.cookies: dict[str, str] = {}
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

    def call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> tuple[httpx.Response, float]:
        headers = proxied_headers(self.cookies, self.public_port)
        began = time.perf_counter()
        answer = self.http.request(method, path, json=body, headers=headers, params=params)
        took = (time.perf_counter() - began) * 1000
        remember_cookies(self.cookies, answer)
        return answer, took

    def sign_in(self, email: str, password: str) -> None:
        self.call("GET", "/signin")  # the CSRF cookie, as the page gets it
        answer, _ = self.call("POST", "/api/auth/login", {"email": email, "password": password})
        if answer.status_code != 200:
            raise RuntimeError(f"sign-in refused: {answer.status_code} {answer.text[:300]}")

    def close(self) -> None:
        self.http.close()


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def figures(latencies: Sequence[float]) -> str:
    """Median, p95, p99 and max of latencies in milliseconds."""
    return (
        f"median {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} "
        f"ms, p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.0f} ms"
    )
