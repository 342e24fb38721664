"""The clinic's benches, small, so they cannot rot: bench/clinic_patients.py (the patients list
over a long history) with 20 patients, and bench/clinic_sessions.py (patients running sessions
on one web worker, then two) with a few people for a few seconds. And the property the first
one times: the patients list reads in a fixed number of queries, whatever the number of
patients or the length of their history, and works out again only the patients whose records
changed."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from backcoach.clinic import Clinic
from tests.clinic.conftest import PASSWORD
from tests.clinic.test_clinician_pages import records, session
from tests.clinic.webapp import clinic_app, staff

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.postgres


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    engine = app.state.app_context.database.kw["bind"]
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_list_reads_in_a_fixed_number_of_queries(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
    for email, name, patients, sessions in (
        ("ana@example.org", "Ana", 2, 1),
        ("ben@example.org", "Ben", 6, 4),
    ):
        clinic.add_clinician(email=email, name=name, password=PASSWORD)
        for n in range(patients):
            added = clinic.add_patient(
                name=f"{name} patient {n}", birth_year=1970 + n, clinician_email=email
            )
            for _ in range(sessions):
                session(records(app, added.patient_id), pain=3)
    ana, ben = staff(app, "ana@example.org"), staff(app, "ben@example.org")

    def look(client: Any) -> tuple[int, list[dict[str, Any]]]:
        with statements(app) as seen:
            answer = client.get("/api/clinic/patients")
        assert answer.status_code == 200, answer.text
        return len(seen), answer.json()

    (ana_first, small), (ben_first, large) = look(ana), look(ben)
    assert len(small) == 2 and len(large) == 6
    assert ana_first == ben_first, "the same queries for 2 patients and 1 session, 6 and 4"
    (ana_again, _), (ben_again, same) = look(ana), look(ben)
    assert ana_again == ben_again < ben_first, "unchanged records are not read again"
    assert same == large
    changed = large[3]
    session(records(app, changed["id"]), pain=3)
    count, after = look(ben)
    assert count == ben_first, "one patient's records changed: read again, same queries"
    now = {line["id"]: line for line in after}
    assert now[changed["id"]]["sessions_this_week"] == changed["sessions_this_week"] + 1
    assert [line for line in after if line["id"] != changed["id"]] == [
        line for line in large if line["id"] != changed["id"]
    ]


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    return done.stdout


@pytest.mark.slow
def test_the_patients_list_bench_at_small_scale() -> None:
    out = run("clinic_patients.py", "--patients", "20", "--weeks", "8", "--runs", "5")
    assert re.search(r"^20 patients, 8 weeks each: \d+ rows", out, re.M), out
    for name in ("GET /clinician", "GET /api/clinic/patients", "GET /healthz", "minimal app"):
        assert re.search(rf"^{name}.*median +[\d.]+ ms +p95 +[\d.]+ ms +\(5 runs\)", out, re.M), out
    assert re.search(r"^first look after the server started .* \d+ ms$", out, re.M), out
    ratios = re.findall(r"^/\S+: [\d.]+x /healthz, [\d.]+x the minimal app", out, re.M)
    assert len(ratios) == 2, out


@pytest.mark.slow
def test_the_sessions_bench_at_small_scale() -> None:
    out = run("clinic_sessions.py", "--people", "3", "--seconds", "4")
    for workers in (1, 2):
        found = re.search(
            rf"^--workers {workers}: (\d+) requests .* ([\d.]+) req/s, median [\d.]+ ms, "
            r"p99 [\d.]+ ms, errors (\d+)",
            out,
            re.M,
        )
        assert found, out
        assert int(found[1]) > 0 and float(found[2]) > 0 and found[3] == "0", out
    assert re.search(r"two web workers serve [\d.]+x the requests per second of one", out), out
    assert "no errors, all checks hold" in out
