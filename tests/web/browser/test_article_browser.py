"""The article page in a real browser on a phone (390 x 844): a short article pasted, the
exercises backcoach knows shown with the article's dose, the noise left out listed with its
reason, and a flagged conflict linked to the lesson that covers it, which opens."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.browser.conftest import PHONE, screenshot
from tests.web.conftest import ready_to_exercise

ARTICLE = """Easy moves for a sore lower back

Stay in bed for a few days until the pain goes.

Press-up: lie on your stomach and push up with your arms, keep your pelvis on the floor,
hold for a count of ten, 10 times.

Click here to read more amazing back tips!

Stop if you feel sharp pain."""


def fits_the_screen(page: Any) -> bool:
    width: int = page.evaluate("document.scrollingElement.scrollWidth")
    return width <= PHONE["width"]


@pytest.mark.slow
def test_paste_an_article_and_follow_its_lesson_link(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person())
    page = pages.open(PHONE)
    page.goto(server.url + "/article")
    assert page.get_by_role("heading", level=1).inner_text() == "Check an article"
    page.get_by_label("The article's text").fill(ARTICLE)
    page.get_by_role("button", name="Check the article").click()
    page.wait_for_selector("#result")

    exercises = page.locator("#exercises")
    assert "Press-up" in exercises.inner_text()
    assert "a count of ten" in exercises.inner_text()  # the article's dose, quoted
    conflict = page.locator("#conflicts li").first
    assert "Stay in bed" in conflict.inner_text()
    link = conflict.get_by_role("link", name="Getting through a flare-up")
    assert link.get_attribute("href") == "/learn/staying-active-in-a-flare-up"
    advice = page.locator("#advice")
    assert advice.get_by_role("link", name="Hurt is not the same as harm").count() >= 1
    assert fits_the_screen(page)
    screenshot(page, "article-01-result")

    removed = page.locator("#removed")
    removed.locator("summary").click()
    assert "link bait" in removed.inner_text() and "Click here" in removed.inner_text()
    removed.scroll_into_view_if_needed()
    screenshot(page, "article-02-removed", full_page=False)

    link.click()
    page.wait_for_url("**/learn/staying-active-in-a-flare-up")
    assert page.get_by_role("heading", level=1).inner_text() == "Getting through a flare-up"
    assert fits_the_screen(page)
