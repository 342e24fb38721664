"""Fifty people exercising at once in a clinic: a bounded load test of issue 13's core.

Run: .venv/bin/python bench/people_load.py [--people 50] [--seconds 120] [--speed 30]

On a private schema of the local PostgreSQL it adds a clinician and ``--people`` patients (the
clinic's own service, as `backcoach clinic add-patient` does), starts `backcoach serve --clinic
--workers 2` and one `backcoach worker`, and lets every patient, from a loopback address of their
own (127.0.0.10, .11, ...), redeem their invite, answer the warning-sign questions and the
profile, then run sessions for ``--seconds`` as the page does: every event with a client-made
id, one in twenty sent twice (a resend after a dropped connection), pain answered when asked,
a report PDF asked for after the first session (made by the job worker). The session clock
runs ``--speed`` times faster than real time so that a 5-minute session takes seconds.

Then it checks the database against what the server acknowledged and prints:
- lost sets: a set some answer acknowledged that is not in the database;
- duplicated or overwritten sets: a set acknowledged twice by different events, or whose row
  differs from what was acknowledged;
- duplicated pain reports: more pain reports in a session than pain events acknowledged;
- rows of the wrong person: a set, pain report or document whose person is not its session's
  (or document's) owner, and any session id a person's own history shows that is not theirs;
- resends answered differently from the first answer;
- the latency of every request (median, p99) and requests per second.
Everything is bounded: the people, the time, every request (30 s), and each wait.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _common import (
    BIN,
    clinic_env,
    free_port,
    percentile,
    private_schema,
    proxied_headers,
    remember_cookies,
    serve_clinic,
    start,
    stop,
)
from sqlalchemy import create_engine, text

from backcoach.safety.signs import SIGNS

ALL_NO = {sign.id: "no" for sign in SIGNS}

EMAIL = "load@example.org"
PASSWORD = "a long and unusual clinic password 7"


def birth_year(number: int) -> int:
    """Patient ``number``'s year of birth (given when added, asked when the invite is used)."""
    return 1930 + number % 80


@dataclass
class Person:
    number: int
    patient_id: int
    code: str
    cookies: dict[str, str] = field(default_factory=dict)
    player: str = field(default_factory=lambda: uuid.uuid4().hex)
    sessions: set[int] = field(default_factory=set)
    finished: int = 0
    sets: dict[tuple[int, int, int, str], dict[str, Any]] = field(default_factory=dict)
    twice: int = 0
    pain_events: Counter[int] = field(default_factory=Counter)
    resend_mismatch: int = 0
    documents: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Client:
    """One person's phone: its own source address, cookies sent by hand (they are Secure; the
    test talks to the workers directly, as the proxy would), the CSRF header, a player id."""

    def __init__(self, person: Person, port: int, public_port: int, latencies: list[float]):
        self.person = person
        self.latencies = latencies
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + person.number}")
        self.http = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", transport=transport, timeout=30
        )
        self.public_port = public_port

    async def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = proxied_headers(self.person.cookies, self.public_port)
        headers["X-Backcoach-Player"] = self.person.player
        start = time.perf_counter()
        answer = await self.http.request(method, path, json=body, headers=headers)
        self.latencies.append((time.perf_counter() - start) * 1000)
        remember_cookies(self.person.cookies, answer)
        return answer

    async def ok(self, method: str, path: str, body: Any = None, want: int = 200) -> Any:
        answer = await self.call(method, path, body)
        if answer.status_code != want:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else None


async def event(client: Client, sid: int, body: dict[str, Any]) -> dict[str, Any]:
    """Send one event with a new id; one in twenty is sent again with the same id (a resend
    after a dropped connection), whose answer must be the first one's."""
    body = {**body, "id": uuid.uuid4().hex}
    step: dict[str, Any] = await client.ok("POST", f"/api/sessions/{sid}/events", body)
    if random.random() < 0.05:
        again = await client.ok("POST", f"/api/sessions/{sid}/events", body)
        if again != step:
            client.person.resend_mismatch += 1
    if body["type"] == "pain":
        client.person.pain_events[sid] += 1
    for effect in step["effects"]:
        if effect["type"] == "set-finished":
            key = (sid, effect["item_index"], effect["set_number"], effect["side"] or "both")
            if key in client.person.sets:
                client.person.twice += 1
            client.person.sets[key] = effect
    return step


