"""The check-in and the direction check in a real browser on a phone (390 x 664, the viewport a
phone leaves with its browser bars): reached from the menu, answered with taps, problems shown
next to the field, nothing wider than the screen, results in plain words."""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.records.outcomes_store import OutcomeStore
from backcoach.services import outcomes
from backcoach.services.profiles import load_profile
from tests.web.browser.conftest import image_width, screenshot
from tests.web.conftest import ready_to_exercise

PHONE_WITH_BARS = {"width": 390, "height": 664}


def fits_the_screen(page: Any) -> bool:
    width: int = page.evaluate("document.scrollingElement.scrollWidth")
    return width <= PHONE_WITH_BARS["width"]


@pytest.mark.slow
def test_check_in_then_direction_check_on_a_phone(serve: Any, pages: Any) -> None:
    server = serve()
    person = server.person()
    ready_to_exercise(person)
    outcomes.add_activity(person.store, person.today(), "putting on socks")
    page = pages.open(PHONE_WITH_BARS)
    page.goto(server.url + "/today")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    assert page.url.endswith("/checkin")
    assert page.get_by_role("heading", level=1).inner_text() == "How is your back today?"
    assert fits_the_screen(page)
    # Saved without pain now: said next to the field, nothing saved.
    page.locator("input[name='worst'][value='5']").check()
    pages.expect_failure("POST", "/checkin", 400)
    page.get_by_role("button", name="Save my check-in").click()
    problem = page.locator("#pain_now-problem")
    assert problem.inner_text().startswith("not chosen yet")
    assert page.locator("input[name='worst'][value='5']").is_checked()  # kept
    screenshot(page, "checkin-01-problem")
    assert OutcomeStore(person.store).pain_readings(("daily", "worst-24h")) == []

    page.locator("input[name='pain_now'][value='3']").check()
    socks = outcomes.activities(person.store)[0]
    page.locator(f"input[name='rate_{socks.id}'][value='4']").check()
    screenshot(page, "checkin-02-filled")
    page.get_by_role("button", name="Save my check-in").click()
    assert page.get_by_role("status").first.inner_text().startswith("Thank you, saved.")
    readings = OutcomeStore(person.store).pain_readings(("daily", "worst-24h"))
    assert [(r.moment, r.score) for r in readings] == [("daily", 3), ("worst-24h", 5)]
    assert [r.score for r in OutcomeStore(person.store).activity_ratings()] == [4]

    page.goto(server.url + "/direction")
    assert fits_the_screen(page)
    screenshot(page, "direction-01-before")
    page.locator("input[name='location'][value='buttock']").check()
    page.locator("input[name='pain'][value='5']").check()
    page.get_by_role("button", name="Next: the first movement").click()
    assert page.get_by_role("heading", name="Press-up lying on your front").is_visible()
    assert "Do 10 slow repetitions." in page.locator("main").inner_text()
    assert image_width(page.locator("img.figure")) > 100  # the picture of the movement
    page.evaluate("window.scrollTo(0, 0)")
    assert fits_the_screen(page)
    screenshot(page, "direction-02-test")
    page.locator("input[name='location'][value='back']").check()
    page.locator("input[name='pain'][value='2']").check()
    page.get_by_role("button", name="Save and go on").click()

    assert page.url.endswith("/direction/result")
    finding = page.locator("#finding").inner_text()
    assert finding == "Bending backwards eases it"
    text = page.locator("main").inner_text()
    assert "no-change" not in text and "extension" not in text
    assert fits_the_screen(page)
    screenshot(page, "direction-03-result")
    assert load_profile(person.store).directional_preference == "extension"
