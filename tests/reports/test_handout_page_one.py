"""The handout's page 1 holds the clinic's header and two whole exercises, not one: the header
is compact and, of packings with as few lone exercises and pages, the one fullest at the front
wins. No exercise is split across pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from backcoach.clinic.programmes import CareHeader
from backcoach.reports import handout as paper
from backcoach.services.plans import todays_plan
from backcoach.web.app import create_app
from tests.web.conftest import make_settings, person_of, ready_to_exercise


def test_of_equal_packings_page_one_holds_more() -> None:
    # Five exercises with the last page able to take two only (a real layout overflowed):
    # 2, 2, 1 rather than a lone exercise under the header.
    assert paper.pack([300] * 5, 700, caps=[3, 2]) == [2, 2, 1]
    assert paper.pack([300] * 5, 700) == [2, 3]
    assert paper.pack([450] * 2, 700) == [1, 1]  # two that cannot share page 1 still do not


def test_the_clinic_handout_puts_two_whole_exercises_on_page_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    person = person_of(create_app(make_settings(home)))
    ready_to_exercise(person)  # the profile a new patient has: the clinic test's programme
    plan = todays_plan(person.store, person.catalogue, person.today())
    ids = [item.exercise_id for item in plan.items]
    assert len(ids) >= 4
    care = CareHeader(
        practice="Riverside Physio",
        clinician="Ana Silva",
        patient="Bo Chen",
        made_on=person.today(),
        days_per_week=5,
        review_date=dt.date(2026, 12, 14),
    )
    prescription = paper.Prescription(
        by_name="Ana Silva",
        times_per_day=dict.fromkeys(ids, 2),
        notes={ids[0]: "Keep it slow."},
    )
    context = paper.handout_context(
        plan, person.catalogue, made_on=person.today(), care=care, prescription=prescription
    )
    layout, document = paper.page_layout(context)
    assert layout.counts[0] >= 2, layout
    assert all(2 <= n <= paper.MOST_PER_PAGE for n in layout.counts), layout
    assert len(document.pages) == len(layout.counts)
    where = {name: i for i, page in enumerate(document.pages) for name in page.anchors}
    for number in range(1, len(ids) + 1):
        assert where[f"card-{number}"] == where[f"card-{number}-end"], number  # whole
    assert where["notes-end"] == layout.notes_page
