"""Documents as jobs in personal mode: made in-process with no queue service, person-scoped,
idempotent, bounded in number, left out of export and deleted by forget."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.app import AppContext
from backcoach.jobs.documents import DOCUMENTS_KEPT, make_document, request_document
from backcoach.jobs.queue import InProcessQueue, queue_choice
from backcoach.jobs.workplace import Workplace
from backcoach.records.store import Store
from backcoach.records.tables import DocumentRow, PersonRow
from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, csrf_client, make_settings

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def api(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app on each database, jobs in-process (the default on SQLite; asked for on
    PostgreSQL), ready to exercise."""
    monkeypatch.setenv("BACKCOACH_JOBS", "in-process")
    client = csrf_client(create_app(make_settings(tmp_path / "home", db_url)))
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert client.put("/api/profile", json={"minutes": 10}).status_code == 200
    return client


def context(client: TestClient) -> AppContext:
    found: AppContext = client.app.state.app_context  # type: ignore[attr-defined]
    return found


def workplace(client: TestClient) -> Workplace:
    app = context(client)
    return Workplace(app.settings, app.database, lambda: app.catalogue)


def rows(client: TestClient) -> list[DocumentRow]:
    with context(client).person().store.reading() as s:
        return list(s.scalars(select(DocumentRow).order_by(DocumentRow.id)))


@pytest.mark.slow
def test_a_report_is_made_in_process_and_downloads(api: TestClient) -> None:
    asked = api.post("/api/documents", json={"kind": "report"})
    assert asked.status_code == 202, asked.text
    doc = asked.json()
    assert doc["status"] == "done" and doc["kind"] == "report" and doc["size"] > 1000
    assert asked.headers["location"] == f"/api/documents/{doc['id']}"
    assert api.get(f"/api/documents/{doc['id']}").json()["status"] == "done"
    pdf = api.get(f"/api/documents/{doc['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) == doc["size"]
    assert 'filename="backcoach-report.pdf"' in pdf.headers["content-disposition"]
    assert pdf.headers["cache-control"] == "no-store"
    # the page's link: the same job, answered with the PDF in the same request
    direct = api.get("/api/report.pdf")
    assert direct.status_code == 200 and direct.content.startswith(b"%PDF")
    assert [r.status for r in rows(api)] == ["done", "done"]


def test_a_refused_handout_is_a_failed_document_with_the_plan_code(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKCOACH_JOBS", "in-process")
    api = csrf_client(create_app(make_settings(tmp_path / "home", db_url)))  # no screen yet
    doc = api.post("/api/documents", json={"kind": "handout"}).json()
    assert doc["status"] == "failed" and doc["error_code"].startswith("plan-refused:")
    assert doc["attempts"] == 1, "a refusal is the person's to fix: never retried"
    refused = api.get(f"/api/documents/{doc['id']}/pdf")
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == doc["error_code"]
    assert "warning-sign questions" in refused.json()["detail"]["message"]


def test_bad_kinds_and_unknown_ids_are_named(api: TestClient) -> None:
    bad = api.post("/api/documents", json={"kind": "invoice"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "kind"
    assert api.get("/api/documents/999").status_code == 404
    assert api.get("/api/documents/999/pdf").json()["detail"]["code"] == "no-such-document"


def test_another_persons_document_is_a_404(api: TestClient) -> None:
    factory = context(api).database
    with factory.begin() as s:
        s.add(PersonRow(id=2, created_at=NOW))
    theirs = Store(factory, person_id=2)
    with theirs.scoped() as s:
        s.add(DocumentRow(kind="report", status="done", content=b"%PDF theirs", created_at=NOW))
        s.flush()
    with factory() as s:
        s.info["backcoach.unscoped"] = True
        their_id = s.scalar(select(DocumentRow.id).where(DocumentRow.person_id == 2))
    assert api.get(f"/api/documents/{their_id}").status_code == 404
    assert api.get(f"/api/documents/{their_id}/pdf").status_code == 404


def test_a_job_run_twice_leaves_one_document(api: TestClient) -> None:
    store = context(api).person().store
    doc = request_document(store, _Holding(), "handout", NOW)
    assert doc.status == "queued"
    with store.scoped() as s:  # what a run killed half-way leaves behind
        row = s.scalars(select(DocumentRow)).one()
        row.status, row.attempts = "running", 1
    make_document(workplace(api), person_id=1, document_id=doc.id)  # the retry
    first = rows(api)
    assert len(first) == 1 and first[0].status == "done" and first[0].attempts == 2
    make_document(workplace(api), person_id=1, document_id=doc.id)  # a second delivery
    again = rows(api)
    assert len(again) == 1 and again[0].attempts == 2 and again[0].size == first[0].size


def test_old_documents_are_pruned_and_export_and_forget_treat_them_as_derived(
    api: TestClient,
) -> None:
    queue = InProcessQueue(workplace(api))
    for _ in range(DOCUMENTS_KEPT + 2):
        request_document(context(api).person().store, queue, "handout", NOW)
    assert len(rows(api)) == DOCUMENTS_KEPT
    exported = api.get("/api/export").json()
    assert "documents" not in exported["tables"] and exported["tables"]["screens"]
    assert api.post("/api/forget", json={"confirm": "forget"}).status_code == 200
    assert rows(api) == []
    with context(api).database() as s:
        s.info["backcoach.unscoped"] = True
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == 0


def test_the_queue_follows_the_database_and_bad_settings_are_named() -> None:
    pg = "postgresql+psycopg://postgres@127.0.0.1/test"
    assert queue_choice("sqlite:///x.db", {}) == "in-process"
    assert queue_choice(pg, {}) == "queue"
    assert queue_choice(pg, {"BACKCOACH_JOBS": "in-process"}) == "in-process"
    with pytest.raises(ValueError, match=r"BACKCOACH_JOBS='later' is not a job queue"):
        queue_choice(pg, {"BACKCOACH_JOBS": "later"})
    with pytest.raises(ValueError, match="needs PostgreSQL"):
        queue_choice("sqlite:///x.db", {"BACKCOACH_JOBS": "queue"})


class _Holding:
    """A queue that keeps jobs without running them: the job is then run by hand, twice."""

    name = "holding"

    def submit(self, job: str, **args: int | str) -> None:
        pass

    def close(self) -> None:
        pass
