"""axe-core (the accessibility engine, bundled by axe-playwright-python: nothing is fetched)
over the pages this round added, in Chromium at 390x844 (issue 19: "axe-core finds nothing"):
the Learn page and a lesson, today's page with its lesson card, the check-in, the direction
check, the flare-up page and the article check with a result on it."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.web.browser.conftest import PHONE
from tests.web.conftest import ready_to_exercise

ARTICLE = (
    "Press-ups lying on your front: lie on your stomach, hands under your shoulders, and push "
    "up slowly, keeping your hips on the floor. Hold for a count of ten. Repeat 10 times. "
    "Click here to read more! Stop if you feel sharp pain, and see a doctor if you have "
    "numbness in the saddle area."
)


def violations(page: Any) -> list[str]:
    """Each violation as 'rule: how many nodes' (empty: axe found nothing)."""
    results = Axe().run(page)
    return [f"{v['id']}: {len(v['nodes'])} node(s)" for v in results.response["violations"]]


@pytest.mark.slow
def test_the_new_pages_have_no_accessibility_violations(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person())
    page = pages.open(PHONE)
    found: dict[str, list[str]] = {}
    for path in ("/today", "/learn", "/learn/hurt-and-harm", "/checkin", "/direction",
                 "/flare-up", "/article"):  # fmt: skip
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        found[path] = violations(page)
    page.goto(server.url + "/article")
    page.locator("textarea").first.fill(ARTICLE)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    found["/article (a result)"] = violations(page)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    # The engine really ran: a picture without a text alternative is reported at once.
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in violations(page))
