"""The lessons section of the clinician's patient page (issue 19): which lessons the patient
read (and when) and skipped, and a form to assign one, through the same use case as the API
(``api_lessons.assign``: the roster's check and the audit log). Another clinician's patient is
a 404; a form without the CSRF token is refused. Real PostgreSQL, the real app in-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backcoach.clinic import Clinic
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff

pytestmark = pytest.mark.postgres

ANA, BEN = "ana@example.org", "ben@example.org"


@pytest.fixture
def world(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    clinic.add_clinician(email=BEN, name="Ben Okafor", password=PASSWORD)
    a = clinic.add_patient(name="Alma Quist", birth_year=1970, clinician_email=ANA)
    b = clinic.add_patient(name="Bruno Vey", birth_year=1990, clinician_email=BEN)
    return {"app": app, "a": a, "b": b, "ana": staff(app, ANA)}


def section(html: str) -> str:
    """The lessons section of the patient page."""
    start = html.index('id="lessons"')
    return html[start : html.index("</section>", start)]


def test_the_page_shows_read_and_skipped_lessons(world: dict[str, Any]) -> None:
    app, a, ana = world["app"], world["a"], world["ana"]
    phone = patient(app, a.invite_code, 1970)
    assert phone.post("/api/lessons/hurt-and-harm/read").status_code == 200
    read_on = phone.post("/api/lessons/scans/read").json()["read_on"]
    skipped_on = phone.post("/api/lessons/sleep/skip").json()["skipped_on"]

    page = ana.get(f"/clinician/patients/{a.patient_id}")
    assert page.status_code == 200
    lessons = section(page.text)
    assert "Read 2 of 15." in lessons
    read = lessons[lessons.index('class="lessons-read"') :]
    assert f"What a scan can and cannot show <small>({read_on})</small>" in read
    assert "Hurt is not the same as harm" in read
    skipped = lessons[lessons.index('class="lessons-skipped"') :]
    assert f"Sleep and back pain <small>(skipped {skipped_on}" in skipped
    # A lesson read is not offered to assign again; the others are.
    options = lessons[lessons.index("<select") :]
    assert 'value="scans"' not in options and 'value="sleep"' in options
    assert 'name="csrf_token"' in lessons


def test_assigning_a_lesson_from_the_page(world: dict[str, Any]) -> None:
    app, a, ana = world["app"], world["a"], world["ana"]
    url = f"/clinician/patients/{a.patient_id}/lessons/assign"
    done = ana.post(url, data={"lesson": "pacing"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/clinician/patients/{a.patient_id}?assigned=pacing#lessons"
    lessons = section(ana.get(done.headers["location"]).text)
    assert "Assigned: Pacing and small steps." in lessons
    waiting = lessons[lessons.index('class="lessons-assigned"') :]
    assert "Pacing and small steps <small>(by Ana Silva)</small>" in waiting
    # The same record as the API's assignment, and in the audit log as a change.
    shown = {
        row["id"]: row for row in ana.get(f"/api/clinic/patients/{a.patient_id}/lessons").json()
    }
    assert shown["pacing"]["assigned"] is True and shown["pacing"]["assigned_by"] == "Ana Silva"
    audit = ana.get(f"/clinician/patients/{a.patient_id}/audit").text
    assert "lesson assigned" in audit
    # The patient sees it marked as assigned on their Learn page.
    phone = patient(app, a.invite_code, 1970)
    assert phone.get("/learn").status_code == 200


def test_assigning_refuses_what_it_cannot_do(world: dict[str, Any]) -> None:
    app, a, b, ana = world["app"], world["a"], world["b"], world["ana"]
    url = f"/clinician/patients/{a.patient_id}/lessons/assign"
    missing = ana.post(url, data={"lesson": ""})
    assert missing.status_code == 422 and "choose a lesson" in missing.text
    unknown = ana.post(url, data={"lesson": "no-such-lesson"})
    assert unknown.status_code == 404 and "no-such-lesson" in unknown.text
    # Another clinician's patient: as if absent, for the page and the form.
    assert ana.get(f"/clinician/patients/{b.patient_id}").status_code == 404
    theirs = ana.post(
        f"/clinician/patients/{b.patient_id}/lessons/assign", data={"lesson": "pacing"}
    )
    assert theirs.status_code == 404
    ben = staff(app, BEN)
    rows = ben.get(f"/api/clinic/patients/{b.patient_id}/lessons").json()
    assert not any(row["assigned"] for row in rows)
    # A form without the CSRF token is refused before anything is written.
    del ana.headers["X-CSRF-Token"]
    forged = ana.post(url, data={"lesson": "pacing"})
    assert forged.status_code == 403
    ana.headers["X-CSRF-Token"] = ana.cookies["__Host-backcoach-csrf"]
    rows = ana.get(f"/api/clinic/patients/{a.patient_id}/lessons").json()
    assert not any(row["assigned"] for row in rows)
