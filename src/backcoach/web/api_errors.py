"""Errors at the web edge: one JSON shape for every error (docs/web-api.md, "Errors").

The service layer raises ``BackcoachError`` / ``PlanRefused`` / ``UnknownExercise`` with messages a
person can act on; only here do they become HTTP statuses. Validation errors name the field,
the value and the fix, in the same words the command line uses.

Under ``/api`` every error is that JSON; a page (anything else) gets the same message as a
friendly HTML page (``security.error_page``). The security middleware adds the security headers
and ``Cache-Control: no-store`` to both, and turns an unexpected exception into a calm 500.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from backcoach.web.security import error_page, wants_json


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    value: Any = None
    fix: str | None = None


class ErrorBody(BaseModel):
    detail: ErrorDetail


class ApiError(Exception):
    """An error to answer with ``status`` and a body naming what is wrong and how to fix it."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.detail = ErrorDetail(code=code, message=message, field=field, value=value, fix=fix)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "The input was refused; the message says how to fix it."),
        (404, "Nothing there."),
        (409, "Not allowed now; the message says why and what to do."),
        (422, "A field does not validate; field, value and fix say which and how."),
    )
}
"""Declared on every API route, so the OpenAPI description (and schemathesis) knows them."""


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse({"detail": error.detail.model_dump()}, status_code=error.status)


def answer(
    request: Request,
    status: int,
    detail: ErrorDetail,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON under /api, as a friendly page elsewhere (the same words)."""
    if wants_json(request.url.path):
        return JSONResponse({"detail": detail.model_dump()}, status_code=status, headers=headers)
    text = detail.message
    if detail.fix and detail.fix not in text:
        text = f"{text}; {detail.fix}"
    return HTMLResponse(error_page(status, text), status_code=status, headers=headers)


JSON_FIXES: dict[str, tuple[str, str]] = {
    "missing": ("is required but missing", "add it"),
    "extra_forbidden": ("is not a known field", "remove it (see /docs for the fields)"),
    "list_type": ("must be a list", 'send a JSON array, e.g. ["mat"]'),
    "dict_type": ("must be an object", 'send a JSON object, e.g. {"key": "value"}'),
    "model_type": ("must be an object", "send a JSON object with the fields shown in /docs"),
    "model_attributes_type": ("must be an object", "send a JSON object (see /docs)"),
    "json_invalid": ("is not valid JSON", "fix the JSON syntax"),
    "string_pattern_mismatch": ("is not in the expected form", "see /docs for the format"),
    "date_from_datetime_parsing": ("is not a date", "write it as YYYY-MM-DD"),
    "date_parsing": ("is not a date", "write it as YYYY-MM-DD"),
}
"""Fixes worded for JSON requests; other kinds use the catalogue's plain-words explainer."""


def _explain(kind: str, msg: str, ctx: dict[str, Any], loc: list[str | int]) -> tuple[str, str]:
    from backcoach.catalogue.loader import explain_error

    if kind in JSON_FIXES:
        return JSON_FIXES[kind]
    message, fix = explain_error(kind, msg, ctx, loc)
    if "catalogue schema" in fix:
        fix = "see /docs for what this field accepts"
    return message, fix


def _validation_detail(exc: RequestValidationError) -> ErrorDetail:
    lines, first = [], None
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if isinstance(p, str | int)]
        where = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
        msg, value = err["msg"], err.get("input")
        if err["type"] == "value_error":
            # Our model validators name the field first: "score: a pain event needs a score"
            head, sep, rest = msg.removeprefix("Value error, ").partition(": ")
            if sep and head.isidentifier():
                where, msg = [*where, head], rest
                value = value.get(head) if isinstance(value, dict) else None
        field = ".".join(where) or "(body)"
        message, fix = _explain(err["type"], msg, err.get("ctx") or {}, list(where))
        got = (
            ""
            if err["type"] == "missing" or isinstance(value, dict | list)
            else f" (got {value!r})"
        )
        lines.append(f"{field}: {message}{got}; {fix}")
        if first is None:
            shown = None if err["type"] == "missing" or isinstance(value, dict | list) else value
            first = ErrorDetail(
                code="invalid-input", message="", field=field, value=_jsonable(shown), fix=fix
            )
    assert first is not None
    first.message = "\n".join(lines)
    return first


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one JSON shape (a page for pages)."""
    from backcoach.catalogue import UnknownExercise
    from backcoach.errors import BackcoachError, PlanRefused

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return answer(request, exc.status, exc.detail)

    @app.exception_handler(PlanRefused)
    async def plan_refused(request: Request, exc: PlanRefused) -> Response:
        return answer(request, 409, ErrorDetail(code=f"plan-refused:{exc.code}", message=str(exc)))

    @app.exception_handler(BackcoachError)
    async def coach_error(request: Request, exc: BackcoachError) -> Response:
        return answer(request, 400, ErrorDetail(code="coach-error", message=str(exc)))

    @app.exception_handler(UnknownExercise)
    async def unknown_exercise(request: Request, exc: UnknownExercise) -> Response:
        message = str(exc.args[0]) if exc.args else str(exc)
        return answer(request, 404, ErrorDetail(code="unknown-exercise", message=message))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, 422, _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return answer(
            request,
            exc.status_code,
            ErrorDetail(code=_http_code(exc.status_code), message=_http_message(request, exc)),
            headers=getattr(exc, "headers", None),
        )


def _http_code(status: int) -> str:
    return {404: "not-found", 405: "method-not-allowed"}.get(status, f"http-{status}")


def _http_message(request: Request, exc: StarletteHTTPException) -> str:
    """The exception's own words when a route gave some; plain ones for Starlette's stock
    "Not Found" and "Method Not Allowed"."""
    detail = str(exc.detail)
    stock = {s.phrase for s in HTTPStatus}
    if detail and detail not in stock:
        return detail
    path = request.url.path
    if exc.status_code == 404:
        where = "see /docs for the API" if wants_json(path) else "check the address"
        return f"nothing at {path}; {where}"
    if exc.status_code == 405:
        return f"{path} does not take a {request.method} request"
    return detail or f"the request was refused ({exc.status_code})"
