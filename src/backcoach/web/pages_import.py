"""Bringing records back from a file downloaded from the settings page (GET /api/export), in
the browser: what POST /api/import and `backcoach import` do, through the same service calls
(``services.sharing``: ``parse_export``, ``check_export``, ``import_json``).

The upload is read as it streams in and refused as soon as it passes the import limit (the
same ``import_limit`` as the API), then checked whole before anything is written: a bad file,
or one chosen without confirming that it replaces the records already saved, changes nothing.
Every problem is said at once, next to its field, in plain words.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from backcoach.config import MB
from backcoach.errors import BackcoachError, StoreNotEmpty
from backcoach.web.deps import PersonDep
from backcoach.web.pages_common import render

if TYPE_CHECKING:
    from backcoach.app import PersonContext

router = APIRouter(include_in_schema=False)

FORM_OVERHEAD = 64 * 1024
"""Room in the form body beyond the file for its other fields and the multipart headers."""
MAX_FILENAME = 120
FIELD_LABELS = {"file": "The file", "replace": "Replacing your records"}


TERMINAL_HINT = re.compile(r"`backcoach [^`]*`")
"""A terminal command in a service's message ("use a file made by `backcoach export --out`"):
on the web the same advice names the button instead."""


class TooLarge(Exception):
    pass


def for_the_web(message: str) -> str:
    """A service's message with the terminal command it suggests said as the page's button."""
    return TERMINAL_HINT.sub("“Download all your records” in Settings", message)


def _limit_words(limit: int) -> str:
    return f"{limit / MB:g} MB"


def _import_page(
    request: Request,
    person: PersonContext,
    *,
    errors: dict[str, str] | None = None,
    imported: int | None = None,
    status: int = 200,
) -> HTMLResponse:
    from backcoach.services.sharing import import_limit, is_empty

    shown = errors or {}
    try:
        limit: int | None = import_limit(person.settings)
    except BackcoachError:
        limit = None
    context: dict[str, Any] = {
        "nav": "settings",
        "has_records": not is_empty(person.store),
        "limit": _limit_words(limit) if limit else None,
        "errors": shown,
        "error_list": [(f, FIELD_LABELS[f], shown[f]) for f in FIELD_LABELS if f in shown],
        "imported": imported,
    }
    return render(request, "import.html", context, status)


@router.get("/settings/import", response_class=HTMLResponse)
def import_form(request: Request, person: PersonDep, imported: int | None = None) -> HTMLResponse:
    return _import_page(request, person, imported=imported)


async def _bounded_body(request: Request, limit: int) -> bytes:
    """The form body, or TooLarge as soon as it is known to pass ``limit`` bytes: from
    Content-Length before reading any of it, else while it streams in."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge()
    return bytes(body)


async def _form_of(request: Request, body: bytes) -> Any:
    """The multipart form in ``body``: one file and a few fields at most."""

    async def once() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, once(), max_files=1, max_fields=4)
    return await parser.parse()


@router.post("/settings/import", response_class=HTMLResponse)
async def import_submit(request: Request, person: PersonDep) -> Response:
    from backcoach.services.sharing import (
        check_export,
        import_json,
        import_limit,
        is_empty,
        parse_export,
    )

    store, home = person.store, person.settings.home
    problems: dict[str, str] = {}
    try:
        limit = import_limit(person.settings)
    except BackcoachError as exc:  # the limit itself is misconfigured: say so, read nothing
        problems["file"] = f"the file cannot be read: {exc}."
        return _import_page(request, person, errors=problems, status=400)
    too_big = (
        f"it is larger than {_limit_words(limit)}, the most that is read. Choose the file "
        "you downloaded from “Download all your records”. Nothing was changed."
    )
    if "multipart/form-data" not in request.headers.get("content-type", ""):
        problems["file"] = "no file was sent; choose the file to bring back."
        return _import_page(request, person, errors=problems, status=400)
    try:
        body = await _bounded_body(request, limit + FORM_OVERHEAD)
        form = await _form_of(request, body)
    except TooLarge:
        return _import_page(request, person, errors={"file": too_big}, status=413)
    except MultiPartException:
        problems["file"] = "the form could not be read; please choose the file again."
        return _import_page(request, person, errors=problems, status=400)
    del body
    upload = form.get("file")
    confirmed = str(form.get("replace") or "") == "yes"
    has_records = not await run_in_threadpool(is_empty, store)
    if has_records and not confirmed:
        problems["replace"] = (
            "you already have records saved here. Tick “Replace my records with the file's” "
            "to bring the file back instead of them, and choose the file again."
        )
    data: Any = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems["file"] = "no file was chosen; choose the file you downloaded."
    else:
        name = (upload.filename or "the file")[-MAX_FILENAME:]
        raw = await upload.read(limit + 1)
        await upload.close()
        if len(raw) > limit:
            problems["file"] = too_big
        elif not raw.strip():
            problems["file"] = f"{name} is empty; choose the file you downloaded."
        else:
            try:
                data = await run_in_threadpool(parse_export, raw, name)
                del raw
                data = await run_in_threadpool(check_export, store, data)
            except BackcoachError as exc:
                problems["file"] = (
                    "this is not a file from “Download all your records”, or it was changed: "
                    f"{for_the_web(str(exc))}"
                )
    await form.close()
    if problems:
        status = 413 if problems.get("file") == too_big else 400
        return _import_page(request, person, errors=problems, status=status)
    try:
        summary = await run_in_threadpool(import_json, store, home, data, confirmed)
    except StoreNotEmpty:  # records were saved meanwhile, in another window
        problems["replace"] = (
            "records were saved here meanwhile. Tick “Replace my records with the file's” and "
            "choose the file again. Nothing was changed."
        )
        return _import_page(request, person, errors=problems, status=400)
    except BackcoachError as exc:
        problems["file"] = f"nothing was changed: {for_the_web(str(exc))}"
        return _import_page(request, person, errors=problems, status=400)
    request.app.state.live.reset(person.person_id)
    return RedirectResponse(
        f"/settings/import?imported={sum(summary.rows.values())}", status_code=303
    )
