"""Issue 14: in clinic mode the report and the handout carry the practice's name, the
clinician, the patient, the date, the days per week and the review date; in personal mode
they carry no such header at all. Checked on the text of the real PDFs (WeasyPrint, read back
with pypdfium2), made through the web app's own paths: the clinician's report, the patient's
report and handout (clinic mode, PostgreSQL, jobs in-process), the person's own (SQLite)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.clinic import AddedPatient, Clinic
from backcoach.web.app import create_app
from tests.clinic.conftest import PASSWORD, clinic, clock, pg_url  # noqa: F401 (fixtures)
from tests.clinic.webapp import clinic_app, patient, staff
from tests.web.conftest import ALL_NO, csrf_client, make_settings

ANA = "ana@example.org"
LABELS = ("Practice:", "Clinician:", "Patient:", "Date:", "Days per week:", "Review date:")


def text_of(answer: object) -> str:
    """The text of every page of a PDF answer, whitespace folded."""
    assert getattr(answer, "status_code", None) == 200, getattr(answer, "text", answer)
    content: bytes = answer.content  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF-")
    doc = pdfium.PdfDocument(content)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return re.sub(r"\s+", " ", text)


def assert_header(text: str, expected: dict[str, str], where: str) -> None:
    """Each label followed by its value, in the order printed, near the top of page 1."""
    at = [text.find(f"{label} {value}") for label, value in expected.items()]
    assert all(i >= 0 for i in at), (where, expected, text[:700])
    assert at == sorted(at) and at[-1] < 600, (where, text[:700])


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:  # noqa: F811
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.fixture
def bo(clinic: Clinic) -> AddedPatient:  # noqa: F811
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    return clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)


@pytest.mark.postgres
def test_clinic_documents_carry_the_care_header(app: FastAPI, bo: AddedPatient) -> None:
    phone = patient(app, bo.invite_code, 1980)
    assert phone.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    profile = {"minutes": 12, "days": ["mon", "tue", "thu", "sat"]}
    assert phone.put("/api/profile", json=profile).status_code == 200

    # no programme yet: days per week are the profile's (backcoach's own plan), no review
    before = {
        "Practice:": "Riverside Physio",
        "Clinician:": "Ana Silva",
        "Patient:": "Bo Chen",
        "Date:": "02 November 2026",
        "Days per week:": "4",
        "Review date:": "not set",
    }
    assert_header(text_of(phone.get("/api/report.pdf")), before, "before a programme")

    ana = staff(app, ANA)
    base = f"/api/clinic/patients/{bo.patient_id}"
    view = ana.get(f"{base}/programme").json()
    items = [dict(s["item"]) for s in view["suggested"]]
    body = {"items": items, "days_per_week": 5, "review_date": "2026-12-14"}
    saved = ana.post(f"{base}/programme", json={"based_on": None, "programme": body})
    assert saved.status_code == 201, saved.text

    expected = {
        "Practice:": "Riverside Physio",
        "Clinician:": "Ana Silva",
        "Patient:": "Bo Chen",
        "Date:": "02 November 2026",
        "Days per week:": "5",
        "Review date:": "14 December 2026",
    }
    for who, path in (
        (ana, f"{base}/report.pdf"),  # the clinician's copy of the report
        (phone, "/api/report.pdf"),  # the patient's own
        (phone, "/api/handout.pdf"),
    ):
        assert_header(text_of(who.get(path)), expected, path)
    handout = text_of(phone.get("/api/handout.pdf"))
    assert "to be reviewed on 14 December 2026" in handout  # the programme's own note


def test_personal_documents_have_no_header(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "home"), test_client=True)
    client: TestClient = csrf_client(app)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert client.put("/api/profile", json={"minutes": 12}).status_code == 200
    assert not any(label in text_of(client.get("/api/report.pdf")) for label in LABELS)
    # issue 16: the personal handout has its own header (name to write in, date, days, times
    # per day) but none of the clinic's lines
    handout = text_of(client.get("/api/handout.pdf"))
    assert not any(label in handout for label in ("Practice:", "Clinician:", "Patient:"))
    assert "Review date:" not in handout and "Name: ____" in handout
    assert "backcoach progress report" in text_of(client.get("/api/report.pdf"))
