"""Cost against history: the same requests with 10 and with 1,000 past sessions.

Run: .venv/bin/python bench/history_cost.py [--repeat N] [--sizes 10,1000] [--no-postgres]

Ten real automatic sessions (`backcoach start --auto`, Monday/Wednesday/Friday over four weeks,
with the worst-pain and weekly activity check-ins the command records) make a template home.
Each measured store copies it: with 10 past sessions it is the template itself; with 1,000 the
template's rows are laid down again block after block, each block four weeks earlier than the
next (so every fourth week misses its Wednesday and Friday, as real weeks do), with new ids in
date order, and the template's own rows last. Every row is a row backcoach wrote: plans,
sessions, sets, outcomes, pain reports, decisions, screens, check-ins and activity ratings.

Then, in the same run and interleaved (so the machine's noise falls on both sizes alike):

* ``GET /today``, ``GET /api/plan`` and ``GET /progress`` through the FastAPI app in-process
  (starlette's TestClient);
* ending a session: a real automatic session run in-process on today, timing what its end
  does (``SessionRecorder`` on ``SessionFinished``: the session closed, progression's
  ``after_session`` and the flare-up check) -- the call the web app makes when a session ends.

For each: the median in ms at each size, the ratio of 1,000 to 10 (target: within 1.3x), and the
SQL statements it ran at each size (a ``before_cursor_execute`` listener; target: the same at
both). Ending a session should also be under 50 ms at 1,000 sessions. SQLite (a file) always;
PostgreSQL (127.0.0.1:5432, database ``test``, a throw-away schema) when it is reachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.histories
from tests.histories import lay_down

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from backcoach.records.tables import (
    ActivityRatingRow,
    ActivityRow,
    Base,
    DirectionCheckRow,
    ExerciseOutcomeRow,
    PainReportRow,
    PlanRow,
    ProfileRow,
    ProgressionDecisionRow,
    ScreenRow,
    SessionRow,
    SetLogRow,
)
from backcoach.safety.signs import SIGNS
from backcoach.services import outcomes
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import AutoAnswers, begin, run_auto

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.histories

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKCOACH = str(Path(sys.executable).with_name("backcoach"))
FIRST_DAY = dt.date(2026, 9, 7)  # a Monday
SESSION_DAYS = [FIRST_DAY + dt.timedelta(days=n) for n in (0, 2, 4, 7, 9, 11, 14, 16, 18, 21)]
TODAY = FIRST_DAY + dt.timedelta(days=23)  # the Wednesday after: a planned day, not yet done
BLOCK = dt.timedelta(weeks=4)
"""How far back each copy of the template's ten sessions goes."""
RATIO_TARGET = 1.3
ENDING_TARGET_MS = 50.0
PATHS = ("/today", "/api/plan", "/progress")
ENDING = "ending a session"

PER_SESSION = (
    PlanRow,
    SessionRow,
    SetLogRow,
    ExerciseOutcomeRow,
    PainReportRow,
    ProgressionDecisionRow,
    ActivityRatingRow,
    ScreenRow,
)

"""Tables laid down again in every block (their dates moved back by the block)."""
ONCE = (ProfileRow, ActivityRow, DirectionCheckRow)
"""Tables copied once: the person's profile, the activities they rate, any direction check."""


# --- the template: real sessions --------------------------------------------------------------


