"""Start-up time of the CLI, next to a bare Python start and to the floor of any Typer + Rich
command (bench/minimal_cli.py: the same 30-row table from a bare Typer app).

Run: .venv/bin/python bench/startup.py [--runs N]
Prints the median and best wall time of each command over N runs, in a fresh BACKCOACH_HOME
whose catalogue cache has been warmed once (as it is for anyone after their first command),
and each median as a ratio to that floor measured in the same run (the machine is noisy).
Targets: `exercises list` under 0.25 s (issue 13), the other commands under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 0.3
TARGETS = {"backcoach exercises list": 0.25}
FLOOR = str(Path(__file__).with_name("minimal_cli.py"))


def timed(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    backcoach = str(Path(sys.executable).with_name("backcoach"))
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "BACKCOACH_HOME": home}
        subprocess.run([backcoach, "exercises", "list"], env=env, capture_output=True, check=True)
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("typer + rich floor", [sys.executable, FLOOR, "list"]),
            ("backcoach --help", [backcoach, "--help"]),
            ("backcoach exercises list", [backcoach, "exercises", "list"]),
            ("backcoach exercises show bridge", [backcoach, "exercises", "show", "bridge"]),
        ]
        print(f"{'command':34} {'median':>8} {'best':>8} {'x floor':>8}  target")
        floor = None
        for name, cmd in rows:
            median, best = timed(cmd, env, args.runs)
            if name == "typer + rich floor":
                floor = median
            ratio = f"{median / floor:8.2f}" if floor else f"{'':8}"
            if name.startswith("backcoach"):
                target = TARGETS.get(name, TARGET_SECONDS)
                flag = f"  < {target} s" + ("" if median < target else "  OVER TARGET")
            else:
                flag = ""
            print(f"{name:34} {median:8.3f} {best:8.3f} {ratio}{flag}")


if __name__ == "__main__":
    main()
