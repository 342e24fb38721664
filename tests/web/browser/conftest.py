"""Browser tests: a real uvicorn server on 127.0.0.1 and Debian's Chromium through Playwright.

Every request the page makes to anything but the test server's own origin is aborted and
recorded; ``page`` fails the test afterwards if there was one, so "nothing is fetched from
other origins" is checked on every page the tests visit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EXPECTED_FAILURES = {("GET", "/api/sessions/current", 404)}
"""The player asks for the running session first; "none" is a normal answer (docs/web-api.md)."""
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


@pytest.fixture
def serve(live_server_factory: Callable[..., Any]) -> Callable[..., Any]:
    """Start a real server with its own empty home (tests/web/conftest.py):
    ``serve(clock_speed=40)``; ``.url``, ``.app`` and ``.person()`` are what tests use."""
    return live_server_factory


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Chromium, from the test process's one Playwright (tests/conftest.py)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class Pages:
    """Opens browser pages that may only talk to 127.0.0.1; remembers anything else tried."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.expected = set(EXPECTED_FAILURES)

    def expect_failure(self, method: str, path: str, status: int) -> None:
        """An answer >= 400 the test provokes on purpose (a refusal it then checks)."""
        self.expected.add((method, path, status))

    def open(self, viewport: dict[str, int] = PHONE) -> Any:
        context = self.browser.new_context(
            viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1
        )
        context.route("**/*", self._only_loopback)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        return page

    def _console(self, message: Any) -> None:
        # A failed load is reported with its address by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _response(self, response: Any) -> None:
        from urllib.parse import urlsplit

        path = urlsplit(response.url).path
        if response.status >= 400 and (
            (response.request.method, path, response.status) not in self.expected
        ):
            self.failed.append(f"{response.request.method} {path} -> {response.status}")

    def _only_loopback(self, route: Any) -> None:
        from urllib.parse import urlsplit

        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser: Any) -> Iterator[Pages]:
    opened = Pages(browser)
    yield opened
    opened.close()
    assert opened.blocked == [], f"requests to other origins were made: {opened.blocked}"
    assert opened.console_errors == [], f"errors in the browser console: {opened.console_errors}"
    assert opened.failed == [], f"requests that failed: {opened.failed}"


def answer_screen(page: Any, yes: frozenset[str] = frozenset()) -> None:
    """Answer every warning-sign question by its big button: yes for ``yes``, no for the rest."""
    from backcoach.safety.signs import SIGNS

    for sign in SIGNS:
        choice = "yes" if sign.id in yes else "no"
        page.locator(f"input[name='{sign.id}'][value='{choice}']").check()


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as a test artifact (look at them: calm and clear?)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def image_width(image: Any) -> int:
    """The natural width of an <img> once it has loaded (scrolled to first: lazy images)."""
    image.scroll_into_view_if_needed()
    image.evaluate(
        "img => img.complete && img.naturalWidth > 0 ? null : "
        "new Promise(ok => { img.addEventListener('load', ok); img.addEventListener('error', ok) })"
    )
    width: int = image.evaluate("img => img.naturalWidth")
    return width
