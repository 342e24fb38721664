"""Today's page next to a minimal FastAPI app serving the same bytes, on the same uvicorn.

Run: .venv/bin/python bench/today_rate.py [--requests N] [--clients N] [--rounds N]

Two real servers on free 127.0.0.1 ports, each one uvicorn process:

* backcoach (``backcoach serve``) in a throw-away home with a clear warning-sign screen, a
  profile and a few past sessions (made with ``backcoach start --auto`` on earlier days);
* ``bench/minimal_app.py``: FastAPI answering with the bytes backcoach's ``/today`` answered
  once: ``GET /today`` from an ``async def`` (the yardstick of the target) and
  ``GET /today-threaded`` from a plain ``def`` as backcoach's pages are (for comparison).

Each gets the same bounded load: ``--requests`` requests in all, from ``--clients`` keep-alive
connections at once, in ``--rounds`` rounds taken in turn (backcoach, minimal, minimal threaded,
backcoach, ...) so that the noise of a shared machine falls on all alike. The client is a few
lines over raw sockets, far cheaper per request than the servers, so it is the servers that are
measured. Printed: requests per second, median and p99 latency, the server process's CPU time
per request (from /proc), and backcoach's rate as a share of each minimal route's; the target
(issue 13) is at least 15% of the ``async def`` route's rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from backcoach.safety.signs import SIGNS

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
TODAY = dt.date(2026, 11, 2)
"""A Monday: the default profile exercises on Mondays."""
PAST_SESSIONS = (6, 4, 2)
"""Days before TODAY with a finished session."""
TARGET = 0.15
CSRF = "b" * 43
"""A well-formed CSRF cookie sent with every request, as a browser would after its first page,
so backcoach does not set a new one each time."""
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def backcoach_env(home: Path, day: dt.date) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(BACKCOACH_HOME=str(home), BACKCOACH_TODAY=day.isoformat())
    return env


def prepare_home(home: Path) -> None:
    """A clear screen, a profile, and a finished session on each of ``PAST_SESSIONS``."""

    def cli(day: dt.date, *args: str) -> None:
        subprocess.run(
            [str(BIN / "backcoach"), *args],
            env=backcoach_env(home, day),
            stdout=subprocess.DEVNULL,
            check=True,
        )

    first = TODAY - dt.timedelta(days=max(PAST_SESSIONS))
    answers = home / "screen.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}))
    cli(first, "screen", "--answers", str(answers))
    cli(first, "profile", "set", "--minutes", "15", "--days", "mon,wed,fri,sat")
    session = home / "session.json"
    session.write_text(json.dumps({"pain_before": 3, "pain_after": 2}))
    for back in PAST_SESSIONS:
        day = TODAY - dt.timedelta(days=back)
        cli(day, "start", "--auto", "--new", "--minutes", "10", "--answers", str(session))


def wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped (exit {proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def start_backcoach(home: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "backcoach"), "serve", "--port", str(port), "--no-open"],
        env=backcoach_env(home, TODAY),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, proc)
    return proc, port


def start_minimal(body_file: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env["MINIMAL_APP_BODY"] = str(body_file)
    proc = subprocess.Popen(
        [
            *(str(BIN / "uvicorn"), "--app-dir", str(HERE), "minimal_app:app"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, proc)
    return proc, port


class Connection:
    """One keep-alive HTTP/1.1 connection that sends ``GET path`` and reads the answer."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: backcoach_csrf={CSRF}\r\nAccept: text/html\r\n\r\n"
        ).encode()
        self.buffer = b""

    def get(self) -> tuple[int, bytes]:
        self.sock.sendall(self.request)
        while b"\r\n\r\n" not in self.buffer:
            self._read()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if match is None:
            raise RuntimeError("an answer without Content-Length")
        length = int(match.group(1))
        while len(self.buffer) < length:
            self._read()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, body

    def _read(self) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise RuntimeError("the server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    path: str = "/today"
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0

    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def load(self, requests: int, clients: int) -> None:
        """``requests`` GETs of ``path`` from ``clients`` connections at once."""
        lock = threading.Lock()
        errors: list[BaseException] = []

        def worker(count: int) -> None:
            try:
                conn = Connection(self.port, self.path)
                mine = []
                for _ in range(count):
                    start = time.perf_counter()
                    status, _ = conn.get()
                    mine.append((time.perf_counter() - start) * 1000)
                    if status != 200:
                        raise RuntimeError(f"{self.name}: GET {self.path} answered {status}")
                conn.close()
                with lock:
                    self.latencies.extend(mine)
            except BaseException as exc:  # reported after the threads end
                errors.append(exc)

        shares = [requests // clients + (i < requests % clients) for i in range(clients)]
        threads = [threading.Thread(target=worker, args=(n,)) for n in shares]
        cpu_before, start = cpu_seconds(self.proc.pid), time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.seconds += time.perf_counter() - start
        self.cpu += cpu_seconds(self.proc.pid) - cpu_before
        if errors:
            raise errors[0]

    def report(self) -> str:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (
            f"{self.name:17} {self.rate():8.1f} req/s   median {statistics.median(ordered):6.2f} ms"
            f"   p99 {p99:6.2f} ms   CPU {1000 * self.cpu / len(ordered):5.2f} ms/request"
            f"   ({len(ordered)} requests)"
        )


def warm(port: int, path: str = "/today", n: int = 50) -> bytes:
    conn = Connection(port, path)
    try:
        body = b""
        for _ in range(n):
            status, body = conn.get()
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
        return body
    finally:
        conn.close()


def stopping(proc: subprocess.Popen[bytes]) -> Callable[[], None]:
    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    return stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="per server, in all")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    print(
        f"GET /today, {args.requests} requests per server from {args.clients} connections, "
        f"{args.rounds} rounds in turn; one uvicorn process each; {os.cpu_count()} CPU cores "
        "shared with the load generator"
    )
    stops: list[Callable[[], None]] = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            home = Path(folder) / "home"
            home.mkdir()
            prepare_home(home)
            proc, port = start_backcoach(home)
            stops.append(stopping(proc))
            backcoach = Server("backcoach", proc, port)
            page = warm(port)
            if b"Start" not in page:
                raise RuntimeError("backcoach's /today shows no plan; the home is not ready")
            body_file = Path(folder) / "today.html"
            body_file.write_bytes(page)
            proc, port = start_minimal(body_file)
            stops.append(stopping(proc))
            minimal = Server("minimal async", proc, port)
            threaded = Server("minimal threaded", proc, port, "/today-threaded")
            for server in (minimal, threaded):
                if warm(port, server.path) != page:
                    raise RuntimeError("the minimal app does not answer the same bytes")
            per_round = max(args.clients, args.requests // args.rounds)
            for _ in range(args.rounds):
                for server in (backcoach, minimal, threaded):
                    server.load(per_round, args.clients)
        finally:
            for stop in stops:
                stop()
    print(f"page size {len(page)} bytes")
    for server in (backcoach, minimal, threaded):
        print(server.report())
    ratio = backcoach.rate() / minimal.rate()
    verdict = "meets" if ratio >= TARGET else "misses"
    print(
        f"ratio {ratio:.3f} of the minimal async app's rate ({verdict} the target {TARGET}); "
        f"{backcoach.rate() / threaded.rate():.3f} of the threaded route's"
    )


if __name__ == "__main__":
    main()
