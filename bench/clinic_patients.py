"""A clinician with 500 patients, each with a year of history: how fast the patients list is.

Run: .venv/bin/python bench/clinic_patients.py [--patients 500] [--weeks 52] [--runs 50]

On a private schema of the local PostgreSQL (dropped at the end), bench/_history.py makes one
clinician and ``--patients`` patients, each with ``--weeks`` of records (about three sessions a
week with their sets, pain reports, ratings, stop rules and decisions; flags), copied straight
into the real tables. Then a real `backcoach serve --clinic --workers 1` process on 127.0.0.1
(requests sent as the TLS proxy passes them on), the clinician signed in through the API, and
``--runs`` rounds, each timing in turn, one request after another on one keep-alive connection:

* ``GET /clinician``: the patients list page (HTML), every patient on it;
* ``GET /api/clinic/patients``: the same list as JSON;
* ``GET /healthz`` on the same server: the whole stack and a ``SELECT 1`` on the same
  database, nobody signed in (a reference);
* bench/minimal_app.py answering the bytes of that ``/clinician`` page (a reference: what
  FastAPI and uvicorn cost for a page that size on this machine).

Printed: median and p95 of each, the list's ratio to each reference, and whether the p95 of
the page and the API is under the target of 200 ms (issue 14). Before timing, it checks that
the list holds every patient, that searching and sorting it work and that a patient's page
reads their history. The first of those looks is printed too: the server has kept no
patient's facts yet, so it works them all out (clinic.caseload keeps them under each patient's
revision tag; later looks work out only the patients whose records changed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from _common import Browser, clinic_env, free_port, percentile, private_schema, serve_clinic, stop
from _history import EMAIL, PASSWORD, build
from today_rate import start_minimal

TARGET_MS = 200.0
PAGE, API, HEALTH = "/clinician", "/api/clinic/patients", "/healthz"


def check_list(browser: Browser, patients: list[int]) -> tuple[bytes, float]:
    """The page and the API list every patient; search and sort work. The page's bytes, and
    how long the first look took (every patient's facts worked out: nothing kept yet)."""
    answer, first = browser.call("GET", API)
    lines = answer.json()
    if answer.status_code != 200 or sorted(line["id"] for line in lines) != sorted(patients):
        raise RuntimeError(f"GET {API} does not list the {len(patients)} patients")
    page, _ = browser.call("GET", PAGE)
    missing = [p for p in patients if f"/clinician/patients/{p}".encode() not in page.content]
    if page.status_code != 200 or missing:
        raise RuntimeError(f"GET {PAGE} leaves out {len(missing)} of the patients")
    wanted = lines[len(lines) // 2]
    found, _ = browser.call("GET", API, params={"q": wanted["name"]})
    names = [line["name"] for line in found.json() if line["id"] == wanted["id"]]
    if not names or any(wanted["name"] not in line["name"] for line in found.json()):
        raise RuntimeError(f"searching for {wanted['name']!r} does not find them alone")
    by_flags, _ = browser.call("GET", f"{API}?sort=flags")
    counts = [line["open_flags"] for line in by_flags.json()]
    if counts != sorted(counts, reverse=True) or not counts[0]:
        raise RuntimeError("sort=flags does not put the patients with most open flags first")
    one, _ = browser.call("GET", f"{API}/{wanted['id']}")
    if one.status_code != 200 or len(one.json()["sessions"]) == 0:
        raise RuntimeError(f"a patient's page does not read their history: {one.text[:300]}")
    return page.content, first


def time_minimal(body: bytes, folder: Path, runs: int) -> list[float]:
    """bench/minimal_app.py answering ``body``: ``runs`` timed GETs after a warm-up."""
    body_file = folder / "page.html"
    body_file.write_bytes(body)
    proc, port = start_minimal(body_file)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            took = []
            for n in range(runs + 3):
                began = time.perf_counter()
                answer = client.get("/today")
                if n >= 3:
                    took.append((time.perf_counter() - began) * 1000)
                if answer.content != body:
                    raise RuntimeError("the minimal app does not answer the page's bytes")
            return took
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def line(name: str, took: list[float]) -> str:
    return (
        f"{name:36} median {statistics.median(took):7.1f} ms   p95 "
        f"{percentile(took, 0.95):7.1f} ms   ({len(took)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not 1 <= args.patients <= 2000 or not 1 <= args.weeks <= 104 or not 3 <= args.runs <= 500:
        raise SystemExit("--patients 1-2000, --weeks 1-104, --runs 3-500: the bench is bounded")
    now = dt.datetime.now(dt.UTC)
    port, public_port = free_port(), free_port()
    took: dict[str, list[float]] = {PAGE: [], API: [], HEALTH: []}
    with private_schema("clinic") as url, tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        built = build(url, args.patients, args.weeks, now)
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in built.phases.items())
        print(
            f"{args.patients} patients, {args.weeks} weeks each: {sum(built.rows.values())} rows "
            f"({built.rows['sessions']} sessions, {built.rows['set_logs']} sets, "
            f"{built.rows['pain_reports']} pain reports, {built.rows['clinic_flags']} flags) "
            f"made in {built.seconds:.1f} s ({phases})",
            flush=True,
        )
        server = serve_clinic(clinic_env(home, url, public_port), port, public_port, 1, home / "s")
        browser = Browser(port, public_port)
        try:
            browser.sign_in(EMAIL, PASSWORD)
            page, first = check_list(browser, built.patient_ids)
            for path in (PAGE, API, PAGE, API, HEALTH):  # warm: first requests load the code
                browser.call("GET", path)
            for _ in range(args.runs):
                for path, times in took.items():
                    answer, ms = browser.call("GET", path)
                    if answer.status_code != 200:
                        raise RuntimeError(f"GET {path} answered {answer.status_code}")
                    times.append(ms)
        finally:
            browser.close()
            stop(server)
        minimal = time_minimal(page, home, args.runs)
    print(
        f"`backcoach serve --clinic --workers 1` (a real process), one request at a time; "
        f"{os.cpu_count()} cores shared with PostgreSQL and the client; page {len(page)} bytes"
    )
    print(f"first look after the server started (nothing kept yet): GET {API} {first:.0f} ms")
    print(line(f"GET {PAGE} (the page)", took[PAGE]))
    print(line(f"GET {API} (JSON)", took[API]))
    print(line(f"GET {HEALTH} (reference)", took[HEALTH]))
    print(line("minimal app, same bytes (reference)", minimal))
    for path in (PAGE, API):
        median = statistics.median(took[path])
        p95 = percentile(took[path], 0.95)
        print(
            f"{path}: {median / statistics.median(took[HEALTH]):.1f}x /healthz, "
            f"{median / statistics.median(minimal):.1f}x the minimal app (medians); "
            f"{'meets' if p95 < TARGET_MS else 'misses'} the target of {TARGET_MS:.0f} ms "
            f"(p95 {p95:.0f} ms)"
        )


if __name__ == "__main__":
    main()
