"""Progress, report, handout, reminders, export, import and forget through the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backcoach.services.sessions import AutoAnswers, begin, run_auto
from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, csrf_client, make_settings, person_of, ready_to_exercise


def one_session(api: TestClient) -> None:
    person = person_of(api.app)
    ready_to_exercise(person, minutes=10)
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", 0.0),
        AutoAnswers(pain_before=3, pain_after=2),
        0,
        0.0,
    )


def test_progress_shows_the_session_and_draws_a_chart(api: TestClient) -> None:
    one_session(api)
    summary = api.get("/api/progress").json()
    assert summary["messages"] and summary["adherence"]
    chart = api.get("/api/progress/chart.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "<svg" in chart.text and chart.headers["cache-control"] == "no-store"


@pytest.mark.slow
def test_report_and_handout_are_pdfs(api: TestClient) -> None:
    refused = api.get("/api/handout.pdf")
    assert refused.status_code == 409 and refused.json()["detail"]["code"].startswith(
        "plan-refused:"
    )
    one_session(api)
    for path in ("/api/report.pdf", "/api/handout.pdf"):
        r = api.get(path)
        assert r.status_code == 200 and r.content.startswith(b"%PDF"), path
        assert "attachment" in r.headers["content-disposition"]


def test_reminders_follow_the_profile(api: TestClient) -> None:
    api.put("/api/profile", json={"days": ["tue", "thu"], "reminder_time": "07:30"})
    r = api.get("/api/reminders.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert b"BYDAY=TU,TH" in r.content and b"BEGIN:VALARM" in r.content
    assert b"BEGIN:VALARM" not in api.get("/api/reminders.ics?alert=false").content


def test_export_then_import_elsewhere_then_forget(api: TestClient, tmp_path: Path) -> None:
    one_session(api)
    document = api.get("/api/export").json()
    sessions = api.get("/api/history").json()

    other = csrf_client(create_app(make_settings(tmp_path / "other")))
    imported = other.post("/api/import", json=document)
    assert imported.status_code == 200, imported.text
    assert imported.json()["rows"]["sessions"] == len(sessions) == 1
    assert other.get("/api/history").json() == sessions
    again = other.post("/api/import", json=document)
    assert again.status_code == 409 and again.json()["detail"]["fix"] == "add ?replace=true"
    replaced = other.post("/api/import", params={"replace": True}, json=document)
    assert replaced.status_code == 200 and replaced.json()["backup"]
    bad = other.post("/api/import", params={"replace": True}, json={"tables": 3})
    assert bad.status_code == 400
    assert other.get("/api/history").json() == sessions  # nothing lost

    wrong = api.post("/api/forget", json={"confirm": "yes"})
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "confirm"
    gone = api.post("/api/forget", json={"confirm": "forget"})
    assert gone.status_code == 200 and gone.json()["rows"]["sessions"] == 1
    assert api.get("/api/history").json() == []
    assert api.get("/api/status").json()["screen"] is None
    assert api.get("/api/sessions/current").status_code == 404
    api.post("/api/screen", json={"answers": ALL_NO})
    assert api.get("/api/plan").status_code == 200
