"""The clinician's pages and API (issue 14): the patients list, a patient, flags raised once
per event (as the events are saved: the pages only read them) and acknowledged, the digest and
its job, the patient's comment, archive, and the walls: another clinician's patient is a 404, a
patient on the clinician API a 403."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from backcoach.clinic import Clinic
from backcoach.clinic.digest import prepare
from backcoach.records.store import Store
from backcoach.safety.stoprules import PainCheck, judge
from backcoach.services.sessions import SessionRecorder
from backcoach.session import (
    ExerciseFinished,
    ExerciseStopped,
    PainJudged,
    Rated,
    SessionFinished,
    SessionSummary,
)
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff

pytestmark = pytest.mark.postgres

ANA, BEN = "ana@example.org", "ben@example.org"


def records(app: FastAPI, person_id: int) -> Store:
    return app.state.app_context.person(person_id).store  # type: ignore[no-any-return]


def session(store: Store, *, pain: int = 2, rating: str = "about-right", stop: bool = False) -> int:
    """A one-exercise session written as a live session's events write it: the engine's
    effects through the session recorder, in one transaction (its flags are raised then)."""
    today = dt.date.today()
    plan = store.save_plan(today, {"date": str(today), "total_seconds": 60.0, "items": []}, False)
    sid = store.start_session(plan, "browser")
    recorder = SessionRecorder(store, sid)
    check = PainCheck(pain)
    with store.writing():
        if stop:
            recorder(ExerciseStopped(0, "cat-cow", judge(PainCheck(8))))
        else:
            recorder(ExerciseFinished(0, "cat-cow", 1, 1))
        recorder(PainJudged("after-exercise", 0, "cat-cow", check, judge(check)))
        recorder(Rated(0, "cat-cow", rating))  # type: ignore[arg-type]
        ended = "stopped" if stop else "completed"
        summary = SessionSummary(ended, 1, (), (), (), (), 1, 1, None, pain, 60.0)  # type: ignore[arg-type]
        recorder(SessionFinished(summary))
    return sid


@pytest.fixture
def world(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    clinic.add_clinician(email=BEN, name="Ben Okafor", password=PASSWORD)
    a = clinic.add_patient(name="Alma Quist", birth_year=1970, clinician_email=ANA)
    c = clinic.add_patient(name="Carl Dunn", birth_year=1985, clinician_email=ANA)
    b = clinic.add_patient(name="Bruno Vey", birth_year=1990, clinician_email=BEN)
    return {"app": app, "a": a, "b": b, "c": c, "ana": staff(app, ANA)}


def test_list_shows_facts_and_flags_once_per_event(world: dict[str, Any]) -> None:
    app, ana, a = world["app"], world["ana"], world["a"]
    store = records(app, a.patient_id)
    session(store, rating="too-hard")
    session(store, pain=8, rating="too-hard", stop=True)
    first = ana.get("/api/clinic/patients").json()
    names = [line["name"] for line in first]
    assert names == ["Alma Quist", "Carl Dunn"], "only Ana's patients, by name"
    alma = first[0]
    assert alma["sessions_this_week"] >= 1 and alma["last_session"] is not None
    # pain 8 (high pain), a stop rule, too hard twice running: three flags
    assert alma["open_flags"] == 3
    again = ana.get("/api/clinic/patients").json()
    assert again[0]["open_flags"] == 3, "reading again raises nothing twice"
    page = ana.get(f"/api/clinic/patients/{a.patient_id}").json()
    kinds = sorted(f["kind"] for f in page["flags"])
    assert kinds == ["high-pain", "stop-rule", "too-hard"]
    assert page["sessions"][0]["stopped"][0]["exercise_id"] == "cat-cow"
    assert page["sessions"][0]["exercises"][0]["pain"] == 8
    flag = page["flags"][0]["id"]
    done = ana.post(f"/api/clinic/flags/{flag}/acknowledge")
    assert done.status_code == 200 and done.json()["acknowledged_at"] is not None
    assert ana.get("/api/clinic/patients").json()[0]["open_flags"] == 2
    html = ana.get("/clinician").text
    assert "Alma Quist" in html and "Signed in as Ana Silva" in html and "Bruno" not in html
    assert "Mark seen" in ana.get(f"/clinician/patients/{a.patient_id}").text


def test_search_sort_and_archive(world: dict[str, Any]) -> None:
    app, ana, a, c = world["app"], world["ana"], world["a"], world["c"]
    session(records(app, c.patient_id), pain=9)
    assert [p["name"] for p in ana.get("/api/clinic/patients?q=dun").json()] == ["Carl Dunn"]
    by_flags = ana.get("/api/clinic/patients?sort=flags").json()
    assert by_flags[0]["name"] == "Carl Dunn"
    bad = ana.get("/api/clinic/patients?sort=shoe-size")
    assert bad.status_code == 422 and "sort" in bad.text
    assert ana.post(f"/api/clinic/patients/{a.patient_id}/archive").json()["archived"] is True
    assert [p["name"] for p in ana.get("/api/clinic/patients").json()] == ["Carl Dunn"]
    assert [p["name"] for p in ana.get("/api/clinic/patients?archived=true").json()] == [
        "Alma Quist"
    ]
    audit = ana.get(f"/api/clinic/patients/{a.patient_id}/audit").json()
    assert any(e["what"] == "archived" and e["action"] == "change" for e in audit)
    csv = ana.get(f"/api/clinic/patients/{a.patient_id}/audit.csv")
    assert csv.status_code == 200 and "archived" in csv.text and csv.text.startswith("id,at")
    ana.post(f"/api/clinic/patients/{a.patient_id}/unarchive")
    assert len(ana.get("/api/clinic/patients").json()) == 2


def test_comment_is_the_patients_own_and_raises_a_flag(world: dict[str, Any]) -> None:
    app, ana, a, b = world["app"], world["ana"], world["a"], world["b"]
    phone = patient(app, a.invite_code, 1970)
    sid = session(records(app, a.patient_id))
    other = session(records(app, b.patient_id))
    said = phone.post(f"/api/sessions/{sid}/comment", json={"text": "Knee ached\x07 a bit"})
    assert said.status_code == 200 and said.json()["text"] == "Knee ached a bit"
    assert phone.post(f"/api/sessions/{other}/comment", json={"text": "x"}).status_code == 404
    long = phone.post(f"/api/sessions/{sid}/comment", json={"text": "x" * 1001})
    assert long.status_code == 422
    page = ana.get(f"/api/clinic/patients/{a.patient_id}").json()
    assert page["sessions"][0]["comment"] == "Knee ached a bit"
    assert [f["kind"] for f in page["flags"]] == ["comment"]
    assert "Knee ached a bit" in ana.get(f"/clinician/patients/{a.patient_id}").text


def test_walls(world: dict[str, Any]) -> None:
    app, ana, a, b = world["app"], world["ana"], world["a"], world["b"]
    session(records(app, b.patient_id), pain=9)
    ben = staff(app, BEN)
    ben_flags = ben.get(f"/api/clinic/patients/{b.patient_id}").json()["flags"]
    for url in (
        f"/api/clinic/patients/{b.patient_id}",
        f"/api/clinic/patients/{b.patient_id}/audit",
    ):
        assert ana.get(url).status_code == 404
    assert ana.post(f"/api/clinic/patients/{b.patient_id}/archive").status_code == 404
    assert ana.post(f"/api/clinic/flags/{ben_flags[0]['id']}/acknowledge").status_code == 404
    assert ana.get(f"/clinician/patients/{b.patient_id}").status_code == 404
    phone = patient(app, a.invite_code, 1970)
    refused = phone.get("/api/clinic/patients")
    assert refused.status_code == 403 and refused.json()["detail"]["code"] == "staff-only"
    assert phone.get(f"/api/clinic/patients/{a.patient_id}").status_code == 403
    assert phone.get("/clinician").headers["location"] == "/"


def test_screen_and_clearance_in_the_clinic(world: dict[str, Any]) -> None:
    from tests.web.conftest import ALL_NO

    ana, a = world["ana"], world["a"]
    done = ana.post(f"/api/clinic/patients/{a.patient_id}/screen", json={"answers": ALL_NO})
    assert done.status_code == 200 and done.json()["tier"] == "clear"
    bad = ana.post(f"/api/clinic/patients/{a.patient_id}/screen", json={"answers": {"x": 1}})
    assert bad.status_code == 422
    page = ana.get(f"/api/clinic/patients/{a.patient_id}").json()
    assert page["screen"]["tier"] == "clear"


def test_digest_page_and_job(world: dict[str, Any], clinic: Clinic) -> None:
    app, ana, c = world["app"], world["ana"], world["c"]
    session(records(app, c.patient_id), pain=7)
    # Raised as the session was saved (pain 7, and the stop rule it broke): the digest page
    # reads them before any job ran.
    digest = ana.get("/api/clinic/digest").json()
    assert digest["new"] == 2 and digest["patients"][0]["name"] == "Carl Dunn"
    assert "Carl Dunn" in ana.get("/clinician/digest").text
    factory = app.state.app_context.database
    ana_id = ana.get("/api/auth/me").json()["person_id"]
    now = app.state.app_context.now()
    assert prepare(factory, ana_id, now) == 0, "the job finds nothing the session missed"
    later = now + dt.timedelta(days=8)  # Alma never exercised, Carl not since: a week quiet
    assert prepare(factory, ana_id, later) == 2
    assert prepare(factory, ana_id, later) == 0, "the job is idempotent"
    shown = ana.get("/api/clinic/digest").json()["patients"]
    assert sorted(f["kind"] for p in shown for f in p["new"] + p["older"]) == [
        "high-pain",
        "no-session",
        "no-session",
        "stop-rule",
    ]


def test_a_screen_done_in_the_clinic_is_recorded_from_the_patients_page(
    world: dict[str, Any],
) -> None:
    """Issue 14: the clinician records a screen done with the patient in the clinic from their
    pages (not only through the API), and reads the audit log as a page."""
    from backcoach.safety.signs import SIGN_IDS, SIGNS
    from tests.web.conftest import ALL_NO

    ana, a, b = world["ana"], world["a"], world["b"]
    patient_page = ana.get(f"/clinician/patients/{a.patient_id}").text
    assert f'href="/clinician/patients/{a.patient_id}/screen"' in patient_page
    form = ana.get(f"/clinician/patients/{a.patient_id}/screen")
    assert form.status_code == 200
    assert all(f'name="{sign.id}"' in form.text for sign in SIGNS)

    url = f"/clinician/patients/{a.patient_id}/screen"
    partial = {sign: "no" for sign in list(SIGN_IDS)[1:]}
    missing = ana.post(url, data=partial, follow_redirects=False)
    assert missing.status_code == 422 and "1 question is not answered" in missing.text
    assert ana.get(f"/api/clinic/patients/{a.patient_id}").json()["screen"] is None

    saved = ana.post(url, data=dict(ALL_NO), follow_redirects=False)
    assert saved.status_code == 303
    assert ana.get(f"/api/clinic/patients/{a.patient_id}").json()["screen"]["tier"] == "clear"
    warning = ana.post(url, data={**ALL_NO, next(iter(SIGN_IDS)): "yes"}, follow_redirects=False)
    assert warning.status_code == 303
    shown = ana.get(f"/api/clinic/patients/{a.patient_id}").json()
    assert shown["screen"]["tier"] != "clear"
    assert "warning-sign" in [f["kind"] for f in shown["flags"]]

    audit = ana.get(f"/clinician/patients/{a.patient_id}/audit")
    assert audit.status_code == 200 and "screen recorded in the clinic" in audit.text
    assert "<table" in audit.text
    for other in (f"/clinician/patients/{b.patient_id}/screen",
                  f"/clinician/patients/{b.patient_id}/audit"):  # fmt: skip
        assert ana.get(other).status_code == 404
    assert (
        ana.post(f"/clinician/patients/{b.patient_id}/screen", data=dict(ALL_NO)).status_code == 404
    )
