"""A real `backcoach worker` process on PostgreSQL (a private schema) runs the jobs the web app
defers through procrastinate, retries a job whose first attempt fails, and stops cleanly on
SIGTERM; on SQLite it refuses with the reason."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from backcoach.records.tables import DocumentRow
from backcoach.web.app import create_app
from tests.conftest import BACKCOACH, run_cli
from tests.dbfixtures import pg_schema_url
from tests.web.conftest import ALL_NO, TODAY, csrf_client, make_settings

DEADLINE_S = 120.0
"""Bound on any wait for the worker (a PDF takes about a second; the machine is shared)."""
RETRIES = text("SELECT count(*) FROM procrastinate_events WHERE type = 'deferred_for_retry'")


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


@pytest.fixture
def api(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The web app on the private schema, deferring jobs to procrastinate (the default on
    PostgreSQL), ready to exercise."""
    monkeypatch.delenv("BACKCOACH_JOBS", raising=False)
    app = create_app(make_settings(tmp_path / "home", pg_url))
    client = csrf_client(app)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert client.put("/api/profile", json={"minutes": 10}).status_code == 200
    yield client
    app.state.app_context.jobs.close()


def worker_env(home: Path, pg_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(BACKCOACH_HOME=str(home), BACKCOACH_DATABASE_URL=pg_url, BACKCOACH_TODAY=TODAY)
    return env


@pytest.fixture
def start_worker(tmp_path: Path, pg_url: str) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [BACKCOACH, "worker"],
            env=worker_env(tmp_path / "home", pg_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def wait_until(check: Callable[[], Any], what: str, proc: subprocess.Popen[str]) -> Any:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if proc.poll() is not None:
            pytest.fail(f"the worker stopped (exit {proc.returncode}): {proc.stdout.read()}")  # type: ignore[union-attr]
        time.sleep(0.1)
    pytest.fail(f"no {what} within {DEADLINE_S} s")


def stop(proc: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager stops it: the worker finishes and exits 0."""
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    return output


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_makes_the_report_the_web_app_asked_for(
    api: TestClient, start_worker: Callable[[], subprocess.Popen[str]]
) -> None:
    asked = api.post("/api/documents", json={"kind": "report"})
    assert asked.status_code == 202, asked.text
    doc = asked.json()
    assert doc["status"] == "queued", "on PostgreSQL the web app only queues the job"
    early = api.get(f"/api/documents/{doc['id']}/pdf")
    assert early.status_code == 409 and early.json()["detail"]["code"] == "document-not-ready"

    worker = start_worker()
    status = f"/api/documents/{doc['id']}"
    wait_until(lambda: api.get(status).json()["status"] == "done", "finished report", worker)
    pdf = api.get(f"{status}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) == api.get(status).json()["size"]

    # the page's link waits for the running worker and answers with the PDF itself
    direct = api.get("/api/handout.pdf")
    assert direct.status_code == 200 and direct.content.startswith(b"%PDF")
    assert "running jobs until stopped" in stop(worker)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_job_that_fails_once_is_retried_into_one_document(
    api: TestClient, pg_url: str, start_worker: Callable[[], subprocess.Popen[str]]
) -> None:
    doc = api.post("/api/documents", json={"kind": "report"}).json()
    engine = create_engine(pg_url)
    try:
        with engine.connect() as holder, engine.connect() as watcher:
            # Another transaction holds the document's row: the job's first attempt cannot
            # claim it (a real lock error) and goes back to the queue for a retry.
            holder.execute(
                text("SELECT id FROM documents WHERE id = :id FOR UPDATE"), {"id": doc["id"]}
            )
            worker = start_worker()

            def retried() -> bool:
                events = watcher.execute(RETRIES).scalar_one()
                watcher.rollback()
                return bool(events)

            wait_until(retried, "retry", worker)
            holder.rollback()  # let go: the retry can claim it now

        status = f"/api/documents/{doc['id']}"
        wait_until(lambda: api.get(status).json()["status"] == "done", "retried report", worker)
        query = text("SELECT status FROM procrastinate_jobs WHERE task_name = 'make-document'")

        def job_states() -> list[str]:
            with engine.connect() as conn:
                return list(conn.execute(query).scalars().all())

        # The document is done inside the job; the queue marks the job a moment later.
        wait_until(lambda: job_states() != ["doing"], "the job's end", worker)
        jobs = job_states()
        with engine.connect() as conn:
            retries = conn.execute(RETRIES).scalar_one()
    finally:
        engine.dispose()
    assert jobs == ["succeeded"] and retries == 1
    store = api.app.state.app_context.person().store  # type: ignore[attr-defined]
    with store.reading() as s:
        documents = s.scalars(select(DocumentRow)).all()
    assert [(d.id, d.status, d.attempts) for d in documents] == [(doc["id"], "done", 1)]
    assert api.get(f"{status}/pdf").content.startswith(b"%PDF")
    stop(worker)


@pytest.mark.postgres
def test_once_runs_the_waiting_jobs_then_stops(
    api: TestClient, tmp_path: Path, pg_url: str
) -> None:
    ids = [api.post("/api/documents", json={"kind": k}).json()["id"] for k in ("report", "handout")]
    done = subprocess.run(
        [BACKCOACH, "worker", "--once"],
        env=worker_env(tmp_path / "home", pg_url),
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [api.get(f"/api/documents/{i}").json()["status"] for i in ids] == ["done", "done"]


def test_the_worker_refuses_sqlite_and_says_why(tmp_path: Path) -> None:
    refused = run_cli("worker", home=tmp_path)
    assert refused.returncode == 2
    assert "SQLite (personal mode)" in refused.stderr and "no worker is needed" in refused.stderr
    assert "Traceback" not in refused.stderr
    bad = run_cli("worker", home=tmp_path, BACKCOACH_JOBS="soon")
    assert bad.returncode == 2 and "BACKCOACH_JOBS='soon' is not a job queue" in bad.stderr
