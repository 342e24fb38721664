"""Progress, the clinician's report and handout, reminders, export, import and forget."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backcoach.web.api_errors import ERROR_RESPONSES, ApiError

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


@router.post("/import", response_model=ImportResult)
def import_records(
    request: Request,
    document: dict[str, Any] = Body(description="A document from GET /api/export"),
    replace: bool = Query(default=False, description="replace the records already saved"),
) -> dict[str, Any]:
    """Make the records exactly the document's (never doubled). With records already saved,
    ``replace=true`` is needed; a copy of the old ones is kept in the backups folder."""
    from backcoach.services.sharing import StoreNotEmpty, import_json

    try:
        summary = import_json(request.app.state.coach, document, replace=replace)
    except StoreNotEmpty as exc:
        raise ApiError(
            409, "not-empty", str(exc), field="replace", fix="add ?replace=true"
        ) from None
    request.app.state.live.reset()
    result: dict[str, Any] = summary.as_dict()
    return result


@router.post("/forget", response_model=ForgetResult)
def forget(request: Request, body: ForgetRequest) -> dict[str, Any]:
    """Delete every record from this machine; the person's own exercise files are kept."""
    from backcoach.services.sharing import forget as forget_all

    request.app.state.live.reset()
    result: dict[str, Any] = forget_all(request.app.state.coach).as_dict()
    return result