async def run_session(client: Client, deadline: float) -> None:
    started = await client.ok("POST", "/api/sessions", {"minutes": 5, "resume": False}, 201)
    sid = started["view"]["session_id"]
    client.person.sessions.add(sid)
    step = started
    for _ in range(3000):
        view = step["view"]
        if view["finished"]:
            client.person.finished += 1
            return
        if time.monotonic() > deadline:
            await event(client, sid, {"type": "end"})
            return
        question = view["question"]
        if view["notice"]:
            step = await event(client, sid, {"type": "dismiss"})
        elif view["paused"]:
            step = await event(client, sid, {"type": "resume"})
        elif question and question["kind"] == "pain":
            step = await event(client, sid, {"type": "pain", "score": random.randint(0, 3)})
        elif question:
            step = await event(client, sid, {"type": "rate", "rating": "about-right"})
        else:
            wait = view["real_seconds_left"]
            await asyncio.sleep(min(max(wait or 0, 0) + 0.02, 4.0))
            step = await event(client, sid, {"type": "tick"})
    raise RuntimeError(f"session {sid} did not finish in 3000 steps")


async def live(
    person: Person,
    port: int,
    public_port: int,
    seconds: float,
    lat: list[float],
    reports: bool = True,
) -> None:
    client = Client(person, port, public_port, lat)
    try:
        await client.call("GET", "/signin")  # the CSRF cookie, as the page gets it
        redeem = {"code": person.code, "birth_year": birth_year(person.number)}
        await client.ok("POST", "/api/auth/invite", redeem)
        await client.ok("POST", "/api/screen", {"answers": ALL_NO})
        await client.ok("PUT", "/api/profile", {"minutes": 5})
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await run_session(client, deadline)
            if reports and not person.documents:
                doc = await client.ok("POST", "/api/documents", {"kind": "report"}, 202)
                person.documents.append(doc["id"])
        history = await client.ok("GET", "/api/history?limit=1000")
        seen = {row["id"] for row in history}
        if not seen <= person.sessions:
            strangers = sorted(seen - person.sessions)
            person.errors.append(f"history shows sessions not theirs: {strangers}")
    except Exception as exc:
        person.errors.append(repr(exc))
    finally:
        await client.http.aclose()


def add_people(url: str, count: int, public_url: str) -> list[Person]:
    """The clinician and the patients, through the clinic's own service (as the CLI does)."""
    from backcoach.clinic.service import Clinic
    from backcoach.clinic.settings import ClinicSettings
    from backcoach.records.db import open_database

    factory = open_database(url)
    clinic = Clinic(factory, settings=ClinicSettings(public_url=public_url))
    clinic.add_clinician(email=EMAIL, name="Load Test", password=PASSWORD)
    people = []
    for n in range(count):
        added = clinic.add_patient(
            name=f"Patient {n}", birth_year=birth_year(n), clinician_email=EMAIL
        )
        people.append(Person(n, added.patient_id, added.invite_code))
    factory.kw["bind"].dispose()
    return people


def check(url: str, people: list[Person]) -> dict[str, int]:
    """What the database holds, against what was acknowledged."""
    engine = create_engine(url)
    found: dict[str, int] = Counter()
    try:
        with engine.connect() as db:
            for person in people:
                rows = db.execute(
                    text(
                        "SELECT session_id, item_index, set_number, side, reps, hold_seconds, "
                        "complete, person_id FROM set_logs WHERE session_id = ANY(:ids)"
                    ),
                    {"ids": sorted(person.sessions)},
                ).all()
                saved = {(r[0], r[1], r[2], r[3]): r for r in rows}
                found["sets saved"] += len(rows)
                found["sets acknowledged"] += len(person.sets)
                for key, effect in person.sets.items():
                    row = saved.get(key)
                    if row is None:
                        found["lost sets"] += 1
                    elif (
                        row[4] != effect["reps_done"]
                        or row[6] != effect["complete"]
                        or abs((row[5] or 0) - (effect["hold_seconds_done"] or 0)) > 1e-6
                    ):
                        found["overwritten sets"] += 1
                found["sets acknowledged twice"] += person.twice
                found["rows of the wrong person"] += sum(r[7] != person.patient_id for r in rows)
                pains = db.execute(
                    text(
                        "SELECT session_id, count(*) FROM pain_reports "
                        "WHERE session_id = ANY(:ids) GROUP BY session_id"
                    ),
                    {"ids": sorted(person.sessions)},
                ).all()
                found["pain reports acknowledged"] += sum(person.pain_events.values())
                for sid, n in pains:
                    found["pain reports saved"] += n
                    found["duplicated pain reports"] += max(0, n - person.pain_events[sid])
                owners = db.execute(
                    text("SELECT person_id FROM sessions WHERE id = ANY(:ids)"),
                    {"ids": sorted(person.sessions)},
                ).scalars()
                found["rows of the wrong person"] += sum(o != person.patient_id for o in owners)
                docs = db.execute(
                    text("SELECT person_id, status FROM documents WHERE id = ANY(:ids)"),
                    {"ids": person.documents},
                ).all()
                found["rows of the wrong person"] += sum(d[0] != person.patient_id for d in docs)
                found["report PDFs made by the job worker"] += sum(d[1] == "done" for d in docs)
                found["sessions finished"] += person.finished
                found["sessions started"] += len(person.sessions)
                found["resends answered differently"] += person.resend_mismatch
                found["people with errors"] += bool(person.errors)
    finally:
        engine.dispose()
    return dict(found)


