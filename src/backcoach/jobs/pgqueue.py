"""The procrastinate queue on the app's own PostgreSQL (clinic mode, several processes).

The web app defers jobs (``ProcrastinateQueue.submit``); `backcoach worker` runs them
(``run_worker``), on this machine or any other that reaches the database. procrastinate keeps
the jobs in tables beside the app's (``procrastinate_jobs``, ...), in the same schema: the
URL's ``search_path`` if it names one. ``ensure_schema`` creates them once, under an advisory
lock so that many processes starting together create them once.

Retries: a failed job is tried again after 2 s and 4 s (``registry.RETRIES``); a job left
"doing" by a worker that died (no heartbeat) is handed back to the queue by a periodic task.
Two more periodic tasks run once a day (``jobs.daily``): the clinicians' digests and pruning
the sign-in attempt counters.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from backcoach.jobs import daily
from backcoach.jobs.digest import PREPARE_DIGEST
from backcoach.jobs.registry import JOBS, RETRIES, RETRY_WAIT_S, attempt
from backcoach.jobs.workplace import Workplace

log = logging.getLogger(__name__)

QUEUE = "backcoach"
"""The one procrastinate queue backcoach's jobs go on (and its workers listen to)."""

SCHEMA_LOCK = 724_302
"""Advisory-lock key for creating procrastinate's tables (records.db uses 724_301)."""

WORKPLACE = "workplace"
"""Key of the worker's ``Workplace`` in the jobs' context."""

STALLED_CHECK = "*/1 * * * *"
"""Every minute, jobs of workers silent for 30 s (procrastinate's heartbeat timeout) are
handed back to the queue."""


def conninfo(database_url: str) -> str:
    """A libpq connection string from the app's SQLAlchemy URL, keeping its query options
    (``options=-csearch_path=...``, ``sslmode``, ...)."""
    from psycopg.conninfo import make_conninfo

    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(
            f"the job queue needs PostgreSQL; BACKCOACH_DATABASE_URL is {url.get_backend_name()}"
        )
    parts: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    for key, value in url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    return make_conninfo("", **{k: v for k, v in parts.items() if v is not None})


def build_app(database_url: str, pool_size: int = 4) -> procrastinate.App:
    """A procrastinate App on the database with every job of ``registry.JOBS`` as a task."""
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(database_url), min_size=1, max_size=pool_size
    )
    app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": daily.CATCH_UP_S})
    retry = procrastinate.RetryStrategy(max_attempts=RETRIES, exponential_wait=RETRY_WAIT_S)
    for name in JOBS:
        app.task(name=name, queue=QUEUE, retry=retry, pass_context=True)(_runner(name))

    async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
        manager = context.app.job_manager
        for job in await manager.get_stalled_jobs(queue=QUEUE):
            log.warning("job %s was left running by a worker that stopped; retrying it", job.id)
            await manager.retry_job(job)

    task = app.task(
        name="retry-stalled-jobs",
        queue=QUEUE,
        queueing_lock="retry-stalled-jobs",
        pass_context=True,
    )(retry_stalled_jobs)
    app.periodic(cron=STALLED_CHECK, periodic_id="retry-stalled-jobs")(task)

    async def daily_digests(context: JobContext, timestamp: int) -> None:
        workplace: Workplace = context.additional_context[WORKPLACE]
        deferred = 0
        for clinician_id in await asyncio.to_thread(daily.clinicians_due, workplace):
            deferrer = context.app.configure_task(
                PREPARE_DIGEST, allow_unknown=False, queueing_lock=daily.digest_lock(clinician_id)
            )
            try:
                await deferrer.defer_async(clinician_id=clinician_id)
                deferred += 1
            except procrastinate.exceptions.AlreadyEnqueued:
                pass  # that clinician's digest is waiting already
        log.info("daily digests for %s: %s clinicians", timestamp, deferred)

    def prune_throttles(context: JobContext, timestamp: int) -> None:
        daily.prune_throttles(context.additional_context[WORKPLACE])

    for name, function in (
        (daily.DAILY_DIGESTS, daily_digests),
        (daily.PRUNE_THROTTLES, prune_throttles),
    ):
        daily_task = app.task(
            name=name, queue=QUEUE, retry=retry, queueing_lock=name, pass_context=True
        )(function)
        app.periodic(cron=daily.DAILY_CRON, periodic_id=name)(daily_task)
    return app


def _runner(name: str) -> Any:
    def run(context: JobContext, **args: Any) -> None:
        workplace: Workplace = context.additional_context[WORKPLACE]
        attempt(name, workplace, args, last=context.job.attempts >= RETRIES)

    run.__name__ = run.__qualname__ = name.replace("-", "_")
    return run


def ensure_schema(engine: Engine) -> bool:
    """Create procrastinate's tables in the database unless they are there; True when made.
    Safe with many processes at once (an advisory lock, and the check made under it)."""
    from procrastinate.schema import SchemaManager

    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            conn.commit()
            return False
        # psycopg's own execute: the schema holds several statements and literal % signs.
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute(SchemaManager.get_schema())
        conn.commit()
    return True


class ProcrastinateQueue:
    """Defers jobs to procrastinate; opened (a small connection pool, the schema checked) on
    the first job, so a process that never hands over a job never connects for it."""

    name = "queue"

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._app: procrastinate.App | None = None
        self._lock = threading.Lock()

    def _opened(self) -> procrastinate.App:
        with self._lock:
            if self._app is None:
                from backcoach.records.db import make_engine

                engine = make_engine(self.database_url)
                try:
                    ensure_schema(engine)
                finally:
                    engine.dispose()
                self._app = build_app(self.database_url).open()
            return self._app

    def submit(self, job: str, **args: int | str) -> None:
        if job not in JOBS:
            raise KeyError(f"no job named {job!r}")
        self._opened().configure_task(job, allow_unknown=False).defer(**args)

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None


def run_worker(workplace: Workplace, *, concurrency: int = 1, wait: bool = True) -> None:
    """Run jobs from the queue until stopped (SIGINT, SIGTERM: the running jobs finish first),
    or, with ``wait=False``, until no job is left to start."""
    from backcoach.records.db import make_engine

    engine = make_engine(workplace.settings.database_url)
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()
    app = build_app(workplace.settings.database_url, pool_size=concurrency + 4)
    app.run_worker(
        queues=[QUEUE],
        concurrency=concurrency,
        wait=wait,
        name="backcoach",
        additional_context={WORKPLACE: workplace},
        install_signal_handlers=True,
    )
