"""Errors at the web edge: one JSON shape for every error (docs/web-api.md, "Errors").

The service layer raises ``CoachError`` / ``PlanRefused`` / ``UnknownExercise`` with messages a
person can act on; only here do they become HTTP statuses. Validation errors name the field,
the value and the fix, in the same words the command line uses.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException


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
    """Register the handlers that give every error the one JSON shape."""
    from backcoach.catalogue import UnknownExercise
    from backcoach.coach import CoachError, PlanRefused

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(PlanRefused)
    async def plan_refused(_request: Request, exc: PlanRefused) -> JSONResponse:
        return error_response(ApiError(409, f"plan-refused:{exc.code}", str(exc)))

    @app.exception_handler(CoachError)
    async def coach_error(_request: Request, exc: CoachError) -> JSONResponse:
        return error_response(ApiError(400, "coach-error", str(exc)))

    @app.exception_handler(UnknownExercise)
    async def unknown_exercise(_request: Request, exc: UnknownExercise) -> JSONResponse:
        message = str(exc.args[0]) if exc.args else str(exc)
        return error_response(ApiError(404, "unknown-exercise", message))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_detail(exc).model_dump()}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api"):
            return await http_exception_handler(request, exc)  # pages answer as pages do
        code = "not-found" if exc.status_code == 404 else f"http-{exc.status_code}"
        message = (
            f"nothing at {request.url.path}; see /docs for the API"
            if exc.status_code == 404
            else str(exc.detail)
        )
        return JSONResponse(
            {"detail": {"code": code, "message": message}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
