"""A hundred patients exercising at once through the clinic's web workers: requests per second
on two web workers against one.

Run: .venv/bin/python bench/clinic_sessions.py [--people 100] [--seconds 60] [--speed 60]
                                               [--reports]

bench/people_load.py's load, run twice on a fresh private schema of the local PostgreSQL each
time: ``--people`` patients added with the clinic's own service, each redeeming their invite
through the API from a loopback address of their own (127.0.0.10, ...), answering the
warning-sign questions and the profile, then running sessions (start, every event with a
client-made id, one in twenty resent, pain and ratings answered, ended) for ``--seconds``;
`backcoach serve --clinic --workers 1`, then `--workers 2`, each with one `backcoach worker`
(the day's digest, and with ``--reports`` the report PDF each patient asks for after a first
session: left out by default, as a hundred PDFs would take the 2 cores from the web workers
for most of the minute), all on 127.0.0.1. The session clock runs ``--speed`` times faster,
so the patients' waits are short and the servers, not the patients, set the pace. Flags are
raised in the requests that save their events (clinic.flags), so they are in these figures.

Printed for each: requests per second, median and p99 latency, errors (any answer but the
expected one; must be 0) and the load test's checks (nothing acknowledged lost, duplicated,
overwritten or seen by the wrong person). The reference is the one-worker run of the same
load in the same process: two workers' rate as a ratio of one's. On this machine 2 cores are
shared by the workers, PostgreSQL and the load generator, so the ratio is bounded well below 2
(bench/workers_rate.py prints that bound for a read route).
"""

from __future__ import annotations

import argparse
import statistics

from _common import percentile
from people_load import BAD, Load, run_load


def line(load: Load) -> str:
    errors = len(load.errors)
    return (
        f"--workers {load.web_workers}: {len(load.latencies)} requests in {load.took:.0f} s, "
        f"{load.rate:.1f} req/s, median {statistics.median(load.latencies):.1f} ms, "
        f"p99 {percentile(load.latencies, 0.99):.1f} ms, errors {errors}, "
        f"sessions finished {load.found.get('sessions finished', 0)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--speed", type=float, default=60)
    parser.add_argument("--reports", action="store_true", help="each asks for a report PDF")
    args = parser.parse_args()
    runs = [
        run_load(args.people, args.seconds, args.speed, web_workers=n, reports=args.reports)
        for n in (1, 2)
    ]
    for load in runs:
        print(line(load))
    one, two = runs
    print(f"two web workers serve {two.rate / one.rate:.2f}x the requests per second of one")
    bad = False
    for load in runs:
        for name in BAD:
            if load.found.get(name, 0):
                print(f"  --workers {load.web_workers}: {name} {load.found[name]}")
                bad = True
        for number, error in load.errors[:5]:
            print(f"  --workers {load.web_workers}: person {number}: {error}")
    print("no errors, all checks hold" if not bad else "FAILED")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
