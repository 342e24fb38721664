"""One web worker against two on PostgreSQL: `backcoach serve --workers 1` and `--workers 2`.

Run: .venv/bin/python bench/workers_rate.py [--requests N] [--clients N] [--rounds N]

Both servers run on one database (a private schema of the local PostgreSQL, dropped at the
end) with a clear warning-sign screen and a profile, each started as `backcoach serve
--workers N` would be in a clinic. Each gets the same bounded load of ``GET /api/plan`` (a
read route: today's plan, from the database), ``--requests`` in all from ``--clients``
keep-alive connections at once, in ``--rounds`` rounds taken in turn so the noise of a shared
machine falls on both alike. The client is bench/today_rate.py's raw-socket one, far cheaper
per request than the server. Printed: requests per second, latency, the CPU time of the worker
processes per request, and the ratio of the two rates; the target (issue 13) is at least 1.7
on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text
from today_rate import Server, cpu_seconds, free_port, stopping, wait_for, warm

from backcoach.safety.signs import SIGNS

BIN = Path(sys.executable).parent
PG_URL = os.environ.get(
    "BACKCOACH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = "2026-11-02"
TARGET = 1.7
PATH = "/api/plan"


def env_for(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(BACKCOACH_HOME=str(home), BACKCOACH_DATABASE_URL=url, BACKCOACH_TODAY=TODAY)
    return env


def prepare(home: Path, url: str) -> None:
    """A clear screen and a profile, through the real commands."""
    answers = home / "screen.json"
    answers.write_text(json.dumps({s.id: False for s in SIGNS}))
    for args in (("screen", "--answers", str(answers)), ("profile", "set", "--minutes", "15")):
        subprocess.run(
            [str(BIN / "backcoach"), *args],
            env=env_for(home, url),
            stdout=subprocess.DEVNULL,
            check=True,
        )


def workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn spawned for the server ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            spawned = b"spawn_main" in (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if ppid == pid and spawned:
            found.append(int(entry.name))
    return found


def postgres_cpu() -> float:
    """CPU time so far of every PostgreSQL process on this machine (the server shares the 2
    cores with the workers and the load generator)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "postgres":
                total += cpu_seconds(int(entry.name))
        except (OSError, ValueError):
            continue
    return total


class Workers(Server):
    """A server of several processes: CPU is counted over its workers, not the supervisor;
    PostgreSQL's and the load generator's CPU are counted too."""

    pg_cpu = 0.0
    client_cpu = 0.0

    def load(self, requests: int, clients: int) -> None:
        pids = workers_of(self.proc.pid) or [self.proc.pid]  # --workers 1: one process
        cpu, before = self.cpu, sum(cpu_seconds(p) for p in pids)
        pg_before, client_before = postgres_cpu(), time.process_time()
        super().load(requests, clients)  # counts the supervisor's CPU: replaced here
        self.cpu = cpu + sum(cpu_seconds(p) for p in pids) - before
        self.pg_cpu += postgres_cpu() - pg_before
        self.client_cpu += time.process_time() - client_before

    def costs(self) -> tuple[float, float, float]:
        """CPU milliseconds per request: the workers, PostgreSQL, the load generator."""
        n = len(self.latencies)
        return 1000 * self.cpu / n, 1000 * self.pg_cpu / n, 1000 * self.client_cpu / n


def start(home: Path, url: str, workers: int) -> Workers:
    port = free_port()
    command = [str(BIN / "backcoach"), "serve", "--no-open", "--workers", str(workers)]
    proc = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env_for(home, url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, proc)
    deadline = time.monotonic() + 60
    while workers > 1 and len(workers_of(proc.pid)) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"--workers {workers} did not start {workers} processes")
        time.sleep(0.1)
    server = Workers(f"--workers {workers}", proc, port, PATH)
    for _ in range(workers * 4):  # each worker's first requests load the catalogue
        warm(port, PATH, 25)
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000, help="per server, in all")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"GET {PATH} on PostgreSQL, {args.requests} requests per server from {args.clients} "
        f"connections, {args.rounds} rounds in turn; {os.cpu_count()} CPU cores shared with "
        "the load generator and PostgreSQL"
    )
    schema = "bench_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    stops = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder)
            prepare(home, url)
            servers = []
            for workers in (1, 2):
                server = start(home, url, workers)
                stops.append(stopping(server.proc))
                servers.append(server)
            per_round = max(args.clients, args.requests // args.rounds)
            for _ in range(args.rounds):
                for server in servers:
                    server.load(per_round, args.clients)
            for stop in stops:
                stop()
            stops.clear()
    finally:
        for stop in stops:
            stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    for server in servers:
        print(server.report())
    worker, pg, client = servers[1].costs()
    ceiling = 2 * worker / (worker + pg + client)
    print(
        f"CPU per request with two workers: workers {worker:.2f} ms, PostgreSQL {pg:.2f} ms, "
        f"load generator {client:.2f} ms; on {os.cpu_count()} cores shared by all three, two "
        f"workers can serve at most {ceiling:.2f}x the rate of one"
    )
    ratio = servers[1].rate() / servers[0].rate()
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"two workers serve {ratio:.2f}x the rate of one ({verdict} the target {TARGET}x)")


if __name__ == "__main__":
    main()
