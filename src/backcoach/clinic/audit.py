"""The audit log: who viewed or changed which patient's record, when and what, and sign-in
events. Append-only: nothing here updates or deletes an entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backcoach.clinic.throttle import as_utc
from backcoach.records.tables import AuditRow

ACTIONS = frozenset(
    {
        "view",
        "change",
        "sign-in",
        "sign-in-failed",
        "locked",
        "sign-out",
        "sign-out-everywhere",
        "invite-issued",
        "invite-redeemed",
        "invite-refused",
        "totp-enabled",
    }
)
MAX_LISTED = 1000
"""Entries one listing returns at most (newest first); the export pages through all."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_role: str | None
    patient_id: int | None
    action: str
    what: str
    detail: dict[str, Any]
    address: str | None


def write(
    db: Session,
    *,
    at: dt.datetime,
    action: str,
    what: str,
    actor_id: int | None = None,
    actor_role: str | None = None,
    patient_id: int | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {sorted(ACTIONS)}")
    db.add(
        AuditRow(
            at=at,
            actor_id=actor_id,
            actor_role=actor_role,
            patient_id=patient_id,
            action=action,
            what=what[:120],
            detail=detail or {},
            address=(address or None) and address[:64],
        )
    )


def for_patient(db: Session, patient_id: int, limit: int = MAX_LISTED) -> list[AuditEntry]:
    """The patient's entries, newest first. Callers check who may see them (access.Roster)."""
    rows = db.scalars(
        select(AuditRow)
        .where(AuditRow.patient_id == patient_id)
        .order_by(AuditRow.at.desc(), AuditRow.id.desc())
        .limit(limit)
    )
    return [_entry(row) for row in rows]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=as_utc(row.at),
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        patient_id=row.patient_id,
        action=row.action,
        what=row.what,
        detail=dict(row.detail or {}),
        address=row.address,
    )


CSV_FIELDS = ("id", "at", "actor_id", "actor_role", "patient_id", "action", "what", "detail")


def to_csv(entries: list[AuditEntry]) -> str:
    """The entries as CSV (times in UTC, ISO 8601), for a spreadsheet or a records request."""
    import json

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for entry in entries:
        row = asdict(entry)
        row["at"] = entry.at.astimezone(dt.UTC).isoformat()
        row["detail"] = json.dumps(entry.detail, sort_keys=True)
        writer.writerow(row)
    return out.getvalue()
