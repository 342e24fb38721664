"""Collects the camera coach's accuracy figures and prints them at the end of the run."""

from __future__ import annotations

from typing import Any

import pytest

from tests.motion import figures


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = figures.summary()
    if lines:
        terminalreporter.section("camera coach accuracy (synthetic and real video)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def accuracy() -> figures.Figures:
    return figures.FIGURES
