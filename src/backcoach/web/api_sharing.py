"""Progress, the clinician's report and handout, reminders, export, import and forget."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backcoach.app import PersonContext
from backcoach.config import IMPORT_MAX_MB_VARIABLE
from backcoach.jobs.documents import Document, DocumentKind
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError, ErrorBody
from backcoach.web.deps import PersonDep

router = APIRouter(tags=["progress and sharing"], responses=ERROR_RESPONSES)

PDF = "application/pdf"
PRIVATE = "no-store"
"""Health data: no cache keeps a copy."""


def _file(content: bytes | str, media_type: str, name: str | None = None) -> Response:
    headers = {"Cache-Control": PRIVATE}
    if name is not None:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(content, media_type=media_type, headers=headers)


def _binary(media_type: str, text: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": text}}


class ForgetRequest(BaseModel):
    confirm: Literal["forget"] = Field(description='type the word "forget": it cannot be undone')


class ForgetResult(BaseModel):
    rows: dict[str, int]
    removed: list[str]
    kept: list[str]


class ImportResult(BaseModel):
    rows: dict[str, int]
    replaced_rows: int
    backup: str | None


@router.get("/progress")
def progress(person: PersonDep) -> dict[str, Any]:
    """How pain, activities and sessions are going: trends, meaningful changes, adherence."""
    from backcoach.services.progress import progress_summary

    return progress_summary(person.store, person.catalogue, person.today())


@router.get(
    "/progress/chart.svg",
    response_class=Response,
    responses=_binary("image/svg+xml", "The progress chart (SVG)."),
)
def chart(person: PersonDep) -> Response:
    """Pain and activity over time as a chart."""
    from backcoach.reports.charts import progress_chart
    from backcoach.services.progress import progress_summary

    summary = progress_summary(person.store, person.catalogue, person.today())
    svg = progress_chart(summary, "svg")
    return _file(svg, "image/svg+xml")


# --- documents: the report and the handout, made by jobs (backcoach.jobs, docs/jobs.md) -------

DOCUMENT_WAIT_S = 30.0
"""How long GET /api/report.pdf and /api/handout.pdf wait for a queued job before answering
202 with the document to poll. In personal mode the job has run before the first look."""
DOCUMENT_POLL_S = 0.2


def _request_document(person: PersonContext, kind: DocumentKind) -> Document:
    from backcoach.jobs.documents import QueueUnavailable, request_document

    try:
        queue = person.app.jobs
    except ValueError as exc:  # BACKCOACH_JOBS set to something else
        raise ApiError(503, "jobs-misconfigured", str(exc)) from None
    try:
        return request_document(person.store, queue, kind, person.app.now())
    except QueueUnavailable as exc:
        raise ApiError(503, "queue-unavailable", str(exc), fix="ask again in a moment") from None


DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a document's id")]


def _document(person: PersonContext, document_id: int) -> Document:
    from backcoach.jobs.documents import document

    found = document(person.store, document_id)
    if found is None:
        raise ApiError(404, "no-such-document", f"there is no document {document_id}")
    return found


def _failed(doc: Document) -> ApiError:
    """A failed document as the error a person reads: a refused plan stays a 409
    ``plan-refused:...`` (as the plan routes answer), a job that gave up says to ask again."""
    code = doc.error_code or "job-failed"
    status = 400 if code == "coach-error" else 409
    return ApiError(
        status,
        code,
        doc.error or "the document could not be made",
        fix=None if code.startswith("plan-refused") else "ask for it again",
    )


def _pdf(person: PersonContext, doc: Document) -> Response:
    from backcoach.jobs.documents import document_pdf

    pdf = document_pdf(person.store, doc.id)
    if pdf is None:  # deleted since (forget, or a newer one of its kind)
        raise ApiError(404, "no-such-document", f"there is no document {doc.id}")
    return _file(pdf, PDF, f"backcoach-{doc.kind}.pdf")


DOCUMENT_QUEUED: dict[int | str, dict[str, Any]] = {
    202: {"model": Document, "description": "Still being made: poll GET /api/documents/{id}."},
    503: {"model": ErrorBody, "description": "The job queue could not take the job."},
}


class DocumentRequest(BaseModel):
    kind: DocumentKind = Field(
        description="report (for the physiotherapist) or handout (the programme on paper)"
    )


@router.post(
    "/documents",
    status_code=202,
    response_model=Document,
    responses={503: DOCUMENT_QUEUED[503]},
)
def ask_for_document(person: PersonDep, body: DocumentRequest, response: Response) -> Document:
    """Ask for a PDF: a job makes it (in this process in personal mode, by `backcoach worker`
    on PostgreSQL). Answers the document's state; its Location is where to poll."""
    doc = _request_document(person, body.kind)
    response.headers["Location"] = f"/api/documents/{doc.id}"
    return doc


@router.get("/documents/{document_id}", response_model=Document)
def document_status(person: PersonDep, document_id: DocumentId) -> Document:
    """A document's state: queued, running, done (download it from ``/pdf``) or failed (with
    the error). Only the person's own documents: any other id is a 404."""
    return _document(person, document_id)


