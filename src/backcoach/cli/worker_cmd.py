"""`backcoach worker`: run the jobs (report and handout PDFs, ...) from the queue on
PostgreSQL. Start as many as needed, on any machine that reaches the database."""

from __future__ import annotations

from typing import Annotated

import typer


def worker(
    concurrency: Annotated[
        int,
        typer.Option(min=1, max=32, help="Jobs run at once by this worker (threads)."),
    ] = 1,
    once: Annotated[
        bool,
        typer.Option("--once", help="Run the jobs waiting now, then stop (for scripts and cron)."),
    ] = False,
) -> None:
    """Run backcoach's jobs from the queue on PostgreSQL until stopped (Ctrl-C or SIGTERM
    let the running jobs finish first). Not needed in personal mode: on SQLite jobs run inside
    the app itself."""
    import logging

    from backcoach.cli.common import console, fail
    from backcoach.config import Settings
    from backcoach.jobs.queue import IN_PROCESS, JOBS_VARIABLE, queue_choice

    try:
        settings = Settings.from_environ()
        choice = queue_choice(settings.database_url)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if settings.is_sqlite:
        raise fail(
            "backcoach worker runs jobs from the queue on PostgreSQL, and this backcoach uses "
            "SQLite (personal mode), where jobs run inside the app and the commands "
            "themselves: no worker is needed. For a clinic, set "
            "BACKCOACH_DATABASE_URL=postgresql://USER@HOST/DATABASE"
        )
    if choice == IN_PROCESS:
        raise fail(
            f"{JOBS_VARIABLE}=in-process: the web app runs jobs itself, so this worker would "
            f"get none; unset {JOBS_VARIABLE} to use the queue"
        )
    from sqlalchemy.exc import OperationalError

    from backcoach.jobs.pgqueue import QUEUE, run_worker
    from backcoach.jobs.workplace import Workplace

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("backcoach").setLevel(logging.INFO)
    try:
        workplace = Workplace.for_worker(settings)
    except OperationalError as exc:
        raise fail(
            f"cannot reach the database ({str(exc.orig).strip().splitlines()[0]}); check "
            "BACKCOACH_DATABASE_URL and that PostgreSQL is running"
        ) from None
    what = "the jobs waiting now" if once else "jobs until stopped (Ctrl-C)"
    console.print(f"backcoach worker: running {what} from queue '{QUEUE}'.")
    run_worker(workplace, concurrency=concurrency, wait=not once)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    app.command("worker")(worker)
