"""Documents made by jobs: the clinician's report and the handout, as PDF.

Asking for a document (``request_document``) saves a ``documents`` row (queued) for the person
and hands the job ``make-document`` (person id, document id) to the queue. The job claims the
row (running), renders the PDF from the person's records, and writes it into the same row
(done); a retry or a second delivery writes over that row, never a second one. A problem the
person can fix (no plan allowed yet for a handout) fails the document at once with its
message and code; anything else is raised for the queue to retry, and the row is marked failed
only when the last attempt fails (``give_up``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import AwareDatetime, BaseModel, field_validator
from sqlalchemy import delete, select

from backcoach.errors import BackcoachError, PlanRefused
from backcoach.records.tables import DocumentRow

if TYPE_CHECKING:
    from backcoach.config import Settings
    from backcoach.jobs.queue import JobQueue
    from backcoach.jobs.workplace import Workplace
    from backcoach.records.store import Store

log = logging.getLogger(__name__)

DocumentKind = Literal["report", "handout"]
KINDS: tuple[str, ...] = get_args(DocumentKind)
Status = Literal["queued", "running", "done", "failed"]

MAKE_DOCUMENT = "make-document"
"""The job's name on every queue."""

DOCUMENTS_KEPT = 3
"""Finished documents kept per person and kind: asking for a new one deletes older ones, so
the table holds a few PDFs per person however often they ask (the newest is the useful one)."""

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""A report is about 0.1 MB and a handout with every picture about 1 MB; a PDF past this is a
fault, refused rather than stored."""

ABANDONED_AFTER = dt.timedelta(days=1)
"""A document still queued or running after a day (no worker ran, or one died with it) is
deleted when the person asks for the same kind again."""

JOB_FAILED = "job-failed"
"""``error_code`` of a document whose job failed on every attempt (not the person's to fix)."""


class Document(BaseModel):
    """A document's state, as the API and the CLI show it (never its bytes)."""

    id: int
    kind: DocumentKind
    status: Status
    attempts: int
    error: str | None
    error_code: str | None
    size: int | None
    created_at: AwareDatetime
    finished_at: AwareDatetime | None

    @field_validator("created_at", "finished_at", mode="before")
    @classmethod
    def _utc(cls, moment: object) -> object:
        # SQLite hands back naive datetimes; everything is stored in UTC.
        if isinstance(moment, dt.datetime) and moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment


class QueueUnavailable(BackcoachError):
    """The job queue could not take the job; the document was marked failed."""


def _as_document(row: DocumentRow) -> Document:
    return Document.model_validate(row, from_attributes=True)


def request_document(
    store: Store, queue: JobQueue, kind: DocumentKind, now: dt.datetime
) -> Document:
    """Save a queued document for ``store``'s person, hand its job to ``queue`` and return its
    state: ``done`` (or ``failed``) already when the queue runs jobs in this process."""
    if kind not in KINDS:
        raise BackcoachError(f"kind {kind!r} is not a document; ask for one of: {', '.join(KINDS)}")
    with store.scoped() as s:
        kept = s.scalars(
            select(DocumentRow.id)
            .where(DocumentRow.kind == kind, DocumentRow.status.in_(("done", "failed")))
            .order_by(DocumentRow.id.desc())
            .limit(DOCUMENTS_KEPT - 1)
        ).all()
        finished = DocumentRow.status.in_(("done", "failed")) & DocumentRow.id.not_in(kept)
        abandoned = DocumentRow.created_at < now - ABANDONED_AFTER
        s.execute(
            delete(DocumentRow)
            .where(DocumentRow.kind == kind, finished | abandoned)
            .execution_options(synchronize_session=False)
        )
        row = DocumentRow(kind=kind, status="queued", attempts=0, created_at=now)
        s.add(row)
        s.flush()
        document_id = row.id
    try:
        queue.submit(MAKE_DOCUMENT, person_id=store.person_id, document_id=document_id)
    except Exception as exc:
        log.exception("the job queue refused document %s", document_id)
        _fail(store, document_id, "the job queue could not be reached", "queue-unavailable", now)
        raise QueueUnavailable(
            f"the job queue could not take the {kind} ({type(exc).__name__}); try again in a "
            "moment, and check that the database is reachable"
        ) from None
    found = document(store, document_id)
    if found is None:  # forgotten in the meantime
        raise BackcoachError(f"the {kind} was deleted while it was being made; ask for it again")
    return found


def document(store: Store, document_id: int) -> Document | None:
    """The person's document ``document_id``; None when there is none (or it is someone
    else's: the store sees only its person's rows)."""
    with store.reading() as s:
        row = s.scalars(select(DocumentRow).where(DocumentRow.id == document_id)).first()
        return None if row is None else _as_document(row)


def document_pdf(store: Store, document_id: int) -> bytes | None:
    """The finished PDF of the person's document, or None (none, not done, someone else's)."""
    with store.reading() as s:
        return s.scalars(
            select(DocumentRow.content).where(
                DocumentRow.id == document_id, DocumentRow.status == "done"
            )
        ).first()


# --- the job ----------------------------------------------------------------------------------


def make_document(workplace: Workplace, *, person_id: int, document_id: int) -> None:
    """Render the document and write it into its row. Idempotent: a document already done, or
    deleted (forget, a newer one), is left alone."""
    store = workplace.store(person_id)
    with store.scoped() as s:
        # NOWAIT: a second run of the same job while the first holds the row fails at once and
        # is retried later, rather than queueing behind it (PostgreSQL; SQLite ignores it).
        row = s.scalars(
            select(DocumentRow).where(DocumentRow.id == document_id).with_for_update(nowait=True)
        ).first()
        if row is None or row.status == "done":
            return
        row.status = "running"
        row.attempts += 1
        kind = row.kind
    now = store_now(workplace.settings)
    try:
        pdf = render(kind, workplace, store)
    except PlanRefused as exc:
        _fail(store, document_id, str(exc), f"plan-refused:{exc.code}", now)
        return
    except BackcoachError as exc:
        _fail(store, document_id, str(exc), "coach-error", now)
        return
    if len(pdf) > MAX_DOCUMENT_BYTES:
        _fail(store, document_id, f"the {kind} came to {len(pdf)} bytes", JOB_FAILED, now)
        return
    with store.scoped() as s:
        row = s.scalars(
            select(DocumentRow).where(DocumentRow.id == document_id).with_for_update()
        ).first()
        if row is None:
            return
        row.content = pdf
        row.size = len(pdf)
        row.status = "done"
        row.error = row.error_code = None
        row.finished_at = store_now(workplace.settings)
    log.info("made %s %s for person %s", kind, document_id, person_id)


def give_up_document(
    workplace: Workplace, error: BaseException, *, person_id: int, document_id: int
) -> None:
    """After the last attempt failed: the document says so instead of staying queued."""
    message = f"the document could not be made ({type(error).__name__}); ask for it again"
    _fail(
        workplace.store(person_id),
        document_id,
        message,
        JOB_FAILED,
        store_now(workplace.settings),
    )


def render(kind: str, workplace: Workplace, store: Store) -> bytes:
    """The PDF of ``kind`` from the records in ``store``. The one rendering path: the web app,
    the CLI and `backcoach worker` all come here through the job. A clinic's patient's
    documents carry the clinic's header (practice, clinician, patient, date, days per week,
    review date), whoever asked for them; personal mode's have none."""
    from backcoach.services.documents import care_for, handout_pdf, report_pdf

    if kind not in KINDS:
        raise BackcoachError(f"kind {kind!r} is not a document; ask for one of: {', '.join(KINDS)}")
    make = report_pdf if kind == "report" else handout_pdf
    today = workplace.settings.today()
    care = care_for(workplace.database, store, today)
    return make(store, workplace.catalogue(), today, care)


def store_now(settings: Settings) -> dt.datetime:
    """Now, on the pretend day when BACKCOACH_TODAY is set (as rows are stamped)."""
    from backcoach.jobs.workplace import pretend_clock

    clock = pretend_clock(settings)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def _fail(store: Store, document_id: int, error: str, code: str, now: dt.datetime) -> None:
    with store.scoped() as s:
        row = s.scalars(select(DocumentRow).where(DocumentRow.id == document_id)).first()
        if row is None or row.status == "done":
            return
        row.status = "failed"
        row.error = error
        row.error_code = code
        row.finished_at = now
