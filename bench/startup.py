"""Start-up time of the CLI, next to a bare Python start (target: under 0.3 s).

Run: .venv/bin/python bench/startup.py [--runs N]
Prints the median and best wall time of each command over N runs, in a fresh BACKCOACH_HOME
whose catalogue cache has been warmed once (as it is for anyone after their first command).
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
            ("backcoach --help", [backcoach, "--help"]),
            ("backcoach exercises list", [backcoach, "exercises", "list"]),
            ("backcoach exercises show bridge", [backcoach, "exercises", "show", "bridge"]),
        ]
        print(f"{'command':34} {'median':>8} {'best':>8}   (target under {TARGET_SECONDS} s)")
        for name, cmd in rows:
            median, best = timed(cmd, env, args.runs)
            flag = "" if name.startswith("python") or median < TARGET_SECONDS else "  OVER TARGET"
            print(f"{name:34} {median:8.3f} {best:8.3f}{flag}")


if __name__ == "__main__":
    main()
