"""The programme builder shows the version of each exercise the patient will see: a
modification drawn from its own key poses has its own picture (``?version=<condition>``), as
the patient's plan picks it (``clinic.programmes.to_plan``); others show the usual picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.catalogue import load_default
from backcoach.clinic import AddedPatient, Clinic
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff
from tests.web.conftest import ALL_NO

pytestmark = pytest.mark.postgres
CATALOGUE, _ = load_default(None)
ANA = "ana@example.org"
CAT_COW = "cat-cow"
"""Modified for a wrist problem, its wrist version drawn from its own poses (on forearms)."""


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.fixture
def bo(clinic: Clinic) -> AddedPatient:
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)


@pytest.fixture
def phone(app: FastAPI, bo: AddedPatient) -> TestClient:
    """Bo, screened clear, with a wrist problem."""
    client = patient(app, bo.invite_code, 1980)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    answer = client.put("/api/profile", json={"minutes": 12, "conditions": ["wrist"]})
    assert answer.status_code == 200, answer.text
    return client


def _url(who: AddedPatient) -> str:
    return f"/api/clinic/patients/{who.patient_id}/programme"


def _entry(view: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    return next(e for e in view["library"] if e["id"] == exercise_id)


def test_the_library_gives_each_versions_picture(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    ana = staff(app, ANA)
    view = ana.get(_url(bo)).json()
    cat_cow = CATALOGUE.get(CAT_COW)
    entry = _entry(view, CAT_COW)
    assert entry["verdict"]["status"] == "modified"
    wrist = cat_cow.modifications["wrist"].text
    assert entry["verdict"]["modifications"] == [wrist]
    usual = f"/api/exercises/{CAT_COW}/figure.svg"
    drawn = f"{usual}?version=wrist"
    assert entry["figure_url"] == usual
    assert entry["version_figures"][wrist] == drawn
    assert entry["modified_figure_url"] == drawn
    # A modification without poses of its own shows the usual picture.
    for condition, modification in cat_cow.modifications.items():
        if condition not in cat_cow.drawn_versions:
            assert entry["version_figures"][modification.text] == usual
    # The addresses draw: the wrist version is another picture than the usual one.
    pictures = [ana.get(u) for u in (usual, drawn)]
    assert [p.status_code for p in pictures] == [200, 200]
    assert pictures[0].text != pictures[1].text
    # An exercise done as usual has no version of the patient's to show.
    allowed = next(e for e in view["library"] if e["verdict"]["status"] == "allowed")
    assert allowed["modified_figure_url"] == allowed["figure_url"]


def test_the_builder_picks_the_picture_as_the_plan_does(
    app: FastAPI, bo: AddedPatient, phone: TestClient
) -> None:
    """The item saved with the wrist modification is the wrist version in Bo's plan, and
    the builder's script picks that version's picture from the library entry."""
    ana = staff(app, ANA)
    view = ana.get(_url(bo)).json()
    entry = _entry(view, CAT_COW)
    wrist = CATALOGUE.get(CAT_COW).modifications["wrist"].text
    item = {"exercise_id": CAT_COW, "sets": 1, "reps": 8, "modification": wrist}
    saved = ana.post(_url(bo), json={"programme": {"items": [item], "days_per_week": 3}})
    assert saved.status_code == 201, saved.text
    plan = phone.get("/api/plan").json()
    planned = next(i for i in plan["items"] if i["exercise_id"] == CAT_COW)
    assert planned["version"] == "wrist"
    assert entry["version_figures"][planned["modification"]].endswith(
        f"?version={planned['version']}"
    )
    script = ana.get("/static/programme/builder.js").text
    assert "figureOf(item, ex)" in script and "version_figures" in script
