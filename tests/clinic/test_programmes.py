"""The clinician's programme builder (clinic mode, real PostgreSQL, the real app in-process):
versions with what changed, safety verdicts enforced on the server, the patient's plan and
session made from the current version, the warning-sign gate still first, other clinicians'
patients out of reach, and progression proposals approved into a new version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import AppContext
from backcoach.catalogue import load_default
from backcoach.clinic import AddedPatient, Clinic
from backcoach.planning.state import Decision, DoseOverride
from backcoach.services.progression import save_decision
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff
from tests.web.conftest import ALL_NO

pytestmark = pytest.mark.postgres
CATALOGUE, _ = load_default(None)
ANA = "ana@example.org"
CAL = "cal@example.org"
EXCLUDED = "roll-up"
"""Excluded for osteoporosis (safety.restrictions)."""
MODIFIED = "cat-cow"
"""Allowed with a modification for osteoporosis."""


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.fixture
def bo(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    clinic.add_clinician(email=CAL, name="Cal Reyes", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)


@pytest.fixture
def phone(app: FastAPI, bo: AddedPatient) -> TestClient:
    """Bo, signed in on their phone, screened clear, with osteoporosis in their profile."""
    client = patient(app, bo.invite_code, 1980)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    answer = client.put("/api/profile", json={"minutes": 12, "conditions": ["osteoporosis"]})
    assert answer.status_code == 200, answer.text
    return client


def url(who: AddedPatient) -> str:
    return f"/api/clinic/patients/{who.patient_id}/programme"


def draft_from_plan(view: dict[str, Any]) -> dict[str, Any]:
    items = [dict(s["item"]) for s in view["suggested"]]
    assert len(items) >= 2 and all(s["reason"] for s in view["suggested"])
    return {"items": items, "days_per_week": 3, "note": "Little and often."}


def test_build_save_change_and_the_patient_gets_it(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    view = ana.get(url(bo)).json()
    assert view["current"] is None and view["screen_allows_sessions"] is True
    assert "No programme assigned yet" in ana.get(f"/clinician/patients/{bo.patient_id}").text
    verdicts = {e["id"]: e["verdict"]["status"] for e in view["library"]}
    assert verdicts[EXCLUDED] == "excluded" and verdicts[MODIFIED] == "modified"
    programme = draft_from_plan(view)
    first = programme["items"][0]
    counted = first["reps"] is not None
    if counted:
        first["reps"] += 2
    else:
        first["duration_seconds"] += 30
    first["note"] = "Slowly, breathe out as you move."
    saved = ana.post(url(bo), json={"based_on": None, "programme": programme})
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"] == 1 and saved.json()["created_by_name"] == "Ana Silva"
    page = ana.get(f"/clinician/patients/{bo.patient_id}").text  # the programme section
    assert "Version 1" in page and "by Ana Silva" in page and "Slowly, breathe out" in page
    assert f'href="/clinician/patients/{bo.patient_id}/programme"' in page

    # the patient's plan is the programme: its exercises, the changed dose, the notes
    plan = phone.get("/api/plan").json()
    assert [i["exercise_id"] for i in plan["items"]] == [
        i["exercise_id"] for i in programme["items"]
    ]
    key = "reps" if counted else "duration_seconds"
    assert plan["items"][0][key] == first[key]
    assert "Slowly, breathe out as you move." in plan["items"][0]["reason"]
    assert any("Little and often." in n for n in plan["notes"])
    assert "Slowly, breathe out" in phone.get("/today").text

    # a change: version 2, saying what changed; the patient gets it at once
    programme["items"].reverse()
    programme["items"][0]["sets"] = 3
    programme["days_per_week"] = 4
    stale = ana.post(url(bo), json={"based_on": None, "programme": programme})
    assert stale.status_code == 409 and stale.json()["detail"]["code"] == "programme-changed"
    second = ana.post(url(bo), json={"based_on": 1, "programme": programme})
    assert second.status_code == 201, second.text
    changes = second.json()["changes"]
    assert second.json()["version"] == 2
    assert any(c.startswith("order:") for c in changes)
    assert "days a week 3 -> 4" in changes
    # The change log is read by people: exercises by name, never by id.
    moved = programme["items"][0]["exercise_id"]
    assert not any(c.startswith(f"{moved}:") for c in changes), changes
    again = ana.post(url(bo), json={"based_on": 2, "programme": programme})
    assert again.status_code == 409 and again.json()["detail"]["code"] == "nothing-changed"
    plan = phone.get("/api/plan").json()
    assert plan["items"][0]["exercise_id"] == programme["items"][0]["exercise_id"]
    assert plan["items"][0]["sets"] == 3
    history = ana.get(url(bo)).json()["versions"]
    assert [v["version"] for v in history] == [2, 1]

    # a started session is the programme, with its doses
    started = phone.post("/api/sessions", json={"minutes": 10})
    assert started.status_code == 201, started.text
    sid = started.json()["view"]["session_id"]
    context: AppContext = app.state.app_context
    store = context.person(bo.patient_id).store
    with store.reading():
        row = store.session(sid)
        assert row is not None
        items = row.plan.data["items"]
    assert [i["exercise_id"] for i in items] == [i["exercise_id"] for i in programme["items"]]
    assert items[0]["sets"] == 3

    # the builder page and the summary partial
    page = ana.get(f"/clinician/patients/{bo.patient_id}/programme")
    assert page.status_code == 200 and "Version 2" in page.text
    assert "/static/programme/builder.js" in page.text
    assert ana.get("/static/programme/builder.js").status_code == 200


def test_safety_verdicts_are_enforced_on_the_server(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    dose = {"sets": 2, "reps": 8}
    refused = ana.post(url(bo), json={"programme": {"items": [{"exercise_id": EXCLUDED, **dose}]}})
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail["code"] == "not-allowed" and "may not be assigned" in detail["message"]
    assert "osteoporosis" in detail["message"].lower()
    bare = ana.post(url(bo), json={"programme": {"items": [{"exercise_id": MODIFIED, **dose}]}})
    assert bare.status_code == 422 and bare.json()["detail"]["code"] == "needs-modification"
    assert "modification_reason" in bare.json()["detail"]["message"]
    made_up = ana.post(
        url(bo),
        json={"programme": {"items": [{"exercise_id": MODIFIED, "modification": "x", **dose}]}},
    )
    assert made_up.status_code == 422
    view = ana.get(url(bo)).json()
    choices = next(e for e in view["library"] if e["id"] == MODIFIED)["verdict"]["modifications"]
    chosen = ana.post(
        url(bo),
        json={
            "programme": {"items": [{"exercise_id": MODIFIED, "modification": choices[0], **dose}]}
        },
    )
    assert chosen.status_code == 201, chosen.text
    reason = {"exercise_id": MODIFIED, "modification_reason": "Checked in clinic: fine", **dose}
    written = ana.post(url(bo), json={"based_on": 1, "programme": {"items": [reason]}})
    assert written.status_code == 201, written.text
    bad = ana.post(
        url(bo), json={"based_on": 2, "programme": {"items": [{"exercise_id": MODIFIED}]}}
    )
    assert bad.status_code == 422 and "sets" in bad.json()["detail"]["message"]
    assert phone.get("/api/plan").json()["items"][0]["exercise_id"] == MODIFIED


def test_a_screen_that_is_not_clear_still_refuses_whatever_is_assigned(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    view = ana.get(url(bo)).json()
    assert ana.post(url(bo), json={"programme": draft_from_plan(view)}).status_code == 201
    assert phone.get("/api/plan").status_code == 200
    some_yes = dict(ALL_NO)
    some_yes[next(iter(some_yes))] = "yes"
    assert phone.post("/api/screen", json={"answers": some_yes}).status_code == 200
    refused = phone.get("/api/plan")
    assert refused.status_code == 409, refused.text
    assert phone.post("/api/sessions", json={"minutes": 10}).status_code == 409
    assert ana.get(url(bo)).json()["screen_allows_sessions"] is False


def test_another_clinicians_patient_and_patients_themselves_are_kept_out(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    cal = staff(app, CAL)
    body = {"programme": {"items": [{"exercise_id": MODIFIED, "sets": 1, "reps": 5}]}}
    assert cal.get(url(bo)).status_code == 404
    assert cal.post(url(bo), json=body).status_code == 404
    assert cal.get(f"/clinician/patients/{bo.patient_id}/programme").status_code == 404
    assert cal.post(f"{url(bo)}/proposals/1", json={"action": "approve"}).status_code == 404
    assert phone.get(url(bo)).status_code == 403
    assert phone.get("/api/clinic/templates").status_code == 403


def test_templates_belong_to_their_clinician(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana, cal = staff(app, ANA), staff(app, CAL)
    programme = draft_from_plan(ana.get(url(bo)).json())
    made = ana.post("/api/clinic/templates", json={"name": "Acute LBP", "programme": programme})
    assert made.status_code == 201, made.text
    assert [t["name"] for t in ana.get("/api/clinic/templates").json()] == ["Acute LBP"]
    assert cal.get("/api/clinic/templates").json() == []
    empty = ana.post("/api/clinic/templates", json={"name": " ", "programme": programme})
    assert empty.status_code == 422 and "name" in empty.json()["detail"]["message"]


def test_a_progression_proposal_approved_makes_a_new_version(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    view = ana.get(url(bo)).json()
    programme = draft_from_plan(view)
    counted = next(i for i in programme["items"] if i["reps"] is not None)
    assert ana.post(url(bo), json={"programme": programme}).status_code == 201
    context: AppContext = app.state.app_context
    store = context.person(bo.patient_id).store
    new_reps = counted["reps"] + 2
    save_decision(
        store,
        Decision(
            decided_on=dt.date(2026, 11, 2),
            exercise_id=counted["exercise_id"],
            action="more",
            dose=DoseOverride(reps=new_reps),
            reason="all sets done without pain: two reps more",
        ),
    )
    # a proposal, not applied: the patient keeps the clinician's dose until it is approved
    pending = ana.get(url(bo)).json()["proposals"]
    assert [(p["exercise_id"], p["dose"]) for p in pending] == [
        (counted["exercise_id"], {"reps": new_reps})
    ]
    plan = {i["exercise_id"]: i for i in phone.get("/api/plan").json()["items"]}
    assert plan[counted["exercise_id"]]["reps"] == counted["reps"]
    approved = ana.post(
        f"{url(bo)}/proposals/{pending[0]['decision_id']}", json={"action": "approve"}
    )
    assert approved.status_code == 201, approved.text
    assert approved.json()["version"] == 2
    assert (
        f"{CATALOGUE.get(counted['exercise_id']).name}: reps {counted['reps']} -> {new_reps}"
        in approved.json()["changes"]
    )
    assert ana.get(url(bo)).json()["proposals"] == []
    plan = {i["exercise_id"]: i for i in phone.get("/api/plan").json()["items"]}
    assert plan[counted["exercise_id"]]["reps"] == new_reps


def test_automatic_progression_applies_without_approval(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    programme = draft_from_plan(ana.get(url(bo)).json())
    programme["auto_progress"] = True
    counted = next(i for i in programme["items"] if i["reps"] is not None)
    assert ana.post(url(bo), json={"programme": programme}).status_code == 201
    context: AppContext = app.state.app_context
    save_decision(
        context.person(bo.patient_id).store,
        Decision(
            decided_on=dt.date(2026, 11, 2),
            exercise_id=counted["exercise_id"],
            action="more",
            dose=DoseOverride(reps=counted["reps"] + 2),
            reason="two reps more",
        ),
    )
    plan = {i["exercise_id"]: i for i in phone.get("/api/plan").json()["items"]}
    assert plan[counted["exercise_id"]]["reps"] == counted["reps"] + 2


def test_a_review_date_is_checked_logged_and_shown(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    """Today is 2026-11-02 (tests/web/conftest.py TODAY): a review date must be from today to
    about a year ahead, plain errors name the field, value and fix; the change log says it."""
    ana = staff(app, ANA)
    view = ana.get(url(bo)).json()
    assert view["today"] == "2026-11-02" and view["review_latest"] == "2027-11-03"
    programme = draft_from_plan(view)
    for day, words in (
        ("2026-11-01", "2026-11-01 is in the past (today is 2026-11-02)"),
        ("2027-11-04", "2027-11-04 is more than a year ahead (the latest is 2027-11-03)"),
    ):
        refused = ana.post(url(bo), json={"programme": {**programme, "review_date": day}})
        assert refused.status_code == 422, refused.text
        detail = refused.json()["detail"]
        assert detail["code"] == "invalid-programme"
        assert detail["message"].startswith(f"review_date: {words}")
        assert "choose" in detail["message"] and "leave it empty" in detail["message"]
    garbled = ana.post(url(bo), json={"programme": {**programme, "review_date": "14/12/2026"}})
    assert garbled.status_code == 422 and "review_date" in garbled.json()["detail"]["message"]
    assert ana.get(url(bo)).json()["current"] is None  # nothing refused was saved

    first = ana.post(url(bo), json={"programme": {**programme, "review_date": "2026-11-02"}})
    assert first.status_code == 201, first.text
    assert first.json()["changes"][0].endswith(", review on 2026-11-02")
    assert first.json()["programme"]["review_date"] == "2026-11-02"
    later = ana.post(
        url(bo), json={"based_on": 1, "programme": {**programme, "review_date": "2027-11-03"}}
    )
    assert later.status_code == 201, later.text
    assert later.json()["changes"] == ["review date 2026-11-02 -> 2027-11-03"]
    notes = phone.get("/api/plan").json()["notes"]
    assert any("to be reviewed on 03 November 2027" in n for n in notes), notes
    page = ana.get(f"/clinician/patients/{bo.patient_id}/programme").text
    assert "Review date: 03 November 2027" in page
    cleared = ana.post(url(bo), json={"based_on": 2, "programme": programme})
    assert cleared.status_code == 201, cleared.text
    assert cleared.json()["changes"] == ["review date 2027-11-03 -> none"]
    assert "Review date:" not in ana.get(f"/clinician/patients/{bo.patient_id}/programme").text

    # a template keeps no review date: it is one patient's
    kept = ana.post(
        "/api/clinic/templates",
        json={"name": "With review", "programme": {**programme, "review_date": "2026-12-01"}},
    )
    assert kept.status_code == 201 and kept.json()["programme"]["review_date"] is None


def test_a_review_date_carried_over_is_not_checked_again() -> None:
    """Approving a proposal after the review day has passed saves the same date again: only a
    new or changed date is held to "from today to a year ahead"."""
    from backcoach.clinic.programmes import (
        Programme,
        ProgrammeItem,
        ProgrammeRefused,
        check_review_date,
    )

    today = dt.date(2026, 11, 2)
    item = ProgrammeItem(exercise_id="cat-cow", sets=2, reps=8)
    dated = Programme(items=[item], review_date=dt.date(2026, 10, 1))
    check_review_date(dated, dated, today)  # unchanged: fine, though past
    check_review_date(dated.model_copy(update={"review_date": None}), dated, today)
    with pytest.raises(ProgrammeRefused, match="review_date: 2026-10-01 is in the past"):
        check_review_date(dated, None, today)
    for day, ok in (
        (today, True),
        (today + dt.timedelta(days=366), True),
        (today + dt.timedelta(days=367), False),
        (today - dt.timedelta(days=1), False),
    ):
        changed = dated.model_copy(update={"review_date": day})
        if ok:
            check_review_date(changed, dated, today)
        else:
            with pytest.raises(ProgrammeRefused, match=f"review_date: {day.isoformat()}"):
                check_review_date(changed, dated, today)


def test_a_seen_decision_beyond_a_database_integer_is_refused() -> None:
    """Found by the import fuzzer: a programme's ``seen`` map took any integer, so an import
    with 10**20 there was accepted (every number a person gives is bounded)."""
    from backcoach.clinic.programmes import ProgrammeRefused, parse

    item = {"exercise_id": "pelvic-tilt", "sets": 2, "reps": 8}
    parse({"items": [item], "seen": {"pelvic-tilt": 5}})
    with pytest.raises(ProgrammeRefused, match=r"seen\.pelvic-tilt"):
        parse({"items": [item], "seen": {"pelvic-tilt": 10**20}})
