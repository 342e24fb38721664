"""Issue 16: a handout a clinician would hand out. Checked on the text of the real PDF
(WeasyPrint, read back with pypdfium2): who it is for, the date, days per week and times per
day, the prescriber and the review date (in a clinic); two or three exercises to an A4 page,
none split, no blank or near-empty page; each exercise's picture, steps, dose and the
person's own version; a notes box; no command to type anywhere. One handout is written to
test-artifacts/ (PDF and page 1 as PNG) to be looked at."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI

from backcoach.app import PersonContext
from backcoach.clinic import AddedPatient, Clinic
from backcoach.reports.handout import MOST_PER_PAGE, pack, without_commands
from backcoach.services.documents import handout_pdf
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from tests.clinic.conftest import PASSWORD, clinic, clock, pg_url  # noqa: F401 (fixtures)
from tests.clinic.webapp import clinic_app, patient, staff
from tests.conftest import run_cli
from tests.reports.test_calendar_words import COMMAND
from tests.services.simulate import START, person_on, three_weeks
from tests.web.conftest import ALL_NO, csrf_client, make_settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FEWEST_WORDS = 120
"""A page with fewer words than this holds a stray line or two, not exercises."""


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [re.sub(r"\s+", " ", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]


def check_pages(pages: list[str], names: list[str], first_least: int = 2) -> None:
    """Each exercise whole on one page, two or three to a page, no page (nearly) empty."""
    on_page = [[n for n in names if f". {n} (" in page] for page in pages]
    assert [n for page in on_page for n in page] == names, on_page
    for page, held in zip(pages, on_page, strict=True):
        assert len(page.split()) >= FEWEST_WORDS, page
        if len(names) >= 2:
            least = first_least if page is pages[0] else 2
            assert least <= len(held) <= MOST_PER_PAGE, on_page
    text = " ".join(pages).replace("Your backcoach exercises", "")  # the title, not a command
    assert not COMMAND.search(text), COMMAND.search(text)
    assert text.count("Notes For you or your clinician") == 1


@pytest.fixture(scope="module")
def person(tmp_path_factory: pytest.TempPathFactory) -> PersonContext:
    home = tmp_path_factory.mktemp("home")
    three_weeks(home, None)
    person = person_on(home, None, START + dt.timedelta(days=18))
    update_profile(person.store, conditions=["knee", "wrist"], minutes=30)
    return person


def test_personal_handout_pages_header_and_own_version(person: PersonContext) -> None:
    plan = todays_plan(person.store, person.catalogue, person.today())
    assert len(plan.items) >= 5 and any(i.modification for i in plan.items)
    pdf = handout_pdf(person.store, person.catalogue, person.today())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "handout.pdf").write_bytes(pdf)
    first = pdfium.PdfDocument(pdf)[0].render(scale=1.5).to_pil()
    first.save(ARTIFACTS / "handout-page1.png")
    pages = page_texts(pdf)
    names = [person.catalogue.get(i.exercise_id).name for i in plan.items]
    check_pages(pages, names)
    head = pages[0][:400]
    assert "Name: ____" in head and "Date: 20 November 2026" in head
    assert "Days per week: 3 (Monday, Wednesday, Friday)" in head and "Times per day: 1" in head
    assert "Practice:" not in head and "Review date:" not in head  # no clinic, no clinic lines
    text = " ".join(pages)
    for item in plan.items:
        ex = person.catalogue.get(item.exercise_id)
        assert f"{item.dose_words(ex)}" in text
        assert re.sub(r"\s+", " ", ex.steps[-1].text)[:40] in text
        if item.modification:
            assert f"Your version: {item.modification[:40]}" in text
    assert "not offered to you" in text and "for-me" not in text  # the note, without its command


def test_cli_and_web_make_the_same_handout(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = __import__("backcoach.web.app", fromlist=["create_app"]).create_app(
        make_settings(home), test_client=True
    )
    client = csrf_client(app)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert client.put("/api/profile", json={"minutes": 20}).status_code == 200
    web = client.get("/api/handout.pdf")
    assert web.status_code == 200
    out = tmp_path / "h.pdf"
    today = make_settings(home).today().isoformat()
    result = run_cli("handout", "--out", str(out), home=home, BACKCOACH_TODAY=today)
    assert result.returncode == 0, result.stderr
    assert page_texts(out.read_bytes()) == page_texts(web.content)


def test_packing_avoids_lone_exercises() -> None:
    full = 1005.0
    assert pack([300] * 5, 700) == [2, 3]
    assert sorted(pack([300] * 7, 700)) == [2, 2, 3]  # never 2, 3, 1 with a lone last page
    assert sorted(pack([450] * 4, 700)) == [1, 1, 2]  # page 1 holds one; two fit on no more
    assert pack([300] * 6, 700, caps=[2, 2]) == [2, 2, 2]
    assert pack([full + 50], 700) == [1]  # taller than a page: it still gets one


def test_commands_are_left_out_of_notes() -> None:
    note = "11 exercises are not offered to you; `backcoach exercises list --for-me` shows why."
    assert without_commands(note) == "11 exercises are not offered to you."
    assert without_commands("Run backcoach screen first.") == ""
    assert without_commands("Walk for 5 minutes.") == "Walk for 5 minutes."


@pytest.fixture
def app(tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> FastAPI:  # noqa: F811
    return clinic_app(tmp_path, pg_url, clinic, monkeypatch)


@pytest.mark.postgres
def test_clinic_handout_names_patient_prescriber_times_and_review(
    app: FastAPI,
    clinic: Clinic,  # noqa: F811
) -> None:
    clinic.add_clinician(email="ana@example.org", name="Ana Silva", password=PASSWORD)
    bo: AddedPatient = clinic.add_patient(
        name="Bo Chen", birth_year=1980, clinician_email="ana@example.org"
    )
    phone = patient(app, bo.invite_code, 1980)
    assert phone.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    ana = staff(app, "ana@example.org")
    base = f"/api/clinic/patients/{bo.patient_id}"
    items: list[dict[str, Any]] = [
        dict(s["item"]) for s in ana.get(f"{base}/programme").json()["suggested"]
    ]
    for item in items:
        item["times_per_day"] = 2
    items[0]["note"] = "Keep it slow."
    body = {"items": items, "days_per_week": 5, "review_date": "2026-12-14"}
    saved = ana.post(f"{base}/programme", json={"based_on": None, "programme": body})
    assert saved.status_code == 201, saved.text
    answer = phone.get("/api/handout.pdf")
    assert answer.status_code == 200, answer.text
    pages = page_texts(answer.content)
    head = pages[0][:700]
    for line in (
        "Practice: Riverside Physio",
        "Prescribed by: Ana Silva",
        "Patient: Bo Chen",
        "Date: 02 November 2026",
        "Days per week: 5",
        "Times per day: 2",
        "Review date: 14 December 2026",
    ):
        assert line in head, (line, head)
    text = " ".join(pages)
    assert "2 times a day" in text and "Note from Ana Silva: Keep it slow." in text
    from backcoach.catalogue import load_default

    catalogue, _ = load_default(None)
    names = [catalogue.get(item["exercise_id"]).name for item in items]
    # Page 1 holds the clinic's header and two whole exercises (test_handout_page_one.py).
    check_pages(pages, [n for n in names if f". {n} (" in text])
