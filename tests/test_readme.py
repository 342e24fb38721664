"""The README's tour lists real commands with real options (STYLE: keep docs true by testing)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"


def tour_lines() -> list[str]:
    text = README.read_text()
    tour = text.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in tour.splitlines() if line.strip()]


@pytest.mark.parametrize("line", tour_lines())
def test_every_tour_command_and_option_exists(line: str) -> None:
    words = shlex.split(line)
    assert words[0] == "backcoach"
    command = [w for w in words[1:3] if re.fullmatch(r"[a-z][a-z-]*", w)]  # not "--out"
    runner = CliRunner()
    # the longest prefix of plain words that is a command (e.g. "exercises show")
    for size in range(len(command), -1, -1):
        result = runner.invoke(app, [*command[:size], "--help"], env={"COLUMNS": "200"})
        if result.exit_code == 0 and "Usage:" in result.output:
            break
    assert result.exit_code == 0, result.output
    for option in [w.split("=", 1)[0] for w in words if w.startswith("--")]:
        assert option in result.output, f"{line}: {option} is not an option of the command"