async def everyone(
    people: list[Person], port: int, public_port: int, seconds: float, reports: bool = True
) -> list[float]:
    latencies: list[float] = []
    await asyncio.gather(*(live(p, port, public_port, seconds, latencies, reports) for p in people))
    return latencies


def wait_for_documents(url: str, people: list[Person], seconds: float = 120) -> None:
    """Give the job worker time to make the PDFs asked for (bounded)."""
    ids = [d for p in people for d in p.documents]
    engine = create_engine(url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as db:
                pending = db.execute(
                    text(
                        "SELECT count(*) FROM documents WHERE id = ANY(:ids) "
                        "AND status IN ('queued', 'running')"
                    ),
                    {"ids": ids},
                ).scalar_one()
            if not pending:
                return
            time.sleep(1)
    finally:
        engine.dispose()


BAD = (
    "lost sets",
    "overwritten sets",
    "sets acknowledged twice",
    "duplicated pain reports",
    "rows of the wrong person",
    "resends answered differently",
    "people with errors",
)
"""The counts that must be 0."""


@dataclass
class Load:
    """What one run measured and found."""

    people: list[Person]
    web_workers: int
    latencies: list[float]
    took: float
    found: dict[str, int]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.took

    @property
    def failures(self) -> dict[str, int]:
        return {name: self.found.get(name, 0) for name in BAD if self.found.get(name, 0)}

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(p.number, e) for p in self.people for e in p.errors]


def run_load(
    people: int, seconds: float, speed: float, web_workers: int = 2, reports: bool = True
) -> Load:
    """``people`` patients at once for ``seconds`` on `backcoach serve --clinic --workers
    web_workers` and one `backcoach worker`, on a private schema dropped afterwards; with
    ``reports``, each asks for a report PDF after their first session (the worker makes it)."""
    if not 1 <= people <= 200 or not 1 <= seconds <= 900 or not 1 <= web_workers <= 8:
        raise SystemExit("--people 1-200, --seconds 1-900, 1-8 web workers: the test is bounded")
    random.seed(13)
    port, public_port = free_port(), free_port()
    with private_schema("load") as url, tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = clinic_env(home, url, public_port, BACKCOACH_TEST_CLOCK_SPEED=str(speed))
        crowd = add_people(url, people, f"https://localhost:{public_port}")
        processes: list[subprocess.Popen[bytes]] = []
        try:
            processes.append(serve_clinic(env, port, public_port, web_workers, home / "serve.log"))
            processes.append(start([str(BIN / "backcoach"), "worker"], env, home / "worker.log"))
            print(
                f"{people} people, {seconds:.0f} s, session clock x{speed:g}, {web_workers} web "
                f"worker(s) + 1 job worker on PostgreSQL, {os.cpu_count()} cores shared with "
                "the load generator and PostgreSQL",
                flush=True,
            )
            began = time.perf_counter()
            latencies = asyncio.run(everyone(crowd, port, public_port, seconds, reports))
            took = time.perf_counter() - began
            if reports:
                wait_for_documents(url, crowd)
            found = check(url, crowd)
        finally:
            for process in reversed(processes):
                stop(process)
    return Load(crowd, web_workers, latencies, took, found)


def report(load: Load) -> bool:
    """Print the figures and the checks; True when every check holds."""
    ordered = load.latencies
    print(
        f"{len(ordered)} requests in {load.took:.0f} s ({load.rate:.0f} req/s): "
        f"median {statistics.median(ordered):.1f} ms, p99 {percentile(ordered, 0.99):.1f} ms, "
        f"max {max(ordered):.0f} ms"
    )
    for name in sorted({*load.found, *BAD}):
        print(f"  {name:38} {load.found.get(name, 0)}")
    for number, error in load.errors[:10]:
        print(f"  person {number}: {error}")
    print("all checks hold" if not load.failures else f"FAILED: {load.failures}")
    return not load.failures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--speed", type=float, default=30)
    args = parser.parse_args()
    if not report(run_load(args.people, args.seconds, args.speed, web_workers=2)):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
