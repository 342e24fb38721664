"""Shared fixtures: every test gets its own empty BACKCOACH_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backcoach.app import AppContext, PersonContext
from backcoach.config import Settings
from tests.dbfixtures import db_url  # noqa: F401  (a fixture for every test module)

BACKCOACH = str(Path(sys.executable).with_name("backcoach"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("BACKCOACH_HOME", str(home))
    monkeypatch.delenv("BACKCOACH_DATABASE_URL", raising=False)
    yield home


@pytest.fixture
def app_context(home: Path) -> AppContext:
    """The application context of a fresh home (SQLite), as a process makes it once."""
    return AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)}))


@pytest.fixture
def person(app_context: AppContext) -> PersonContext:
    """Personal mode's one person, on ``app_context``."""
    return app_context.person()


def run_cli(
    *args: str, home: Path, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the real installed `backcoach` command in a subprocess."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update({"BACKCOACH_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **env})
    return subprocess.run(
        [BACKCOACH, *args], capture_output=True, text=True, env=environ, input=input, timeout=120
    )


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """The one Playwright of this test process. Its sync API runs an event loop of its own and
    allows one at a time in a thread, so every browser a test launches (the plain one of
    tests/web/browser, the clinic's that trusts its proxy's authority) comes from this one."""
    from tests.web.browser.conftest import CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
