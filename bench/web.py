"""The browser app under load: saving a set and loading today's page, SQLite and PostgreSQL.

Run: .venv/bin/python bench/web.py [--pages N] [--sets N] [--clients N]

Each database gets a real `backcoach serve` (uvicorn, one process) on a free 127.0.0.1 port,
with a throw-away home (and, for PostgreSQL, a throw-away schema on 127.0.0.1:5432). The
load comes from this process over real HTTP.

* today's page: ``GET /today`` (the HTML page) and ``GET /api/plan`` (its plan as JSON), from
  several clients at once: requests per second and latency percentiles.
* saving a set: a live session driven through ``POST /api/sessions/{id}/events`` on a clock
  sped up 1000 times, one client (one person has one session); the requests whose answer
  carries a ``set-finished`` effect are the ones that saved a set (the engine step, the row
  committed, the new view): their rate (1 / mean latency) and percentiles.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKCOACH = str(Path(sys.executable).with_name("backcoach"))
ALL_NO_SCREEN = "/api/screen/questions"
CLOCK_SPEED = 1000
TODAY = "2026-11-02"
TODAY_PATHS = ("/today", "/api/plan")
"""The today page as the browser gets it (HTML), and the plan behind it as a script gets it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: str, db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(
        BACKCOACH_HOME=home,
        BACKCOACH_DATABASE_URL=db_url,
        BACKCOACH_TODAY=TODAY,
        BACKCOACH_TEST_CLOCK_SPEED=str(CLOCK_SPEED),
    )
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--port", str(port), "--no-open"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/api/status", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def client(url: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=30)
    c.get("/api/status")
    c.headers["X-CSRF-Token"] = c.cookies["backcoach_csrf"]
    return c


def prepare(url: str) -> None:
    with closing(client(url)) as c:
        ids = [q["id"] for q in c.get(ALL_NO_SCREEN).json()["questions"]]
        c.post("/api/screen", json={"answers": {i: "no" for i in ids}}).raise_for_status()
        c.put("/api/profile", json={"minutes": 15}).raise_for_status()


def today_page(url: str, path: str, n: int, clients: int) -> tuple[list[float], float]:
    with closing(client(url)) as probe:
        for _ in range(20):  # warm up: catalogue loaded, connections pooled
            probe.get(path).raise_for_status()
    samples: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        with closing(client(url)) as c:
            mine = []
            for _ in range(count):
                start = time.perf_counter()
                c.get(path).raise_for_status()
                mine.append((time.perf_counter() - start) * 1000)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, args=(n // clients,)) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, len(samples) / (time.perf_counter() - start)


def save_sets(url: str, wanted: int) -> list[float]:
    """Drive sessions until ``wanted`` sets were saved; latencies of the requests saving one."""
    samples: list[float] = []
    with closing(client(url)) as c:
        while len(samples) < wanted:
            step = c.post("/api/sessions", json={"resume": False}).json()
            sid = step["view"]["session_id"]
            while not step["view"]["finished"] and len(samples) < wanted:
                view, question = step["view"], step["view"]["question"]
                body: dict[str, Any]
                if view["notice"]:
                    body = {"type": "dismiss"}
                elif view["paused"]:
                    body = {"type": "resume"}
                elif question and question["kind"] == "pain":
                    body = {"type": "pain", "score": 1}
                elif question:
                    body = {"type": "rate", "rating": "about-right"}
                else:
                    time.sleep(view["real_seconds_left"] or 0)
                    body = {"type": "tick"}
                start = time.perf_counter()
                r = c.post(f"/api/sessions/{sid}/events", json=body)
                elapsed = (time.perf_counter() - start) * 1000
                r.raise_for_status()
                step = r.json()
                if any(e["type"] == "set-finished" for e in step["effects"]):
                    samples.append(elapsed)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def report(db: str, what: str, samples: list[float], rate: float) -> None:
    print(
        f"{db:10} {what:28} {rate:7.1f} req/s   median {statistics.median(samples):6.2f} ms"
        f"   p99 {percentile(samples, 0.99):6.2f} ms   ({len(samples)} requests)"
    )


def run(db: str, db_url: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as home:
        proc, url = start_server(home, db_url)
        try:
            prepare(url)
            for path in TODAY_PATHS:
                samples, rate = today_page(url, path, args.pages, args.clients)
                report(db, f"today GET {path}", samples, rate)
            sets = save_sets(url, args.sets)
            report(db, "saving a set (event POST)", sets, 1000 / statistics.mean(sets))
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--sets", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print(f"one uvicorn process; {os.cpu_count()} CPU cores shared with the load generator")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args)
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server: say so and stop
        print(f"PostgreSQL    skipped: {exc.__class__.__name__} (is it running on 5432?)")
        return
    try:
        run("PostgreSQL", f"{PG}?options={quote(f'-csearch_path={schema}')}", args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
