"""The JSON API beyond live sessions: the person, the screen, the plan, the library, /docs."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, TODAY, csrf_client, make_settings


def test_status_profile_screen_plan_in_order(api: TestClient) -> None:
    status = api.get("/api/status").json()
    assert status["today"] == TODAY and status["has_profile"] is False
    assert status["gate"] == {
        "allowed": False,
        "code": "no-screen",
        "reason": status["gate"]["reason"],
    }
    refused = api.get("/api/plan")
    assert (
        refused.status_code == 409 and refused.json()["detail"]["code"] == "plan-refused:no-screen"
    )

    questions = api.get("/api/screen/questions").json()
    ids = [q["id"] for q in questions["questions"]]
    assert set(ids) == set(ALL_NO) and questions["answers"] == ["yes", "no", "unsure"]
    result = api.post("/api/screen", json={"answers": ALL_NO}).json()
    assert result["tier"] == "clear" and result["unanswered"] == []
    assert api.get("/api/screen").json()["tier"] == "clear"

    saved = api.put("/api/profile", json={"minutes": 10, "equipment": ["mat", "chair"]})
    assert saved.status_code == 200 and saved.json()["minutes"] == 10
    assert api.get("/api/profile").json()["equipment"] == ["mat", "chair"]
    assert api.get("/api/status").json()["has_profile"] is True

    plan = api.get("/api/plan").json()
    assert plan["date"] == TODAY and plan["items"]
    assert all(item["reason"] for item in plan["items"])
    shorter = api.get("/api/plan", params={"minutes": 5}).json()
    assert shorter["total_seconds"] <= 5 * 60 < plan["total_seconds"]


def test_a_bad_profile_names_the_field_and_keeps_the_saved_one(api: TestClient) -> None:
    api.put("/api/profile", json={"minutes": 20})
    r = api.put("/api/profile", json={"minutes": 90})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail["code"] == "coach-error"
    assert "minutes" in detail["message"] and "90" in detail["message"]
    r = api.put("/api/profile", json={"days": ["someday"]})
    assert r.status_code == 400 and "days" in r.json()["detail"]["message"]
    assert api.get("/api/profile").json()["minutes"] == 20


def test_an_emergency_screen_blocks_the_plan_with_its_advice(api: TestClient) -> None:
    result = api.post("/api/screen", json={"answers": {**ALL_NO, "bladder_change": "yes"}}).json()
    assert result["tier"] == "emergency" and result["flags"] == ["bladder_change"]
    r = api.get("/api/plan")
    assert r.status_code == 409
    assert r.json()["detail"]["code"] == "plan-refused:emergency"
    assert r.json()["detail"]["message"]
    clearance = api.post("/api/clearance", json={"cleared_on": TODAY})
    assert clearance.status_code == 400 and "emergency" in clearance.json()["detail"]["message"]


def test_screen_answers_are_checked(api: TestClient) -> None:
    r = api.post("/api/screen", json={"answers": {"bladder_change": "perhaps"}})
    assert r.status_code == 422
    assert r.json()["detail"]["field"] == "answers.bladder_change"
    r = api.post("/api/screen", json={"answers": {"no_such_sign": "no"}})
    assert r.status_code == 400 and "no_such_sign" in r.json()["detail"]["message"]


def test_clearance_after_a_soon_screen(api: TestClient) -> None:
    soon = next(
        sign
        for sign in ALL_NO
        if api.post("/api/screen", json={"answers": {**ALL_NO, sign: "yes"}}).json()["tier"]
        == "soon"
    )
    assert soon
    blocked = api.get("/api/plan")
    assert blocked.status_code == 409
    future = api.post("/api/clearance", json={"cleared_on": "2099-01-01"})
    assert future.status_code == 400 and "future" in future.json()["detail"]["message"]
    bad = api.post("/api/clearance", json={"cleared_on": "yesterday"})
    assert bad.status_code == 422 and bad.json()["detail"]["fix"] == "write it as YYYY-MM-DD"
    done = api.post("/api/clearance", json={"cleared_on": TODAY, "cleared_by": "Dr Okafor"})
    assert done.status_code == 200 and done.json()["cleared_by"] == "Dr Okafor"
    assert api.get("/api/plan").status_code == 200


def test_the_library_filters_and_judges_for_the_person(api: TestClient) -> None:
    everything = api.get("/api/exercises").json()
    assert len(everything) >= 30
    supine = api.get("/api/exercises", params={"position": "supine"}).json()
    assert supine and all(ex["position"] == "supine" for ex in supine)
    assert len(supine) < len(everything)
    found = api.get("/api/exercises", params={"q": "bridge"}).json()
    assert "bridge" in [ex["id"] for ex in found]
    bad = api.get("/api/exercises", params={"position": "upside-down"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "position"

    api.put("/api/profile", json={"conditions": ["osteoporosis"]})
    judged = api.get("/api/exercises", params={"for_me": True}).json()
    statuses = {ex["id"]: ex["for_me"]["status"] for ex in judged}
    assert "excluded" in statuses.values()
    one = api.get("/api/exercises/roll-up").json()
    assert one["for_me"]["status"] == statuses["roll-up"] and one["steps"]
    missing = api.get("/api/exercises/brige")
    assert missing.status_code == 404
    assert missing.json()["detail"]["code"] == "unknown-exercise"
    assert "bridge" in missing.json()["detail"]["message"]


def test_pictures_are_svg(api: TestClient) -> None:
    figure = api.get("/api/exercises/bridge/figure.svg")
    assert figure.status_code == 200 and figure.headers["content-type"] == "image/svg+xml"
    assert figure.text.lstrip().startswith("<svg") or "<svg" in figure.text[:200]
    animation = api.get("/api/exercises/bridge/animation.svg")
    assert animation.status_code == 200 and "<animate" in animation.text
    assert api.get("/api/exercises/nope/animation.svg").status_code == 404


def test_history_is_empty_then_404_for_unknown_sessions(api: TestClient) -> None:
    assert api.get("/api/history").json() == []
    r = api.get("/api/sessions/99")
    assert r.status_code == 404 and r.json()["detail"]["fix"]
    assert api.get("/api/nothing-here").json()["detail"]["code"] == "not-found"


def test_docs_work_offline(api: TestClient) -> None:
    page = api.get("/docs")
    assert page.status_code == 200 and "/api/sessions/{session_id}/events" in page.text
    # Nothing on the page comes from another origin.
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", page.text)
    spec = api.get("/openapi.json").json()
    assert "/api/sessions/current" in spec["paths"]


def test_the_api_answers_over_postgresql_too(tmp_path: Path, db_url: str) -> None:
    app = create_app(make_settings(tmp_path, db_url))
    api = csrf_client(app)
    api.post("/api/screen", json={"answers": ALL_NO})
    api.put("/api/profile", json={"minutes": 12})
    assert api.get("/api/plan").status_code == 200
    assert api.get("/api/status").json()["gate"]["allowed"] is True
