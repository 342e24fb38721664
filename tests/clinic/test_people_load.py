"""The load test of bench/people_load.py, small: five people run sessions at once through two
real web workers and a real job worker on PostgreSQL, every event with a client-made id and some
sent twice; nothing acknowledged is lost, nothing is saved twice or overwritten, and nobody sees
another person's rows. The bench runs the same with 50 people for 2 minutes and prints p99."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "people_load.py"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_five_people_at_once_lose_nothing_and_see_only_their_own() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--people", "5", "--seconds", "15"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "all checks hold" in report
    figures = dict(
        line.strip().rsplit(None, 1) for line in done.stdout.splitlines() if line.startswith("  ")
    )
    assert int(figures["sets acknowledged"]) > 0 and int(figures["pain reports saved"]) > 0
    assert int(figures["report PDFs made by the job worker"]) == 5
    for bad in ("lost sets", "overwritten sets", "rows of the wrong person"):
        assert figures[bad] == "0", report
