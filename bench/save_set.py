"""Time to save one finished set (one committed transaction), on SQLite and PostgreSQL.

Run: .venv/bin/python bench/save_set.py [--sets N]
PostgreSQL is the local server (127.0.0.1:5432, database ``test``), in a throw-away schema.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from urllib.parse import quote

from sqlalchemy import create_engine, text

from backcoach.records.db import open_database
from backcoach.records.store import Store

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def measure(url: str, n: int) -> list[float]:
    store = Store(open_database(url))
    session_id = store.start_session(store.save_plan(dt.date.today(), {}, False), "bench")
    samples = []
    for i in range(n):
        start = time.perf_counter()
        store.save_set(
            session_id,
            item_index=i // 3,
            exercise_id="bridge",
            set_number=i % 3 + 1,
            target_reps=10,
            reps=10,
            target_hold_seconds=5,
            hold_seconds=5.0,
        )
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"{name:12} median {statistics.median(samples):6.2f} ms   p99 {p99:6.2f} ms   "
        f"max {max(samples):6.2f} ms   ({len(samples)} sets)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        report("SQLite", measure(f"sqlite:///{home}/bench.db", args.sets))
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL   not reachable ({exc.__class__.__name__}); skipped")
        return
    try:
        report("PostgreSQL", measure(f"{PG}?options={quote(f'-csearch_path={schema}')}", args.sets))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
