"""The web and browser fixtures the lesson tests share with tests/web."""

from __future__ import annotations

from tests.clinic.conftest import clinic, clock, pg_url  # noqa: F401
from tests.web.browser.conftest import browser, pages, serve  # noqa: F401
from tests.web.conftest import live_server_factory, web_home  # noqa: F401
