"""The clinic's daily work on real `backcoach worker` processes and PostgreSQL: procrastinate's
periodic tasks defer each day's digests (one ``prepare-digest`` per clinician in use, none
beside one already waiting) and the pruning of the sign-in counters. A worker starting after
the day's tick still defers it, and two workers starting together defer it once between
them."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text, update

from backcoach.clinic import Clinic, throttle
from backcoach.clinic.settings import ClinicSettings
from backcoach.jobs import daily
from backcoach.jobs.pgqueue import build_app, ensure_schema
from backcoach.records.db import open_database
from backcoach.records.tables import AccountRow, AuthThrottleRow
from tests.clinic.conftest import FAST, PASSWORD, START, Clock
from tests.jobs.test_worker import pg_url, start_worker, stop, wait_until  # noqa: F401

# pg_url and start_worker are test_worker's fixtures: a private schema, real worker processes.

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

JOBS = text(
    "SELECT task_name, args, status FROM procrastinate_jobs "
    "WHERE task_name <> 'retry-stalled-jobs' ORDER BY id"
)
DEFERS = text(
    "SELECT task_name, defer_timestamp FROM procrastinate_periodic_defers "
    "WHERE task_name <> 'retry-stalled-jobs'"
)


def clinic_on(url: str) -> tuple[Any, dict[str, int]]:
    """Two clinicians in use (Ana: two patients, Ben: one) and a disabled one, whose patients
    joined ten days before the workers' day (BACKCOACH_TODAY) and never exercised."""
    from backcoach.clinic.passwords import Hasher

    factory = open_database(url)
    clock = Clock(START - dt.timedelta(days=10))
    clinic = Clinic(factory, settings=ClinicSettings(), clock=clock, hasher=Hasher(FAST))
    ids = {}
    for email, name in (("ana@x.org", "Ana"), ("ben@x.org", "Ben"), ("cy@x.org", "Cy")):
        ids[name] = clinic.add_clinician(email=email, name=name, password=PASSWORD)
    clinic.add_patient(name="Alma", birth_year=1970, clinician_email="ana@x.org")
    clinic.add_patient(name="Carl", birth_year=1971, clinician_email="ana@x.org")
    ids["Bruno"] = clinic.add_patient(
        name="Bruno", birth_year=1972, clinician_email="ben@x.org"
    ).patient_id
    with factory.begin() as db:
        db.execute(
            update(AccountRow).where(AccountRow.person_id == ids["Cy"]).values(disabled_at=START)
        )
        throttle.fail(db, throttle.ACCOUNT, "over@x.org", START - dt.timedelta(days=2))
        throttle.fail(db, throttle.ACCOUNT, "live@x.org", START + dt.timedelta(days=1))
    return factory, ids


def test_the_daily_tasks_run_once_for_the_day_on_two_workers(
    pg_url: str,  # noqa: F811
    start_worker: Callable[[], subprocess.Popen[str]],  # noqa: F811
) -> None:
    factory, ids = clinic_on(pg_url)
    ensure_schema(factory.kw["bind"])
    early = build_app(pg_url).open()
    try:  # Ana's digest waits already (as a retry waits its turn): no second one beside it
        waiting = early.configure_task(
            "prepare-digest", queueing_lock=daily.digest_lock(ids["Ana"]), schedule_in={"hours": 1}
        )
        waiting.defer(clinician_id=ids["Ana"])
    finally:
        early.close()
    workers = [start_worker(), start_worker()]  # both defer the day's tasks as they start
    engine = create_engine(pg_url)

    def rows(query: Any) -> list[Any]:
        with engine.connect() as conn:
            return list(conn.execute(query).all())

    def flags() -> list[Any]:
        return rows(text("SELECT patient_id, kind, event_key FROM clinic_flags"))

    def throttles() -> list[str]:
        with factory() as db:
            return sorted(str(r.scope) for r in db.query(AuthThrottleRow))

    def settled() -> bool:
        jobs = rows(JOBS)
        done = [j for j in jobs if j[2] in ("succeeded", "failed")]
        return len(done) >= 3 and len(done) == len(jobs) - 1  # all but Ana's waiting one

    try:
        wait_until(settled, "the day's digests done", workers[0])
        time.sleep(2)  # a second deferral (there must be none) would show by now
        jobs, defers = rows(JOBS), rows(DEFERS)
    finally:
        outputs = [stop(worker) for worker in workers]
        engine.dispose()
    now = time.time()
    tick = (now - 5 * 3600) // 86400 * 86400 + 5 * 3600  # the latest 05:00 UTC
    assert sorted(defers) == [
        (daily.DAILY_DIGESTS, tick),
        (daily.PRUNE_THROTTLES, tick),
    ], "deferred once for the day, though two workers started"
    by_task = sorted((name, args.get("clinician_id"), status) for name, args, status in jobs)
    assert by_task == [
        (daily.DAILY_DIGESTS, None, "succeeded"),
        ("prepare-digest", ids["Ana"], "todo"),
        ("prepare-digest", ids["Ben"], "succeeded"),
        (daily.PRUNE_THROTTLES, None, "succeeded"),
    ], "one digest for each clinician in use (Ana's the one waiting), none for the disabled"
    assert flags() == [(ids["Bruno"], "no-session", "quiet:never")], "Ben's digest ran"
    assert len(throttles()) == 1, "the counter that was over is pruned, the live one kept"
    assert all("Traceback" not in out for out in outputs), outputs
