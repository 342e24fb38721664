"""The clinician's side of issues 18 and 19 in a real browser (clinic mode, PostgreSQL, a real
uvicorn server, Debian's Chromium): the patient page's lessons section on a phone (390 x 844),
a lesson assigned with its form; and the programme builder started from an article, the
exercise the patient may not do shown with why, the draft saved as any other."""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.clinic import AddedPatient
from tests.clinic.conftest import PASSWORD
from tests.clinic.test_comment_browser import (  # noqa: F401 (fixtures)
    ANA,
    Server,
    bo,
    dt_today,
    server,
    signed_in_staff,
)
from tests.web.browser.conftest import (  # noqa: F401 (fixtures)
    PHONE,
    Pages,
    browser,
    pages,
    screenshot,
)

pytestmark = pytest.mark.postgres

ARTICLE = """# Two moves for your back

**Bird dog:** on all fours, reach one arm and the opposite leg out, hold for 5 seconds,
6 to 8 each side, 2 sets.

**Hip hinge:** stand tall and push your hips back, 10 times.

Click here to read more!"""


def fits_the_screen(page: Any) -> bool:
    width: int = page.evaluate("document.scrollingElement.scrollWidth")
    return width <= PHONE["width"]


@pytest.mark.slow
def test_lessons_on_the_patient_page_on_a_phone(
    server: Server,  # noqa: F811
    bo: AddedPatient,  # noqa: F811
    pages: Pages,  # noqa: F811
) -> None:
    store = server.app.state.app_context.person(bo.patient_id).store
    store.mark_lesson("scans", read_on=dt_today(server))
    phone = pages.open(PHONE)
    phone.goto(f"{server.url}/signin")
    phone.fill("#email", ANA)
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(f"{server.url}/clinician**")
    phone.goto(f"{server.url}/clinician/patients/{bo.patient_id}#lessons")
    lessons = phone.locator("#lessons")
    assert "Read 1 of 15." in lessons.inner_text()
    assert "What a scan can and cannot show" in lessons.locator(".lessons-read").inner_text()
    lessons.get_by_label("Assign a lesson").select_option(label="Pacing and small steps")
    lessons.get_by_role("button", name="Assign").click()
    phone.wait_for_url(f"**/clinician/patients/{bo.patient_id}?assigned=pacing#lessons")
    lessons = phone.locator("#lessons")
    assert lessons.get_by_role("status").inner_text().startswith("Assigned: Pacing and small")
    assert "(by Ana Silva)" in lessons.locator(".lessons-assigned").inner_text()
    assert fits_the_screen(phone)
    lessons.scroll_into_view_if_needed()
    screenshot(phone, "clinic-lessons-01-assigned", full_page=False)


@pytest.mark.slow
def test_a_programme_started_from_an_article(
    server: Server,  # noqa: F811
    bo: AddedPatient,  # noqa: F811
    pages: Pages,  # noqa: F811
) -> None:
    desk = signed_in_staff(pages, server)
    desk.goto(f"{server.url}/clinician/patients/{bo.patient_id}/programme")
    panel = desk.locator("details.from-article")
    panel.locator("summary").click()
    panel.get_by_label("The article's text").fill(ARTICLE)
    panel.get_by_role("button", name="Read the article").click()
    found = desk.locator(".article-exercises")
    found.wait_for()
    bird = found.locator("li", has_text="Bird dog")
    assert "In the draft: 2 × 6 reps, hold 5 s, each side." in bird.inner_text()
    hinge = found.locator("li.verdict-excluded")
    assert "Hip hinge" in hinge.inner_text() and "Left out of the draft: An advanced exercise" in (
        hinge.inner_text()
    )
    found.scroll_into_view_if_needed()
    screenshot(desk, "clinic-builder-01-article-read", full_page=False)

    panel.get_by_role("button", name="Start from these exercises").click()
    items = desk.locator("ol.items > li")
    assert items.count() == 1 and "Bird dog" in items.first.inner_text()
    assert items.first.locator("input[name='reps']").input_value() == "6"
    assert items.first.locator("input[name='hold_seconds']").input_value() == "5"
    assert desk.locator(".builder-status").inner_text().startswith("Draft started from")
    screenshot(desk, "clinic-builder-02-draft")
    desk.get_by_role("button", name="Save and assign").click()
    desk.wait_for_function(
        "() => document.querySelector('.builder-status').textContent.startsWith('Saved')"
    )
    assert "Bird dog" in desk.locator(".programme-summary").inner_text()