@router.get(
    "/documents/{document_id}/pdf",
    response_class=Response,
    responses=_binary(PDF, "The document (PDF)."),
)
def document_download(person: PersonDep, document_id: DocumentId) -> Response:
    """The finished PDF (409 while it is still being made, or when it failed)."""
    doc = _document(person, document_id)
    if doc.status == "failed":
        raise _failed(doc)
    if doc.status != "done":
        raise ApiError(
            409,
            "document-not-ready",
            f"the {doc.kind} is still being made ({doc.status})",
            fix=f"ask again in a moment; GET /api/documents/{doc.id} says when it is done",
        )
    return _pdf(person, doc)


async def _made(person: PersonContext, kind: DocumentKind) -> Response:
    """Ask for the document and answer with its PDF once made: at once in personal mode,
    within DOCUMENT_WAIT_S from a worker, else 202 with the document to poll."""
    import asyncio
    import time

    from backcoach.jobs.documents import document

    doc = await run_in_threadpool(_request_document, person, kind)
    deadline = time.monotonic() + DOCUMENT_WAIT_S
    while doc.status in ("queued", "running") and time.monotonic() < deadline:
        await asyncio.sleep(DOCUMENT_POLL_S)
        found = await run_in_threadpool(document, person.store, doc.id)
        if found is None:
            raise ApiError(404, "no-such-document", f"the {kind} was deleted; ask again")
        doc = found
    if doc.status == "done":
        return await run_in_threadpool(_pdf, person, doc)
    if doc.status == "failed":
        raise _failed(doc)
    return JSONResponse(
        doc.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/documents/{doc.id}", "Cache-Control": PRIVATE},
    )


@router.get(
    "/report.pdf",
    response_class=Response,
    responses={**_binary(PDF, "The report (PDF)."), **DOCUMENT_QUEUED},
)
async def report(person: PersonDep) -> Response:
    """A report for the physiotherapist: profile, screen, programme, adherence, trends."""
    return await _made(person, "report")


@router.get(
    "/handout.pdf",
    response_class=Response,
    responses={**_binary(PDF, "The handout (PDF)."), **DOCUMENT_QUEUED},
)
async def handout(person: PersonDep) -> Response:
    """The programme on paper: each exercise with its picture, steps, dose and cautions (409
    while the screen allows no plan)."""
    return await _made(person, "handout")


@router.get(
    "/reminders.ics",
    response_class=Response,
    responses=_binary("text/calendar", "The reminders (iCalendar)."),
)
def reminders(person: PersonDep, alert: bool = Query(default=True)) -> Response:
    """A calendar file with the exercise days as one repeating event."""
    from backcoach.services.sharing import reminders_ics

    data = reminders_ics(person.store, person.catalogue, person.today(), alert=alert)
    return _file(data, "text/calendar", "backcoach-reminders.ics")


@router.get("/export")
def export(person: PersonDep) -> Response:
    """Everything recorded, as one JSON document to keep or import elsewhere."""
    from backcoach.services.sharing import dumps, export_json

    document = export_json(person.store)
    return _file(dumps(document), "application/json", "backcoach-export.json")


IMPORT_BODY = {
    "required": True,
    "description": "A document from GET /api/export (its JSON Schema: `backcoach export "
    "--schema`). Bodies over BACKCOACH_IMPORT_MAX_MB (default 20) are refused with 413.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


@router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra={"requestBody": IMPORT_BODY},
    responses={413: {"model": ErrorBody, "description": "The document is too large."}},
)
async def import_records(
    request: Request,
    person: PersonDep,
    replace: bool = Query(default=False, description="replace the records already saved"),
) -> dict[str, Any]:
    """Make the records exactly the document's (never doubled). With records already saved,
    ``replace=true`` is needed; a copy of the old ones is kept in the backups folder.

    The body is read as it streams in and refused (413) as soon as it passes the import limit,
    so an oversized upload never sits in memory; it is then checked like `backcoach import`."""
    from backcoach.errors import ImportTooLarge, StoreNotEmpty
    from backcoach.services.sharing import check_export, import_json, import_limit, parse_export

    store, home = person.store, person.settings.home
    try:
        raw = await _body_within(request, import_limit(person.settings))
    except ImportTooLarge as exc:
        raise ApiError(
            413,
            "too-large",
            str(exc),
            fix=f"send a smaller document, or raise {IMPORT_MAX_MB_VARIABLE}",
        ) from None
    data = await run_in_threadpool(parse_export, raw, "request body")
    del raw
    checked = await run_in_threadpool(check_export, store, data)
    del data  # only the checked rows are kept while they are written
    try:
        summary = await run_in_threadpool(import_json, store, home, checked, replace)
    except StoreNotEmpty as exc:
        raise ApiError(
            409, "not-empty", str(exc), field="replace", fix="add ?replace=true"
        ) from None
    request.app.state.live.reset(person.person_id)
    result: dict[str, Any] = summary.as_dict()
    return result


async def _body_within(request: Request, limit: int) -> bytearray:
    """The request body, or ImportTooLarge as soon as it is known to pass ``limit`` bytes:
    from Content-Length before reading any of it, else while it streams in."""
    from backcoach.services.sharing import too_large

    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise too_large("request body", limit, int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large("request body", limit)
    return body


@router.post("/forget", response_model=ForgetResult)
def forget(request: Request, person: PersonDep, body: ForgetRequest) -> dict[str, Any]:
    """Delete every record from this machine; the person's own exercise files are kept."""
    from backcoach.services.sharing import forget as forget_all

    request.app.state.live.reset(person.person_id)
    result: dict[str, Any] = forget_all(person.store, person.settings).as_dict()
    return result
