"""In the clinic (PostgreSQL): a clinician assigns a lesson to their patient and sees which
were read; another clinician's patient is a 404 and a patient is kept off these routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from backcoach.clinic import AddedPatient, Clinic
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff

pytestmark = pytest.mark.postgres
ANA = "ana@example.org"
CY = "cy@example.org"


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.fixture
def invited(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    clinic.add_clinician(email=CY, name="Cy Park", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)


def test_assign_and_see_what_was_read(app: FastAPI, invited: AddedPatient) -> None:
    pid = invited.patient_id
    ana = staff(app, ANA)
    before = ana.get(f"/api/clinic/patients/{pid}/lessons")
    assert before.status_code == 200, before.text
    assert len(before.json()) == 15 and not any(row["read_on"] for row in before.json())
    done = ana.post(f"/api/clinic/patients/{pid}/lessons/scans/assign")
    assert done.status_code == 200 and done.json() == {"id": "scans", "assigned": True}
    unknown = ana.post(f"/api/clinic/patients/{pid}/lessons/scan/assign")
    assert unknown.status_code == 404 and "scans" in unknown.json()["detail"]["fix"]

    phone = patient(app, invited.invite_code, 1980)
    assert phone.post("/api/lessons/scans/read").status_code == 200
    assert phone.get(f"/api/clinic/patients/{pid}/lessons").status_code == 403

    rows = {row["id"]: row for row in ana.get(f"/api/clinic/patients/{pid}/lessons").json()}
    assert rows["scans"] == {
        "id": "scans",
        "title": "What a scan can and cannot show",
        "read_on": "2026-11-02",
        "assigned": True,
        "assigned_by": "Ana Silva",
    }
    assert rows["sleep"]["read_on"] is None and not rows["sleep"]["assigned"]
    audit = ana.get(f"/api/clinic/patients/{pid}/audit").json()
    assert any("lesson assigned" in str(entry) for entry in audit)

    cy = staff(app, CY)  # not Bo's clinician: as if Bo did not exist
    assert cy.get(f"/api/clinic/patients/{pid}/lessons").status_code == 404
    assert cy.post(f"/api/clinic/patients/{pid}/lessons/sleep/assign").status_code == 404
