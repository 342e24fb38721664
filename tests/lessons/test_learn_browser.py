"""The Learn page, a lesson and today's card in Chromium at 390x844 (a phone), with
screenshots in test-artifacts/screenshots (learn-*.png: look at them)."""

from __future__ import annotations

from typing import Any

from tests.web.browser.conftest import PHONE, screenshot
from tests.web.conftest import ready_to_exercise


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def test_learn_and_the_today_card_on_a_phone(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person())
    page = pages.open(PHONE)

    page.goto(f"{server.url}/today")
    card = page.locator(".lesson-card")
    card.wait_for()
    assert "Why moving helps your back" in card.inner_text()
    start_box = page.locator("#start").bounding_box()
    assert start_box is not None and start_box["y"] < card.bounding_box()["y"]
    card.scroll_into_view_if_needed()
    _fits(page)
    screenshot(page, "learn-today-card", full_page=False)

    card.get_by_role("link", name="Read it").click()
    page.wait_for_url("**/learn/why-movement-helps")
    assert page.locator("h1").inner_text() == "Why moving helps your back"
    assert page.locator(".lesson-body h2").count() == 2
    assert page.locator("#read-aloud").is_visible()  # Chromium has speech synthesis
    _fits(page)
    screenshot(page, "learn-lesson")

    page.locator("#mark-read").click()
    page.wait_for_url("**/learn")
    assert page.locator(".lesson-list li").count() == 15
    assert "read" in page.locator(".lesson-list li", has_text="Why moving helps").inner_text()
    _fits(page)
    screenshot(page, "learn-page")

    page.goto(f"{server.url}/today")
    assert "You read this today" in page.locator(".lesson-card").inner_text()
