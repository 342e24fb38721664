"""One CSV file per table of records, for spreadsheets.

The cells hold the same values as the JSON export (dates and times as ISO strings in UTC,
true/false, empty for no value); columns that hold structured data (the profile, a plan, a
screen's answers) are written as compact JSON text in their cell.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON

from backcoach.reports.export import columns as exported_columns
from backcoach.reports.export import dump_table, tables

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def cell(value: Any, is_json: bool) -> str:
    if value is None:
        return ""
    if is_json:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(session: Session, folder: Path) -> list[Path]:
    """Write ``<table>.csv`` for every table into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables():
        columns = exported_columns(table)
        path = folder / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in columns])
            for row in dump_table(session, table):
                writer.writerow([cell(row[c.name], isinstance(c.type, JSON)) for c in columns])
        written.append(path)
    return written
