"""Peak memory of `backcoach import`: a refused 200 MB file must stay under 150 MB.

Run: .venv/bin/python bench/import_memory.py [--big-mb 200] [--fit-mb 19]
Makes a real export (one profile, screen and guided session), then export-shaped files from
it in a temporary folder: a 200 MB one (refused by the size limit, unread), one just under the
20 MB limit (read, checked and imported), and a small one nested 100,000 deep. Each import
runs as its own `backcoach` process, started by a small launcher that reads the child's peak
resident memory with ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (see ``LAUNCHER``).
Figures are printed in MB and as a ratio to the peak of `backcoach --help` measured in the
same run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from backcoach.app import AppContext
from backcoach.config import Settings
from backcoach.safety.signs import SIGNS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import AutoAnswers, begin, run_auto
from backcoach.services.sharing import dumps, export_json

TARGET_MB = 150
BACKCOACH = str(Path(sys.executable).with_name("backcoach"))
TODAY = "2026-11-02"


def real_export(home: Path) -> dict[str, Any]:
    person = AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY})
    ).person()
    update_profile(person.store, minutes=10)
    take_screen(person.store, person.today(), {s.id: "no" for s in SIGNS})
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", 0.0, minutes=10),
        AutoAnswers(pain_before=2),
        0,
        0.0,
    )
    document: dict[str, Any] = json.loads(dumps(export_json(person.store)))
    person.store.factory.kw["bind"].dispose()
    return document


def grown(document: dict[str, Any], path: Path, megabytes: float) -> Path:
    """``document`` with pain check-ins (rows with no unique rule to break) repeated until
    the file is ``megabytes`` long, written row by row so the bench itself stays small."""
    template = next(r for r in document["tables"]["pain_reports"] if r["session_id"] is not None)
    template = {**copy.deepcopy(template), "session_id": None, "item_index": None}
    template.update(exercise_id=None, moment="daily", decision={})
    head = {k: v for k, v in document.items() if k != "tables"}
    tables = {k: v for k, v in document["tables"].items() if k != "pain_reports"}
    goal = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head)[:-1] + ', "tables": ' + json.dumps(tables)[:-1])
        out.write(', "pain_reports": [')
        row_id = 1
        while out.tell() < goal - 500:
            out.write(("," if row_id > 1 else "") + json.dumps({**template, "id": row_id}))
            row_id += 1
        out.write("]}}")
    return path


def deep(path: Path, depth: int = 100_000) -> Path:
    path.write_text('{"format": "backcoach-export", "tables": ' + "[" * depth + "]" * depth + "}")
    return path


LAUNCHER = """
import os, resource, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status = os.waitpid(pid, 0)
with open(sys.argv[1], "w") as out:
    code = os.waitstatus_to_exitcode(status)
    out.write(f"{code} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
"""
"""Runs one command and reports its exit code and peak RSS. It is a bare ``python -S`` of
about 10 MB: Linux counts the memory of the process that spawns a child into the child's
``ru_maxrss`` (it is carried over at exec), so spawning from this bench, which holds the
generated files' rows, would report the bench's own size for small children."""


def peak(args: list[str], home: Path, folder: Path) -> tuple[int, float, float]:
    """Exit code, peak resident memory (MB) and wall time of one `backcoach` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY})
    report = folder / "peak.txt"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, str(report), BACKCOACH, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    seconds = time.perf_counter() - start
    code, kilobytes = report.read_text().split()
    return int(code), int(kilobytes) / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mb", type=float, default=200)
    parser.add_argument("--fit-mb", type=float, default=19)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        document = real_export(folder / "source")
        small = folder / "small.json"
        small.write_text(dumps(document), encoding="utf-8")
        big = grown(document, folder / "big.json", args.big_mb)
        fits = grown(document, folder / "fits.json", args.fit_mb)
        rows: list[tuple[str, list[str], str]] = [
            ("backcoach --help (reference)", ["--help"], "empty-1"),
            (f"import small ({small.stat().st_size / 1024:.0f} KB, accepted)", [str(small)], "a"),
            (f"import {big.stat().st_size / 2**20:.0f} MB (refused unread)", [str(big)], "b"),
            (f"import {fits.stat().st_size / 2**20:.1f} MB (read, imported)", [str(fits)], "c"),
            ("import 100,000 deep (refused)", [str(deep(folder / "deep.json"))], "d"),
        ]
        print(f"{'command':44} {'exit':>4} {'peak MB':>8} {'x --help':>8} {'seconds':>8}")
        reference = None
        for name, command, home in rows:
            argv = command if command == ["--help"] else ["import", *command, "--yes"]
            code, megabytes, seconds = peak(argv, folder / home, folder)
            reference = reference or megabytes
            flag = ""
            if "refused" in name:
                flag = "" if megabytes < TARGET_MB else f"  OVER TARGET ({TARGET_MB} MB)"
            print(
                f"{name:44} {code:>4} {megabytes:8.1f} {megabytes / reference:8.2f} "
                f"{seconds:8.2f}{flag}"
            )
        print(f"(target: a refused file peaks under {TARGET_MB} MB; the issue measured 947 MB)")


if __name__ == "__main__":
    main()
