"""A clinic with a long history, made fast: one clinician, N patients (added by the clinic's
own code, as `backcoach clinic add-patient` does, in one transaction), and for each a year
(``weeks``) of records written straight into the real tables with PostgreSQL's COPY: a clear
screen, a profile, about three sessions a week (a plan each, five exercises of two sets, pain
before, after each exercise and after, ratings, the odd stop rule, a progression decision),
and flags for the recent high pain reports and the patients who stopped coming. Rows carry
their owner (``person_id``) exactly as the store would write them, so the app reads them as
its own.

Used by bench/clinic_patients.py; 500 patients and 52 weeks are about 1.8 million rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

EMAIL = "ana@bench.example.org"
PASSWORD = "a long and unusual clinic password 7"
EXERCISES = (
    "cat-cow",
    "pelvic-tilt",
    "bridge",
    "bird-dog",
    "knee-rolls",
    "childs-pose",
    "knee-to-chest-single",
    "side-lying-clam",
    "prone-on-elbows",
    "towel-hamstring-stretch",
)
WEEKDAY_SETS = ((0, 2, 4), (1, 3, 5), (0, 3, 5), (0, 2, 4, 6))
"""Each patient's exercise days (Monday 0): about three sessions a week."""
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST = ("Alma", "Bruno", "Carl", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea")
LAST = ("Quist", "Vey", "Dunn", "Okafor", "Silva", "Chen", "Berg", "Moreau", "Ito", "Novak")


@dataclass
class Built:
    clinician_id: int
    patient_ids: list[int]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent adding the people, making the rows, copying them in, and analysing."""


class Ids:
    """The next id of each table (the schema is new, so ids start at 1)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


COLUMNS = {
    "screens": "id person_id taken_at taken_on tier flags unanswered answers advice",
    "profile": "id person_id data updated_at",
    "plans": "id person_id for_date created_at flare_up data",
    "sessions": "id person_id plan_id started_at ended_at status mode pain_before pain_after",
    "set_logs": "id person_id session_id item_index exercise_id set_number side target_reps "
    "reps target_hold_seconds hold_seconds finished_at source faults complete",
    "exercise_outcomes": "id person_id session_id item_index exercise_id outcome rating "
    "details recorded_at",
    "pain_reports": "id person_id session_id item_index exercise_id moment score sharp "
    "spreading numbness decision reported_at",
    "progression_decisions": "id person_id decided_at session_id exercise_id action dose "
    "reason decided_on",
    "clinic_flags": "id patient_id kind event_key happened_at summary raised_at "
    "acknowledged_at acknowledged_by",
}


PLAIN_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname = %(table)s AND t.relnamespace = current_schema()::regnamespace
  AND NOT i.indisprimary AND NOT i.indisunique
"""


def build(url: str, patients: int, weeks: int, now: dt.datetime, seed: int = 14) -> Built:
    """The clinic on the (migrated on opening) database at ``url``."""
    from backcoach.clinic import accounts
    from backcoach.clinic.service import Clinic
    from backcoach.clinic.settings import ClinicSettings
    from backcoach.records.db import open_database

    began = time.perf_counter()
    factory = open_database(url)
    joined = now - dt.timedelta(weeks=weeks)
    clinic = Clinic(factory, settings=ClinicSettings(), clock=lambda: joined)
    clinician = clinic.add_clinician(email=EMAIL, name="Ana Bench", password=PASSWORD)
    ids = []
    with factory.begin() as db:  # Clinic.add_patient's own steps, in one transaction
        account, _ = accounts.staff_by_email(db, EMAIL)
        for n in range(patients):
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
            invite = accounts.add_patient(
                db, name=name, birth_year=1940 + n % 60, clinician=account, now=joined
            )
            ids.append(invite.patient_id)
    built = Built(clinician, ids)
    built.phases["people"] = time.perf_counter() - began
    tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    rng = random.Random(seed)
    next_id = Ids()
    for pid in ids:
        _patient(tables, next_id, rng, pid, clinician, now, weeks)
    built.phases["rows made"] = time.perf_counter() - began - sum(built.phases.values())
    engine = factory.kw["bind"]
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor:
            # The rows are made whole here (every reference points at a row made with it), so
            # the per-row foreign-key triggers are skipped for the load, as pg_restore does.
            cursor.execute("SET session_replication_role = replica")
            for name, rows in tables.items():
                # Its plain indexes are made again after the rows are in, at once (much faster
                # than one row at a time, as pg_restore does); unique ones stay and check.
                cursor.execute(PLAIN_INDEXES, {"table": name})
                plain = cursor.fetchall()
                for index, _ in plain:
                    cursor.execute(f'DROP INDEX "{index}"')
                _copy(cursor, name, COLUMNS[name].split(), rows)
                for _, definition in plain:
                    cursor.execute(definition)
                built.rows[name] = len(rows)
            for name in COLUMNS:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
                )
        driver.commit()
    finally:
        raw.close()
    built.phases["copied in"] = time.perf_counter() - began - sum(built.phases.values())
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    built.phases["analysed"] = time.perf_counter() - began - sum(built.phases.values())
    engine.dispose()
    built.seconds = time.perf_counter() - began
    return built


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _j(value: Any) -> str:
    return json.dumps(value)


def _patient(
    t: dict[str, list[tuple[Any, ...]]],
    next_id: Ids,
    rng: random.Random,
    pid: int,
    clinician: int,
    now: dt.datetime,
    weeks: int,
) -> None:
    start = now - dt.timedelta(weeks=weeks)
    days = rng.choice(WEEKDAY_SETS)
    t["screens"].append(
        (next_id("screens"), pid, start, start.date(), "clear", "[]", "[]", "{}", "No signs.")
    )
    profile = {"minutes": 15, "days": [DAY_NAMES[d] for d in days], "goals": ["relief"]}
    t["profile"].append((next_id("profile"), pid, _j(profile), start))
    lapsed = rng.random() < 0.1  # stopped coming 10-20 days ago
    until = now - dt.timedelta(days=rng.randint(10, 20)) if lapsed else now
    pain = rng.randint(2, 5)
    exercises = rng.sample(EXERCISES, 5)
    day = start.date() + dt.timedelta(days=1)
    last_session = None
    while day < until.date():
        if day.weekday() in days and rng.random() < 0.85:
            at = dt.datetime.combine(day, dt.time(17, rng.randint(0, 59)), dt.UTC)
            last_session = _session(t, next_id, rng, pid, clinician, now, at, pain, exercises)
            if rng.random() < 0.05:
                pain = max(0, min(10, pain + rng.choice((-1, -1, 1))))
        day += dt.timedelta(days=1)
    if lapsed:
        key = f"quiet:after-session:{last_session}" if last_session else "quiet:never"
        t["clinic_flags"].append(
            (
                next_id("clinic_flags"),
                pid,
                "no-session",
                key,
                until,
                "No session since",
                until,
                None,
                None,
            )
        )


def _session(
    t: dict[str, list[tuple[Any, ...]]],
    next_id: Ids,
    rng: random.Random,
    pid: int,
    clinician: int,
    now: dt.datetime,
    at: dt.datetime,
    pain: int,
    exercises: Sequence[str],
) -> int:
    plan = next_id("plans")
    t["plans"].append(
        (
            plan,
            pid,
            at.date(),
            at,
            False,
            _j({"date": str(at.date()), "total_seconds": 900.0, "items": []}),
        )
    )
    sid = next_id("sessions")
    before = max(0, min(10, pain + rng.randint(-1, 1)))
    after = max(0, before + rng.randint(-2, 1))
    moment = at
    stopped_any = False
    for item, exercise in enumerate(exercises):
        for number in (1, 2):
            moment += dt.timedelta(seconds=70)
            reps = rng.randint(6, 10)
            t["set_logs"].append(
                (
                    next_id("set_logs"),
                    pid,
                    sid,
                    item,
                    exercise,
                    number,
                    "both",
                    8,
                    reps,
                    None,
                    None,
                    moment,
                    "timer",
                    "[]",
                    True,
                )
            )
        score = max(0, min(10, before + rng.choices((-1, 0, 1, 4), (2, 6, 2, 0.1))[0]))
        stopped = score >= 7 or rng.random() < 0.01
        stopped_any |= stopped
        rating = rng.choices(("about-right", "too-easy", "too-hard"), (8, 1, 1))[0]
        details = {"reasons": [f"pain {score}/10"]} if stopped else {}
        t["exercise_outcomes"].append(
            (
                next_id("exercise_outcomes"),
                pid,
                sid,
                item,
                exercise,
                "stopped" if stopped else "finished",
                rating,
                _j(details),
                moment,
            )
        )
        rid = next_id("pain_reports")
        t["pain_reports"].append(
            (
                rid,
                pid,
                sid,
                item,
                exercise,
                "after-exercise",
                score,
                False,
                False,
                False,
                "{}",
                moment,
            )
        )
        if score >= 7 and now - moment < dt.timedelta(days=30):
            seen = moment + dt.timedelta(days=1) if now - moment > dt.timedelta(days=7) else None
            t["clinic_flags"].append(
                (
                    next_id("clinic_flags"),
                    pid,
                    "high-pain",
                    f"pain:{rid}",
                    moment,
                    f"Pain {score}/10 (after-exercise)",
                    moment,
                    seen,
                    clinician if seen else None,
                )
            )
    for moment_name, score, when in (("before", before, at), ("after-session", after, moment)):
        t["pain_reports"].append(
            (
                next_id("pain_reports"),
                pid,
                sid,
                None,
                None,
                moment_name,
                score,
                False,
                False,
                False,
                "{}",
                when,
            )
        )
    status = "stopped" if stopped_any and rng.random() < 0.3 else "finished"
    t["sessions"].append((sid, pid, plan, at, moment, status, "web", before, after))
    action = rng.choice(("same", "same", "more"))
    t["progression_decisions"].append(
        (
            next_id("progression_decisions"),
            pid,
            moment,
            sid,
            exercises[0],
            action,
            "{}",
            f"{action}: rated about right",
            moment.date(),
        )
    )
    return sid
