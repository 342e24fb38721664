"""The clinician adds a patient and makes invites on their pages (web.pages_clinician), the
same ``Clinic`` use cases as ``backcoach clinic add-patient`` / ``reissue-invite``: the patient
lands in the clinician's own care, the invite is written to the audit log with the clinician
as its author, the sheet is shown once and never cached, another clinician's patient is a 404,
and a practice admin (who has no care of their own) is told plainly how patients are added.
In-process, on PostgreSQL; the browser side is in test_signin_browser.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backcoach.clinic import Clinic
from backcoach.records.tables import AuditRow, CareRow
from tests.clinic.conftest import PASSWORD
from tests.clinic.webapp import clinic_app, patient, staff

pytestmark = pytest.mark.postgres

ANA, BEN, DEE = "ana@example.org", "ben@example.org", "dee@example.org"
CODE = re.compile(r'id="invite-code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})<')


@pytest.fixture
def world(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    clinic.add_clinician(email=BEN, name="Ben Okafor", password=PASSWORD)
    clinic.add_clinician(email=DEE, name="Dee Admin", password=PASSWORD, admin=True)
    return {"app": app, "clinic": clinic}


def form(client: Any, path: str, **fields: str) -> Any:
    return client.post(path, data={"csrf_token": client.headers["X-CSRF-Token"], **fields})


def test_a_clinician_adds_a_patient_into_their_care_and_gets_the_sheet(
    world: dict[str, Any],
) -> None:
    app, clinic = world["app"], world["clinic"]
    ana = staff(app, ANA)
    assert "Add a patient" in ana.get("/clinician").text

    page = form(ana, "/clinician/patients", name="  Bo   Chen ", birth_year="1980")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"  # the code is shown this once
    code = CODE.search(page.text)
    assert code is not None
    assert "Invite for Bo Chen" in page.text and "<svg" in page.text

    # in Ana's care (not Ben's), and the invite is in the audit log as Ana's
    with clinic.factory() as db:
        ana_id = ana.get("/api/auth/me").json()["person_id"]
        [care] = db.scalars(select(CareRow).where(CareRow.clinician_id == ana_id)).all()
        issued = db.scalars(
            select(AuditRow).where(
                AuditRow.action == "invite-issued", AuditRow.patient_id == care.patient_id
            )
        ).all()
    assert [row.actor_id for row in issued] == [ana_id]
    assert "Bo Chen" in ana.get("/clinician").text
    assert "Bo Chen" not in staff(app, BEN).get("/clinician").text

    # the code on the sheet signs the patient's phone in
    phone = patient(app, code.group(1), 1980)
    assert phone.get("/api/auth/me").json()["person_id"] == care.patient_id

    # a new invite from the patient's page: the older one stops working
    again = form(ana, f"/clinician/patients/{care.patient_id}/invite")
    assert again.status_code == 200 and again.headers["cache-control"] == "no-store"
    newer = CODE.search(again.text)
    assert newer is not None and newer.group(1) != code.group(1)
    assert "is added to your patients" not in again.text


def test_refusals_are_plain_and_another_clinicians_patient_is_not_there(
    world: dict[str, Any],
) -> None:
    app, clinic = world["app"], world["clinic"]
    ana = staff(app, ANA)
    for year, said in (
        ("19x0", "Year of birth: “19x0” is not a year; write it as four digits, e.g. 1980."),
        ("", "Year of birth: please give it as four digits, e.g. 1980."),
        ("1850", "Birth year: 1850 is not a birth year; give the year as four digits between"),
    ):
        page = form(ana, "/clinician/patients", name="Cy Dale", birth_year=year)
        assert page.status_code == 422
        assert said in page.text, page.text
        assert 'value="Cy Dale"' in page.text  # what was typed stays
    assert clinic.listing()[1] == []  # nobody was added

    bens = clinic.add_patient(name="Bruno Vey", birth_year=1990, clinician_email=BEN)
    answer = form(ana, f"/clinician/patients/{bens.patient_id}/invite")
    assert answer.status_code == 404
    assert bens.invite_code not in answer.text

    # the practice admin has no care of their own: no form, and a plain answer
    dee = staff(app, DEE)
    assert "Add a patient" not in dee.get("/clinician").text
    refused = form(dee, "/clinician/patients", name="Cy Dale", birth_year="1970")
    assert refused.status_code == 422
    assert "Only a clinician adds patients, into their own care" in refused.text
    assert [p.name for p in clinic.listing()[1]] == ["Bruno Vey"]
