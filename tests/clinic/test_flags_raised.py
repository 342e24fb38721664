"""Flags are raised when their events are saved, never when someone looks (issue 14).

A patient's session over the real API raises pain 7+ and the stop rule in the very event's
transaction; ending a second session rated too hard raises "too hard twice"; a comment raises
its flag. The clinician's list, patient page and digest (API and pages) run no write on
``clinic_flags``. The daily job's sweep catches what no hook saw, with the same keys, so no
event is flagged twice; personal mode raises none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event, select

from backcoach.clinic import Clinic, flags
from backcoach.clinic.digest import prepare
from backcoach.records.db import open_database
from backcoach.records.store import Store
from backcoach.records.tables import ClinicFlagRow
from backcoach.services.screening import take_screen
from tests.clinic.conftest import PASSWORD
from tests.clinic.test_clinician_pages import records, session
from tests.clinic.webapp import clinic_app, patient, staff
from tests.web.conftest import ALL_NO

ANA = "ana@example.org"


@pytest.fixture
def world(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    a = clinic.add_patient(name="Alma Quist", birth_year=1970, clinician_email=ANA)
    return {"app": app, "a": a, "ana": staff(app, ANA)}


def kinds(app: FastAPI, patient_id: int) -> list[str]:
    return sorted(f.kind for f in flags.for_patient(app.state.app_context.database, patient_id))


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block."""
    engine = app.state.app_context.database.kw["bind"]
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def step(phone: Any, sid: int, kind: str, **fields: Any) -> dict[str, Any]:
    answer = phone.post(f"/api/sessions/{sid}/events", json={"type": kind, **fields})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


@pytest.mark.postgres
def test_a_session_over_the_api_raises_its_flags_in_the_event_itself(
    world: dict[str, Any],
) -> None:
    app, ana, a = world["app"], world["ana"], world["a"]
    phone = patient(app, a.invite_code, 1970)
    assert phone.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert phone.put("/api/profile", json={"minutes": 10}).status_code == 200
    started = phone.post("/api/sessions", json={"minutes": 10})
    assert started.status_code == 201, started.text
    sid = started.json()["view"]["session_id"]
    step(phone, sid, "pain", score=2)
    assert kinds(app, a.patient_id) == [], "pain 2 before the session is no flag"
    step(phone, sid, "pause")
    stopped = step(phone, sid, "pain", score=8, resume_after=True)
    assert "exercise-stopped" in [e["type"] for e in stopped["effects"]]
    # Raised by that event's own request, before anyone looked or any job ran.
    assert kinds(app, a.patient_id) == ["high-pain", "stop-rule"]
    assert step(phone, sid, "end")["view"]["stage"] == "post-pain"
    assert step(phone, sid, "pain", score=3)["view"]["finished"]
    said = phone.post(f"/api/sessions/{sid}/comment", json={"text": "Sore after the bridge"})
    assert said.status_code == 200, said.text
    assert kinds(app, a.patient_id) == ["comment", "high-pain", "stop-rule"]

    reads = (
        "/api/clinic/patients",
        "/clinician",
        f"/api/clinic/patients/{a.patient_id}",
        f"/clinician/patients/{a.patient_id}",
        "/api/clinic/digest",
        "/clinician/digest",
    )
    with statements(app) as seen:
        for url in reads:
            assert ana.get(url).status_code == 200, url
    assert any("clinic_flags" in s for s in seen), "the reads do read the flags"
    writes = [s for s in seen if "clinic_flags" in s and not s.lstrip().startswith("SELECT")]
    assert writes == [], "looking raises no flag"
    listed = ana.get("/api/clinic/patients").json()
    assert listed[0]["open_flags"] == 3


@pytest.mark.postgres
def test_too_hard_twice_running_is_raised_when_the_second_session_ends(
    world: dict[str, Any],
) -> None:
    app, a = world["app"], world["a"]
    store = records(app, a.patient_id)
    session(store, rating="too-hard")
    assert kinds(app, a.patient_id) == []
    session(store, rating="about-right")
    session(store, rating="too-hard")
    assert kinds(app, a.patient_id) == [], "not twice running"
    session(store, rating="too-hard")
    assert kinds(app, a.patient_id) == ["too-hard"]


@pytest.mark.postgres
def test_the_daily_sweep_catches_what_no_hook_saw_with_the_same_keys(
    world: dict[str, Any],
) -> None:
    app, ana, a = world["app"], world["ana"], world["a"]
    factory = app.state.app_context.database
    ana_id = ana.get("/api/auth/me").json()["person_id"]
    now = app.state.app_context.now()
    store = records(app, a.patient_id)
    session(store, pain=9)  # raised at once: pain 9 and its stop rule
    # Saved by paths without a hook: a pain report outside a session, a screen added straight
    # to the store (as an import does).
    store.save_pain(moment="worst-24h", score=8)
    screen = {"flags": ["x"], "unanswered": [], "answers": {}, "advice": "See a doctor."}
    store.add_screen(taken_on=now.date(), tier="urgent", **screen)  # type: ignore[arg-type]
    assert kinds(app, a.patient_id) == ["high-pain", "stop-rule"]
    assert ana.get("/api/clinic/patients").json()[0]["open_flags"] == 2
    assert prepare(factory, ana_id, now) == 2, "the report and the screen, nothing twice"
    assert kinds(app, a.patient_id) == ["high-pain", "high-pain", "stop-rule", "warning-sign"]
    assert flags.after_screen(store) == 0, "the screen's hook and the sweep share its key"
    assert prepare(factory, ana_id, now) == 0
    store.add_screen(taken_on=now.date(), tier="soon", **screen)  # type: ignore[arg-type]
    assert flags.after_screen(store) == 1, "the hook raises a new screen's warning signs"
    take_screen(store, now.date(), ALL_NO)
    assert flags.after_screen(store) == 0, "a clear screen is no flag"


@pytest.mark.postgres
def test_a_warning_sign_answered_on_the_phone_is_flagged_at_once(world: dict[str, Any]) -> None:
    app, a = world["app"], world["a"]
    phone = patient(app, a.invite_code, 1970)
    answers = dict(ALL_NO, **{next(iter(ALL_NO)): "yes"})
    assert phone.post("/api/screen", json={"answers": answers}).status_code == 200
    assert kinds(app, a.patient_id) == ["warning-sign"]


def test_personal_mode_raises_no_flags(tmp_path: Path) -> None:
    factory = open_database(f"sqlite:///{tmp_path / 'backcoach.db'}")
    store = Store(factory)
    session(store, pain=9, rating="too-hard")
    session(store, pain=9, rating="too-hard")
    take_screen(store, dt.date.today(), dict(ALL_NO, **{next(iter(ALL_NO)): "yes"}))
    assert flags.after_screen(store) == 0
    with factory() as db:
        assert db.scalars(select(ClinicFlagRow)).all() == []
