"""The job queue: where a job handed over runs.

- ``InProcessQueue``: in the calling thread, at once, with the same bounded attempts. Personal
  mode (SQLite) uses it: no queue service, and the page gets its PDF in the same request.
- ``jobs.pgqueue.ProcrastinateQueue``: procrastinate on the app's own PostgreSQL; any number
  of `backcoach worker` processes, on any machine that reaches the database, run the jobs.

``queue_for`` picks one from the settings: PostgreSQL means procrastinate, SQLite in-process;
``BACKCOACH_JOBS=in-process`` runs jobs in the web process on PostgreSQL too (a small clinic
without a worker).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Protocol

from backcoach.jobs.registry import JOBS, RETRIES, attempt
from backcoach.jobs.workplace import Workplace

log = logging.getLogger(__name__)

JOBS_VARIABLE = "BACKCOACH_JOBS"
IN_PROCESS = "in-process"
QUEUE = "queue"
CHOICES = (IN_PROCESS, QUEUE)


class JobQueue(Protocol):
    name: str

    def submit(self, job: str, **args: int | str) -> None:
        """Hand over job ``job`` with its ids; raises when the queue cannot take it."""

    def close(self) -> None:
        """Let go of connections (at the end of the process)."""


class InProcessQueue:
    """Runs each job at once in the caller's thread: up to ``1 + RETRIES`` attempts, back to
    back (a transient fault on one machine's SQLite clears at once or not at all). After the
    last failed attempt the job has given up (its record says so) and nothing is raised: the
    caller reads the outcome from the record, as it would from a worker's."""

    name = IN_PROCESS

    def __init__(self, workplace: Workplace) -> None:
        self.workplace = workplace

    def submit(self, job: str, **args: int | str) -> None:
        if job not in JOBS:
            raise KeyError(f"no job named {job!r}")
        for number in range(RETRIES + 1):
            try:
                attempt(job, self.workplace, args, last=number == RETRIES)
                return
            except Exception:
                log.exception("job %s %s failed (attempt %d)", job, args, number + 1)

    def close(self) -> None:
        pass


def queue_choice(database_url: str, environ: Mapping[str, str] | None = None) -> str:
    """``in-process`` or ``queue``: BACKCOACH_JOBS when set, else from the database. ValueError
    naming the variable and the fix for a value that is not one of them, or ``queue`` on
    SQLite (procrastinate needs PostgreSQL)."""
    env = os.environ if environ is None else environ
    raw = env.get(JOBS_VARIABLE, "").strip()
    sqlite = database_url.startswith("sqlite")
    if not raw:
        return IN_PROCESS if sqlite else QUEUE
    if raw not in CHOICES:
        raise ValueError(
            f"{JOBS_VARIABLE}={raw!r} is not a job queue; write {JOBS_VARIABLE}=in-process or "
            f"{JOBS_VARIABLE}=queue, or unset it (PostgreSQL: queue; SQLite: in-process)"
        )
    if raw == QUEUE and sqlite:
        raise ValueError(
            f"{JOBS_VARIABLE}=queue needs PostgreSQL (BACKCOACH_DATABASE_URL=postgresql://...); "
            "on SQLite jobs run in-process: unset it"
        )
    return raw


def queue_for(workplace: Workplace, environ: Mapping[str, str] | None = None) -> JobQueue:
    """The queue the settings ask for (see ``queue_choice``)."""
    if queue_choice(workplace.settings.database_url, environ) == IN_PROCESS:
        return InProcessQueue(workplace)
    from backcoach.jobs.pgqueue import ProcrastinateQueue

    return ProcrastinateQueue(workplace.settings.database_url)
