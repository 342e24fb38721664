"""Progress, the clinician's report and handout, reminders, export, import and forget."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backcoach.config import IMPORT_MAX_MB_VARIABLE
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError, ErrorBody

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
def progress(request: Request) -> dict[str, Any]:
    """How pain, activities and sessions are going: trends, meaningful changes, adherence."""
    from backcoach.services.progress import progress_summary

    summary: dict[str, Any] = progress_summary(request.app.state.coach)
    return summary


@router.get(
    "/progress/chart.svg",
    response_class=Response,
    responses=_binary("image/svg+xml", "The progress chart (SVG)."),
)
def chart(request: Request) -> Response:
    """Pain and activity over time as a chart."""
    from backcoach.reports.charts import progress_chart
    from backcoach.services.progress import progress_summary

    svg = progress_chart(progress_summary(request.app.state.coach), "svg")
    return _file(svg, "image/svg+xml")


@router.get("/report.pdf", response_class=Response, responses=_binary(PDF, "The report (PDF)."))
def report(request: Request) -> Response:
    """A report for the physiotherapist: profile, screen, programme, adherence, trends."""
    from backcoach.reports.report import report_pdf

    return _file(report_pdf(request.app.state.coach), PDF, "backcoach-report.pdf")


@router.get("/handout.pdf", response_class=Response, responses=_binary(PDF, "The handout (PDF)."))
def handout(request: Request) -> Response:
    """The programme on paper: each exercise with its picture, steps, dose and cautions (409
    while the screen allows no plan)."""
    from backcoach.reports.report import handout_pdf

    return _file(handout_pdf(request.app.state.coach), PDF, "backcoach-handout.pdf")


@router.get(
    "/reminders.ics",
    response_class=Response,
    responses=_binary("text/calendar", "The reminders (iCalendar)."),
)
def reminders(request: Request, alert: bool = Query(default=True)) -> Response:
    """A calendar file with the exercise days as one repeating event."""
    from backcoach.services.sharing import reminders_ics

    data = reminders_ics(request.app.state.coach, alert=alert)
    return _file(data, "text/calendar", "backcoach-reminders.ics")


@router.get("/export")
def export(request: Request) -> Response:
    """Everything recorded, as one JSON document to keep or import elsewhere."""
    from backcoach.services.sharing import dumps, export_json

    document = export_json(request.app.state.coach)
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
    replace: bool = Query(default=False, description="replace the records already saved"),
) -> dict[str, Any]:
    """Make the records exactly the document's (never doubled). With records already saved,
    ``replace=true`` is needed; a copy of the old ones is kept in the backups folder.

    The body is read as it streams in and refused (413) as soon as it passes the import limit,
    so an oversized upload never sits in memory; it is then checked like `backcoach import`."""
    from backcoach.services.sharing import (
        ImportTooLarge,
        StoreNotEmpty,
        check_export,
        import_json,
        import_limit,
        parse_export,
    )

    coach = request.app.state.coach
    try:
        raw = await _body_within(request, import_limit(coach))
    except ImportTooLarge as exc:
        raise ApiError(
            413,
            "too-large",
            str(exc),
            fix=f"send a smaller document, or raise {IMPORT_MAX_MB_VARIABLE}",
        ) from None
    data = await run_in_threadpool(parse_export, raw, "request body")
    del raw
    checked = await run_in_threadpool(check_export, coach, data)
    del data  # only the checked rows are kept while they are written
    try:
        summary = await run_in_threadpool(import_json, coach, checked, replace)
    except StoreNotEmpty as exc:
        raise ApiError(
            409, "not-empty", str(exc), field="replace", fix="add ?replace=true"
        ) from None
    request.app.state.live.reset()
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
def forget(request: Request, body: ForgetRequest) -> dict[str, Any]:
    """Delete every record from this machine; the person's own exercise files are kept."""
    from backcoach.services.sharing import forget as forget_all

    request.app.state.live.reset()
    result: dict[str, Any] = forget_all(request.app.state.coach).as_dict()
    return result