def cli(home: Path, day: dt.date, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(BACKCOACH_HOME=str(home), BACKCOACH_TODAY=day.isoformat())
    subprocess.run([BACKCOACH, *args], env=env, check=True, capture_output=True, timeout=300)


def person_on(home: Path, day: dt.date, db_url: str | None = None) -> PersonContext:
    env = {"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": day.isoformat()}
    if db_url is not None:
        env["BACKCOACH_DATABASE_URL"] = db_url
    return AppContext(Settings.from_environ(env)).person()


def answers_for(n: int) -> dict[str, Any]:
    """Varied, ordinary answers: mostly easy or about right, pain 2-4, one sore exercise."""
    answers: dict[str, Any] = {
        "pain_before": 3 + n % 2,
        "pain_after": 2 + n % 2,
        "default": {"pain": n % 3, "rating": "too-easy" if n % 3 else "about-right"},
        "worst_pain_24h": 5 - n // 4,
        "activities": {"putting on socks": 3 + n // 3, "sitting through a film": 5},
        "next_day_settled": n % 4 != 1,
    }
    if n in (3, 6):
        answers["default"] = {"pain": 4, "rating": "about-right"}
    return answers


def make_template(home: Path) -> None:
    """Ten sessions through the real command, each on its own pretend day."""
    first = person_on(home, FIRST_DAY)
    take_screen(first.store, first.today(), {s.id: "no" for s in SIGNS})
    update_profile(first.store, days=["mon", "wed", "fri"], minutes=10)
    outcomes.add_activity(first.store, first.today(), "putting on socks")
    outcomes.add_activity(first.store, first.today(), "sitting through a film")
    for n, day in enumerate(SESSION_DAYS):
        answers = home / f"answers-{n}.json"
        answers.write_text(json.dumps(answers_for(n)))
        cli(home, day, "start", "--auto", "--answers", str(answers))


# --- stores with N past sessions ----------------------------------------------------------------


def columns(entity: type[Base]) -> list[str]:
    return [c.key for c in entity.__table__.columns]  # type: ignore[attr-defined]


def read_template(home: Path) -> dict[type[Base], list[dict[str, Any]]]:
    person = person_on(home, TODAY)
    rows: dict[type[Base], list[dict[str, Any]]] = {}
    with person.store.scoped() as s:
        for entity in ONCE + PER_SESSION:
            names = columns(entity)
            found = s.scalars(select(entity).order_by(entity.id))  # type: ignore[attr-defined]
            rows[entity] = [{n: getattr(r, n) for n in names} for r in found]
    return rows


def fill(
    store_coach: PersonContext, template: dict[type[Base], list[dict[str, Any]]], sessions: int
) -> None:
    """Lay the template's rows down ``sessions // 10`` times, oldest block first."""
    blocks = max(1, sessions // len(template[SessionRow]))
    with store_coach.store.scoped() as s:
        lay_down(s, template, blocks, BLOCK, PER_SESSION, ONCE)


# --- measuring ----------------------------------------------------------------------------------


class Statements:
    """SQL statements run by every engine in this process (``before_cursor_execute``)."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1

    @contextmanager
    def counting(self) -> Iterator[list[int]]:
        out = [0]
        before = self.count
        yield out
        out[0] = self.count - before


def web_client(home: Path, db_url: str) -> Any:
    from fastapi.testclient import TestClient

    from backcoach.web.app import create_app

    env = {
        "BACKCOACH_HOME": str(home),
        "BACKCOACH_TODAY": TODAY.isoformat(),
        "BACKCOACH_DATABASE_URL": db_url,
    }
    app = create_app(Settings.from_environ(env), test_client=True)
    return TestClient(app, base_url="http://127.0.0.1")


def end_session(person: PersonContext, statements: Statements) -> tuple[float, int]:
    """Run one automatic session on today; the ms and statements of its end."""
    live = begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10)
    recorder = live.recorder
    finish, after = person.store.finish_session, recorder.on_finish
    assert after is not None
    started: list[tuple[float, int]] = []
    spent: list[tuple[float, int]] = []

    def timed_finish(*args: Any) -> None:
        # The recorder closes the session, then runs on_finish: time both as one.
        started.append((time.perf_counter(), statements.count))
        finish(*args)

    def timed_after(session_id: int) -> None:
        after(session_id)
        start, count = started[-1]
        spent.append(((time.perf_counter() - start) * 1000, statements.count - count))

    person.store.finish_session = timed_finish  # type: ignore[method-assign]
    recorder.on_finish = timed_after
    try:
        run_auto(live, AutoAnswers.from_data(answers_for(0)), 0, 0.0)
    finally:
        del person.store.finish_session
    [result] = spent
    return result


Measure = Callable[[], tuple[float, int]]


def request(client: Any, path: str, statements: Statements) -> Measure:
    def run() -> tuple[float, int]:
        with statements.counting() as counted:
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
        response.raise_for_status()
        return elapsed, counted[0]

    return run


def pg_url() -> str | None:
    try:
        engine = create_engine(PG)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:
        return None
    return PG


@contextmanager
def pg_schema() -> Iterator[str]:
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def compare(
    name: str,
    template: dict[type[Base], list[dict[str, Any]]],
    urls: dict[int, str],
    homes: dict[int, Path],
    repeat: int,
    statements: Statements,
) -> bool:
    sizes = sorted(urls)
    coaches = {n: person_on(homes[n], TODAY, urls[n]) for n in sizes}
    built = {}
    for n in sizes:
        start = time.perf_counter()
        fill(coaches[n], template, n)
        if urls[n].startswith("postgresql"):
            # What autovacuum does after a bulk load: statistics for the planner, and the
            # visibility map that lets it read from an index alone.
            engine = create_engine(urls[n], isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text("VACUUM ANALYZE"))
            engine.dispose()
        built[n] = time.perf_counter() - start
        with coaches[n].store.scoped() as s:
            count = s.scalar(select(func.count()).select_from(SessionRow))
        assert count == n, f"{count} sessions, wanted {n}"
    print(f"\n{name}: stores built ({', '.join(f'{n}: {built[n]:.1f} s' for n in sizes)})")
    clients = {n: web_client(homes[n], urls[n]) for n in sizes}
    runs: dict[str, dict[int, Measure]] = {
        path: {n: request(clients[n], path, statements) for n in sizes} for path in PATHS
    }
    runs[ENDING] = {n: (lambda c=coaches[n]: end_session(c, statements)) for n in sizes}
    ok = True
    print(f"{'':18}" + "".join(f"{f'{n} sessions':>16}" for n in sizes) + "    ratio  statements")
    for what, by_size in runs.items():
        for measure in by_size.values():
            measure()  # warm: catalogue loaded, connections pooled, templates compiled
        samples: dict[int, list[float]] = {n: [] for n in sizes}
        counts: dict[int, set[int]] = {n: set() for n in sizes}
        for _ in range(repeat if what != ENDING else max(3, repeat // 3)):
            for n in sizes:  # interleaved: the same noise for both sizes
                ms, count = by_size[n]()
                samples[n].append(ms)
                counts[n].add(count)
        medians = {n: statistics.median(samples[n]) for n in sizes}
        ratio = medians[sizes[-1]] / medians[sizes[0]]
        shown = " / ".join(",".join(str(c) for c in sorted(counts[n])) for n in sizes)
        same = all(counts[n] == counts[sizes[0]] for n in sizes)
        good = ratio <= RATIO_TARGET and same
        if what == ENDING:
            good = good and medians[sizes[-1]] < ENDING_TARGET_MS
        ok = ok and good
        print(
            f"{what:18}"
            + "".join(f"{medians[n]:13.2f} ms" for n in sizes)
            + f"   {ratio:5.2f}x  {shown}{'' if good else '   <- over target'}"
        )
    for c in clients.values():
        c.close()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30, help="requests per path and size")
    parser.add_argument("--sizes", default="10,1000", help="past sessions, comma-separated")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    statements = Statements()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        template_home = root / "template"
        template_home.mkdir()
        start = time.perf_counter()
        make_template(template_home)
        template = read_template(template_home)
        print(
            f"template: {len(template[SessionRow])} real sessions in "
            f"{time.perf_counter() - start:.1f} s; ratio target {RATIO_TARGET}x, ending a "
            f"session under {ENDING_TARGET_MS:g} ms at {max(sizes)}"
        )
        homes = {n: root / f"home-{n}" for n in sizes}
        for home in homes.values():
            home.mkdir()
        urls = {n: f"sqlite:///{homes[n] / 'backcoach.db'}" for n in sizes}
        ok = compare("SQLite", template, urls, homes, args.repeat, statements) and ok
        if not args.no_postgres and pg_url() is not None:
            pg_homes = {n: root / f"pg-home-{n}" for n in sizes}
            for home in pg_homes.values():
                home.mkdir()
            with ExitStack() as stack:
                pg_urls = {n: stack.enter_context(pg_schema()) for n in sizes}
                ok = (
                    compare("PostgreSQL", template, pg_urls, pg_homes, args.repeat, statements)
                    and ok
                )
        elif not args.no_postgres:
            print("\nPostgreSQL: not reachable at 127.0.0.1:5432; skipped")
    print("\nall within target" if ok else "\nsome figures are over target")


if __name__ == "__main__":
    main()
